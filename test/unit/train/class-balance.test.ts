import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  classDrawProbabilities, countLabels, createClassSampler, formatClassShares,
} from '../../../src/train/class-balance.js';

/** Tolerance on a class share of 64 000 draws (~6 standard errors at p = 0.5). */
const SHARE_TOLERANCE = 0.012;

/** Class shares of `steps` batches of 64 drawn from a sampler. */
function drawnShares(labels: number[], numClasses: number, alpha: number, steps: number):
  number[] {
  const sampler = createClassSampler(labels, numClasses, alpha);
  const hits = Array.from({ length: numClasses }, () => 0);
  for (let step = 0; step < steps; step++) {
    for (const i of sampler.batch(3, step, 64)) hits[labels[i] as number]! += 1;
  }
  return hits.map((h) => h / (steps * 64));
}

describe('class-balanced sampling', () => {
  it('gives each class n^(1 - alpha) of the mass: data shares, square roots, equal', () => {
    assert.deepEqual(classDrawProbabilities([9, 1, 0], 0), [0.9, 0.1, 0]);
    assert.deepEqual(classDrawProbabilities([9, 1, 0], 0.5), [0.75, 0.25, 0]);
    assert.deepEqual(classDrawProbabilities([9, 1, 0], 1), [0.5, 0.5, 0]);
  });

  it('draws a 90/10 data set half and half at alpha 1 and never an absent class', () => {
    const labels = [...Array.from({ length: 90 }, () => 0), ...Array.from({ length: 10 }, () => 2)];
    const shares = drawnShares(labels, 3, 1, 1000);
    assert.ok(Math.abs(shares[0]! - 0.5) < SHARE_TOLERANCE, `angry share ${shares[0]}`);
    assert.equal(shares[1], 0);
    assert.ok(Math.abs(shares[2]! - 0.5) < SHARE_TOLERANCE, `fear share ${shares[2]}`);
  });

  it('keeps the data shares at alpha 0.5 as square roots (0.75 / 0.25 for 9:1)', () => {
    const labels = [...Array.from({ length: 90 }, () => 1), ...Array.from({ length: 10 }, () => 0)];
    const shares = drawnShares(labels, 2, 0.5, 1000);
    assert.ok(Math.abs(shares[1]! - 0.75) < SHARE_TOLERANCE, `disgust share ${shares[1]}`);
  });

  it('reaches every face of a class and repeats a step exactly for the same seed', () => {
    const labels = [0, 0, 0, 1, 1, 1, 1, 1, 1, 1];
    const sampler = createClassSampler(labels, 2, 1);
    const seen = new Set<number>();
    for (let step = 0; step < 50; step++) sampler.batch(9, step, 8).forEach((i) => seen.add(i));
    assert.equal(seen.size, labels.length);
    assert.deepEqual(sampler.batch(9, 17, 8), sampler.batch(9, 17, 8));
    assert.notDeepEqual(sampler.batch(9, 17, 8), sampler.batch(9, 18, 8));
  });

  it('counts faces per class, ignoring labels outside the classes', () => {
    assert.deepEqual(countLabels([2, 0, 2, 2, 9, -1], 3), [1, 0, 3]);
  });

  it('refuses a set with no faces and names classes in the log line', () => {
    assert.throws(() => createClassSampler([], 7, 1), /no labelled faces/);
    assert.equal(formatClassShares([0.5, 0.25, 0.25]), 'angry 0.500, disgust 0.250, fear 0.250');
  });
});
