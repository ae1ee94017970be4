import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  applySimilarityTransform,
  composeSimilarityTransforms,
  estimateSimilarityTransform,
  getTransformRotationDeg,
  getTransformScale,
  invertSimilarityTransform,
  transformPoints,
  type SimilarityTransform,
} from '../../../src/face/similarity-transform.js';
import type { Point } from '../../../src/face/types.js';
import { MreError } from '../../../src/errors.js';

/** Exactness for recovered transforms of noise-free points. */
const EXACT = 1e-9;

/** Five hand-made points, not collinear, not symmetric. */
const SOURCE: Point[] = [[0, 0], [4, 1], [2, 5], [-3, 2], [1, -2]];

/** Rotation by 90° (x, y) -> (-y, x), scale 2, translation (10, -5). */
const ROT90_SCALE2: SimilarityTransform = { a: 0, b: 2, tx: 10, ty: -5 };

function assertClose(actual: number, expected: number, tol = EXACT): void {
  assert.ok(Math.abs(actual - expected) <= tol, `expected ${expected}, got ${actual}`);
}

function assertSameTransform(actual: SimilarityTransform, expected: SimilarityTransform): void {
  assertClose(actual.a, expected.a);
  assertClose(actual.b, expected.b);
  assertClose(actual.tx, expected.tx);
  assertClose(actual.ty, expected.ty);
}

describe('estimateSimilarityTransform', () => {
  it('recovers a 90° rotation, scale 2 and a translation exactly', () => {
    const target = SOURCE.map(([x, y]) => [-2 * y + 10, 2 * x - 5] as const);
    const t = estimateSimilarityTransform(SOURCE, target);
    assertSameTransform(t, ROT90_SCALE2);
    assertClose(getTransformScale(t), 2);
    assertClose(getTransformRotationDeg(t), 90);
  });

  it('maps every source point onto its target when the fit is exact', () => {
    const target = transformPoints(ROT90_SCALE2, SOURCE);
    const fitted = transformPoints(estimateSimilarityTransform(SOURCE, target), SOURCE);
    fitted.forEach((p, i) => {
      assertClose(p[0], (target[i] as Point)[0]);
      assertClose(p[1], (target[i] as Point)[1]);
    });
  });

  it('returns the identity for identical point sets', () => {
    assertSameTransform(estimateSimilarityTransform(SOURCE, SOURCE), { a: 1, b: 0, tx: 0, ty: 0 });
  });

  it('does not reflect: a mirrored target gives the least-squares rotation, not a flip', () => {
    const mirrored = SOURCE.map(([x, y]) => [-x, y] as const);
    const t = estimateSimilarityTransform(SOURCE, mirrored);
    const fitted = transformPoints(t, SOURCE);
    const residual = fitted.reduce((sum, [x, y], i) => {
      const [mx, my] = mirrored[i] as Point;
      return sum + Math.hypot(x - mx, y - my);
    }, 0);
    assert.ok(residual > 1, `a reflection cannot be matched exactly, residual ${residual}`);
    assert.ok(getTransformScale(t) < 1, 'the best rotation of a mirrored set shrinks it');
  });

  it('gives the least-squares answer for two points: the segment onto the segment', () => {
    const t = estimateSimilarityTransform([[0, 0], [1, 0]], [[1, 1], [1, 3]]);
    assertSameTransform(t, { a: 0, b: 2, tx: 1, ty: 1 });
  });

  it('rejects lists of different lengths and coincident source points', () => {
    assert.throws(() => estimateSimilarityTransform(SOURCE, SOURCE.slice(1)), MreError);
    assert.throws(() => estimateSimilarityTransform([[1, 1], [1, 1]], [[0, 0], [1, 1]]), MreError);
  });
});

describe('invertSimilarityTransform', () => {
  it('undoes the transform point by point', () => {
    const inverse = invertSimilarityTransform(ROT90_SCALE2);
    for (const p of SOURCE) {
      const back = applySimilarityTransform(inverse, applySimilarityTransform(ROT90_SCALE2, p));
      assertClose(back[0], p[0]);
      assertClose(back[1], p[1]);
    }
  });

  it('composes with the transform to the identity', () => {
    const id = composeSimilarityTransforms(ROT90_SCALE2, invertSimilarityTransform(ROT90_SCALE2));
    assertSameTransform(id, { a: 1, b: 0, tx: 0, ty: 0 });
  });

  it('refuses a zero-scale transform', () => {
    assert.throws(() => invertSimilarityTransform({ a: 0, b: 0, tx: 1, ty: 1 }), MreError);
  });
});

describe('composeSimilarityTransforms', () => {
  it('applies the first transform, then the second', () => {
    const first: SimilarityTransform = { a: 1, b: 0, tx: 3, ty: 0 };
    const second: SimilarityTransform = { a: 0, b: 1, tx: 0, ty: 0 };
    const both = composeSimilarityTransforms(first, second);
    const [x, y] = applySimilarityTransform(both, [1, 0]);
    assertClose(x, 0);
    assertClose(y, 4);
  });
});
