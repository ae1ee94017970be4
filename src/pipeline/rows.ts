import { CLASSES, NUM_CLASSES, parseClassName, type EmotionClass } from '../classes.js';
import { MreError } from '../errors.js';
import { formatCsvLine, parseCsv } from './csv.js';

/** What happened to a clip: classified, no usable face in any frame, or failed. */
export type ClipStatus = 'ok' | 'no_face' | 'error';

/** The result of one clip, one line of the main output. */
export interface ResultRow {
  /** The clip's path as given on the command line or walked from a folder. */
  clip: string;
  /** Predicted class; null unless status is 'ok'. */
  label: EmotionClass | null;
  /** Aggregated score of the predicted class, 0..1; null unless status is 'ok'. */
  confidence: number | null;
  /** Seven aggregated scores in {@link CLASSES} order; null unless status is 'ok'. */
  scores: number[] | null;
  /** Frames scored (0 unless status is 'ok'). */
  frames: number;
  /** Most faces seen in one frame. */
  faces: number;
  status: ClipStatus;
  /** One-line cause for 'no_face' and 'error' rows; null for 'ok'. */
  error: string | null;
  /** Ground truth when known (labels file or class-named parent folder), else null. */
  truth: EmotionClass | null;
  /** Whether label equals truth; null when truth is unknown, false when there is no label. */
  correct: boolean | null;
}

/** The output columns, in order; JSONL objects use the same keys in the same order. */
export const RESULT_COLUMNS = [
  'clip',
  'label',
  'confidence',
  ...CLASSES,
  'frames',
  'faces',
  'status',
  'error',
  'truth',
  'correct',
] as const;

/** One column name of {@link RESULT_COLUMNS}. */
export type ResultColumn = (typeof RESULT_COLUMNS)[number];

/** The two output formats. */
export type ResultFormat = 'csv' | 'jsonl';

/** Decimal places kept for scores and confidences in both formats. */
export const SCORE_DECIMALS = 6;

const SCORE_SCALE = 10 ** SCORE_DECIMALS;
const STATUSES: readonly ClipStatus[] = ['ok', 'no_face', 'error'];
const JSONL_EXTENSIONS = /\.(jsonl|ndjson)$/i;

/** An explicit --format wins; else a .jsonl/.ndjson output means JSONL; else CSV. */
export function pickResultFormat(out: string, format?: string): ResultFormat {
  if (format === undefined || format === '') return JSONL_EXTENSIONS.test(out) ? 'jsonl' : 'csv';
  const wanted = format.toLowerCase();
  if (wanted === 'csv') return 'csv';
  if (wanted === 'jsonl' || wanted === 'ndjson') return 'jsonl';
  throw new MreError('USAGE', `--format must be csv or jsonl, got "${format}"`);
}

/** Orders clip paths by UTF-16 code units, the same on every machine and locale. */
export function compareClipPaths(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** A copy of `rows` sorted by clip path (stable for equal paths). */
export function sortRowsByClip(rows: readonly ResultRow[]): ResultRow[] {
  return [...rows].sort((a, b) => compareClipPaths(a.clip, b.clip));
}

/** Whether a prediction matches the truth: null when truth is unknown. */
export function judgeCorrect(
  label: EmotionClass | null,
  truth: EmotionClass | null,
): boolean | null {
  return truth === null ? null : label === truth;
}

/** A 'no_face' or 'error' row: no label, confidence or scores, zero frames. */
export function createFailedRow(
  clip: string,
  status: 'no_face' | 'error',
  error: string,
  options: { truth?: EmotionClass | null; faces?: number } = {},
): ResultRow {
  const truth = options.truth ?? null;
  return {
    clip,
    label: null,
    confidence: null,
    scores: null,
    frames: 0,
    faces: options.faces ?? 0,
    status,
    error,
    truth,
    correct: judgeCorrect(null, truth),
  };
}

/** Rounds to {@link SCORE_DECIMALS} places; non-finite values become null. */
function roundScore(value: number | null): number | null {
  if (value === null || !Number.isFinite(value)) return null;
  const rounded = Math.round(value * SCORE_SCALE) / SCORE_SCALE;
  return rounded === 0 ? 0 : rounded;
}

/** The row as column → JSON value, keys in {@link RESULT_COLUMNS} order. */
function toRecord(row: ResultRow): Record<ResultColumn, string | number | boolean | null> {
  const scores = Object.fromEntries(
    CLASSES.map((name, i) => [name, roundScore(row.scores?.[i] ?? null)]),
  ) as Record<EmotionClass, number | null>;
  return {
    clip: row.clip,
    label: row.label,
    confidence: roundScore(row.confidence),
    ...scores,
    frames: row.frames,
    faces: row.faces,
    status: row.status,
    error: row.error,
    truth: row.truth,
    correct: row.correct,
  };
}

/** The CSV header line, ending in '\n'. */
export function formatCsvHeader(): string {
  return formatCsvLine(RESULT_COLUMNS);
}

/** One CSV line, ending in '\n'; null becomes an empty cell. */
export function formatCsvRow(row: ResultRow): string {
  const record = toRecord(row);
  return formatCsvLine(RESULT_COLUMNS.map((column) => String(record[column] ?? '')));
}

/** One JSON object on one line, ending in '\n'; numbers rounded to six decimals. */
export function formatJsonlRow(row: ResultRow): string {
  return `${JSON.stringify(toRecord(row))}\n`;
}

/** Where a value came from, for error messages. */
interface Origin {
  file: string | undefined;
  line: number;
}

/** Throws the one error kind used for malformed result files. */
function failParse(origin: Origin, message: string): never {
  const where = `${origin.file ?? 'results'} line ${origin.line}`;
  throw new MreError('DATA', `${where}: ${message}`, { file: origin.file });
}

/** A CSV cell as a JSON-like value: '' → null, numbers and booleans decoded. */
function decodeCell(cell: string): unknown {
  if (cell === '') return null;
  if (cell === 'true') return true;
  if (cell === 'false') return false;
  const asNumber = Number(cell);
  return Number.isNaN(asNumber) ? cell : asNumber;
}

/** A class name or null; anything else is an error. */
function readClass(value: unknown, key: string, origin: Origin): EmotionClass | null {
  if (value === null || value === undefined) return null;
  const parsed = typeof value === 'string' ? parseClassName(value) : undefined;
  return parsed ?? failParse(origin, `${key} must be a class name, got ${JSON.stringify(value)}`);
}

/** A finite number or null. */
function readNumber(value: unknown, key: string, origin: Origin): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  return failParse(origin, `${key} must be a number, got ${JSON.stringify(value)}`);
}

