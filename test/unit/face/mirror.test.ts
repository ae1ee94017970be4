import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  LANDMARK_COUNT,
  MIRROR_MAP,
  mirrorLandmarks,
  reindexMirrored,
} from '../../../src/face/mirror.js';
import type { Point } from '../../../src/face/types.js';

/** 68 distinct points with no symmetry. */
const POINTS: Point[] = Array.from({ length: LANDMARK_COUNT }, (_, i) => [3 + i * 1.5, 7 + i * i]);

const WIDTH_PX = 256;

describe('MIRROR_MAP', () => {
  it('is an involution over all 68 indices', () => {
    assert.equal(MIRROR_MAP.length, LANDMARK_COUNT);
    MIRROR_MAP.forEach((j, i) => assert.equal(MIRROR_MAP[j], i));
  });

  it('pairs the eyes, brows, jaw ends and mouth corners', () => {
    assert.equal(MIRROR_MAP[36], 45);
    assert.equal(MIRROR_MAP[39], 42);
    assert.equal(MIRROR_MAP[40], 47);
    assert.equal(MIRROR_MAP[17], 26);
    assert.equal(MIRROR_MAP[0], 16);
    assert.equal(MIRROR_MAP[48], 54);
    assert.equal(MIRROR_MAP[60], 64);
    assert.equal(MIRROR_MAP[65], 67);
  });

  it('keeps the midline points in place', () => {
    for (const i of [8, 27, 28, 29, 30, 33, 51, 57, 62, 66]) {
      assert.equal(MIRROR_MAP[i], i);
    }
  });
});

describe('mirrorLandmarks', () => {
  it('gives back the original points when applied twice', () => {
    assert.deepEqual(mirrorLandmarks(mirrorLandmarks(POINTS, WIDTH_PX), WIDTH_PX), POINTS);
  });

  it('puts the mirrored right eye where the left eye is named', () => {
    const mirrored = mirrorLandmarks(POINTS, WIDTH_PX);
    for (let k = 0; k < 6; k += 1) {
      const right = POINTS[36 + k] as Point;
      const leftSlot = mirrored[MIRROR_MAP[36 + k] as number] as Point;
      assert.deepEqual(leftSlot, [WIDTH_PX - right[0], right[1]]);
    }
  });

  it('maps x to width - x for a midline point', () => {
    const mirrored = mirrorLandmarks(POINTS, WIDTH_PX);
    assert.deepEqual(mirrored[30], [WIDTH_PX - (POINTS[30] as Point)[0], (POINTS[30] as Point)[1]]);
  });

  it('rejects a list that is not 68 points', () => {
    assert.throws(() => reindexMirrored(POINTS.slice(1)), RangeError);
  });
});
