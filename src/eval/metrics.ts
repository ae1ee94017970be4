import { CLASSES, classIndex, NUM_CLASSES, type EmotionClass } from '../classes.js';
import type { ResultRow } from '../pipeline/rows.js';

/** Decimal places kept for every ratio in the metrics. */
export const METRIC_DECIMALS = 4;

/** Column label of the confusion matrix for labelled clips without a prediction. */
export const NO_PREDICTION_COLUMN = 'none';

/** Tally of one class. */
export interface ClassMetrics {
  /** Labelled clips whose truth is this class. */
  n: number;
  /** Of those, how many were predicted as this class. */
  correct: number;
  /** correct / n, rounded; null when n is 0. */
  accuracy: number | null;
}

/** The model that produced the rows. */
export interface ModelInfo {
  name: string;
  sha256: string;
  backend: string;
}

/** The metrics JSON of one run. Ratios are rounded to {@link METRIC_DECIMALS} places. */
export interface Metrics {
  /** Correct / labelled clips; a labelled clip without a prediction counts as wrong. */
  accuracy: number | null;
  /** Correct / labelled clips that got a prediction (a face was found and scored). */
  accuracyOnFaces: number | null;
  /** Mean of per-class accuracies over the classes that have labelled clips. */
  meanClassAccuracy: number | null;
  /** The seven class names, in matrix order. */
  classes: EmotionClass[];
  perClass: Record<EmotionClass, ClassMetrics>;
  /** 7 rows (truth) x 8 columns (7 predicted classes, then 'none' for no prediction). */
  confusion: number[][];
  counts: { clips: number; labelled: number; ok: number; no_face: number; error: number };
  model: ModelInfo;
  tool: { version: string };
}

/** Rounds a ratio; null when the denominator is 0. */
function ratio(numerator: number, denominator: number): number | null {
  if (denominator === 0) return null;
  const scale = 10 ** METRIC_DECIMALS;
  return Math.round((numerator / denominator) * scale) / scale;
}

/** The 7 x 8 confusion counts over labelled clips. */
function countConfusion(rows: readonly ResultRow[]): number[][] {
  const confusion = CLASSES.map(() => new Array<number>(NUM_CLASSES + 1).fill(0));
  for (const row of rows) {
    if (row.truth === null) continue;
    const predicted = row.status === 'ok' && row.label !== null ? classIndex(row.label) : -1;
    const column = predicted >= 0 ? predicted : NUM_CLASSES;
    const counts = confusion[classIndex(row.truth)];
    if (counts !== undefined) counts[column] = (counts[column] ?? 0) + 1;
  }
  return confusion;
}

/** Sums a list of numbers. */
function sum(values: readonly number[]): number {
  return values.reduce((total, v) => total + v, 0);
}

/** The per-class tallies from the confusion matrix. */
function tallyClasses(confusion: readonly number[][]): Record<EmotionClass, ClassMetrics> {
  const entries = CLASSES.map((name, i) => {
    const counts = confusion[i] ?? [];
    const n = sum(counts);
    const correct = counts[i] ?? 0;
    return [name, { n, correct, accuracy: ratio(correct, n) }] as const;
  });
  return Object.fromEntries(entries) as Record<EmotionClass, ClassMetrics>;
}

/** Mean of unrounded per-class accuracies over classes with clips, rounded once. */
function meanOverClasses(confusion: readonly number[][]): number | null {
  const accuracies: number[] = [];
  confusion.forEach((counts, i) => {
    const n = sum(counts);
    if (n > 0) accuracies.push((counts[i] ?? 0) / n);
  });
  return ratio(sum(accuracies), accuracies.length);
}

/** Correct and predicted (labelled with a prediction) clip totals of a confusion matrix. */
function countTotals(confusion: readonly number[][]): { correct: number; predicted: number } {
  const correct = sum(confusion.map((counts, i) => counts[i] ?? 0));
  const predicted = sum(confusion.map((counts) => sum(counts.slice(0, NUM_CLASSES))));
  return { correct, predicted };
}

/** Counts of rows by status, plus all and labelled. */
function countRows(rows: readonly ResultRow[]): Metrics['counts'] {
  const byStatus = (status: ResultRow['status']): number =>
    rows.filter((r) => r.status === status).length;
  return {
    clips: rows.length,
    labelled: rows.filter((r) => r.truth !== null).length,
    ok: byStatus('ok'),
    no_face: byStatus('no_face'),
    error: byStatus('error'),
  };
}

/**
 * Accuracy, per-class accuracy and the confusion matrix of a run. Only rows with a known
 * truth are scored; `correct` is recomputed from label and truth, not read from the rows.
 */
export function computeMetrics(
  rows: readonly ResultRow[],
  info: { model: ModelInfo; toolVersion: string },
): Metrics {
  const confusion = countConfusion(rows);
  const counts = countRows(rows);
  const { correct, predicted } = countTotals(confusion);
  return {
    accuracy: ratio(correct, counts.labelled),
    accuracyOnFaces: ratio(correct, predicted),
    meanClassAccuracy: meanOverClasses(confusion),
    classes: [...CLASSES],
    perClass: tallyClasses(confusion),
    confusion,
    counts,
    model: { name: info.model.name, sha256: info.model.sha256, backend: info.model.backend },
    tool: { version: info.toolVersion },
  };
}

/** A ratio with four decimals, or "n/a". */
function formatRatio(value: number | null): string {
  return value === null ? 'n/a' : value.toFixed(METRIC_DECIMALS);
}

/**
 * Three lines for stderr, e.g.
 * "accuracy: 0.6190 (13/21)", "accuracy on clips with a face: 0.6500 (13/20)" and
 * "mean per-class accuracy: 0.6190". No trailing line break.
 */
export function formatMetricsSummary(m: Metrics): string {
  const { correct, predicted } = countTotals(m.confusion);
  return [
    `accuracy: ${formatRatio(m.accuracy)} (${correct}/${m.counts.labelled})`,
    `accuracy on clips with a face: ${formatRatio(m.accuracyOnFaces)} (${correct}/${predicted})`,
    `mean per-class accuracy: ${formatRatio(m.meanClassAccuracy)}`,
  ].join('\n');
}

/** Right-aligns cells into columns separated by two spaces; first column left-aligned. */
function formatTable(rows: readonly (readonly string[])[]): string {
  const widths = (rows[0] ?? []).map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  const formatLine = (row: readonly string[]): string =>
    row
      .map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0)))
      .join('  ')
      .trimEnd();
  return rows.map(formatLine).join('\n');
}

/**
 * The confusion matrix as aligned text: one line per true class, one column per predicted
 * class and a last 'none' column. No trailing line break.
 */
export function formatConfusionTable(m: Metrics): string {
  const header = ['truth \\ predicted', ...m.classes, NO_PREDICTION_COLUMN];
  const lines = m.classes.map((name, i) => [name, ...(m.confusion[i] ?? []).map(String)]);
  return formatTable([header, ...lines]);
}

/** Per-class n, correct and accuracy as aligned text. No trailing line break. */
export function formatPerClassTable(m: Metrics): string {
  const header = ['class', 'n', 'correct', 'accuracy'];
  const lines = m.classes.map((name) => {
    const c = m.perClass[name];
    return [name, String(c.n), String(c.correct), formatRatio(c.accuracy)];
  });
  return formatTable([header, ...lines]);
}
