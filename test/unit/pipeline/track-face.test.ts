import assert from 'node:assert/strict';
import { test } from 'node:test';

import { FACE_TEMPLATE } from '../../../src/face/template.js';
import type { Box, FaceObservation, Point } from '../../../src/face/types.js';
import {
  agreesWithAnchor,
  computeTrackingBox,
  createFaceTracker,
  findNearestExamined,
  measureEyes,
  type TrackerSteps,
} from '../../../src/pipeline/track-face.js';
import type { RgbFrame } from '../../../src/video/types.js';

const FRAME_SIDE_PX = 200;

/** The template face, 100 px wide, its bounding box at x 50..150, y 50.44..129.56. */
function makeFace(dx = 0, scale = 1): Point[] {
  return FACE_TEMPLATE.map(([x, y]) => [x * 100 * scale + 50 + dx, y * 100 * scale + 40] as const);
}

/** 68 points at the origin except the eyes: right eye at (rightX, y), left eye at (leftX, y). */
function makeEyes(rightX: number, leftX: number, y: number): Point[] {
  return Array.from({ length: 68 }, (_, i): Point => {
    if (i >= 36 && i <= 41) return [rightX, y];
    if (i >= 42 && i <= 47) return [leftX, y];
    return [0, 0];
  });
}

function makeFrame(index: number): RgbFrame {
  return { index, timeSec: index / 25, width: FRAME_SIDE_PX, height: FRAME_SIDE_PX,
    data: new Uint8Array(0) };
}

function makeDetection(landmarks: Point[]): FaceObservation {
  return { box: { x: 50, y: 29, width: 100, height: 103 }, score: 0.9, landmarks, faceCount: 2 };
}

/** Fake steps counting calls; `fitResult` gives the fit for each call. */
function makeSteps(fitResult: (box: Box) => Point[], detected: FaceObservation | null) {
  const calls = { detect: [] as number[], fit: [] as number[] };
  const steps: TrackerSteps = {
    detect: async (frame) => {
      calls.detect.push(frame.index);
      return detected;
    },
    fit: async (frame, box) => {
      calls.fit.push(frame.index);
      return fitResult(box);
    },
  };
  return { steps, calls };
}

test('the tracking box is the landmarks box grown by a quarter above, rounded outwards', () => {
  assert.deepEqual(computeTrackingBox(makeFace(), { width: 200, height: 200 }),
    { x: 50, y: 29, width: 100, height: 103 });
});

test('the tracking box is clamped to the frame', () => {
  assert.deepEqual(computeTrackingBox(makeFace(-70), { width: 200, height: 150 }),
    { x: 0, y: 29, width: 80, height: 103 });
  const low = FACE_TEMPLATE.map(([x, y]) => [x * 100 - 20, y * 100 + 150] as const);
  assert.deepEqual(computeTrackingBox(low, { width: 200, height: 200 }),
    { x: 0, y: 139, width: 80, height: 61 });
});

test('the eye geometry is the midpoint and distance of the two eye centres', () => {
  assert.deepEqual(measureEyes(makeEyes(10, 40, 20)), { midpoint: [25, 20], distance: 30 });
});

test('a fit agrees with its anchor up to a quarter larger or a fifth smaller', () => {
  const anchor = makeEyes(10, 50, 20);
  assert.equal(agreesWithAnchor(anchor, makeEyes(5, 55, 20)), true);
  assert.equal(agreesWithAnchor(anchor, makeEyes(4.8, 55.2, 20)), false);
  assert.equal(agreesWithAnchor(anchor, makeEyes(14, 46, 20)), true);
  assert.equal(agreesWithAnchor(anchor, makeEyes(14.2, 45.8, 20)), false);
});

test('a fit agrees with its anchor when the eyes moved at most half the eye distance', () => {
  const anchor = makeEyes(10, 50, 20);
  assert.equal(agreesWithAnchor(anchor, makeEyes(30, 70, 20)), true);
  assert.equal(agreesWithAnchor(anchor, makeEyes(10, 50, 40.5)), false);
});

test('an anchor with both eyes on one point agrees with nothing', () => {
  assert.equal(agreesWithAnchor(makeEyes(10, 10, 20), makeEyes(10, 10, 20)), false);
});

test('the nearest examined frame wins, the earlier of two equally near', () => {
  const seen = new Map([[10, 'a'], [20, 'b'], [30, 'c']]);
  assert.equal(findNearestExamined(seen, 14), 'a');
  assert.equal(findNearestExamined(seen, 15), 'a');
  assert.equal(findNearestExamined(seen, 26), 'c');
  assert.equal(findNearestExamined(new Map<number, string>(), 3), undefined);
});

test('the detector runs on the first and then every 8th of 20 candidates', async () => {
  const { steps, calls } = makeSteps(() => makeFace(1), makeDetection(makeFace()));
  const track = createFaceTracker(steps);
  const faces = [];
  for (let i = 0; i < 20; i += 1) faces.push(await track(makeFrame(i * 3)));
  assert.deepEqual(calls.detect, [0, 24, 48]);
  assert.equal(calls.fit.length, 17);
  assert.ok(faces.every((f) => f !== null && f.score === 0.9 && f.faceCount === 2));
});

test('a tracked face keeps the fitted landmarks and boxes them like the detector', async () => {
  const { steps } = makeSteps(() => makeFace(1), makeDetection(makeFace()));
  const track = createFaceTracker(steps);
  await track(makeFrame(0));
  const face = await track(makeFrame(3));
  assert.deepEqual(face?.landmarks, makeFace(1));
  assert.deepEqual(face?.box, { x: 51, y: 29, width: 100, height: 103 });
});

test('the fit is made in the box around the nearest examined face', async () => {
  const boxes: Box[] = [];
  const { steps } = makeSteps((box) => {
    boxes.push(box);
    return makeFace(10);
  }, makeDetection(makeFace()));
  const track = createFaceTracker(steps);
  await track(makeFrame(0));
  await track(makeFrame(40));
  await track(makeFrame(36));
  assert.deepEqual(boxes, [
    { x: 50, y: 29, width: 100, height: 103 },
    { x: 60, y: 29, width: 100, height: 103 },
  ]);
});

test('a fit that shrinks the face falls back to the detector', async () => {
  const { steps, calls } = makeSteps(() => makeFace(0, 0.5), makeDetection(makeFace()));
  const track = createFaceTracker(steps);
  for (let i = 0; i < 4; i += 1) await track(makeFrame(i));
  assert.deepEqual(calls.detect, [0, 1, 2, 3]);
  assert.deepEqual(calls.fit, [1, 2, 3]);
});

test('next to a frame without a face the detector runs, not a fit', async () => {
  const { steps, calls } = makeSteps(() => makeFace(), null);
  const track = createFaceTracker(steps);
  assert.equal(await track(makeFrame(0)), null);
  assert.equal(await track(makeFrame(5)), null);
  assert.deepEqual(calls.detect, [0, 5]);
  assert.deepEqual(calls.fit, []);
});

test('a detector period of 1 turns tracking off', async () => {
  const { steps, calls } = makeSteps(() => makeFace(), makeDetection(makeFace()));
  const track = createFaceTracker(steps, 1);
  for (let i = 0; i < 3; i += 1) await track(makeFrame(i));
  assert.deepEqual(calls.detect, [0, 1, 2]);
  assert.deepEqual(calls.fit, []);
});
