import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { alignLandmarks } from '../../../src/face/align-face.js';
import {
  getTransformRotationDeg,
  getTransformScale,
} from '../../../src/face/similarity-transform.js';
import { FACE_TEMPLATE } from '../../../src/face/template.js';
import type { Point } from '../../../src/face/types.js';
import { placeTemplate } from './fixtures.js';

const EXACT = 1e-9;

describe('alignLandmarks', () => {
  it('maps a scaled, rotated copy of the template back onto the template', () => {
    const { toTemplate, aligned } = alignLandmarks(placeTemplate(150, [400, 120], 20));
    assert.ok(Math.abs(getTransformScale(toTemplate) - 1 / 150) < EXACT);
    assert.ok(Math.abs(getTransformRotationDeg(toTemplate) + 20) < EXACT);
    aligned.forEach(([x, y], i) => {
      const [tx, ty] = FACE_TEMPLATE[i] as Point;
      assert.ok(Math.abs(x - tx) < EXACT && Math.abs(y - ty) < EXACT, `point ${i}`);
    });
  });

  it('does not let an open mouth move the alignment', () => {
    const face = placeTemplate(100, [0, 0]);
    const open = face.map((p, i) => (i >= 55 && i <= 59 ? [p[0], p[1] + 30] as const : p));
    const a = alignLandmarks(face).toTemplate;
    const b = alignLandmarks(open).toTemplate;
    assert.deepEqual(a, b);
  });
});
