import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { LANDMARK_COUNT, mirrorLandmarksAbout } from '../../../src/face/mirror.js';
import { ALIGNED_FACE_BOX, ALIGNMENT_INDICES, FACE_TEMPLATE } from '../../../src/face/template.js';

/** Exact up to float arithmetic: the committed numbers are symmetric to the last decimal. */
const ROUNDING = 1e-12;

describe('FACE_TEMPLATE', () => {
  it('has 68 points inside the unit square, spanning x from 0 to 1', () => {
    assert.equal(FACE_TEMPLATE.length, LANDMARK_COUNT);
    for (const [x, y] of FACE_TEMPLATE) {
      assert.ok(x >= 0 && x <= 1 && y >= 0 && y <= 1);
    }
    assert.equal(Math.min(...FACE_TEMPLATE.map((p) => p[0])), 0);
    assert.equal(Math.max(...FACE_TEMPLATE.map((p) => p[0])), 1);
  });

  it('is left-right symmetric under the mirror map', () => {
    const mirrored = mirrorLandmarksAbout(FACE_TEMPLATE, 0.5);
    mirrored.forEach(([x, y], i) => {
      const [tx, ty] = FACE_TEMPLATE[i] ?? [NaN, NaN];
      assert.ok(Math.abs(x - tx) <= ROUNDING && Math.abs(y - ty) <= ROUNDING, `point ${i}`);
    });
  });

  it('has the subject left eye (42-47) on the image right, above the nose tip and mouth', () => {
    for (let i = 42; i <= 47; i += 1) {
      const [x, y] = FACE_TEMPLATE[i] ?? [NaN, NaN];
      assert.ok(x > 0.5, `point ${i} x ${x}`);
      assert.ok(y < (FACE_TEMPLATE[30] ?? [0, 0])[1]);
    }
  });

  it('fits inside the aligned face box', () => {
    const b = ALIGNED_FACE_BOX;
    assert.equal(b.width, b.height);
    for (const [x, y] of FACE_TEMPLATE) {
      assert.ok(x > b.x && x < b.x + b.width && y > b.y && y < b.y + b.height);
    }
  });

  it('aligns on the nose and eyes only', () => {
    assert.deepEqual([...ALIGNMENT_INDICES], Array.from({ length: 21 }, (_, i) => 27 + i));
  });
});
