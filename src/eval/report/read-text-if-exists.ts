import { readFile } from 'node:fs/promises';

import { MreError } from '../../errors.js';

/** Reads a UTF-8 file; undefined when it does not exist, an MreError for any other failure. */
export async function readTextIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new MreError('DATA', `cannot read ${file}`, { file, cause: err });
  }
}
