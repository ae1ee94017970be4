import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { before, describe, it } from 'node:test';

import ffmpeg from '@ffmpeg-installer/ffmpeg';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import sharp from 'sharp';

import { cropFaceRegions, cropsToPng } from '../../src/face/crop-regions.js';
import { detectFace, fitLandmarks, isPlausibleLandmarks } from '../../src/face/detect-face.js';
import { loadExpressionNet, loadFaceNets, type FaceNets } from '../../src/face/face-api-nets.js';
import type { FaceObservation } from '../../src/face/types.js';
import type { RgbFrame } from '../../src/video/types.js';
import { SHARED_DATA } from '../support/shared-data.js';

const require = createRequire(import.meta.url);
const run = promisify(execFile);

const DEMO_DIR = path.join(
  path.dirname(require.resolve('@vladmandic/face-api/package.json')),
  'demo',
);
const DATA_DIR = SHARED_DATA;
const CLIPS_DIR = path.join(DATA_DIR, 'clips', 'val');
const FER_DIR = path.join(DATA_DIR, 'images', 'fer2013', 'val');

/** Crop side written for inspection, px. */
const CROP_SIZE_PX = 96;

/** FER2013 faces whose whole-image landmark fit must pass the plausibility check. */
const FER_MIN_PLAUSIBLE = 0.75;

/** Sets the wasm backend, as the CLI does. */
async function useWasmBackend(): Promise<void> {
  const wasmDir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
  setWasmPaths(`${wasmDir}${path.sep}`);
  await tf.setBackend('wasm');
  await tf.ready();
}

/** Decodes an image file (colour or greyscale) to an upright 3-channel RGB frame. */
async function readImageFrame(file: string): Promise<RgbFrame> {
  const { data, info } = await sharp(file).rotate().removeAlpha().toColourspace('srgb').raw()
    .toBuffer({ resolveWithObject: true });
  const { width, height } = info;
  return { index: 0, timeSec: 0, width, height, data: new Uint8Array(data) };
}

/** Decodes the frame at `timeSec` of a clip with the ffmpeg binary (MEAD clips are 256 x 256). */
async function readClipFrame(file: string, timeSec: number, size = 256): Promise<RgbFrame> {
  const args = ['-v', 'error', '-ss', String(timeSec), '-i', file, '-frames:v', '1',
    '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'];
  const { stdout } = await run(ffmpeg.path, args, { encoding: 'buffer', maxBuffer: 1 << 24 });
  assert.equal(stdout.length, size * size * 3, `raw frame size of ${file}`);
  return { index: 0, timeSec, width: size, height: size, data: new Uint8Array(stdout) };
}

/** Detects and checks that the tensor count is unchanged by the call. */
async function detectCounted(nets: FaceNets, frame: RgbFrame): Promise<FaceObservation | null> {
  const before = tf.memory().numTensors;
  const face = await detectFace(nets, frame);
  assert.equal(tf.memory().numTensors, before, 'tensors leaked by detectFace');
  return face;
}

/** Writes the four crops of a face as PNG files named `<name>-<part>.png`. */
async function saveCrops(dir: string, name: string, frame: RgbFrame, face: FaceObservation) {
  const pngs = await cropsToPng(cropFaceRegions(frame, face.landmarks, CROP_SIZE_PX));
  for (const [part, png] of Object.entries(pngs)) {
    await writeFile(path.join(dir, `${name}-${part}.png`), png);
  }
}

