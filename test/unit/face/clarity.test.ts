import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  CLARITY_WEIGHTS,
  computeLaplacianVariance,
  extractGreyRegion,
  FACE_FULL_SIZE_PX,
  FACE_MIN_SIZE_PX,
  FRONTAL_MAX_NOSE_OFFSET,
  measureFaceSharpness,
  scoreClarity,
  scoreFaceSize,
  scoreFrontalPose,
  scoreSharpness,
  SHARPNESS_HALF_VARIANCE,
} from '../../../src/face/clarity.js';
import type { Box, Point } from '../../../src/face/types.js';
import type { RgbFrame } from '../../../src/video/types.js';
import { createFrame, hashNoise, placeTemplate } from './fixtures.js';

/** Float32 storage of luma values. */
const LUMA_TOLERANCE = 1e-4;

const EXACT = 1e-12;

/** A 5 x 5 box blur of a frame (edges clamped). */
function blurFrame(frame: RgbFrame): RgbFrame {
  const { width, height, data } = frame;
  return createFrame(width, height, (col, row, ch) => {
    let sum = 0;
    for (let dy = -2; dy <= 2; dy += 1) {
      for (let dx = -2; dx <= 2; dx += 1) {
        const c = Math.min(width - 1, Math.max(0, col + dx));
        const r = Math.min(height - 1, Math.max(0, row + dy));
        sum += data[(r * width + c) * 3 + ch] as number;
      }
    }
    return Math.round(sum / 25);
  });
}

describe('computeLaplacianVariance', () => {
  it('gives exactly 272 for a single bright pixel in a 4 x 4 image', () => {
    // interior Laplacians: -32, 8, 8, 0 -> mean -4, mean square 288, variance 272
    const data = new Float32Array(16);
    data[5] = 8;
    assert.equal(computeLaplacianVariance({ width: 4, height: 4, data }), 272);
  });

  it('gives 0 for a flat image, a linear ramp and an image under 3 x 3', () => {
    assert.equal(computeLaplacianVariance({ width: 4, height: 4, data: new Float32Array(16) }), 0);
    const ramp = Float32Array.from({ length: 25 }, (_, i) => (i % 5) * 10 + Math.floor(i / 5));
    assert.equal(computeLaplacianVariance({ width: 5, height: 5, data: ramp }), 0);
    assert.equal(computeLaplacianVariance({ width: 2, height: 9, data: new Float32Array(18) }), 0);
  });
});

describe('extractGreyRegion', () => {
  it('converts RGB to BT.601 luma', () => {
    const frame = createFrame(2, 1, (col, _row, ch) => (col === 0 ? (ch === 0 ? 255 : 0) : 100));
    const grey = extractGreyRegion(frame, { x: 0, y: 0, width: 2, height: 1 });
    assert.ok(Math.abs((grey.data[0] as number) - 0.299 * 255) < LUMA_TOLERANCE);
    assert.ok(Math.abs((grey.data[1] as number) - 100) < LUMA_TOLERANCE);
  });

  it('averages factor x factor blocks and clamps the box to the frame', () => {
    const frame = createFrame(4, 4, (col, row) => (col + row) * 10);
    const grey = extractGreyRegion(frame, { x: -3, y: 0, width: 10, height: 4 }, 2);
    assert.equal(grey.width, 2);
    assert.equal(grey.height, 2);
    assert.ok(Math.abs((grey.data[0] as number) - 10) < LUMA_TOLERANCE);
    assert.ok(Math.abs((grey.data[3] as number) - 50) < LUMA_TOLERANCE);
  });
});

describe('sharpness', () => {
  it('scores a blurred face lower than the sharp one', () => {
    const sharp = createFrame(96, 96, hashNoise);
    const box: Box = { x: 8, y: 8, width: 80, height: 80 };
    const sharpVar = measureFaceSharpness(sharp, box);
    const blurVar = measureFaceSharpness(blurFrame(sharp), box);
    assert.ok(blurVar < sharpVar / 10, `blurred ${blurVar} vs sharp ${sharpVar}`);
    assert.ok(scoreSharpness(blurVar) < scoreSharpness(sharpVar));
  });

  it('maps the half-variance to 0.5 and 0 to 0', () => {
    assert.equal(scoreSharpness(SHARPNESS_HALF_VARIANCE), 0.5);
    assert.equal(scoreSharpness(0), 0);
  });
});

describe('scoreFaceSize', () => {
  it('is 0 at the minimum size, 1 at the full size and linear between', () => {
    const box = (width: number): Box => ({ x: 0, y: 0, width, height: width });
    assert.equal(scoreFaceSize(box(FACE_MIN_SIZE_PX - 5)), 0);
    assert.equal(scoreFaceSize(box(FACE_MIN_SIZE_PX)), 0);
    assert.equal(scoreFaceSize(box((FACE_MIN_SIZE_PX + FACE_FULL_SIZE_PX) / 2)), 0.5);
    assert.equal(scoreFaceSize(box(FACE_FULL_SIZE_PX * 3)), 1);
  });
});

describe('scoreFrontalPose', () => {
  it('gives 1 for the symmetric template, also when rolled', () => {
    assert.ok(Math.abs(scoreFrontalPose(placeTemplate(100, [0, 0])) - 1) < EXACT);
    assert.ok(Math.abs(scoreFrontalPose(placeTemplate(100, [0, 0], 35)) - 1) < 1e-9);
  });

  it('gives 0.5 when the nose tip is off the midline by half the maximum offset', () => {
    const face = placeTemplate(100, [0, 0]);
    const eyeMeanX = (from: number): number =>
      face.slice(from, from + 6).reduce((s, p) => s + p[0], 0) / 6;
    const eyeDistancePx = eyeMeanX(42) - eyeMeanX(36);
    const shift = (FRONTAL_MAX_NOSE_OFFSET / 2) * eyeDistancePx;
    const turned = face.map((p, i) => (i === 30 ? [p[0] + shift, p[1]] as const : p));
    assert.ok(Math.abs(scoreFrontalPose(turned) - 0.5) < 1e-9);
  });

  it('gives 0 for a profile-like fit with the nose beyond the eyes', () => {
    const face = placeTemplate(100, [0, 0]);
    const profile = face.map((p, i) => (i === 30 ? [p[0] + 60, p[1]] as const : p));
    assert.equal(scoreFrontalPose(profile), 0);
  });
});

describe('scoreClarity', () => {
  it('is the weighted sum of its parts, with weights summing to 1', () => {
    const weights = Object.values(CLARITY_WEIGHTS).reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(weights - 1) < EXACT);
    const frame = createFrame(200, 200, hashNoise);
    const landmarks: Point[] = placeTemplate(120, [40, 40]);
    const face = { box: { x: 30, y: 30, width: 140, height: 140 }, score: 0.9, landmarks,
      faceCount: 1 };
    const c = scoreClarity(frame, face);
    const sum = c.confidence * CLARITY_WEIGHTS.confidence + c.size * CLARITY_WEIGHTS.size +
      c.sharpness * CLARITY_WEIGHTS.sharpness + c.frontal * CLARITY_WEIGHTS.frontal;
    assert.ok(Math.abs(c.total - sum) < EXACT);
    assert.equal(c.confidence, 0.9);
    assert.equal(c.size, 1);
    assert.ok(c.total > 0 && c.total <= 1);
  });
});
