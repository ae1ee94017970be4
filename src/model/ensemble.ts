import { NUM_CLASSES } from '../classes.js';
import { MreError } from '../errors.js';
import type { RegionName } from './model-config.js';
import { REGIONS } from './model-config.js';

/**
 * Weighted sum of the three sub-networks' softmax scores (the MRE-CNN ensemble, Fan et al.
 * 2018). `scores[region]` holds rows of 7 per face, flat (n * 7); the result has the same
 * layout. Weights are normalised to sum 1 first, so { eye: 2, nose: 1, mouth: 2 } equals the
 * paper's 2/5, 1/5, 2/5. Throws MreError('INPUT') on mismatched lengths or bad weights.
 */
export function combineScores(
  scores: Record<RegionName, Float32Array>,
  weights: Record<RegionName, number>,
): Float32Array {
  const normalised = normaliseWeights(weights);
  const length = checkScoreLengths(scores);
  const combined = new Float32Array(length);
  for (let i = 0; i < length; i += 1) {
    let sum = 0;
    for (const region of REGIONS) {
      sum += normalised[region] * (scores[region][i] ?? 0);
    }
    combined[i] = sum;
  }
  return combined;
}

/** Weights scaled to sum 1; throws on a negative, non-finite or all-zero set. */
export function normaliseWeights(weights: Record<RegionName, number>): Record<RegionName, number> {
  const values = REGIONS.map((region) => weights[region]);
  if (values.some((w) => !Number.isFinite(w) || w < 0)) {
    const given = REGIONS.map((r) => `${r}=${weights[r]}`).join(', ');
    throw new MreError('INPUT', `ensemble weights must be finite and >= 0, got ${given}`);
  }
  const total = values.reduce((sum, w) => sum + w, 0);
  if (total <= 0) {
    throw new MreError('INPUT', 'ensemble weights must not all be 0');
  }
  const [eye, nose, mouth] = values.map((w) => w / total);
  return { eye: eye ?? 0, nose: nose ?? 0, mouth: mouth ?? 0 };
}

function checkScoreLengths(scores: Record<RegionName, Float32Array>): number {
  const length = scores.eye.length;
  for (const region of REGIONS) {
    const got = scores[region].length;
    if (got !== length || got % NUM_CLASSES !== 0) {
      const expected = `expected ${length} values (a multiple of ${NUM_CLASSES})`;
      throw new MreError('INPUT', `ensemble: ${region} scores: ${expected}, got ${got}`);
    }
  }
  return length;
}
