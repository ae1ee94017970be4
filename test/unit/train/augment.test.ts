import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { FACE_TEMPLATE } from '../../../src/face/template.js';
import { ALIGNED_FACE_BOX } from '../../../src/face/template.js';
import {
  AUGMENT_VARIANTS, augmentFace, cropCachedFace, drawAugmentation,
} from '../../../src/train/augment.js';
import type { CachedFace } from '../../../src/train/cached-face.js';
import { createPrng } from '../../../src/train/prng.js';

/** Side of the synthetic cached face, px. */
const FACE_SIZE = 64;

/** Model input side of the tests, px. */
const INPUT_SIZE = 32;

/** A random-pixel face whose landmarks are the template's, placed like the cache places them. */
function makeFace(seed: number): CachedFace {
  const rng = createPrng(seed);
  const pixels = Uint8Array.from({ length: FACE_SIZE * FACE_SIZE * 3 }, () =>
    Math.floor(rng.next() * 256));
  const box = ALIGNED_FACE_BOX;
  const landmarks = FACE_TEMPLATE.map(([x, y]) => [((x - box.x) / box.width) * FACE_SIZE,
    ((y - box.y) / box.height) * FACE_SIZE] as const);
  return { size: FACE_SIZE, channels: 3, pixels, landmarks, label: 3 };
}

describe('augmentation', () => {
  it('offers the paper variants: original, flip, four rotations, three noise levels', () => {
    assert.equal(AUGMENT_VARIANTS.length, 9);
    const rotations = AUGMENT_VARIANTS.flatMap((v) => (v.kind === 'rotate' ? [v.degrees] : []));
    const noise = AUGMENT_VARIANTS.flatMap((v) => (v.kind === 'noise' ? [v.variance] : []));
    assert.deepEqual(rotations, [-6, -4, 4, 6]);
    assert.deepEqual(noise, [0.001, 0.01, 0.015]);
  });

  it('produces identical crops for the same seed', () => {
    const face = makeFace(1);
    const run = (): Float32Array[] => {
      const rng = createPrng(99);
      return Array.from({ length: 6 }, () => augmentFace(face, INPUT_SIZE, drawAugmentation(rng),
        rng)).flatMap((c) => [c.face, c.eye, c.nose, c.mouth]);
    };
    assert.deepEqual(run(), run());
  });

  it('keeps the plain crop when nothing is changed', () => {
    const face = makeFace(2);
    const plain = cropCachedFace(face, INPUT_SIZE);
    const same = augmentFace(face, INPUT_SIZE, { variant: { kind: 'original' }, shiftX: 0,
      shiftY: 0, flip: false }, createPrng(1));
    assert.deepEqual(same.face, plain.face);
    assert.deepEqual(same.mouth, plain.mouth);
  });

  it('cancels the flip variant with the per-step flip', () => {
    const face = makeFace(3);
    const plain = cropCachedFace(face, INPUT_SIZE);
    const twice = augmentFace(face, INPUT_SIZE, { variant: { kind: 'flip' }, shiftX: 0, shiftY: 0,
      flip: true }, createPrng(1));
    assert.deepEqual(twice.face, plain.face);
  });

  it('mirrors the face crop for a flip', () => {
    const face = makeFace(4);
    const plain = cropCachedFace(face, INPUT_SIZE);
    const flipped = augmentFace(face, INPUT_SIZE, { variant: { kind: 'flip' }, shiftX: 0,
      shiftY: 0, flip: false }, createPrng(1));
    const at = (img: Float32Array, row: number, col: number): number =>
      img[(row * INPUT_SIZE + col) * 3] as number;
    let worst = 0;
    for (let row = 0; row < INPUT_SIZE; row++) {
      for (let col = 0; col < INPUT_SIZE; col++) {
        worst = Math.max(worst, Math.abs(at(plain.face, row, col) -
          at(flipped.face, row, INPUT_SIZE - 1 - col)));
      }
    }
    assert.ok(worst < 1e-5, `worst mirrored difference ${worst}`);
  });

  it('adds noise of the chosen variance, clipped to [0, 1]', () => {
    const face = makeFace(5);
    const plain = cropCachedFace(face, INPUT_SIZE);
    const noisy = augmentFace(face, INPUT_SIZE, { variant: { kind: 'noise', variance: 0.01 },
      shiftX: 0, shiftY: 0, flip: false }, createPrng(8));
    let changed = 0;
    noisy.face.forEach((v, i) => {
      assert.ok(v >= 0 && v <= 1);
      if (v !== plain.face[i]) changed++;
    });
    assert.ok(changed > noisy.face.length * 0.9);
  });
});
