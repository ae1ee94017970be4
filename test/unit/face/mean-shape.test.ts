import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { estimateMeanShape, fitShapeToUnitSquare } from '../../../src/face/mean-shape.js';
import { ALIGNMENT_INDICES, FACE_TEMPLATE } from '../../../src/face/template.js';
import type { Point } from '../../../src/face/types.js';
import { placeTemplate } from './fixtures.js';

const EXACT = 1e-9;

describe('fitShapeToUnitSquare', () => {
  it('scales the longer side to 1 and centres the shorter one', () => {
    const fitted = fitShapeToUnitSquare([[10, 10], [30, 10], [30, 20], [10, 20]]);
    assert.deepEqual(fitted, [[0, 0.25], [1, 0.25], [1, 0.75], [0, 0.75]]);
  });
});

describe('estimateMeanShape', () => {
  it('returns the common shape of rotated, scaled and shifted copies', () => {
    const shapes = [
      placeTemplate(100, [20, 30]),
      placeTemplate(57, [-4, 300], 25),
      placeTemplate(230, [9, 9], -40),
    ];
    const mean = estimateMeanShape(shapes, ALIGNMENT_INDICES);
    const expected = fitShapeToUnitSquare(FACE_TEMPLATE);
    mean.forEach(([x, y], i) => {
      const [ex, ey] = expected[i] as Point;
      assert.ok(Math.abs(x - ex) < EXACT && Math.abs(y - ey) < EXACT, `point ${i}`);
    });
  });

  it('averages two shapes that differ only in one point', () => {
    const open = FACE_TEMPLATE.map((p, i) => (i === 57 ? [p[0], p[1] + 0.1] as const : p));
    const mean = estimateMeanShape([FACE_TEMPLATE, open], ALIGNMENT_INDICES);
    const closed = fitShapeToUnitSquare(FACE_TEMPLATE);
    const chinToLip = (mean[57] as Point)[1] - (closed[57] as Point)[1];
    assert.ok(chinToLip > 0.04 && chinToLip < 0.06, `lip moved by ${chinToLip}`);
  });
});
