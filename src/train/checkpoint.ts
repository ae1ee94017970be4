import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

import { MreError } from '../errors.js';
import { concatBytes } from '../model/concat-bytes.js';

/** File of the concatenated float32 weights. */
const WEIGHTS_FILE = 'weights.bin';

/** File of the concatenated float32 momentum velocities. */
const VELOCITY_FILE = 'velocity.bin';

/** File of the JSON state. */
const STATE_FILE = 'state.json';

/** Everything needed to continue training exactly where it stopped. */
export interface Checkpoint<State> {
  /** Weights in model.weights order. */
  weights: Float32Array[];
  /** Optimiser velocities in trainable-weight order (empty for a best-model snapshot). */
  velocities: Float32Array[];
  /** Iteration, PRNG state, history, best score, ... */
  state: State;
}

/** Splits bytes into float arrays of the given lengths. */
function splitFloats(bytes: Uint8Array, lengths: readonly number[], file: string): Float32Array[] {
  const expected = lengths.reduce((a, b) => a + b, 0) * 4;
  if (bytes.length !== expected) {
    const message = `${file}: expected ${expected} bytes, got ${bytes.length}`;
    throw new MreError('DATA', message, { file });
  }
  const all = new Float32Array(expected / 4);
  new Uint8Array(all.buffer).set(bytes);
  let offset = 0;
  return lengths.map((n) => {
    const part = all.subarray(offset, offset + n);
    offset += n;
    return part;
  });
}

/**
 * Writes a checkpoint folder atomically: the files go to a temporary sibling that then
 * replaces `dir`, so a crash leaves the previous checkpoint or the new one, never a mix.
 */
export async function writeCheckpoint<S>(dir: string, cp: Checkpoint<S>): Promise<void> {
  const temp = join(dirname(dir), `.${basename(dir)}.tmp-${process.pid}`);
  const old = join(dirname(dir), `.${basename(dir)}.old-${process.pid}`);
  try {
    await rm(temp, { recursive: true, force: true });
    await mkdir(temp, { recursive: true });
    const meta = { weightLengths: cp.weights.map((w) => w.length),
      velocityLengths: cp.velocities.map((v) => v.length), state: cp.state };
    await writeFile(join(temp, WEIGHTS_FILE), concatBytes(cp.weights));
    await writeFile(join(temp, VELOCITY_FILE), concatBytes(cp.velocities));
    await writeFile(join(temp, STATE_FILE), `${JSON.stringify(meta)}\n`);
    await rm(old, { recursive: true, force: true });
    await rename(dir, old).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
    await rename(temp, dir);
    await rm(old, { recursive: true, force: true });
  } catch (cause) {
    await rm(temp, { recursive: true, force: true });
    throw new MreError('OUTPUT', `${dir}: cannot write the checkpoint`, { file: dir, cause });
  }
}

/** Reads a checkpoint folder; null when it does not exist. */
export async function readCheckpoint<S>(dir: string): Promise<Checkpoint<S> | null> {
  const stateFile = join(dir, STATE_FILE);
  let text: string;
  try {
    text = await readFile(stateFile, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new MreError('DATA', `${stateFile}: cannot read the checkpoint`, { file: stateFile,
      cause: err });
  }
  const meta = JSON.parse(text) as { weightLengths: number[]; velocityLengths: number[];
    state: S };
  const weightsFile = join(dir, WEIGHTS_FILE);
  const velocityFile = join(dir, VELOCITY_FILE);
  return {
    weights: splitFloats(await readFile(weightsFile), meta.weightLengths, weightsFile),
    velocities: splitFloats(await readFile(velocityFile), meta.velocityLengths, velocityFile),
    state: meta.state,
  };
}
