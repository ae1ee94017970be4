import { CLASSES } from '../classes.js';
import { MreError } from '../errors.js';
import { createPrng, mixSeed, nextInt } from './prng.js';

/**
 * Key mixed into the run seed for the class-balanced sampling stream, so it never coincides
 * with the augmentation stream of the same (region, iteration).
 */
const SAMPLING_STREAM_KEY = 0x5a4d;

/**
 * Probability of drawing each class when every face of class c weighs n_c^-alpha: class c then
 * carries n_c^(1 - alpha) of the mass. alpha 0 keeps the data's own class shares, 1 makes every
 * present class equally likely, 0.5 is in between (square-root shares). Absent classes get 0.
 */
export function classDrawProbabilities(counts: readonly number[], alpha: number): number[] {
  const mass = counts.map((n) => (n > 0 ? n ** (1 - alpha) : 0));
  const total = mass.reduce((a, b) => a + b, 0);
  return mass.map((m) => (total > 0 ? m / total : 0));
}

/** Faces per class: counts[c] is how many labels equal c (others are ignored). */
export function countLabels(labels: readonly number[], numClasses: number): number[] {
  const counts = Array.from({ length: numClasses }, () => 0);
  for (const label of labels) {
    if (label >= 0 && label < numClasses) counts[label] = (counts[label] as number) + 1;
  }
  return counts;
}

/** Draws training indices with class shares set by `alpha` (see classDrawProbabilities). */
export interface ClassSampler {
  /** Class shares of a draw, in class order. */
  readonly probabilities: readonly number[];
  /** The `batch` indices of step `iteration`: a pure function of (seed, iteration). */
  batch(seed: number, iteration: number, batch: number): number[];
}

/**
 * A sampler over faces with the given labels (class indices 0..numClasses-1). Each index of a
 * batch picks a class by its share, then a face of that class uniformly (with replacement).
 */
export function createClassSampler(
  labels: readonly number[], numClasses: number, alpha: number,
): ClassSampler {
  const byClass: number[][] = Array.from({ length: numClasses }, () => []);
  labels.forEach((label, i) => byClass[label]?.push(i));
  const probabilities = classDrawProbabilities(byClass.map((list) => list.length), alpha);
  // upper edges of the classes on [0, 1); an absent class has an empty interval, never hit
  const edges: number[] = [];
  probabilities.reduce((sum, p, c) => (edges[c] = sum + p), 0);
  const lastPresent = probabilities.map((p) => p > 0).lastIndexOf(true);
  if (lastPresent < 0) throw new MreError('DATA', 'class sampler: no labelled faces');
  return {
    probabilities,
    batch: (seed, iteration, batch) => {
      const rng = createPrng(mixSeed(seed, SAMPLING_STREAM_KEY, iteration));
      return Array.from({ length: batch }, () => {
        const u = rng.next();
        const hit = edges.findIndex((edge) => u < edge);
        // rounding may leave the last edge a hair under 1
        const members = byClass[hit < 0 ? lastPresent : hit] as number[];
        return members[nextInt(rng, members.length)] as number;
      });
    },
  };
}

/** "angry 0.143, disgust 0.143, …": class shares of a draw, for the log. */
export function formatClassShares(probabilities: readonly number[]): string {
  return probabilities.map((p, c) => `${CLASSES[c] ?? c} ${p.toFixed(3)}`).join(', ');
}
