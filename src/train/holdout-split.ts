import { createHash } from 'node:crypto';

import type { FaceSet } from './cached-face.js';

/** Share of training faces held out for validation when no --val is given. */
export const HOLDOUT_FRACTION = 0.1;

/** Hash buckets used to place a face; bucket < fraction * buckets goes to validation. */
const HOLDOUT_BUCKETS = 1000;

/** Whether a source is held out: by a hash of its path, so the split never changes. */
function isHeldOut(source: string): boolean {
  const digest = createHash('sha256').update(source).digest();
  return digest.readUInt32BE(0) % HOLDOUT_BUCKETS < HOLDOUT_FRACTION * HOLDOUT_BUCKETS;
}

/** Splits a set into training and held-out validation faces (deterministic by source path). */
export function splitHoldout(set: FaceSet): { train: FaceSet; val: FaceSet } {
  const train: FaceSet = { faces: [], sources: [] };
  const val: FaceSet = { faces: [], sources: [] };
  set.faces.forEach((face, i) => {
    const source = set.sources[i] as string;
    const target = isHeldOut(source) ? val : train;
    target.faces.push(face);
    target.sources.push(source);
  });
  return { train, val };
}

/** Concatenates face sets in order. */
export function joinFaceSets(sets: readonly FaceSet[]): FaceSet {
  return { faces: sets.flatMap((s) => s.faces), sources: sets.flatMap((s) => s.sources) };
}
