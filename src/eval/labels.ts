import { readFile } from 'node:fs/promises';
import path from 'node:path';

import { CLASSES, parseClassName, type EmotionClass } from '../classes.js';
import { MreError } from '../errors.js';
import { parseCsv, type CsvRecord } from '../pipeline/csv.js';

/** Truth read from a `--labels` CSV (header `path,label`). */
export interface LabelTable {
  /** The labels file, for messages. */
  file: string;
  /** Class by path as written in the file, normalised (`./a//b.mp4` is stored as `a/b.mp4`). */
  byPath: ReadonlyMap<string, EmotionClass>;
  /** Class by file name; null when the name occurs more than once in the file (ambiguous). */
  byName: ReadonlyMap<string, EmotionClass | null>;
}

/** Column names the labels file must have. */
const PATH_COLUMN = 'path';
const LABEL_COLUMN = 'label';

/** Finds a column by name (case-insensitive, surrounding spaces ignored). */
function findColumn(header: CsvRecord, name: string, file: string): number {
  const index = header.fields.findIndex((f) => f.trim().toLowerCase() === name);
  if (index >= 0) return index;
  throw new MreError(
    'INPUT',
    `${file} line ${header.line}: expected a header "path,label", got "${header.fields.join(',')}"`,
    { file },
  );
}

/** Reads one record's path and class; an unknown label is an error naming file and line. */
function readEntry(
  record: CsvRecord,
  columns: { path: number; label: number },
  file: string,
): { path: string; label: EmotionClass } {
  const clip = record.fields[columns.path] ?? '';
  const text = record.fields[columns.label] ?? '';
  if (clip === '') {
    throw new MreError('INPUT', `${file} line ${record.line}: empty path`, { file });
  }
  const label = parseClassName(text);
  if (label === undefined) {
    const expected = CLASSES.join(', ');
    const message = `${file} line ${record.line}: unknown label "${text}" (expected ${expected})`;
    throw new MreError('INPUT', message, { file });
  }
  return { path: clip, label };
}

/** Adds an entry; the same path with two different labels is an error. */
function addEntry(
  table: { byPath: Map<string, EmotionClass>; byName: Map<string, EmotionClass | null> },
  entry: { path: string; label: EmotionClass },
  where: { file: string; line: number },
): void {
  const key = path.normalize(entry.path);
  const known = table.byPath.get(key);
  if (known !== undefined && known !== entry.label) {
    const message =
      `${where.file} line ${where.line}: "${entry.path}" is labelled both ${known} ` +
      `and ${entry.label}`;
    throw new MreError('INPUT', message, { file: where.file });
  }
  if (known !== undefined) return;
  table.byPath.set(key, entry.label);
  const name = path.basename(entry.path);
  table.byName.set(name, table.byName.has(name) ? null : entry.label);
}

/**
 * Parses a labels CSV: a header with `path` and `label` columns (other columns are ignored),
 * then one clip a line. Labels may be any alias parseClassName accepts (e.g. "Angry",
 * "happiness"). Throws MreError 'INPUT' naming the file and line on a bad header or label.
 */
export function parseLabelTable(text: string, file: string): LabelTable {
  const [header, ...records] = parseCsv(text, file);
  if (header === undefined) {
    throw new MreError('INPUT', `${file}: empty labels file, expected a header "path,label"`, {
      file,
    });
  }
  const columns = {
    path: findColumn(header, PATH_COLUMN, file),
    label: findColumn(header, LABEL_COLUMN, file),
  };
  const table = { byPath: new Map<string, EmotionClass>(), byName: new Map() };
  for (const record of records) {
    addEntry(table, readEntry(record, columns, file), { file, line: record.line });
  }
  return { file, ...table };
}

/** Reads and parses a `--labels` file; see {@link parseLabelTable}. */
export async function loadLabelTable(file: string): Promise<LabelTable> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new MreError('INPUT', `${file}: cannot read the labels file`, { file, cause });
  }
  return parseLabelTable(text, file);
}

/** The class named by the clip's parent folder (AFEW-style `Val/Angry/clip.avi`), if any. */
export function classFromFolder(clip: string): EmotionClass | null {
  const folder = path.basename(path.dirname(clip));
  return parseClassName(folder) ?? null;
}

/**
 * The truth of a clip: the labels table entry for its path as written in the output (compared
 * after path.normalize, so `./a/b.mp4` matches `a/b.mp4`), else the entry for its file name
 * when that name is unique in the table, else the class its parent folder names
 * (case-insensitive, AFEW spellings included), else null (unknown, still classified).
 */
export function resolveTruth(clip: string, table?: LabelTable): EmotionClass | null {
  if (table !== undefined) {
    const byPath = table.byPath.get(path.normalize(clip));
    if (byPath !== undefined) return byPath;
    const byName = table.byName.get(path.basename(clip));
    if (byName !== undefined && byName !== null) return byName;
  }
  return classFromFolder(clip);
}
