import assert from 'node:assert/strict';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { MreError } from '../../../src/errors.js';
import { INPUT_OFFSET } from '../../../src/model/crops-to-tensors.js';
import { initBackend } from '../../../src/model/backend.js';
import { hashBytes } from '../../../src/model/file-hash.js';
import { loadModel } from '../../../src/model/load-model.js';
import { saveModel } from '../../../src/model/save-model.js';
import { createCrops, createDraft, createNets, createTempDir, TINY_CONFIG } from './fixtures.js';

/** Faces in a test batch. */
const BATCH = 3;

/** How far uint8-stored weights may move a softmax score in the tiny model. */
const UINT8_SCORE_TOLERANCE = 0.02;

const isModelError = (pattern: RegExp) => (err: unknown): boolean =>
  err instanceof MreError && err.code === 'MODEL' && pattern.test(err.message);

/** Scores of in-memory nets, for comparison with a loaded model. */
function predictRegion(net: tf.LayersModel, faces: tf.Tensor, regions: tf.Tensor): number[] {
  return tf.tidy(() => Array.from((net.predict([faces, regions]) as tf.Tensor).dataSync()));
}

describe('saveModel and loadModel', () => {
  let root = '';
  let dir = '';
  let nets: ReturnType<typeof createNets>;

  before(async () => {
    await initBackend('cpu');
    nets = createNets();
    root = await createTempDir();
    dir = join(root, 'tiny');
    await saveModel(dir, nets, createDraft());
  });

  after(async () => {
    Object.values(nets).forEach((net) => net.dispose());
    await rm(root, { recursive: true, force: true });
  });

  it('writes a manifest of every file, size and hash, and leaves no temp folder', async () => {
    const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8'));
    const paths = manifest.files.map((f: { path: string }) => f.path);
    assert.deepEqual(paths, [
      'eye/model.json',
      'eye/weights.bin',
      'mouth/model.json',
      'mouth/weights.bin',
      'nose/model.json',
      'nose/weights.bin',
    ]);
    const bytes = await readFile(join(dir, 'eye/weights.bin'));
    assert.equal(manifest.files[1].bytes, bytes.length);
    assert.equal(manifest.files[1].sha256, hashBytes(bytes));
    assert.deepEqual(await readdir(root), ['tiny']);
  });

  it('loads back the same scores as the saved networks, exactly', async () => {
    const model = await loadModel(dir);
    const crops = createCrops(BATCH, TINY_CONFIG.inputSize);
    const scores = await model.scoreFaces(crops);
    const faces = tf.tensor4d(crops.flatMap((c) => greyOf(c.face)), [BATCH, 24, 24, 1]);
    const eyes = tf.tensor4d(crops.flatMap((c) => greyOf(c.eye)), [BATCH, 24, 24, 1]);
    const loaded = scores.perRegion.eye.flatMap((row) => Array.from(row));
    assert.deepEqual(loaded, predictRegion(nets.eye, faces, eyes));
    tf.dispose([faces, eyes]);
    model.dispose();
  });

  it('reports the manifest hash, the backend and the untrained flag', async () => {
    const model = await loadModel(dir);
    assert.equal(model.sha256, hashBytes(await readFile(join(dir, 'manifest.json'))));
    assert.equal(model.backend, 'cpu');
    assert.equal(model.untrained, true);
    assert.equal(model.name, 'tiny-test');
    model.dispose();
  });

  it('combines the regions with the paper weights 2/5, 1/5, 2/5', async () => {
    const model = await loadModel(dir);
    const { ensemble, perRegion } = await model.scoreFaces(createCrops(1, 24));
    const expected = [0, 1, 2, 3, 4, 5, 6].map((k) => {
      const at = (rows: Float32Array[]): number => rows[0]?.[k] ?? NaN;
      const sum = 0.4 * at(perRegion.eye) + 0.2 * at(perRegion.nose) + 0.4 * at(perRegion.mouth);
      return Math.fround(sum);
    });
    assert.deepEqual(Array.from(ensemble[0] ?? []), expected);
    model.dispose();
  });

  it('keeps the tensor count flat across five scoring calls', async () => {
    const model = await loadModel(dir);
    const crops = createCrops(BATCH, 24);
    await model.scoreFaces(crops);
    const count = tf.memory().numTensors;
    for (let i = 0; i < 5; i += 1) {
      await model.scoreFaces(crops);
      assert.equal(tf.memory().numTensors, count);
    }
    model.dispose();
  });

  it('resizes crops of another size and returns nothing for no faces', async () => {
    const model = await loadModel(dir);
    const scores = await model.scoreFaces(createCrops(2, 40));
    assert.equal(scores.ensemble.length, 2);
    assert.equal(scores.ensemble[0]?.length, 7);
    assert.deepEqual(await model.scoreFaces([]), {
      ensemble: [],
      perRegion: { eye: [], nose: [], mouth: [] },
    });
    model.dispose();
    await assert.rejects(model.scoreFaces(createCrops(1, 24)), isModelError(/disposed/));
  });

  it('replaces an existing model folder as a whole', async () => {
    const again = join(root, 'again');
    await saveModel(again, nets, createDraft());
    await saveModel(again, nets, { ...createDraft(), name: 'second' });
    assert.equal((await loadModel(again)).name, 'second');
    assert.deepEqual((await readdir(root)).sort(), ['again', 'tiny']);
  });

  it('stores uint8 weights at a quarter of the size, close to the float32 scores', async () => {
    const small = join(root, 'small');
    await saveModel(small, nets, createDraft(), { quantize: 'uint8' });
    const full = (await readFile(join(dir, 'eye/weights.bin'))).length;
    const quantized = (await readFile(join(small, 'eye/weights.bin'))).length;
    assert.ok(quantized * 4 <= full, `${quantized} vs ${full}`);
    const crops = createCrops(2, 24);
    const [a, b] = await Promise.all([loadModel(dir), loadModel(small)]);
    const sa = (await a.scoreFaces(crops)).ensemble.flatMap((r) => Array.from(r));
    const sb = (await b.scoreFaces(crops)).ensemble.flatMap((r) => Array.from(r));
    sa.forEach((v, i) => assert.ok(Math.abs(v - (sb[i] ?? NaN)) < UINT8_SCORE_TOLERANCE));
    await rm(small, { recursive: true });
  });

  it('refuses a network whose input size differs from the manifest', async () => {
    const draft = { ...createDraft(), inputSize: 32 };
    await assert.rejects(saveModel(join(root, 'bad'), nets, draft), (err: unknown) => {
      return err instanceof MreError && err.code === 'USAGE' && /eye network/.test(err.message);
    });
    assert.deepEqual((await readdir(root)).sort(), ['again', 'tiny']);
  });
});

