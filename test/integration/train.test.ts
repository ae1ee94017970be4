import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import * as tf from '@tensorflow/tfjs';

import { silentLogger } from '../../src/log.js';
import { initBackend } from '../../src/model/backend.js';
import { registerWasmTrainingKernels } from '../../src/model/wasm-conv2d-backprop-filter.js';
import { loadFaceNets } from '../../src/face/face-api-nets.js';
import type { FaceSet } from '../../src/train/cached-face.js';
import { listImageDataset } from '../../src/train/image-dataset.js';
import { preprocessDataset } from '../../src/train/preprocess-cache.js';
import { runTraining } from '../../src/train/train-run.js';
import { trainSubNetwork, subNetworkDirs } from '../../src/train/train-subnetwork.js';
import { validateTrainOptions, type TrainOptions } from '../../src/train/train-options.js';
import { SHARED_DATA } from '../support/shared-data.js';

/** FER2013 in the shared data (see /work/shared/data/README.md). */
const FER_ROOT = `${SHARED_DATA}/images/fer2013/`;

/** The three classes and images per class of the tiny dataset. */
const TINY_CLASSES = ['angry', 'happy', 'surprise'];
const TRAIN_PER_CLASS = 12;
const VAL_PER_CLASS = 4;

/** The tiny training configuration (input 32 px, width 0.25). */
const TINY: Omit<TrainOptions, 'out'> = { data: ['unused-by-trainSubNetwork'], inputSize: 32,
  width: 0.25, batchSize: 16, lr: 0.01, backend: 'wasm' };

/** Copies the first `count` images of each tiny class of a FER2013 split into `dir`. */
async function copySplit(split: string, dir: string, count: number): Promise<void> {
  for (const name of TINY_CLASSES) {
    await mkdir(join(dir, name), { recursive: true });
    const files = (await readdir(join(FER_ROOT, split, name))).sort().slice(0, count);
    for (const f of files) await copyFile(join(FER_ROOT, split, name, f), join(dir, name, f));
  }
}

describe('training', () => {
  let tmp = '';
  let cache = '';
  let train: FaceSet;
  let val: FaceSet;

  before(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'mre-train-'));
    cache = join(tmp, 'cache');
    await copySplit('train', join(tmp, 'train'), TRAIN_PER_CLASS);
    await copySplit('val', join(tmp, 'val'), VAL_PER_CLASS);
    registerWasmTrainingKernels();
    await initBackend('wasm');
    const settings = { inputSize: 32, channels: 3 } as const;
    const prepare = async (root: string): Promise<FaceSet> => {
      const { items } = await listImageDataset(root, silentLogger);
      const done = await preprocessDataset({ root, items, cacheDir: cache }, settings,
        loadFaceNets, silentLogger);
      assert.equal(done.counts.detected, 0, 'FER2013 faces are too small for the detector');
      return done.set;
    };
    train = await prepare(join(tmp, 'train'));
    val = await prepare(join(tmp, 'val'));
  });

  after(async () => rm(tmp, { recursive: true, force: true }));

  it('lowers the loss of a tiny sub-network within 20 steps', async () => {
    const options = validateTrainOptions({ ...TINY, out: join(tmp, 'falls'), iterations: 20,
      evalEvery: 5 });
    const tensorsBefore = tf.memory().numTensors;
    const result = await trainSubNetwork({ region: 'mouth', options, train, val }, silentLogger);
    assert.equal(tf.memory().numTensors, tensorsBefore, 'training leaves no tensor behind');
    const losses = result.history.map((r) => r.loss);
    assert.equal(losses.length, 4);
    assert.ok((losses[3] as number) < (losses[0] as number), `losses ${losses.join(', ')}`);
    const summary = await readFile(join(subNetworkDirs(options.out, 'mouth').root,
      'summary.csv'), 'utf8');
    assert.equal(summary.trim().split('\n').length, 5);
  });

  for (const classBalance of [0, 1]) {
    it(`resumes to exactly the weights of an uninterrupted run (class balance ${classBalance})`,
      async () => {
      const base = { ...TINY, iterations: 8, evalEvery: 4, classBalance };
      const whole = validateTrainOptions({ ...base, out: join(tmp, `whole-${classBalance}`) });
      await trainSubNetwork({ region: 'eye', options: whole, train, val }, silentLogger);
      const split = join(tmp, `split-${classBalance}`);
      const first = validateTrainOptions({ ...base, out: split, stopAfter: 4 });
      const stopped = await trainSubNetwork({ region: 'eye', options: first, train, val },
        silentLogger);
      assert.equal(stopped.iteration, 4);
      const again = validateTrainOptions({ ...base, out: split, resume: true });
      const resumed = await trainSubNetwork({ region: 'eye', options: again, train, val },
        silentLogger);
      assert.equal(resumed.iteration, 8);
      const weights = async (out: string): Promise<Buffer> =>
        readFile(join(subNetworkDirs(out, 'eye').last, 'weights.bin'));
      assert.ok((await weights(whole.out)).equals(await weights(split)));
      assert.deepEqual(resumed.history.map((r) => r.loss), (await trainSubNetwork({ region: 'eye',
        options: validateTrainOptions({ ...base, out: whole.out, resume: true }), train, val },
      silentLogger)).history.map((r) => r.loss));
    });
  }

  it('trains the three sub-networks in workers and saves an ensemble model', async () => {
    const out = join(tmp, 'run');
    const report = await runTraining({ ...TINY, data: [join(tmp, 'train')],
      val: [join(tmp, 'val')], out, cache, iterations: 4, evalEvery: 2 }, silentLogger);
    assert.deepEqual(report.table3.map((r) => r.model), ['eye', 'nose', 'mouth', 'ensemble']);
    const counts = report.preprocessing[join(tmp, 'train')];
    assert.equal(counts?.fromCache, TRAIN_PER_CLASS * TINY_CLASSES.length, 'all from the cache');
    assert.equal(report.trainFaces, TRAIN_PER_CLASS * TINY_CLASSES.length - (counts?.dropped ?? 0));
    const manifest = JSON.parse(await readFile(join(out, 'model', 'manifest.json'), 'utf8')) as
      { ensembleWeights: Record<string, number>; metrics: { table3: unknown[] } };
    const sum = Object.values(manifest.ensembleWeights).reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(sum - 1) < 1e-9);
    assert.equal(manifest.metrics.table3.length, 4);
    const saved = JSON.parse(await readFile(join(out, 'options.json'), 'utf8')) as
      { seed: number };
    assert.equal(saved.seed, 1);
  });
});
