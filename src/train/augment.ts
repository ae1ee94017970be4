import { cropFaceRegions } from '../face/crop-regions.js';
import type { FaceCrops, Point } from '../face/types.js';
import type { RgbFrame } from '../video/types.js';
import type { CachedFace } from './cached-face.js';
import { type Prng, nextGaussian, nextInt } from './prng.js';

/** Rotations of the paper's augmentation, degrees (Fan et al. 2018, sec. 4.1). */
export const PAPER_ROTATIONS_DEG = [-6, -4, 4, 6] as const;

/** Variances of the paper's Gaussian noise, on pixel values in [0, 1] (sec. 4.1). */
export const PAPER_NOISE_VARIANCES = [0.001, 0.01, 0.015] as const;

/**
 * Largest random-crop shift as a fraction of the aligned face side: the paper crops 227 px
 * from 256 px images, up to 14.5 px (5.7 %) off centre each way. Shifting the face instead of
 * zooming keeps the scale the main job sees at inference.
 */
export const MAX_CROP_SHIFT_FRACTION = 14.5 / 256;

/** The paper's generated variants of a face; one is drawn per sample and step. */
export type AugmentVariant =
  | { kind: 'original' }
  | { kind: 'flip' }
  | { kind: 'rotate'; degrees: number }
  | { kind: 'noise'; variance: number };

/** Every variant: the original, its mirror image, four rotations, three noise levels. */
export const AUGMENT_VARIANTS: readonly AugmentVariant[] = [
  { kind: 'original' },
  { kind: 'flip' },
  ...PAPER_ROTATIONS_DEG.map((degrees) => ({ kind: 'rotate', degrees }) as const),
  ...PAPER_NOISE_VARIANCES.map((variance) => ({ kind: 'noise', variance }) as const),
];

/** What is done to one face in one training step. */
export interface Augmentation {
  variant: AugmentVariant;
  /** Random crop: shift of the face, fractions of the aligned face side. */
  shiftX: number;
  shiftY: number;
  /** The per-step random mirror (combined with a flip variant by exclusive or). */
  flip: boolean;
}

/** Draws one augmentation: a variant, then a random crop and flip (uses 4 uniforms). */
export function drawAugmentation(rng: Prng): Augmentation {
  const variant = AUGMENT_VARIANTS[nextInt(rng, AUGMENT_VARIANTS.length)] as AugmentVariant;
  const shiftX = (2 * rng.next() - 1) * MAX_CROP_SHIFT_FRACTION;
  const shiftY = (2 * rng.next() - 1) * MAX_CROP_SHIFT_FRACTION;
  return { variant, shiftX, shiftY, flip: rng.next() < 0.5 };
}

/** The cached face as the RGB frame cropFaceRegions reads (grey is repeated on R, G, B). */
export function toRgbFrame(face: CachedFace): RgbFrame {
  const { size, channels, pixels } = face;
  if (channels === 3) return { index: 0, timeSec: 0, width: size, height: size, data: pixels };
  const data = new Uint8Array(size * size * 3);
  for (let i = 0; i < size * size; i++) {
    const v = pixels[i] as number;
    data[3 * i] = v;
    data[3 * i + 1] = v;
    data[3 * i + 2] = v;
  }
  return { index: 0, timeSec: 0, width: size, height: size, data };
}

/** Adds N(0, variance) noise to every value of a crop, clipped to [0, 1], in place. */
function addGaussianNoise(values: Float32Array, variance: number, rng: Prng): void {
  const sigma = Math.sqrt(variance);
  for (let i = 0; i < values.length; i++) {
    const v = (values[i] as number) + sigma * nextGaussian(rng);
    values[i] = v < 0 ? 0 : v > 1 ? 1 : v;
  }
}

/**
 * Cuts the four crops of a cached face at `inputSize` px after applying `aug`: rotation and
 * flips go to the aligned face and its landmarks before the regions are cut (cropFaceRegions
 * re-indexes mirrored landmarks), the crop shift moves the landmarks the crops follow, and noise
 * is added to every crop last. `rng` is used only for noise.
 */
export function augmentFace(
  face: CachedFace, inputSize: number, aug: Augmentation, rng: Prng,
): FaceCrops {
  const { variant } = aug;
  const dx = aug.shiftX * face.size;
  const dy = aug.shiftY * face.size;
  const landmarks: Point[] = face.landmarks.map(([x, y]) => [x + dx, y + dy]);
  const flip = aug.flip !== (variant.kind === 'flip');
  const rotationDeg = variant.kind === 'rotate' ? variant.degrees : 0;
  const crops = cropFaceRegions(toRgbFrame(face), landmarks, inputSize, { rotationDeg, flip });
  if (variant.kind === 'noise') {
    for (const part of [crops.face, crops.eye, crops.nose, crops.mouth]) {
      addGaussianNoise(part, variant.variance, rng);
    }
  }
  return crops;
}

/** The crops of a cached face without augmentation (validation and ensemble search). */
export function cropCachedFace(face: CachedFace, inputSize: number): FaceCrops {
  return cropFaceRegions(toRgbFrame(face), face.landmarks, inputSize);
}
