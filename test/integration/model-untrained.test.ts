import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import sharp from 'sharp';
import * as tf from '@tensorflow/tfjs';
import { CLASSES } from '../../src/classes.js';
import type { FaceCrops } from '../../src/face/types.js';
import { initBackend } from '../../src/model/backend.js';
import { loadModel } from '../../src/model/load-model.js';
import { SHARED_DATA } from '../support/shared-data.js';

const MODEL_DIR = new URL('../../models/untrained', import.meta.url).pathname;
const FER_TEST_DIR = `${SHARED_DATA}/images/fer2013/test`;

/** Largest score difference allowed between the wasm and cpu backends. */
const BACKEND_TOLERANCE = 1e-4;

/** How far a softmax row may be from summing to 1. */
const SOFTMAX_SUM_TOLERANCE = 1e-5;

/** Faces scored per backend. */
const FACE_COUNT = 3;

/** A band of a 48x48 face (top, height in px) standing in for a region crop. */
const REGION_BANDS = { eye: [8, 16], nose: [16, 18], mouth: [28, 18] } as const;

/** RGB [0, 1] pixels of part of an image, resized to `size` x `size`. */
async function readCrop(file: string, size: number, band?: readonly [number, number]) {
  let image = sharp(file).removeAlpha().toColourspace('srgb');
  if (band) {
    image = image.extract({ left: 0, top: band[0], width: 48, height: band[1] });
  }
  const raw = await image.resize(size, size, { fit: 'fill' }).raw().toBuffer();
  const rgb = raw.length === size * size ? Buffer.from([...raw].flatMap((v) => [v, v, v])) : raw;
  return Float32Array.from(rgb, (v) => v / 255);
}

async function readFerCrops(size: number): Promise<FaceCrops[]> {
  const classes = ['happy', 'sad', 'surprise'];
  const files: string[] = [];
  for (const name of classes) {
    const names = (await readdir(join(FER_TEST_DIR, name))).sort().slice(0, FACE_COUNT / 3);
    files.push(...names.map((n) => join(FER_TEST_DIR, name, n)));
  }
  return Promise.all(
    files.map(async (file) => ({
      size,
      face: await readCrop(file, size),
      eye: await readCrop(file, size, REGION_BANDS.eye),
      nose: await readCrop(file, size, REGION_BANDS.nose),
      mouth: await readCrop(file, size, REGION_BANDS.mouth),
    })),
  );
}

describe('the committed untrained model', () => {
  it('loads with its manifest checked and says it is untrained', async () => {
    await initBackend('cpu');
    const model = await loadModel(MODEL_DIR);
    assert.equal(model.untrained, true);
    assert.deepEqual(model.manifest.classes, [...CLASSES]);
    assert.equal(model.manifest.architecture, 'alexnet');
    assert.equal(model.manifest.inputSize, 48);
    assert.equal(model.manifest.channels, 1);
    assert.match(model.sha256, /^[0-9a-f]{64}$/);
    model.dispose();
  });

  it('scores FER2013 faces alike on cpu and wasm, within 1e-4, and leaks no tensors', async () => {
    const crops = await readFerCrops(48);
    const scoreOn = async (backend: 'cpu' | 'wasm'): Promise<number[]> => {
      assert.equal(await initBackend(backend), backend);
      const model = await loadModel(MODEL_DIR);
      const count = tf.memory().numTensors;
      const { ensemble } = await model.scoreFaces(crops);
      assert.equal(tf.memory().numTensors, count);
      model.dispose();
      return ensemble.flatMap((row) => {
        const sum = row.reduce((s, v) => s + v, 0);
        assert.ok(Math.abs(sum - 1) < SOFTMAX_SUM_TOLERANCE);
        return Array.from(row);
      });
    };
    const onCpu = await scoreOn('cpu');
    const onWasm = await scoreOn('wasm');
    assert.equal(onCpu.length, FACE_COUNT * 7);
    const worst = Math.max(...onCpu.map((v, i) => Math.abs(v - (onWasm[i] ?? NaN))));
    assert.ok(worst < BACKEND_TOLERANCE, `largest difference ${worst}`);
  });
});