describe('face detection, landmarks and crops on real images', () => {
  let nets: FaceNets;
  let outDir: string;

  before(async () => {
    await useWasmBackend();
    nets = await loadFaceNets();
    outDir = await mkdtemp(path.join(os.tmpdir(), 'mre-face-'));
  });

  it('loads the nets once and shares them between calls', async () => {
    assert.equal(await loadFaceNets(), nets);
  });

  it('finds all three people of sample1 and returns the largest with 68 landmarks', async () => {
    const frame = await readImageFrame(path.join(DEMO_DIR, 'sample1.jpg'));
    const face = await detectCounted(nets, frame);
    assert.ok(face !== null);
    assert.equal(face.faceCount, 3);
    assert.equal(face.landmarks.length, 68);
    assert.ok(face.score >= 0.5 && face.score <= 1);
    assert.ok(face.box.x >= 0 && face.box.x + face.box.width <= frame.width);
    assert.ok(face.box.y >= 0 && face.box.y + face.box.height <= frame.height);
    assert.equal(isPlausibleLandmarks(face.landmarks, face.box), true);
    await saveCrops(outDir, 'sample1', frame, face);
  });

  it('finds a plausible face in each of the other demo photos', async () => {
    for (const name of ['sample2.jpg', 'sample3.jpg', 'sample4.jpg', 'sample5.jpg']) {
      const frame = await readImageFrame(path.join(DEMO_DIR, name));
      const face = await detectCounted(nets, frame);
      assert.ok(face !== null, `no face in ${name}`);
      assert.equal(face.landmarks.length, 68);
      assert.equal(isPlausibleLandmarks(face.landmarks, face.box), true, name);
      await saveCrops(outDir, path.parse(name).name, frame, face);
    }
  });

  it('finds one face, with the subject left eye on the image right, in MEAD frames', async () => {
    for (const clip of ['Happy/M030', 'Surprise/W009', 'Angry/W011', 'Fear/M030']) {
      const [emotion, actor] = clip.split('/') as [string, string];
      const dir = path.join(CLIPS_DIR, emotion);
      const file = (await readdir(dir)).find((f) => f.startsWith(actor));
      assert.ok(file !== undefined, `no ${actor} clip in ${dir}`);
      const frame = await readClipFrame(path.join(dir, file), 2);
      const face = await detectCounted(nets, frame);
      assert.ok(face !== null, `no face in ${file}`);
      assert.equal(face.faceCount, 1);
      const leftEyeX = face.landmarks.slice(42, 48).reduce((s, p) => s + p[0], 0) / 6;
      const rightEyeX = face.landmarks.slice(36, 42).reduce((s, p) => s + p[0], 0) / 6;
      assert.ok(leftEyeX > rightEyeX, 'points 42-47 lie on the image right');
      await saveCrops(outDir, `${emotion}-${actor}`, frame, face);
    }
  });

  it('returns null for a frame without a face', async () => {
    const grey = new Uint8Array(320 * 240 * 3).fill(128);
    const frame = { index: 0, timeSec: 0, width: 320, height: 240, data: grey };
    assert.equal(await detectCounted(nets, frame), null);
  });

  it('fits plausible landmarks to whole 48 x 48 FER2013 faces', async () => {
    const files: string[] = [];
    for (const cls of ['happy', 'sad', 'surprise', 'neutral']) {
      const names = (await readdir(path.join(FER_DIR, cls))).sort().slice(0, 3);
      files.push(...names.map((n) => path.join(FER_DIR, cls, n)));
    }
    let plausible = 0;
    const before = tf.memory().numTensors;
    for (const file of files) {
      const frame = await readImageFrame(file);
      const box = { x: 0, y: 0, width: frame.width, height: frame.height };
      const landmarks = await fitLandmarks(nets, frame, box);
      assert.equal(landmarks.length, 68);
      plausible += isPlausibleLandmarks(landmarks, box) ? 1 : 0;
    }
    assert.equal(tf.memory().numTensors, before, 'tensors leaked by fitLandmarks');
    assert.ok(plausible / files.length >= FER_MIN_PLAUSIBLE, `${plausible}/${files.length}`);
  });

  it('loads the expression net lazily, once', async () => {
    const net = await loadExpressionNet(nets);
    assert.equal(await loadExpressionNet(nets), net);
  });

  it('leaves the crops as PNG files in a temp folder', async () => {
    const files = await readdir(outDir);
    // sample1, four more demo photos and four MEAD frames, four crops each
    assert.equal(files.filter((f) => f.endsWith('.png')).length, 9 * 4);
    process.stderr.write(`face crops: ${outDir}\n`);
  });
});