/** A count: a non-negative integer. */
function readCount(value: unknown, key: string, origin: Origin): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  return failParse(origin, `${key} must be a whole number >= 0, got ${JSON.stringify(value)}`);
}

/** The seven scores: all present or all empty. */
function readScores(values: Record<string, unknown>, origin: Origin): number[] | null {
  const scores = CLASSES.map((name) => readNumber(values[name], name, origin));
  const present = scores.filter((s): s is number => s !== null);
  if (present.length === 0) return null;
  if (present.length !== NUM_CLASSES) failParse(origin, 'scores must be all present or all empty');
  return present;
}

/** Validates one decoded record and builds the typed row. */
function readRow(values: Record<string, unknown>, origin: Origin): ResultRow {
  const { clip, status, error, correct } = values;
  if (typeof clip !== 'string' || clip === '') failParse(origin, 'clip must be a non-empty path');
  if (!STATUSES.includes(status as ClipStatus)) {
    failParse(origin, `status must be ok, no_face or error, got ${JSON.stringify(status)}`);
  }
  if (error !== null && error !== undefined && typeof error !== 'string') {
    failParse(origin, 'error must be text or empty');
  }
  if (correct !== null && correct !== undefined && typeof correct !== 'boolean') {
    failParse(origin, `correct must be true, false or empty, got ${JSON.stringify(correct)}`);
  }
  return {
    clip,
    label: readClass(values.label, 'label', origin),
    confidence: readNumber(values.confidence, 'confidence', origin),
    scores: readScores(values, origin),
    frames: readCount(values.frames, 'frames', origin),
    faces: readCount(values.faces, 'faces', origin),
    status: status as ClipStatus,
    error: typeof error === 'string' ? error : null,
    truth: readClass(values.truth, 'truth', origin),
    correct: typeof correct === 'boolean' ? correct : null,
  };
}

/** Parses CSV results; the header must hold every column (order and extras are tolerated). */
function parseCsvResults(text: string, file: string | undefined): ResultRow[] {
  const [header, ...records] = parseCsv(text, file);
  if (header === undefined) return [];
  const missing = RESULT_COLUMNS.filter((column) => !header.fields.includes(column));
  if (missing.length > 0) {
    failParse({ file, line: header.line }, `header lacks column(s) ${missing.join(', ')}`);
  }
  return records.map((record) => {
    const values: Record<string, unknown> = {};
    header.fields.forEach((name, i) => {
      if (name === 'clip' || name === 'error') values[name] = record.fields[i] || null;
      else values[name] = decodeCell(record.fields[i] ?? '');
    });
    return readRow(values, { file, line: record.line });
  });
}

/** Parses one JSONL line into a plain object, or returns undefined when it is not JSON. */
function parseJsonObject(line: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(line);
    const isObject = typeof value === 'object' && value !== null && !Array.isArray(value);
    return isObject ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Parses JSONL results; blank lines are skipped. */
function parseJsonlResults(text: string, options: ParseResultsOptions): ResultRow[] {
  const lines = text.split('\n');
  const rows: ResultRow[] = [];
  lines.forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '') return;
    const origin = { file: options.file, line: i + 1 };
    const values = parseJsonObject(line);
    const isTornTail = i === lines.length - 1 && options.allowTornLastLine === true;
    if (values === undefined && isTornTail) return;
    rows.push(readRow(values ?? failParse(origin, 'not a JSON object'), origin));
  });
  return rows;
}

/** Options of {@link parseResultsFile}. */
export interface ParseResultsOptions {
  /** File name used in error messages. */
  file?: string;
  /**
   * Ignore a last JSONL line that is not valid JSON and has no line break after it, as left by
   * a crash in the middle of an append. Default false.
   */
  allowTornLastLine?: boolean;
}

/**
 * Reads rows back from a results file written by this tool (for --resume and reports).
 * Throws MreError 'DATA' naming the file and line when a row is malformed.
 */
export function parseResultsFile(
  text: string,
  format: ResultFormat,
  options: ParseResultsOptions = {},
): ResultRow[] {
  return format === 'csv' ? parseCsvResults(text, options.file) : parseJsonlResults(text, options);
}
