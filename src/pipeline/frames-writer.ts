import { readFile } from 'node:fs/promises';

import { CLASSES } from '../classes.js';
import { MreError } from '../errors.js';
import type { Box } from '../face/types.js';
import { formatCsvLine, parseCsv } from './csv.js';
import { journalPathFor, openJournal, readJournalText } from './journal.js';
import { assertNotOverwritingInputs } from './output-writer.js';
import { compareClipPaths } from './rows.js';
import { writeFileAtomic } from './write-file-atomic.js';

/** Columns of the --frames CSV, in order. `time` is in seconds; x, y, w, h in pixels. */
export const FRAME_COLUMNS = [
  'clip', 'time', 'frame', 'x', 'y', 'w', 'h', 'faces', 'clarity', ...CLASSES, 'used',
] as const;

/** Decimal places for times, clarity and scores. */
export const FRAME_VALUE_DECIMALS = 6;

/** Decimal places for face box coordinates in pixels. */
export const BOX_DECIMALS = 2;

/** One examined frame (structurally the pipeline's FrameRecord). */
export interface FrameRow {
  clip: string;
  /** Presentation time in seconds. */
  timeSec: number;
  /** 0-based frame index in the clip. */
  index: number;
  /** The chosen face, or null when none was found. */
  face: { box: Box; faceCount: number } | null;
  /** Clarity 0..1 of the chosen face; null without a face. */
  clarity: number | null;
  /** Seven scores in class order when the frame was scored, else null. */
  scores: readonly number[] | null;
  /** Whether the frame's scores went into the clip's result. */
  used: boolean;
}

/** Options of {@link openFramesWriter}. */
export interface FramesWriterOptions {
  /** The --frames CSV file. */
  path: string;
  /** Every input clip path: the file and its journal must not be any of them. */
  inputs: readonly string[];
  /** Keep frames of clips finished by an earlier run (from the file and its journal). */
  resume?: boolean;
  /** Journal fsync interval in milliseconds (see JOURNAL_FSYNC_INTERVAL_MS). */
  fsyncIntervalMs?: number;
}

/** Collects frame rows clip by clip. */
export interface FramesWriter {
  /**
   * Records all examined frames of one clip (replacing any earlier ones of that clip). Call it
   * before the clip's result row is written, so a resumed run never lacks a clip's frames.
   */
  writeClip(clip: string, frames: readonly FrameRow[]): Promise<void>;
  /** Writes every clip's frames, clips sorted by path, atomically; removes the journal. */
  finish(): Promise<void>;
  /** Stops without touching the file; the journal stays for --resume. */
  abandon(): Promise<void>;
}

/** A number rounded to `decimals` places as text; empty for null or non-finite. */
function formatNumber(value: number | null | undefined, decimals: number): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '';
  const scale = 10 ** decimals;
  const rounded = Math.round(value * scale) / scale;
  return String(rounded === 0 ? 0 : rounded);
}

/** The CSV fields of one frame, in {@link FRAME_COLUMNS} order. */
export function formatFrameFields(frame: FrameRow): string[] {
  const box = frame.face?.box;
  const boxFields = [box?.x, box?.y, box?.width, box?.height];
  return [
    frame.clip,
    formatNumber(frame.timeSec, FRAME_VALUE_DECIMALS),
    String(frame.index),
    ...boxFields.map((v) => formatNumber(v, BOX_DECIMALS)),
    String(frame.face?.faceCount ?? 0),
    formatNumber(frame.clarity, FRAME_VALUE_DECIMALS),
    ...CLASSES.map((_, i) => formatNumber(frame.scores?.[i], FRAME_VALUE_DECIMALS)),
    String(frame.used),
  ];
}

/** The whole CSV: header, then each clip's frames in the order given, clips sorted by path. */
export function formatFramesFile(byClip: ReadonlyMap<string, readonly string[][]>): string {
  const clips = [...byClip.keys()].sort(compareClipPaths);
  const lines = clips.flatMap((clip) => (byClip.get(clip) ?? []).map(formatCsvLine));
  return formatCsvLine(FRAME_COLUMNS) + lines.join('');
}

/** Groups the records of an earlier --frames file by clip. */
function readFramesCsv(text: string, file: string, into: Map<string, string[][]>): void {
  const [header, ...records] = parseCsv(text, file);
  if (header === undefined) return;
  if (header.fields.join(',') !== FRAME_COLUMNS.join(',')) {
    throw new MreError('DATA', `${file} line ${header.line}: not a --frames file (header)`, {
      file,
    });
  }
  for (const { fields } of records) {
    const clip = fields[0] ?? '';
    const rows = into.get(clip) ?? [];
    rows.push(fields);
    into.set(clip, rows);
  }
}

/** One journal entry: a clip and the CSV fields of its frames. */
interface FramesEntry {
  clip: string;
  rows: string[][];
}

/** Reads journal entries (complete lines only) into the map, later entries winning. */
function readFramesJournal(text: string, file: string, into: Map<string, string[][]>): void {
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    const entry = JSON.parse(line) as Partial<FramesEntry>;
    if (typeof entry.clip !== 'string' || !Array.isArray(entry.rows)) {
      throw new MreError('DATA', `${file} line ${i + 1}: not a frames journal entry`, { file });
    }
    into.set(entry.clip, entry.rows);
  });
}

/** The frames an earlier run left in the file and its journal. */
async function loadEarlierFrames(file: string): Promise<Map<string, string[][]>> {
  const byClip = new Map<string, string[][]>();
  const text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return '';
    const message = `${file}: cannot read the earlier frames file`;
    throw new MreError('OUTPUT', message, { file, cause: err });
  });
  readFramesCsv(text, file, byClip);
  const journal = journalPathFor(file);
  try {
    readFramesJournal(await readJournalText(journal), journal, byClip);
  } catch (err) {
    if (err instanceof MreError) throw err;
    throw new MreError('DATA', `${journal}: malformed journal line`, { file: journal, cause: err });
  }
  return byClip;
}

/**
 * Opens the --frames CSV writer: each clip's frames are appended to `<file>.journal` as one
 * JSONL line, and {@link FramesWriter.finish} writes the sorted CSV atomically. Refuses
 * (MreError 'OUTPUT') when the file or its journal is one of the input clips.
 */
export async function openFramesWriter(options: FramesWriterOptions): Promise<FramesWriter> {
  const journalPath = journalPathFor(options.path);
  await assertNotOverwritingInputs([options.path, journalPath], options.inputs);
  const byClip = options.resume ? await loadEarlierFrames(options.path) : new Map();
  const journal = await openJournal(journalPath, {
    keepExisting: options.resume === true,
    fsyncIntervalMs: options.fsyncIntervalMs,
  });
  return {
    writeClip: async (clip, frames) => {
      const rows = frames.map((frame) => formatFrameFields({ ...frame, clip }));
      byClip.set(clip, rows);
      await journal.append(`${JSON.stringify({ clip, rows } satisfies FramesEntry)}\n`);
    },
    finish: async () => {
      await journal.close();
      await writeFileAtomic(options.path, formatFramesFile(byClip));
      await journal.remove();
    },
    abandon: () => journal.close(),
  };
}
