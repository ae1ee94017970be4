import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import * as tf from '@tensorflow/tfjs';

import { detectFace, fitLandmarks } from '../../../src/face/detect-face.js';
import type {
  FaceApiDetection,
  FaceApiInput,
  FaceApiModule,
  FaceNets,
} from '../../../src/face/face-api-nets.js';
import { MreError } from '../../../src/errors.js';
import { createFrame } from './fixtures.js';

/** 68 relative positions on a diagonal, so frame positions are easy to predict. */
const RELATIVE = Array.from({ length: 68 }, (_, i) => ({ x: i / 67, y: 1 - i / 67 }));

/** Fake nets: the detector returns `detections`; the landmark net records input shapes. */
function createFakeNets(detections: FaceApiDetection[], failDetector = false) {
  const shapes: number[][] = [];
  const nets: FaceNets = {
    api: {
      SsdMobilenetv1Options: class {
        constructor(readonly opts: object) {}
      },
    } as unknown as FaceApiModule,
    detector: {
      loadFromDisk: async () => undefined,
      locateFaces: async () => {
        if (failDetector) {
          throw new Error('backend lost');
        }
        return detections;
      },
    },
    landmarks: {
      loadFromDisk: async () => undefined,
      detectLandmarks: async (input: FaceApiInput) => {
        shapes.push([...(input as tf.Tensor).shape]);
        return { relativePositions: RELATIVE };
      },
    },
    modelDir: '/nowhere',
  };
  return { nets, shapes };
}

const FRAME = createFrame(100, 80, () => 90);

describe('detectFace', () => {
  it('keeps the largest face, counts all faces above the threshold and clamps the box', async () => {
    const { nets, shapes } = createFakeNets([
      { score: 0.9, box: { x: 10, y: 10, width: 20, height: 20 } },
      { score: 0.6, box: { x: 60, y: 50, width: 50.4, height: 40 } },
      { score: 0.3, box: { x: 0, y: 0, width: 90, height: 70 } },
    ]);
    const face = await detectFace(nets, FRAME);
    assert.ok(face !== null);
    assert.equal(face.faceCount, 2);
    assert.equal(face.score, 0.6);
    assert.deepEqual(face.box, { x: 60, y: 50, width: 40, height: 30 });
    assert.deepEqual(shapes, [[30, 40, 3]]);
    assert.deepEqual(face.landmarks[0], [60, 80]);
    assert.deepEqual(face.landmarks[67], [100, 50]);
  });

  it('returns null when no face passes the threshold', async () => {
    const { nets } = createFakeNets([{ score: 0.2, box: { x: 1, y: 1, width: 9, height: 9 } }]);
    assert.equal(await detectFace(nets, FRAME), null);
    assert.equal(await detectFace(nets, FRAME, { minConfidence: 0.1 }) !== null, true);
  });

  it('leaves the tensor count unchanged, also when the detector fails', async () => {
    const before = tf.memory().numTensors;
    const { nets } = createFakeNets([{ score: 0.9, box: { x: 5, y: 5, width: 30, height: 30 } }]);
    await detectFace(nets, FRAME);
    assert.equal(tf.memory().numTensors, before);
    const broken = createFakeNets([], true).nets;
    await assert.rejects(detectFace(broken, FRAME), (err: unknown) =>
      err instanceof MreError && err.code === 'MODEL');
    assert.equal(tf.memory().numTensors, before);
  });

  it('rejects a frame whose buffer does not match its size', async () => {
    const { nets } = createFakeNets([]);
    const bad = { ...FRAME, width: 101 };
    await assert.rejects(detectFace(nets, bad), (err: unknown) =>
      err instanceof MreError && err.code === 'INPUT');
  });
});

describe('fitLandmarks', () => {
  it('maps the landmarks of the whole-image box to frame pixels', async () => {
    const { nets, shapes } = createFakeNets([]);
    const box = { x: 0, y: 0, width: 100, height: 80 };
    const points = await fitLandmarks(nets, FRAME, box);
    assert.equal(points.length, 68);
    assert.deepEqual(points[0], [0, 80]);
    assert.deepEqual(points[67], [100, 0]);
    assert.deepEqual(shapes, [[80, 100, 3]]);
  });
});
