import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  computeRegionBoxes,
  MIN_REGION_SIDE,
  REGION_INDICES,
  type RegionName,
} from '../../../src/face/regions.js';
import { FACE_TEMPLATE } from '../../../src/face/template.js';
import type { Box, Point } from '../../../src/face/types.js';
import { MreError } from '../../../src/errors.js';

function contains(box: Box, [x, y]: Point): boolean {
  return x > box.x && x < box.x + box.width && y > box.y && y < box.y + box.height;
}

function centreOf(box: Box): Point {
  return [box.x + box.width / 2, box.y + box.height / 2];
}

const NAMES: RegionName[] = ['eye', 'nose', 'mouth'];

describe('computeRegionBoxes', () => {
  it('returns square boxes that contain all of their region points', () => {
    const boxes = computeRegionBoxes(FACE_TEMPLATE);
    for (const name of NAMES) {
      const box = boxes[name];
      assert.equal(box.width, box.height);
      assert.ok(box.width >= MIN_REGION_SIDE);
      for (const i of REGION_INDICES[name]) {
        assert.ok(contains(box, FACE_TEMPLATE[i] as Point), `${name} misses point ${i}`);
      }
    }
  });

  it('takes the subject left eye with its brow, on the image right of the template', () => {
    const eye = computeRegionBoxes(FACE_TEMPLATE).eye;
    assert.ok(centreOf(eye)[0] > 0.5);
    assert.ok(!contains(eye, FACE_TEMPLATE[36] as Point), 'the right eye stays out');
    assert.ok(contains(eye, FACE_TEMPLATE[24] as Point), 'the brow is in');
  });

  it('centres the nose and mouth boxes on the midline', () => {
    const boxes = computeRegionBoxes(FACE_TEMPLATE);
    assert.ok(Math.abs(centreOf(boxes.nose)[0] - 0.5) < 1e-9);
    assert.ok(Math.abs(centreOf(boxes.mouth)[0] - 0.5) < 1e-9);
  });

  it('grows the mouth box to cover a wide-open mouth', () => {
    const drop = 0.25;
    const open = FACE_TEMPLATE.map((p, i) =>
      [55, 56, 57, 58, 59, 65, 66, 67].includes(i) ? [p[0], p[1] + drop] as const : p);
    const closed = computeRegionBoxes(FACE_TEMPLATE).mouth;
    const wide = computeRegionBoxes(open).mouth;
    assert.ok(wide.height > closed.height);
    for (const i of REGION_INDICES.mouth) {
      assert.ok(contains(wide, open[i] as Point), `open mouth misses point ${i}`);
    }
  });

  it('keeps a minimum side for a collapsed region', () => {
    const flat = FACE_TEMPLATE.map((p, i) => (i >= 42 && i <= 47 ? [0.7, 0.25] as const : p));
    const squeezed = flat.map((p, i) => (i >= 22 && i <= 26 ? [0.7, 0.24] as const : p));
    assert.equal(computeRegionBoxes(squeezed).eye.width, MIN_REGION_SIDE);
  });

  it('rejects a landmark list that is not 68 points', () => {
    assert.throws(() => computeRegionBoxes(FACE_TEMPLATE.slice(0, 60)), MreError);
  });
});
