import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { MreError } from '../../../src/errors.js';
import type { FaceCrops } from '../../../src/face/types.js';
import { initBackend } from '../../../src/model/backend.js';
import { cropsToTensors, cropsToValues } from '../../../src/model/crops-to-tensors.js';

/** A 2x2 crop whose pixels are given as [r, g, b] triples. */
function crop2x2(pixels: number[][]): Float32Array {
  return Float32Array.from(pixels.flat());
}

const PIXELS = [
  [0.25, 0.5, 0.75],
  [0, 0, 0.75],
  [1, 1, 1],
  [0.5, 0, 1],
];
const FACE: FaceCrops = {
  size: 2,
  face: crop2x2(PIXELS),
  eye: crop2x2(PIXELS.map((p) => p.map((v) => v / 2))),
  nose: new Float32Array(12),
  mouth: new Float32Array(12).fill(1),
};

describe('cropsToTensors', () => {
  before(async () => {
    await initBackend('cpu');
  });

  it('stacks the face and the chosen region as [n, size, size, 3] RGB, centred on 0', () => {
    const [faces, regions] = cropsToTensors([FACE, FACE], 'mouth', 3);
    assert.deepEqual(faces.shape, [2, 2, 2, 3]);
    const centred = PIXELS.flat().map((v) => v - 0.5);
    assert.deepEqual(Array.from(faces.dataSync().slice(0, 12)), centred);
    assert.deepEqual(Array.from(regions.dataSync()), new Array(24).fill(0.5));
    tf.dispose([faces, regions]);
  });

  it('turns each pixel into the mean of R, G and B, less 0.5, when channels is 1', () => {
    const [faces, eyes] = cropsToTensors([FACE], 'eye', 1);
    assert.deepEqual(faces.shape, [1, 2, 2, 1]);
    assert.deepEqual(Array.from(faces.dataSync()), [0, -0.25, 0.5, 0]);
    assert.deepEqual(Array.from(eyes.dataSync()), [-0.25, -0.375, 0, -0.25]);
    tf.dispose([faces, eyes]);
  });

  it('refuses an empty batch, mixed sizes and a crop of the wrong length', () => {
    const isInput = (err: unknown): boolean => err instanceof MreError && err.code === 'INPUT';
    const bigger: FaceCrops = { ...FACE, size: 3 };
    const short: FaceCrops = { ...FACE, nose: new Float32Array(11) };
    const count = tf.memory().numTensors;
    assert.throws(() => cropsToTensors([], 'eye', 3), isInput);
    assert.throws(() => cropsToTensors([FACE, bigger], 'eye', 3), isInput);
    assert.throws(() => cropsToTensors([short], 'nose', 1), isInput);
    assert.equal(tf.memory().numTensors, count);
  });
});

describe('cropsToValues', () => {
  it('lays RGB crops out channel by channel for ONNX, pixel by pixel for tf.js', () => {
    const nchw = cropsToValues([FACE], 'face', 3, 'nchw');
    assert.deepEqual([...nchw], [
      -0.25, -0.5, 0.5, 0, // red of the four pixels, less 0.5
      0, -0.5, 0.5, -0.5, // green
      0.25, 0.25, 0.5, 0.5, // blue
    ]);
    const nhwc = cropsToValues([FACE], 'face', 3, 'nhwc');
    assert.deepEqual([...nhwc], PIXELS.flat().map((v) => v - 0.5));
  });

  it('gives the same grey values in both layouts', () => {
    const grey = [0.5, 0.25, 1, 0.5].map((v) => v - 0.5);
    assert.deepEqual([...cropsToValues([FACE], 'face', 1, 'nchw')], grey);
    assert.deepEqual([...cropsToValues([FACE], 'face', 1, 'nhwc')], grey);
  });
});
