import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import * as tf from '@tensorflow/tfjs';

import { createFolderSaveHandler } from '../../../src/model/layers-folder.js';
import { createSubNetwork } from '../../../src/model/mre-cnn.js';
import {
  copyWeightsByName, loadInitModel, resolveInitPath,
} from '../../../src/train/init-weights.js';

/** A small sub-network configuration for the tests. */
const TINY = { arch: 'alexnet', inputSize: 32, width: 0.125, channels: 3 } as const;

/** A single-stream stand-in whose conv1 matches the sub-network's conv1 by name and shape. */
function createStandIn(): tf.LayersModel {
  const input = tf.input({ shape: [32, 32, 3] });
  const probe = createSubNetwork(TINY, 'eye', { seed: 5 });
  const conv1 = probe.getLayer('face_conv1') as tf.layers.Layer & { getConfig(): object };
  const config = { ...conv1.getConfig(), name: 'conv1' } as Parameters<typeof tf.layers.conv2d>[0];
  probe.dispose();
  const out = tf.layers.conv2d({ ...config, kernelInitializer: 'ones' }).apply(input);
  return tf.model({ inputs: input, outputs: out as tf.SymbolicTensor });
}

describe('init weights', () => {
  let dir = '';
  before(async () => {
    await tf.setBackend('cpu');
    dir = await mkdtemp(join(tmpdir(), 'mre-init-'));
  });
  after(async () => rm(dir, { recursive: true, force: true }));

  it('copies every layer of a model with the same names', () => {
    const source = createSubNetwork(TINY, 'eye', { seed: 1 });
    const target = createSubNetwork(TINY, 'eye', { seed: 2 });
    const report = copyWeightsByName(source, target);
    assert.equal(report.skipped.length, 0);
    target.weights.forEach((w, i) => assert.deepEqual(w.read().dataSync(),
      source.weights[i]?.read().dataSync()));
    source.dispose();
    target.dispose();
  });

  it('loads a saved stand-in and feeds its conv1 into both streams, keeping the rest', async () => {
    const standIn = createStandIn();
    await standIn.save(createFolderSaveHandler(join(dir, 'stand-in')));
    standIn.dispose();
    const source = await loadInitModel(join(dir, 'stand-in'));
    const target = createSubNetwork(TINY, 'mouth', { seed: 3 });
    const fc1Before = target.getLayer('fc1').getWeights()[0]?.dataSync().slice();
    const report = copyWeightsByName(source, target);
    assert.deepEqual(report.copied.map((c) => c.target).sort(), ['face_conv1', 'region_conv1']);
    const kernel = target.getLayer('region_conv1').getWeights()[0]?.dataSync() ?? [];
    assert.ok([...kernel].every((v) => v === 1));
    assert.deepEqual(target.getLayer('fc1').getWeights()[0]?.dataSync(), fc1Before);
    source.dispose();
    target.dispose();
  });
});

describe('resolveInitPath', () => {
  let root = '';
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'mre-init-path-'));
    await writeFile(join(root, 'manifest.json'), '{}');
  });
  after(async () => rm(root, { recursive: true, force: true }));

  it('gives each region its own sub-network of a model folder', async () => {
    assert.equal(await resolveInitPath(root, 'nose'), join(root, 'nose', 'model.json'));
    assert.equal(await resolveInitPath(root, 'eye'), join(root, 'eye', 'model.json'));
  });

  it('keeps any other path as one model for every region', async () => {
    const single = join(root, 'single', 'model.json');
    assert.equal(await resolveInitPath(single, 'mouth'), single);
    assert.equal(await resolveInitPath(join(root, 'eye'), 'mouth'), join(root, 'eye'));
  });
});
