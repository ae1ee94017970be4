import { NO_PREDICTION_LABEL } from './constants.js';
import type { ReportRow } from './types.js';

/** A clip whose predicted label differs between two runs. */
export interface LabelChange {
  clip: string;
  /** Ground truth; null when unknown. */
  truth: string | null;
  /** Label in the earlier run ('none' without a prediction). */
  before: string;
  /** Label in this run ('none' without a prediction). */
  after: string;
  /** Whether the clip went from wrong to right (+1), right to wrong (-1) or neither (0). */
  effect: -1 | 0 | 1;
}

/** How this run's rows differ from an earlier run's rows. */
export interface RunComparison {
  /** Clips in both runs whose label changed, in this run's row order. */
  changed: LabelChange[];
  /** Clips only in this run. */
  added: string[];
  /** Clips only in the earlier run. */
  removed: string[];
  /** Clips present in both runs. */
  common: number;
  /** Accuracy of the earlier rows over their labelled clips; null when none is labelled. */
  previousAccuracy: number | null;
  /** Accuracy of this run's rows over their labelled clips; null when none is labelled. */
  accuracy: number | null;
  /** accuracy - previousAccuracy; null when either is null. */
  accuracyDelta: number | null;
}

/**
 * Compares the rows of an earlier run with this run's rows, matching clips by their `clip` path:
 * which labels changed, which clips came or went, and how the accuracy moved.
 */
export function compareRuns(
  prevRows: readonly ReportRow[],
  rows: readonly ReportRow[],
): RunComparison {
  const before = new Map(prevRows.map((row) => [row.clip, row]));
  const now = new Set(rows.map((row) => row.clip));
  const changed = rows.flatMap((row) => {
    const old = before.get(row.clip);
    return old === undefined ? [] : describeChange(old, row);
  });
  const previousAccuracy = computeRowAccuracy(prevRows);
  const accuracy = computeRowAccuracy(rows);
  return {
    changed,
    added: rows.filter((row) => !before.has(row.clip)).map((row) => row.clip),
    removed: prevRows.filter((row) => !now.has(row.clip)).map((row) => row.clip),
    common: rows.filter((row) => before.has(row.clip)).length,
    previousAccuracy,
    accuracy,
    accuracyDelta:
      previousAccuracy === null || accuracy === null ? null : accuracy - previousAccuracy,
  };
}

/** Share of rows with a known truth whose label is correct; null when no row has a truth. */
export function computeRowAccuracy(rows: readonly ReportRow[]): number | null {
  const labelled = rows.filter((row) => hasTruth(row));
  if (labelled.length === 0) return null;
  return labelled.filter((row) => isCorrect(row)).length / labelled.length;
}

function describeChange(old: ReportRow, row: ReportRow): LabelChange[] {
  const before = normaliseLabel(old.label);
  const after = normaliseLabel(row.label);
  if (before === after) return [];
  const truth = row.truth ?? old.truth ?? null;
  const effect = Number(isCorrect(row)) - Number(isCorrect(old));
  return [{ clip: row.clip, truth, before, after, effect: effect as -1 | 0 | 1 }];
}

function normaliseLabel(label: string | null): string {
  return label === null || label === '' ? NO_PREDICTION_LABEL : label;
}

function hasTruth(row: ReportRow): boolean {
  return row.truth !== null && row.truth !== undefined && row.truth !== '';
}

function isCorrect(row: ReportRow): boolean {
  if (!hasTruth(row)) return false;
  if (typeof row.correct === 'boolean') return row.correct;
  return normaliseLabel(row.label) === row.truth;
}
