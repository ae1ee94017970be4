import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { createPrng, mixSeed, nextGaussian, shuffle } from '../../../src/train/prng.js';

/** Tolerance on the sample mean and variance of 20 000 normal draws (~5 standard errors). */
const MOMENT_TOLERANCE = 0.05;

describe('prng', () => {
  it('repeats the same sequence for the same seed and differs for another', () => {
    const a = createPrng(42);
    const b = createPrng(42);
    const c = createPrng(43);
    const first = Array.from({ length: 5 }, () => a.next());
    assert.deepEqual(Array.from({ length: 5 }, () => b.next()), first);
    assert.notDeepEqual(Array.from({ length: 5 }, () => c.next()), first);
  });

  it('continues the sequence from a saved state', () => {
    const a = createPrng(7);
    a.next();
    const resumed = createPrng(a.state());
    assert.equal(resumed.next(), a.next());
  });

  it('draws uniforms in [0, 1) and standard normals with mean 0 and variance 1', () => {
    const rng = createPrng(1);
    let sum = 0;
    let squares = 0;
    const n = 20000;
    for (let i = 0; i < n; i++) {
      const u = rng.next();
      assert.ok(u >= 0 && u < 1);
      const g = nextGaussian(rng);
      sum += g;
      squares += g * g;
    }
    assert.ok(Math.abs(sum / n) < MOMENT_TOLERANCE);
    assert.ok(Math.abs(squares / n - 1) < MOMENT_TOLERANCE);
  });

  it('mixes keys into distinct seeds in an order-sensitive way', () => {
    assert.notEqual(mixSeed(1, 2), mixSeed(2, 1));
    assert.equal(mixSeed(1, 2, 3), mixSeed(1, 2, 3));
  });

  it('shuffles into a permutation without changing the input', () => {
    const items = [0, 1, 2, 3, 4, 5, 6, 7];
    const out = shuffle(items, createPrng(3));
    assert.deepEqual([...out].sort(), items);
    assert.deepEqual(items, [0, 1, 2, 3, 4, 5, 6, 7]);
  });
});
