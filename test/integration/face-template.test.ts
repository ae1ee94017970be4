import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { before, describe, it } from 'node:test';

import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import sharp from 'sharp';

import { detectFace, isPlausibleLandmarks } from '../../src/face/detect-face.js';
import { loadFaceNets, type FaceNets } from '../../src/face/face-api-nets.js';
import { estimateMeanShape } from '../../src/face/mean-shape.js';
import { ALIGNMENT_INDICES, FACE_TEMPLATE } from '../../src/face/template.js';
import type { Point } from '../../src/face/types.js';
import { SHARED_DATA } from '../support/shared-data.js';

const require = createRequire(import.meta.url);

const TAIWANESE_TRAIN = `${SHARED_DATA}/images/taiwanese/train`;

/** Images a class; the committed template used about 22 a class. */
const IMAGES_PER_CLASS = 2;

/**
 * Largest distance (template units) allowed between a template point and the mean of a small
 * sample; the committed template was averaged over 154 faces, this sample has 14.
 */
const MEAN_SHAPE_TOLERANCE = 0.04;

/** The same for the eye and nose points the alignment is fitted on (they vary less). */
const ANCHOR_TOLERANCE = 0.02;

describe('FACE_TEMPLATE against real faces', () => {
  let nets: FaceNets;

  before(async () => {
    setWasmPaths(`${path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm'))}${path.sep}`);
    await tf.setBackend('wasm');
    nets = await loadFaceNets();
  });

  it('is close to the mean landmark shape of a sample of Taiwanese training faces', async () => {
    const shapes: Point[][] = [];
    for (const cls of (await readdir(TAIWANESE_TRAIN)).sort()) {
      const names = (await readdir(path.join(TAIWANESE_TRAIN, cls))).sort();
      // spread over the folder, so that the sample covers several performers
      const picks = Array.from({ length: IMAGES_PER_CLASS }, (_, k) =>
        names[Math.floor(((k + 0.5) * names.length) / IMAGES_PER_CLASS)] as string);
      for (const name of picks) {
        const { data, info } = await sharp(path.join(TAIWANESE_TRAIN, cls, name)).removeAlpha()
          .raw().toBuffer({ resolveWithObject: true });
        const frame = { index: 0, timeSec: 0, width: info.width, height: info.height,
          data: new Uint8Array(data) };
        const face = await detectFace(nets, frame);
        assert.ok(face !== null && isPlausibleLandmarks(face.landmarks, face.box), name);
        shapes.push(face.landmarks);
      }
    }
    const mean = estimateMeanShape(shapes, ALIGNMENT_INDICES);
    const distances = mean.map(([x, y], i) => {
      const [tx, ty] = FACE_TEMPLATE[i] as Point;
      return Math.hypot(x - tx, y - ty);
    });
    const worst = Math.max(...distances);
    const worstAnchor = Math.max(...ALIGNMENT_INDICES.map((i) => distances[i] as number));
    assert.ok(worst < MEAN_SHAPE_TOLERANCE, `largest deviation ${worst.toFixed(4)}`);
    assert.ok(worstAnchor < ANCHOR_TOLERANCE, `largest eye/nose deviation ${worstAnchor}`);
  });
});
