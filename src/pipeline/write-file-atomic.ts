import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import path from 'node:path';

import { MreError } from '../errors.js';

/** Random bytes in a temp file name, so parallel writers never collide. */
const TEMP_NAME_RANDOM_BYTES = 6;

/**
 * A hidden temp file name beside `file` (same folder, so rename is atomic; hidden, so folder
 * walks skip it).
 */
export function tempPathBeside(file: string): string {
  const suffix = `${process.pid}.${randomBytes(TEMP_NAME_RANDOM_BYTES).toString('hex')}.tmp`;
  return path.join(path.dirname(file), `.${path.basename(file)}.${suffix}`);
}

/** Writes and fsyncs the temp file; the handle is closed on every path. */
async function writeAndSync(temp: string, data: string | Uint8Array): Promise<void> {
  const handle = await open(temp, 'wx');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Fsyncs a folder so a rename in it survives a power cut; best effort (not all systems can). */
async function syncFolder(folder: string): Promise<void> {
  try {
    const handle = await open(folder, 'r');
    await handle.sync().finally(() => handle.close());
  } catch {
    return;
  }
}

/**
 * Replaces `file` with `data` atomically: the data goes to a temp file in the same folder,
 * is fsync'd, then renamed over `file`. A crash leaves either the old file or the new one,
 * never a half-written one. Throws MreError 'OUTPUT' naming the file on failure.
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const temp = tempPathBeside(file);
  try {
    await writeAndSync(temp, data);
    await rename(temp, file);
    await syncFolder(path.dirname(file));
  } catch (cause) {
    await rm(temp, { force: true });
    throw new MreError('OUTPUT', `${file}: cannot write the file`, { file, cause });
  }
}
