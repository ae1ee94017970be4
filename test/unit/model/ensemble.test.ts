import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MreError } from '../../../src/errors.js';
import { combineScores, normaliseWeights } from '../../../src/model/ensemble.js';
import { PAPER_ENSEMBLE_WEIGHTS } from '../../../src/model/model-config.js';

// scores that are multiples of 1/8 and weights of 1/2, 1/4, 1/4 give exact float32 results
const EYE = Float32Array.from([1, 0, 0, 0, 0, 0, 0, 0.5, 0.5, 0, 0, 0, 0, 0]);
const NOSE = Float32Array.from([0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0.25, 0.75]);
const MOUTH = Float32Array.from([0, 0, 1, 0, 0, 0, 0, 0.125, 0.125, 0.25, 0.5, 0, 0, 0]);

describe('combineScores', () => {
  it('returns the weighted sum of the three regions per class and face', () => {
    const combined = combineScores(
      { eye: EYE, nose: NOSE, mouth: MOUTH },
      { eye: 0.5, nose: 0.25, mouth: 0.25 },
    );
    const expected = [
      0.5, 0.25, 0.25, 0, 0, 0, 0,
      0.28125, 0.28125, 0.0625, 0.125, 0, 0.0625, 0.1875,
    ];
    assert.deepEqual([...combined], expected);
  });

  it('normalises weights to sum 1, so 2:1:1 equals 1/2, 1/4, 1/4', () => {
    const scores = { eye: EYE, nose: NOSE, mouth: MOUTH };
    const raw = combineScores(scores, { eye: 2, nose: 1, mouth: 1 });
    const unit = combineScores(scores, { eye: 0.5, nose: 0.25, mouth: 0.25 });
    assert.deepEqual([...raw], [...unit]);
  });

  it('gives one region all the weight when the others weigh 0', () => {
    const scores = { eye: EYE, nose: NOSE, mouth: MOUTH };
    const combined = combineScores(scores, { eye: 0, nose: 3, mouth: 0 });
    assert.deepEqual([...combined], [...NOSE]);
  });

  it('keeps rows summing to 1 with the paper weights', () => {
    const combined = combineScores(
      { eye: EYE, nose: NOSE, mouth: MOUTH },
      PAPER_ENSEMBLE_WEIGHTS.vgg16,
    );
    const firstRow = combined.slice(0, 7).reduce((s, v) => s + v, 0);
    assert.ok(Math.abs(firstRow - 1) < 1e-6);
    assert.equal(combined[0], Math.fround(4 / 7));
  });

  it('refuses score arrays of different lengths', () => {
    const short = EYE.slice(0, 7);
    assert.throws(
      () => combineScores({ eye: EYE, nose: short, mouth: MOUTH }, PAPER_ENSEMBLE_WEIGHTS.alexnet),
      (err: unknown) => err instanceof MreError && err.code === 'INPUT' && /nose/.test(err.message),
    );
  });

  it('refuses negative or all-zero weights', () => {
    const scores = { eye: EYE, nose: NOSE, mouth: MOUTH };
    assert.throws(() => combineScores(scores, { eye: -1, nose: 1, mouth: 1 }), MreError);
    assert.throws(() => combineScores(scores, { eye: 0, nose: 0, mouth: 0 }), MreError);
  });
});

describe('normaliseWeights', () => {
  it('turns the paper alexnet weights 2, 1, 2 into 0.4, 0.2, 0.4', () => {
    assert.deepEqual(normaliseWeights({ eye: 2, nose: 1, mouth: 2 }), {
      eye: 0.4,
      nose: 0.2,
      mouth: 0.4,
    });
  });
});
