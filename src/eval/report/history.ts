import { MreError } from '../../errors.js';
import { writeFileAtomic } from '../../pipeline/write-file-atomic.js';
import { ACCURACY_DECIMALS } from './constants.js';
import { readTextIfExists } from './read-text-if-exists.js';
import type { ReportMetrics } from './types.js';

/** Columns of history.csv, in order; the first line of the file is exactly these names. */
export const HISTORY_COLUMNS = [
  'time',
  'run',
  'model_sha256',
  'accuracy',
  'mean_class_accuracy',
  'clips',
  'failures',
  'seconds',
] as const;

/** Decimal places of the run duration in history.csv. */
const SECONDS_DECIMALS = 1;

/** One finished run as recorded in history.csv. */
export interface HistoryEntry {
  /** Start of the run, ISO 8601 UTC. */
  time: string;
  /** Run folder name inside the results folder. */
  run: string;
  /** SHA-256 of the model weights, hex. */
  modelSha256: string;
  /** Accuracy over labelled clips, 0..1; null when none was labelled. */
  accuracy: number | null;
  /** Mean per-class accuracy, 0..1; null when none was labelled. */
  meanClassAccuracy: number | null;
  /** Clips processed. */
  clips: number;
  /** Clips with status `error`. */
  failures: number;
  /** Wall time of the main job in seconds. */
  seconds: number;
}

/** Collects the history line of a run from its metrics. */
export function buildHistoryEntry(input: {
  time: Date; run: string; metrics: ReportMetrics; seconds: number;
}): HistoryEntry {
  const { metrics } = input;
  return {
    time: input.time.toISOString(),
    run: input.run,
    modelSha256: metrics.model.sha256,
    accuracy: finiteOrNull(metrics.accuracy),
    meanClassAccuracy: finiteOrNull(metrics.meanClassAccuracy),
    clips: metrics.counts.clips,
    failures: metrics.counts.error,
    seconds: input.seconds,
  };
}

/** Formats one entry as a CSV line (no newline); null accuracies become empty fields. */
export function formatHistoryLine(entry: HistoryEntry): string {
  const fields = [
    entry.time,
    entry.run,
    entry.modelSha256,
    formatFraction(entry.accuracy),
    formatFraction(entry.meanClassAccuracy),
    String(entry.clips),
    String(entry.failures),
    entry.seconds.toFixed(SECONDS_DECIMALS),
  ];
  const bad = fields.find((field) => /[,\r\n"]/.test(field));
  if (bad !== undefined) {
    throw new MreError('INTERNAL', `history field has a comma, quote or newline: ${bad}`);
  }
  return fields.join(',');
}

/** Parses the text of history.csv; `file` only names the file in errors. */
export function parseHistory(text: string, file: string): HistoryEntry[] {
  const lines = text.split(/\r?\n/);
  const header = lines[0] ?? '';
  if (text.trim() === '') return [];
  if (header !== HISTORY_COLUMNS.join(',')) {
    throw new MreError('DATA', `${file}: first line must be "${HISTORY_COLUMNS.join(',')}", ` +
      `got "${header}"`, { file });
  }
  return lines
    .slice(1)
    .flatMap((line, i) => (line.trim() === '' ? [] : [parseLine(line, file, i + 2)]));
}

/** Reads history.csv; a missing file is an empty history. */
export async function readHistory(file: string): Promise<HistoryEntry[]> {
  const text = await readTextIfExists(file);
  return text === undefined ? [] : parseHistory(text, file);
}

/**
 * Appends one line to history.csv, writing the header first when the file is new. The whole file
 * is rewritten atomically, so readers never see a half line.
 */
export async function appendHistory(file: string, entry: HistoryEntry): Promise<void> {
  const line = formatHistoryLine(entry);
  const existing = (await readTextIfExists(file)) ?? '';
  parseHistory(existing, file);
  const head = existing.trim() === '' ? `${HISTORY_COLUMNS.join(',')}\n` : withNewline(existing);
  await writeFileAtomic(file, `${head}${line}\n`);
}

function parseLine(line: string, file: string, lineNumber: number): HistoryEntry {
  const fields = line.split(',');
  const fail = (what: string): never => {
    throw new MreError('DATA', `${file}:${lineNumber}: ${what}`, { file });
  };
  if (fields.length !== HISTORY_COLUMNS.length) {
    fail(`expected ${HISTORY_COLUMNS.length} fields, got ${fields.length}`);
  }
  const [time = '', run = '', sha = '', accuracy = '', mean = '', clips = '', failures = '',
    seconds = ''] = fields;
  return {
    time,
    run,
    modelSha256: sha,
    accuracy: accuracy === '' ? null : parseNumber(accuracy, 'accuracy', fail),
    meanClassAccuracy: mean === '' ? null : parseNumber(mean, 'mean_class_accuracy', fail),
    clips: parseCount(clips, 'clips', fail),
    failures: parseCount(failures, 'failures', fail),
    seconds: parseNumber(seconds, 'seconds', fail),
  };
}

function parseNumber(text: string, name: string, fail: (what: string) => never): number {
  const value = Number(text);
  return text !== '' && Number.isFinite(value) ? value : fail(`bad ${name} "${text}"`);
}

function parseCount(text: string, name: string, fail: (what: string) => never): number {
  const value = parseNumber(text, name, fail);
  return Number.isInteger(value) && value >= 0 ? value : fail(`bad ${name} "${text}"`);
}

function formatFraction(value: number | null): string {
  return value === null ? '' : value.toFixed(ACCURACY_DECIMALS);
}

function finiteOrNull(value: number | null): number | null {
  return value !== null && Number.isFinite(value) ? value : null;
}

function withNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}
