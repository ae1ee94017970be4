import assert from 'node:assert/strict';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';

import sharp from 'sharp';

import { classifyClips, loadModel } from '../../src/index.js';
import { initBackend } from '../../src/model/backend.js';
import { DEFAULT_MODEL_DIR, resolveDefaultModelDir } from '../../src/pipeline/default-model.js';
import { SHARED_DATA } from '../support/shared-data.js';

/** Largest score difference allowed between the tf.js and onnx engines. */
const ENGINE_TOLERANCE = 1e-4;

/** Taiwanese test faces (whole 256 px photos) cut into face and region crops. */
const TAIWANESE_TEST = `${SHARED_DATA}/images/taiwanese/test`;

/** Bands of a 256 px Taiwanese photo (top, height in px) standing in for the region crops. */
const BANDS = { eye: [70, 60], nose: [100, 70], mouth: [150, 70] } as const;

const argMax = (row: Float32Array): number => row.indexOf(Math.max(...row));

/** One photo of each of three classes as crops of `size` px, RGB in [0, 1]. */
async function readFaceCrops(size: number) {
  const read = async (file: string, band?: readonly [number, number]) => {
    let image = sharp(file).removeAlpha().toColourspace('srgb');
    if (band) image = image.extract({ left: 40, top: band[0], width: 176, height: band[1] });
    const raw = await image.resize(size, size, { fit: 'fill' }).raw().toBuffer();
    return Float32Array.from(raw, (v) => v / 255);
  };
  const crops = [];
  for (const name of ['happy', 'sad', 'surprise']) {
    const file = path.join(TAIWANESE_TEST, name, (await readdir(path.join(TAIWANESE_TEST,
      name))).sort()[0]!);
    crops.push({ size, face: await read(file), eye: await read(file, BANDS.eye),
      nose: await read(file, BANDS.nose), mouth: await read(file, BANDS.mouth) });
  }
  return crops;
}

/** The project's limit on committed weights. */
const MAX_WEIGHT_BYTES = 30 * 1024 * 1024;

test('the shipped default model is the one used without --model, and is trained', async () => {
  assert.equal(resolveDefaultModelDir(), DEFAULT_MODEL_DIR);
  await initBackend('wasm');
  const model = await loadModel(DEFAULT_MODEL_DIR);
  assert.equal(model.name, 'default');
  assert.equal(model.untrained, false);
  assert.equal(model.manifest.inputSize, 48);
  model.dispose();
});

test('the default model scores real face crops alike on tf.js wasm and onnx, within 1e-4',
  async () => {
    await initBackend('wasm');
    const onWasm = await loadModel(DEFAULT_MODEL_DIR);
    const onOnnx = await loadModel(DEFAULT_MODEL_DIR, { engine: 'onnx' });
    assert.equal(onOnnx.backend, 'onnx');
    const crops = await readFaceCrops(onWasm.manifest.inputSize);
    const a = await onWasm.scoreFaces(crops);
    const b = await onOnnx.scoreFaces(crops);
    const worst = Math.max(...a.ensemble.flatMap((row, i) =>
      [...row].map((v, k) => Math.abs(v - b.ensemble[i]![k]!))));
    assert.ok(worst < ENGINE_TOLERANCE, `largest difference ${worst}`);
    assert.deepEqual(a.ensemble.map(argMax), b.ensemble.map(argMax));
    onWasm.dispose();
    onOnnx.dispose();
  });

test('the default model keeps its weights within 30 MB', async () => {
  let bytes = 0;
  for (const region of ['eye', 'nose', 'mouth']) {
    for (const name of await readdir(path.join(DEFAULT_MODEL_DIR, region))) {
      bytes += (await stat(path.join(DEFAULT_MODEL_DIR, region, name))).size;
    }
  }
  assert.ok(bytes <= MAX_WEIGHT_BYTES, `${bytes} bytes`);
});

test('the default model labels the three happy validation clips happy', async () => {
  const { rows, metrics } = await classifyClips([`${SHARED_DATA}/clips/val/Happy`]);
  assert.deepEqual(rows.map((r) => r.label), ['happy', 'happy', 'happy']);
  assert.equal(metrics?.perClass.happy?.accuracy, 1);
});
