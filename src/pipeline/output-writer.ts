import { once } from 'node:events';
import { readFile, realpath } from 'node:fs/promises';
import path from 'node:path';

import { MreError } from '../errors.js';
import { journalPathFor, openJournal, readJournalText, type Journal } from './journal.js';
import {
  formatCsvHeader,
  formatCsvRow,
  formatJsonlRow,
  parseResultsFile,
  sortRowsByClip,
  type ResultFormat,
  type ResultRow,
} from './rows.js';
import { writeFileAtomic } from './write-file-atomic.js';

/** The --out value that means standard output. */
export const STDOUT_TARGET = '-';

/** Options of {@link openOutputWriter}. */
export interface OutputWriterOptions {
  /** Output file, or '-' for stdout. */
  out: string;
  format: ResultFormat;
  /** Every input clip path: the output and its journal must not be any of them. */
  inputs: readonly string[];
  /**
   * Rows an earlier run finished (--resume; from {@link loadFinishedRows}). When given, the
   * journal is kept and appended to, and these rows are part of the final file.
   */
  finishedRows?: readonly ResultRow[];
  /** Stream used when `out` is '-'. Default process.stdout. */
  stdout?: NodeJS.WritableStream;
  /** Journal fsync interval in milliseconds (see JOURNAL_FSYNC_INTERVAL_MS). */
  fsyncIntervalMs?: number;
}

/** Receives rows as clips finish. */
export interface OutputWriter {
  /** Streams the row (stdout) or appends it to the journal (file). */
  write(row: ResultRow): Promise<void>;
  /** File: writes all rows sorted by clip atomically over the output, removes the journal. */
  finish(): Promise<void>;
  /** Stops without touching the output; the journal stays for --resume. */
  abandon(): Promise<void>;
}

/** One line of the given format. */
function formatRow(row: ResultRow, format: ResultFormat): string {
  return format === 'csv' ? formatCsvRow(row) : formatJsonlRow(row);
}

/** A whole results file: the CSV header when CSV, then the rows sorted by clip path. */
export function formatResultsFile(rows: readonly ResultRow[], format: ResultFormat): string {
  const header = format === 'csv' ? formatCsvHeader() : '';
  return header + sortRowsByClip(rows).map((row) => formatRow(row, format)).join('');
}

/** The path with links resolved as far as they exist (a new file in a real folder, etc.). */
async function resolveReal(file: string): Promise<string> {
  try {
    return await realpath(file);
  } catch {
    try {
      return path.join(await realpath(path.dirname(file)), path.basename(file));
    } catch {
      return path.resolve(file);
    }
  }
}

/** Both the lexical absolute path and the real path, for comparisons. */
async function identitiesOf(file: string): Promise<string[]> {
  return [path.resolve(file), await resolveReal(file)];
}

/**
 * Throws MreError 'OUTPUT' when any target (an output or its journal) is, after resolving
 * links, one of the input clips, so a run can never write over its own inputs.
 */
export async function assertNotOverwritingInputs(
  targets: readonly string[],
  inputs: readonly string[],
): Promise<void> {
  const owners = new Map<string, string>();
  const identities = await Promise.all(inputs.map(identitiesOf));
  inputs.forEach((clip, i) => {
    for (const id of identities[i] ?? []) owners.set(id, clip);
  });
  for (const target of targets) {
    const clip = (await identitiesOf(target)).map((id) => owners.get(id)).find(Boolean);
    if (clip === undefined) continue;
    throw new MreError('OUTPUT', `${target}: refusing to write over the input clip ${clip}`, {
      file: target,
    });
  }
}

/** Writes text to a stream, waiting when it asks for a pause. */
async function writeToStream(stream: NodeJS.WritableStream, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain');
}

/** Rows streamed to stdout as they come; the CSV header goes out first. */
async function openStdoutWriter(options: OutputWriterOptions): Promise<OutputWriter> {
  const stream = options.stdout ?? process.stdout;
  if (options.format === 'csv') await writeToStream(stream, formatCsvHeader());
  return {
    write: (row) => writeToStream(stream, formatRow(row, options.format)),
    finish: async () => undefined,
    abandon: async () => undefined,
  };
}

