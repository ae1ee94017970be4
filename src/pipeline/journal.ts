import { open, readFile, rm, type FileHandle } from 'node:fs/promises';

import { MreError } from '../errors.js';

/**
 * Most time, in milliseconds, between fsyncs of a journal while rows keep coming. Every line
 * reaches the operating system at once; the fsync bounds what a power cut can lose.
 */
export const JOURNAL_FSYNC_INTERVAL_MS = 1000;

/** Suffix of the journal kept beside an output file. */
export const JOURNAL_SUFFIX = '.journal';

/** An append-only file of one JSON value a line, kept while an output is being produced. */
export interface Journal {
  /** The journal file. */
  readonly path: string;
  /** Appends one line of JSON ending in '\n'; lines are written in call order, one write each. */
  append(line: string): Promise<void>;
  /** Waits for pending appends, fsyncs and closes the file. The file stays. */
  close(): Promise<void>;
  /** Closes the file and deletes it (after the output it protects was written). */
  remove(): Promise<void>;
}

/** Options of {@link openJournal}. */
export interface JournalOptions {
  /**
   * Keep the lines already in the file (for --resume); a torn last line is cut off first.
   * Default false: the file is emptied.
   */
  keepExisting?: boolean;
  /** Fsync interval in milliseconds. Default {@link JOURNAL_FSYNC_INTERVAL_MS}. */
  fsyncIntervalMs?: number;
}

/** The journal path for an output file: `<out>.journal`. */
export function journalPathFor(out: string): string {
  return `${out}${JOURNAL_SUFFIX}`;
}

/** The wrapped error for any journal I/O failure. */
function journalError(file: string, action: string, cause: unknown): MreError {
  return new MreError('OUTPUT', `${file}: cannot ${action} the journal`, { file, cause });
}

/** Bytes up to and including the last line break (a torn last line is dropped). */
function completeLines(data: Buffer): Buffer {
  return data.subarray(0, data.lastIndexOf(0x0a) + 1);
}

/** Reads a file, or returns undefined when it does not exist. */
async function readIfExists(file: string): Promise<Buffer | undefined> {
  try {
    return await readFile(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw journalError(file, 'read', err);
  }
}

/**
 * The complete lines of a journal as text ('' when there is no journal). A last line without
 * a line break is the trace of a crash in the middle of a write and is left out.
 */
export async function readJournalText(file: string): Promise<string> {
  const data = await readIfExists(file);
  return data === undefined ? '' : completeLines(data).toString('utf8');
}

/** Opens the file for appending, cutting a torn last line when existing lines are kept. */
async function openForAppend(file: string, keepExisting: boolean): Promise<FileHandle> {
  if (!keepExisting) return open(file, 'w');
  const handle = await open(file, 'a+');
  try {
    const data = await handle.readFile();
    await handle.truncate(completeLines(data).length);
    return handle;
  } catch (err) {
    await handle.close();
    throw err;
  }
}

/** Opens (creating or emptying, or keeping with `keepExisting`) a journal for appends. */
export async function openJournal(file: string, options: JournalOptions = {}): Promise<Journal> {
  let handle: FileHandle;
  try {
    handle = await openForAppend(file, options.keepExisting === true);
  } catch (err) {
    throw journalError(file, 'open', err);
  }
  return createJournal(file, handle, options.fsyncIntervalMs ?? JOURNAL_FSYNC_INTERVAL_MS);
}

/** Returns the line when it is exactly one line ending in '\n'; a programming error otherwise. */
function checkLine(file: string, line: string): string {
  if (line.endsWith('\n') && line.indexOf('\n') === line.length - 1) return line;
  const message = `${file}: a journal entry must be one line ending in a line break`;
  throw new MreError('INTERNAL', message);
}

/** Queues a task behind all earlier ones; `action` names it in a wrapped error. */
type Enqueue = (task: () => Promise<void>, action: string) => Promise<void>;

/** Runs tasks one after another; a failed task fails only its own caller. */
function createSerialQueue(file: string): Enqueue {
  let queue: Promise<void> = Promise.resolve();
  return (task, action) => {
    const next = queue.then(task).catch((err: unknown) => {
      throw err instanceof MreError ? err : journalError(file, action, err);
    });
    queue = next.catch(() => undefined);
    return next;
  };
}

/** The journal object around an open handle; appends are queued so lines never interleave. */
function createJournal(file: string, handle: FileHandle, fsyncIntervalMs: number): Journal {
  const enqueue = createSerialQueue(file);
  let lastSync = Date.now();
  let closed = false;

  const writeLine = async (line: string): Promise<void> => {
    if (closed) throw new MreError('INTERNAL', `${file}: append after the journal was closed`);
    await handle.write(line);
    if (Date.now() - lastSync < fsyncIntervalMs) return;
    await handle.sync();
    lastSync = Date.now();
  };
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await handle.sync().finally(() => handle.close());
  };

  return {
    path: file,
    append: (line) => enqueue(() => writeLine(checkLine(file, line)), 'append to'),
    close: () => enqueue(close, 'close'),
    remove: async () => {
      await enqueue(close, 'close');
      await rm(file, { force: true }).catch((err: unknown) => {
        throw journalError(file, 'remove', err);
      });
    },
  };
}
