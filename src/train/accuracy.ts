import { NUM_CLASSES } from '../classes.js';

/** Accuracy figures of a set of predictions. */
export interface AccuracyReport {
  /** Share of samples whose highest score is their label, 0..1. */
  accuracy: number;
  /** Mean over the classes present of each class's recall, 0..1 (robust to imbalance). */
  meanPerClass: number;
  /** Recall of each class, NaN for a class without samples. */
  perClass: number[];
}

/** Index of the largest of `n` scores starting at `offset`. */
export function argMaxAt(scores: ArrayLike<number>, offset: number, n = NUM_CLASSES): number {
  let best = 0;
  for (let c = 1; c < n; c++) {
    if ((scores[offset + c] as number) > (scores[offset + best] as number)) best = c;
  }
  return best;
}

/** Accuracy and mean per-class accuracy of row-major scores [labels.length, NUM_CLASSES]. */
export function measureAccuracy(scores: ArrayLike<number>, labels: readonly number[]):
  AccuracyReport {
  const hits = new Array<number>(NUM_CLASSES).fill(0);
  const totals = new Array<number>(NUM_CLASSES).fill(0);
  labels.forEach((label, i) => {
    totals[label] = (totals[label] as number) + 1;
    if (argMaxAt(scores, i * NUM_CLASSES) === label) hits[label] = (hits[label] as number) + 1;
  });
  const perClass = totals.map((t, c) => (t === 0 ? Number.NaN : (hits[c] as number) / t));
  const present = perClass.filter((r) => !Number.isNaN(r));
  const correct = hits.reduce((a, b) => a + b, 0);
  return {
    accuracy: labels.length === 0 ? 0 : correct / labels.length,
    meanPerClass: present.length === 0 ? 0 : present.reduce((a, b) => a + b, 0) / present.length,
    perClass,
  };
}
