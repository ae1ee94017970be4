import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';

import { MreError } from '../../errors.js';

/** Suffixes tried after the bare stamp (-2 .. -MAX) before giving up. */
const MAX_RUN_SUFFIX = 999;

/** A run folder that was created for this run and is still empty. */
export interface RunFolder {
  /** Folder name, e.g. "2026-12-04T170102Z" or "2026-12-04T170102Z-2". */
  name: string;
  /** Path of the folder: results joined with name. */
  dir: string;
}

/** Formats a time as the UTC run stamp `YYYY-MM-DDTHHMMSSZ` (no colons, safe in file names). */
export function formatRunStamp(now: Date): string {
  if (Number.isNaN(now.getTime())) throw new MreError('INTERNAL', 'run time is not a valid date');
  const iso = now.toISOString();
  return `${iso.slice(0, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
}

/** Name of the n-th candidate folder for a stamp: the stamp itself, then `-2`, `-3`, ... */
export function nameRunCandidate(stamp: string, attempt: number): string {
  return attempt <= 1 ? stamp : `${stamp}-${attempt}`;
}

/**
 * Creates a new, empty run folder `<results>/<stamp>` for `now`, adding `-2`, `-3`, ... when the
 * name is taken. The folder is made with an exclusive mkdir, so an existing run (or a concurrent
 * one) is never reused or overwritten. The results folder is created if missing.
 */
export async function createRunFolder(results: string, now: Date): Promise<RunFolder> {
  const stamp = formatRunStamp(now);
  await makeResultsDir(results);
  for (let attempt = 1; attempt <= MAX_RUN_SUFFIX; attempt += 1) {
    const name = nameRunCandidate(stamp, attempt);
    const dir = join(results, name);
    if (await tryMakeDir(dir)) return { name, dir };
  }
  throw new MreError('OUTPUT', `no free run folder name for ${stamp} after ${MAX_RUN_SUFFIX} tries`,
    { file: results });
}

async function makeResultsDir(results: string): Promise<void> {
  try {
    await mkdir(results, { recursive: true });
  } catch (err) {
    throw new MreError('OUTPUT', `cannot create the results folder ${results}`,
      { file: results, cause: err });
  }
}

async function tryMakeDir(dir: string): Promise<boolean> {
  try {
    await mkdir(dir);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new MreError('OUTPUT', `cannot create the run folder ${dir}`, { file: dir, cause: err });
  }
}