describe('loadModel refuses a damaged model folder', () => {
  let root = '';

  before(async () => {
    await initBackend('cpu');
    root = await createTempDir();
  });

  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  const copyOf = async (name: string): Promise<string> => {
    const dir = join(root, name);
    const nets = createNets();
    await saveModel(dir, nets, createDraft());
    Object.values(nets).forEach((net) => net.dispose());
    return dir;
  };

  it('refuses a weights file with one byte changed, naming it and both hashes', async () => {
    const dir = await copyOf('tampered');
    const file = join(dir, 'nose/weights.bin');
    const bytes = await readFile(file);
    const expected = hashBytes(bytes);
    bytes[100] = (bytes[100] ?? 0) ^ 0xff;
    await writeFile(file, bytes);
    const message = `${file}: sha256 mismatch, expected ${expected} got ${hashBytes(bytes)}`;
    await assert.rejects(loadModel(dir), (err: unknown) => {
      return err instanceof MreError && err.code === 'MODEL' && err.message === message;
    });
  });

  it('refuses a missing file and a file of another size', async () => {
    const dir = await copyOf('missing');
    await rm(join(dir, 'mouth/model.json'));
    await assert.rejects(loadModel(dir), isModelError(/mouth\/model\.json: missing/));
    const grown = await copyOf('grown');
    await writeFile(join(grown, 'eye/weights.bin'), Buffer.alloc(3), { flag: 'a' });
    await assert.rejects(loadModel(grown), isModelError(/size mismatch, expected \d+ bytes/));
  });

  it('refuses a wrong class list and an unknown formatVersion', async () => {
    const dir = await copyOf('edited');
    const file = join(dir, 'manifest.json');
    const manifest = JSON.parse(await readFile(file, 'utf8'));
    await writeFile(file, JSON.stringify({ ...manifest, classes: ['happy', 'sad'] }));
    await assert.rejects(loadModel(dir), isModelError(/wrong class list/));
    await writeFile(file, JSON.stringify({ ...manifest, formatVersion: 99 }));
    const unknownVersion = /unknown formatVersion: expected 1, got 99/;
    await assert.rejects(loadModel(dir), isModelError(unknownVersion));
  });

  it('refuses a folder without manifest.json', async () => {
    await assert.rejects(loadModel(join(root, 'nothing')), isModelError(/manifest\.json: missing/));
  });

  it('loads a trained model with untrained false', async () => {
    const dir = join(root, 'trained');
    const nets = createNets();
    await saveModel(dir, nets, createDraft(undefined, false));
    const model = await loadModel(dir);
    assert.equal(model.untrained, false);
    model.dispose();
  });
});

/** Mean of R, G and B per pixel, as the model's grey input. */
/** Grey network input as cropsToTensors makes it: mean of R, G, B less INPUT_OFFSET. */
function greyOf(rgb: Float32Array): number[] {
  const grey: number[] = [];
  for (let i = 0; i < rgb.length; i += 3) {
    grey.push(((rgb[i] ?? 0) + (rgb[i + 1] ?? 0) + (rgb[i + 2] ?? 0)) / 3 - INPUT_OFFSET);
  }
  return grey;
}
