import { stat } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';

import { MreError } from '../../errors.js';
import { parseResultsFile, type ResultRow } from '../../pipeline/rows.js';
import { REPORT_FILES } from './constants.js';
import type { HistoryEntry } from './history.js';
import { readTextIfExists } from './read-text-if-exists.js';

/** An earlier run to compare with: its folder and its rows. */
export interface PreviousRun {
  dir: string;
  rows: ResultRow[];
}

/**
 * Finds the run folder named by `--compare`: a path to a run folder, or a run name inside the
 * results folder. Throws MreError 'USAGE' when neither holds a results.csv.
 */
export async function resolveCompareDir(compare: string, results: string): Promise<string> {
  // an absolute path names one folder; a relative one may also be a run name under results
  const candidates = isAbsolute(compare) ? [compare] : [compare, join(results, compare)];
  for (const dir of candidates) {
    if (await isFile(join(dir, REPORT_FILES.results))) return dir;
  }
  const where = candidates.length === 1 ? 'there' : `there or in ${candidates[1]}`;
  throw new MreError('USAGE', `--compare ${compare}: no ${REPORT_FILES.results} ${where}`,
    { file: compare });
}

/** The newest run in history whose folder still has a results.csv; null when there is none. */
export async function findPreviousRunDir(
  results: string,
  history: readonly HistoryEntry[],
): Promise<string | null> {
  for (const entry of [...history].reverse()) {
    const dir = join(results, entry.run);
    if (entry.run !== '' && (await isFile(join(dir, REPORT_FILES.results)))) return dir;
  }
  return null;
}

/** Reads the rows of a run folder's results.csv. Throws MreError 'DATA' when it is malformed. */
export async function readRunRows(dir: string): Promise<PreviousRun> {
  const file = join(dir, REPORT_FILES.results);
  const text = await readTextIfExists(file);
  if (text === undefined) throw new MreError('DATA', `${file}: file not found`, { file });
  return { dir, rows: parseResultsFile(text, 'csv', { file }) };
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}
