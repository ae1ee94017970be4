import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  applyAffine,
  composeAffines,
  createAffineFromSimilarity,
  createHorizontalFlip,
  createScreenRotation,
  invertAffine,
} from '../../../src/face/affine.js';
import type { Point } from '../../../src/face/types.js';

const EXACT = 1e-12;

function assertPointClose(actual: Point, expected: Point): void {
  assert.ok(
    Math.abs(actual[0] - expected[0]) <= EXACT && Math.abs(actual[1] - expected[1]) <= EXACT,
    `expected ${String(expected)}, got ${String(actual)}`,
  );
}

describe('createScreenRotation', () => {
  it('turns a point right of the centre to above it at +90° (counter-clockwise on screen)', () => {
    assertPointClose(applyAffine(createScreenRotation([5, 5], 90), [6, 5]), [5, 4]);
  });

  it('keeps the centre fixed', () => {
    assertPointClose(applyAffine(createScreenRotation([2, 3], 37), [2, 3]), [2, 3]);
  });
});

describe('createHorizontalFlip', () => {
  it('mirrors x about the axis and keeps y', () => {
    assertPointClose(applyAffine(createHorizontalFlip(0.5), [0.2, 0.7]), [0.8, 0.7]);
  });
});

describe('invertAffine', () => {
  it('undoes a rotation followed by a flip', () => {
    const m = composeAffines(createScreenRotation([1, 1], 30), createHorizontalFlip(2));
    const p: Point = [3.5, -1.25];
    assertPointClose(applyAffine(invertAffine(m), applyAffine(m, p)), p);
  });

  it('throws for a singular map', () => {
    const singular = { m00: 1, m01: 2, m02: 0, m10: 2, m11: 4, m12: 0 };
    assert.throws(() => invertAffine(singular), RangeError);
  });
});

describe('createAffineFromSimilarity', () => {
  it('maps points as the similarity transform does', () => {
    const m = createAffineFromSimilarity({ a: 0, b: 2, tx: 10, ty: -5 });
    assertPointClose(applyAffine(m, [1, 3]), [4, -3]);
  });
});
