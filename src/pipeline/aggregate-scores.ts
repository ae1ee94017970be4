import { CLASSES, NUM_CLASSES, type EmotionClass } from '../classes.js';

/** A clip's label from the mean of its frames' scores. */
export interface ClipVerdict {
  label: EmotionClass;
  /** The mean score of the winning class, 0..1. */
  confidence: number;
  /** Mean score per class, in class order. */
  scores: number[];
}

/**
 * Averages per-frame class scores (each of length 7) into one verdict; null when there are no
 * frames. Ties go to the class listed first.
 */
export function aggregateFrameScores(frames: readonly ArrayLike<number>[]): ClipVerdict | null {
  if (frames.length === 0) return null;
  const sums = new Array<number>(NUM_CLASSES).fill(0);
  for (const scores of frames) {
    if (scores.length !== NUM_CLASSES) {
      throw new Error(`expected ${NUM_CLASSES} scores per frame, got ${scores.length}`);
    }
    for (let c = 0; c < NUM_CLASSES; c++) sums[c]! += scores[c]!;
  }
  const mean = sums.map((s) => s / frames.length);
  const best = argMax(mean);
  return { label: CLASSES[best]!, confidence: mean[best]!, scores: mean };
}

/** Index of the largest value; the first one on ties. */
export function argMax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}
