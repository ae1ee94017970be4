import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { applyAffine } from '../../../src/face/affine.js';
import {
  cropFaceRegions,
  cropsToPng,
  PAD_GREY,
  planFaceCrops,
} from '../../../src/face/crop-regions.js';
import { mirrorLandmarks } from '../../../src/face/mirror.js';
import { ALIGNED_FACE_BOX } from '../../../src/face/template.js';
import type { FaceCrops, Point } from '../../../src/face/types.js';
import { createFrame, flipFrame, hashNoise, placeTemplate } from './fixtures.js';

/** float32 rounding of values in [0, 1]. */
const FLOAT32_TOLERANCE = 1e-5;

/** Two warps of the same pixels along mirrored or rotated paths agree to this. */
const SAME_PIXELS_TOLERANCE = 1e-4;

const KEYS = ['face', 'eye', 'nose', 'mouth'] as const;

function maxDifference(a: Float32Array, b: Float32Array): number {
  let worst = 0;
  a.forEach((v, i) => {
    worst = Math.max(worst, Math.abs(v - (b[i] as number)));
  });
  return worst;
}

function assertSameCrops(a: FaceCrops, b: FaceCrops): void {
  for (const key of KEYS) {
    const diff = maxDifference(a[key], b[key]);
    assert.ok(diff < SAME_PIXELS_TOLERANCE, `${key} differs by ${diff}`);
  }
}

/** Red = column, green = row, blue = 128: the crop reveals where each pixel came from. */
const GRADIENT = createFrame(256, 256, (col, row, ch) => (ch === 0 ? col : ch === 1 ? row : 128));

/** 100 px a template unit, offset so the whole face box is on the frame. */
const SCALE_PX = 100;
const OFFSET: Point = [60, 70];

