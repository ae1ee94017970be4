import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import * as tf from '@tensorflow/tfjs';

import { chooseModelEngine, initBackend } from '../../../../src/model/backend.js';
import { loadModel, ONNX_BACKEND_NAME } from '../../../../src/model/load-model.js';
import type { ModelConfig } from '../../../../src/model/model-config.js';
import { REGIONS } from '../../../../src/model/model-config.js';
import { saveModel } from '../../../../src/model/save-model.js';
import { createCrops, createDraft, createNets, createTempDir, TINY_CONFIG } from '../fixtures.js';

/** Largest score difference allowed between tf.js (cpu) and onnxruntime. */
const ENGINE_TOLERANCE = 1e-4;

/** Faces per compared batch. */
const BATCH = 4;

/** Configurations that reach every branch of the export. */
const CONFIGS: Record<string, ModelConfig> = {
  // 3x3 stride-1 stem, valid pools (24 -> 11 -> 5 -> 2), grey
  'AlexNet-style, 24 px grey': TINY_CONFIG,
  // 16 px: valid pools would end below 2 px, so the pools keep partial windows ('same')
  'AlexNet-style, 16 px RGB with same-padded pools': { arch: 'alexnet', inputSize: 16,
    width: 0.0625, channels: 3 },
  // 5x5 stride-2 stem with odd padding
  'AlexNet-style, 48 px grey': { arch: 'alexnet', inputSize: 48, width: 0.0625, channels: 1 },
  // two hidden dense layers; pools skipped below 4 px
  'VGG-16, 16 px RGB': { arch: 'vgg16', inputSize: 16, width: 0.03125, channels: 3 },
};

/** Largest absolute difference between two lists of score rows. */
function largestDifference(a: Float32Array[], b: Float32Array[]): number {
  assert.equal(a.length, b.length);
  return Math.max(...a.flatMap((row, i) => [...row].map((v, k) => Math.abs(v - b[i]![k]!))));
}

describe('the onnx engine', () => {
  let root = '';

  before(async () => {
    await initBackend('cpu');
    root = await createTempDir();
  });

  after(async () => rm(root, { recursive: true, force: true }));

  for (const [title, config] of Object.entries(CONFIGS)) {
    it(`scores like tf.js within 1e-4: ${title}`, async () => {
      const dir = join(root, title.replace(/\W+/g, '-'));
      const nets = createNets(config);
      await saveModel(dir, nets, createDraft(config));
      Object.values(nets).forEach((net) => net.dispose());
      const tfjs = await loadModel(dir);
      const onnx = await loadModel(dir, { engine: 'onnx' });
      assert.equal(onnx.backend, ONNX_BACKEND_NAME);
      assert.equal(onnx.sha256, tfjs.sha256);
      const crops = createCrops(BATCH, config.inputSize);
      const expected = await tfjs.scoreFaces(crops);
      const got = await onnx.scoreFaces(crops);
      assert.ok(largestDifference(got.ensemble, expected.ensemble) < ENGINE_TOLERANCE);
      for (const region of REGIONS) {
        const worst = largestDifference(got.perRegion[region], expected.perRegion[region]);
        assert.ok(worst < ENGINE_TOLERANCE, `${region}: largest difference ${worst}`);
      }
      tfjs.dispose();
      onnx.dispose();
    });
  }

  it('resizes crops of another size exactly as tf.js does, and leaks no tensors', async () => {
    const dir = join(root, 'resize');
    const nets = createNets();
    await saveModel(dir, nets, createDraft());
    Object.values(nets).forEach((net) => net.dispose());
    const tfjs = await loadModel(dir);
    const onnx = await loadModel(dir, { engine: 'onnx' });
    const crops = createCrops(BATCH, TINY_CONFIG.inputSize + 8);
    const expected = await tfjs.scoreFaces(crops);
    const count = tf.memory().numTensors;
    const got = await onnx.scoreFaces(crops);
    assert.equal(tf.memory().numTensors, count);
    assert.ok(largestDifference(got.ensemble, expected.ensemble) < ENGINE_TOLERANCE);
    assert.deepEqual(await onnx.scoreFaces([]), { ensemble: [],
      perRegion: { eye: [], nose: [], mouth: [] } });
    tfjs.dispose();
    onnx.dispose();
    await assert.rejects(onnx.scoreFaces(crops), /already disposed/);
  });
});

describe('chooseModelEngine', () => {
  it('takes onnx when asked, and under auto unless tf.js runs natively', async () => {
    assert.equal(await chooseModelEngine('onnx', 'wasm'), 'onnx');
    assert.equal(await chooseModelEngine('auto', 'wasm'), 'onnx');
    assert.equal(await chooseModelEngine('auto', 'tensorflow'), 'tfjs');
    assert.equal(await chooseModelEngine('wasm', 'wasm'), 'tfjs');
    assert.equal(await chooseModelEngine('cpu', 'cpu'), 'tfjs');
  });
});