/** Rows appended to `<out>.journal`, then written sorted over `out` at the end. */
async function openFileWriter(options: OutputWriterOptions): Promise<OutputWriter> {
  const rows = new Map<string, ResultRow>();
  for (const row of options.finishedRows ?? []) rows.set(row.clip, row);
  const journal: Journal = await openJournal(journalPathFor(options.out), {
    keepExisting: options.finishedRows !== undefined,
    fsyncIntervalMs: options.fsyncIntervalMs,
  });
  return {
    write: async (row) => {
      rows.set(row.clip, row);
      await journal.append(formatJsonlRow(row));
    },
    finish: async () => {
      await journal.close();
      await writeFileAtomic(options.out, formatResultsFile([...rows.values()], options.format));
      await journal.remove();
    },
    abandon: () => journal.close(),
  };
}

/**
 * Opens the sink for the main output. '-' streams rows to stdout as they finish; a file gets
 * a journal beside it (`<out>.journal`, JSONL, one fsync'd append per row) and, at
 * {@link OutputWriter.finish}, the rows sorted by clip path written atomically over it.
 * Refuses (MreError 'OUTPUT') when the output or its journal is one of the input clips.
 */
export async function openOutputWriter(options: OutputWriterOptions): Promise<OutputWriter> {
  if (options.out === STDOUT_TARGET) return openStdoutWriter(options);
  await assertNotOverwritingInputs([options.out, journalPathFor(options.out)], options.inputs);
  return openFileWriter(options);
}

/** Reads a file as text, or undefined when it does not exist. */
async function readTextIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new MreError('OUTPUT', `${file}: cannot read the earlier output`, { file, cause: err });
  }
}

/** How a format is named in messages. */
const FORMAT_NAMES: Readonly<Record<ResultFormat, string>> = { csv: 'CSV', jsonl: 'JSONL' };

/**
 * The format a results file's first line shows: JSONL when it opens an object, CSV when it is a
 * header with a `clip` column; undefined for anything else (the parser then says what is wrong).
 */
function sniffFormat(text: string): ResultFormat | undefined {
  const first = text.trimStart().split('\n', 1)[0] ?? '';
  if (first.startsWith('{')) return 'jsonl';
  const columns = first.replace(/\r$/, '').split(',').map((cell) => cell.replace(/^"|"$/g, ''));
  return columns.includes('clip') ? 'csv' : undefined;
}

/**
 * Throws MreError 'OUTPUT' when the earlier output holds rows of the other format: resuming
 * would fail on its first line, and finishing would rewrite it in a format it was not in.
 */
function assertSameFormat(
  out: string, found: ResultFormat | undefined, format: ResultFormat,
): void {
  if (found === undefined || found === format) return;
  const message = `${out}: holds ${FORMAT_NAMES[found]} rows, but this run writes ` +
    `${FORMAT_NAMES[format]}; resume it with --format ${found}, or give another --out`;
  throw new MreError('OUTPUT', message, { file: out });
}

/**
 * For --resume: the rows already finished, from the existing output (if any) and its journal
 * (if any; a torn last line is ignored). A journal row replaces an output row of the same
 * clip. Sorted by clip path; [] for stdout. `format` defaults to what the file looks like;
 * when given, an output holding rows of the other format is refused (MreError 'OUTPUT').
 */
export async function loadFinishedRows(out: string, format?: ResultFormat): Promise<ResultRow[]> {
  if (out === STDOUT_TARGET) return [];
  const rows = new Map<string, ResultRow>();
  const text = await readTextIfExists(out);
  if (text !== undefined) {
    const found = sniffFormat(text);
    if (format !== undefined) assertSameFormat(out, found, format);
    const parsed = parseResultsFile(text, format ?? found ?? 'csv', { file: out });
    for (const row of parsed) rows.set(row.clip, row);
  }
  const journal = journalPathFor(out);
  const logged = parseResultsFile(await readJournalText(journal), 'jsonl', { file: journal });
  for (const row of logged) rows.set(row.clip, row);
  return sortRowsByClip([...rows.values()]);
}