describe('cropFaceRegions', () => {
  it('returns four size x size RGB crops with values in [0, 1]', () => {
    const crops = cropFaceRegions(GRADIENT, placeTemplate(SCALE_PX, OFFSET), 48);
    assert.equal(crops.size, 48);
    for (const key of KEYS) {
      assert.equal(crops[key].length, 48 * 48 * 3);
      assert.ok(crops[key].every((v) => v >= 0 && v <= 1));
    }
  });

  it('samples the face box bilinearly at the aligned positions', () => {
    const size = 60;
    const crops = cropFaceRegions(GRADIENT, placeTemplate(SCALE_PX, OFFSET), size);
    const step = ALIGNED_FACE_BOX.width / size;
    for (const [row, col] of [[0, 0], [10, 47], [59, 59], [30, 5]] as const) {
      const u = OFFSET[0] + SCALE_PX * (ALIGNED_FACE_BOX.x + (col + 0.5) * step);
      const v = OFFSET[1] + SCALE_PX * (ALIGNED_FACE_BOX.y + (row + 0.5) * step);
      const o = (row * size + col) * 3;
      // pixel c holds value c at its centre c + 0.5
      assert.ok(Math.abs((crops.face[o] as number) - (u - 0.5) / 255) < FLOAT32_TOLERANCE);
      assert.ok(Math.abs((crops.face[o + 1] as number) - (v - 0.5) / 255) < FLOAT32_TOLERANCE);
      assert.ok(Math.abs((crops.face[o + 2] as number) - 128 / 255) < FLOAT32_TOLERANCE);
    }
  });

  it('cuts the eye crop from the subject left eye, on the image right', () => {
    const landmarks = placeTemplate(SCALE_PX, OFFSET);
    const plan = planFaceCrops(landmarks);
    const eye = plan.boxes.eye;
    const [x] = applyAffine(plan.toFrame, [eye.x + eye.width / 2, eye.y + eye.height / 2]);
    assert.ok(x > (landmarks[30] as Point)[0], 'eye centre right of the nose tip');
    const crops = cropFaceRegions(GRADIENT, landmarks, 32);
    const centreRed = (crops.eye[(16 * 32 + 16) * 3] as number) * 255;
    assert.ok(Math.abs(centreRed - (x - 0.5)) < 1, `centre red ${centreRed} vs x ${x}`);
  });

  it('gives with flip the crops of the mirrored frame (eye = mirrored subject left eye)', () => {
    const frame = createFrame(200, 200, hashNoise);
    const landmarks = placeTemplate(90, [50, 45], 12);
    const flipped = cropFaceRegions(frame, landmarks, 32, { flip: true });
    const mirrored = cropFaceRegions(flipFrame(frame), mirrorLandmarks(landmarks, 200), 32);
    assertSameCrops(flipped, mirrored);
  });

  it('re-indexes flipped landmarks so 42-47 stay on the image right', () => {
    const plan = planFaceCrops(placeTemplate(SCALE_PX, OFFSET, 8), { flip: true });
    const centreX = ALIGNED_FACE_BOX.x + ALIGNED_FACE_BOX.width / 2;
    for (let i = 42; i <= 47; i += 1) {
      assert.ok((plan.landmarks[i] as Point)[0] > centreX, `point ${i}`);
    }
    assert.ok(plan.boxes.eye.x + plan.boxes.eye.width / 2 > centreX);
  });

  it('rotates the aligned face counter-clockwise on screen', () => {
    const frame = createFrame(220, 220, hashNoise);
    const landmarks = placeTemplate(SCALE_PX, OFFSET);
    const size = 40;
    const plain = cropFaceRegions(frame, landmarks, size).face;
    const turned = cropFaceRegions(frame, landmarks, size, { rotationDeg: 90 }).face;
    // content at (row r, col c) moves to (row size-1-c, col r)
    let worst = 0;
    for (let r = 0; r < size; r += 1) {
      for (let c = 0; c < size; c += 1) {
        for (let ch = 0; ch < 3; ch += 1) {
          const a = plain[(r * size + c) * 3 + ch] as number;
          const b = turned[((size - 1 - c) * size + r) * 3 + ch] as number;
          worst = Math.max(worst, Math.abs(a - b));
        }
      }
    }
    assert.ok(worst < SAME_PIXELS_TOLERANCE, `rotated face differs by ${worst}`);
    const nose = planFaceCrops(landmarks, { rotationDeg: 90 }).landmarks[30] as Point;
    const centreY = ALIGNED_FACE_BOX.y + ALIGNED_FACE_BOX.height / 2;
    assert.ok(Math.abs(nose[1] - centreY) < 1e-9 && nose[0] > 0.5, 'nose tip turns to the right');
  });

  it('pads a face that runs off the frame: grey with mid-grey, edge with the corner pixel', () => {
    const frame = createFrame(120, 120, hashNoise);
    const landmarks = placeTemplate(SCALE_PX, [-40, -30]);
    const grey = cropFaceRegions(frame, landmarks, 32, { padding: 'grey' });
    const edge = cropFaceRegions(frame, landmarks, 32);
    assert.ok(Math.abs((grey.face[0] as number) - PAD_GREY) < FLOAT32_TOLERANCE);
    for (let ch = 0; ch < 3; ch += 1) {
      const corner = (frame.data[ch] as number) / 255;
      assert.ok(Math.abs((edge.face[ch] as number) - corner) < FLOAT32_TOLERANCE);
    }
    for (const key of KEYS) {
      assert.ok(edge[key].every((v) => Number.isFinite(v) && v >= 0 && v <= 1));
    }
  });

  it('rejects a non-integer size and a buffer that does not match the frame', () => {
    const landmarks = placeTemplate(SCALE_PX, OFFSET);
    assert.throws(() => cropFaceRegions(GRADIENT, landmarks, 12.5), /positive integer/);
    const short = { ...GRADIENT, data: GRADIENT.data.subarray(3) };
    assert.throws(() => cropFaceRegions(short, landmarks, 16), /does not match/);
  });
});

describe('cropsToPng', () => {
  it('encodes each crop as a PNG of the crop size', async () => {
    const crops = cropFaceRegions(GRADIENT, placeTemplate(SCALE_PX, OFFSET), 24);
    const pngs = await cropsToPng(crops);
    for (const key of KEYS) {
      const png = pngs[key];
      assert.deepEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47]);
      assert.equal(png.readUInt32BE(16), 24);
      assert.equal(png.readUInt32BE(20), 24);
    }
  });
});
