import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { FaceObservation } from '../../../src/face/types.js';
import { sampleClearFaces, type ExaminedFrame } from '../../../src/pipeline/sample-clear-faces.js';
import type { RgbFrame } from '../../../src/video/types.js';

const FACE: FaceObservation = {
  box: { x: 0, y: 0, width: 10, height: 10 },
  score: 0.9,
  landmarks: [],
  faceCount: 1,
};

function makeFrames(n: number): RgbFrame[] {
  return Array.from({ length: n }, (_, index) => ({
    index,
    timeSec: index / 25,
    width: 1,
    height: 1,
    data: new Uint8Array(3),
  }));
}

/** An examiner whose frames have a clear face exactly at the given indices. */
function examineWithFacesAt(faces: Set<number>, seen: number[]) {
  return async (frame: RgbFrame): Promise<ExaminedFrame> => {
    seen.push(frame.index);
    const has = faces.has(frame.index);
    return { frame, face: has ? FACE : null, clarity: has ? 0.5 + frame.index / 1000 : null };
  };
}

const SETTINGS = { minFrames: 3, maxFrames: 2, minClarity: 0.15 };

test('clear candidates are kept clearest first, at most max-frames, in time order', async () => {
  const seen: number[] = [];
  const faces = new Set([12, 37, 62, 87]);
  const result = await sampleClearFaces(makeFrames(100), examineWithFacesAt(faces, seen), {
    ...SETTINGS,
    minFrames: 2,
  });
  assert.deepEqual(seen, [12, 37, 62, 87]);
  assert.deepEqual(result.chosen.map((e) => e.frame.index), [62, 87]);
  assert.equal(result.examined.length, 4);
});

test('too few clear faces make the sampler look halfway between the frames it saw', async () => {
  const seen: number[] = [];
  const faces = new Set([12, 24]);
  const result = await sampleClearFaces(makeFrames(100), examineWithFacesAt(faces, seen), {
    ...SETTINGS,
    minFrames: 2,
  });
  assert.deepEqual(seen, [12, 37, 62, 87, 5, 24, 49, 74, 93]);
  assert.deepEqual(result.chosen.map((e) => e.frame.index), [12, 24]);
});

test('a clip without faces ends with nothing chosen after every frame was seen', async () => {
  const seen: number[] = [];
  const examine = examineWithFacesAt(new Set(), seen);
  const result = await sampleClearFaces(makeFrames(6), examine, SETTINGS);
  assert.deepEqual([...seen].sort((a, b) => a - b), [0, 1, 2, 3, 4, 5]);
  assert.deepEqual(result.chosen, []);
});
