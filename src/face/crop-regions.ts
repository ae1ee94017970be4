import sharp from 'sharp';

import { MreError } from '../errors.js';
import type { RgbFrame } from '../video/types.js';
import {
  applyAffine,
  composeAffines,
  createAffineFromSimilarity,
  createHorizontalFlip,
  createScreenRotation,
  invertAffine,
  type Affine,
} from './affine.js';
import { alignLandmarks } from './align-face.js';
import { reindexMirrored } from './mirror.js';
import { computeRegionBoxes, type RegionBoxes } from './regions.js';
import { ALIGNED_FACE_BOX } from './template.js';
import type { Box, FaceCrops, Point } from './types.js';

/**
 * How pixels outside the frame are filled: `edge` repeats the nearest border pixel (a face
 * touching the border keeps plausible skin and hair colours), `grey` uses {@link PAD_GREY}.
 */
export type CropPadding = 'edge' | 'grey';

/** The padding value of `grey`, in 0..1 (mid-grey, the mean of a [0, 1] image). */
export const PAD_GREY = 0.5;

/**
 * Most samples per output pixel along each axis. When the crop shrinks the face, each output
 * pixel averages about one bilinear sample per frame pixel it covers (rounded, up to 3 x 3),
 * which keeps fine detail (eyelashes, teeth) from aliasing; 3 bounds the cost for large faces
 * (each bilinear sample already spans two pixels a side).
 */
export const MAX_SUPERSAMPLE = 3;

/** Options of {@link cropFaceRegions}. */
export interface CropOptions {
  /**
   * Training augmentation: rotate the aligned face by this many degrees, counter-clockwise on
   * screen, about the centre of the face box, before the regions are cut. Default 0.
   */
  rotationDeg?: number;
  /**
   * Training augmentation: mirror the aligned face left-right before the regions are cut; the
   * landmarks are re-indexed so the eye crop still shows the subject's left eye. Default false.
   */
  flip?: boolean;
  /** Padding outside the frame; default `edge`. */
  padding?: CropPadding;
}

/** Where each crop comes from. */
export interface CropPlan {
  /** Maps crop (template) coordinates to frame pixels. */
  toFrame: Affine;
  /** The landmarks in crop coordinates, after augmentation (and re-indexing when flipped). */
  landmarks: Point[];
  /** The face box and the three region boxes in crop coordinates. */
  boxes: RegionBoxes & { face: Box };
}

/** Centre of the aligned face box. */
const FACE_CENTER: Point = [
  ALIGNED_FACE_BOX.x + ALIGNED_FACE_BOX.width / 2,
  ALIGNED_FACE_BOX.y + ALIGNED_FACE_BOX.height / 2,
];

/**
 * Plans the crops of one face: aligns its landmarks onto the template, applies the optional
 * rotation and flip to the aligned face and its landmarks, and computes the region boxes from the
 * result.
 */
export function planFaceCrops(landmarks: readonly Point[], opts: CropOptions = {}): CropPlan {
  const { toTemplate, aligned } = alignLandmarks(landmarks);

  // augmentation in template coordinates: rotate, then flip
  let augment = createScreenRotation(FACE_CENTER, opts.rotationDeg ?? 0);
  if (opts.flip === true) {
    augment = composeAffines(augment, createHorizontalFlip(FACE_CENTER[0]));
  }
  let points = aligned.map((p) => applyAffine(augment, p));
  if (opts.flip === true) {
    points = reindexMirrored(points);
  }

  // crop coordinates -> frame pixels
  const frameToCrop = composeAffines(createAffineFromSimilarity(toTemplate), augment);
  return {
    toFrame: invertAffine(frameToCrop),
    landmarks: points,
    boxes: { face: { ...ALIGNED_FACE_BOX }, ...computeRegionBoxes(points) },
  };
}

/** Bytes per RGB pixel. */
const CHANNELS = 3;

/** Reads one channel of a pixel, or `outside` when the pixel is off the frame (< 0: edge). */
function readPixel(
  frame: RgbFrame,
  col: number,
  row: number,
  ch: number,
  outside: number,
): number {
  const { width, height } = frame;
  if (outside < 0) {
    const c = col < 0 ? 0 : col >= width ? width - 1 : col;
    const r = row < 0 ? 0 : row >= height ? height - 1 : row;
    return frame.data[(r * width + c) * CHANNELS + ch] as number;
  }
  if (col < 0 || row < 0 || col >= width || row >= height) {
    return outside;
  }
  return frame.data[(row * width + col) * CHANNELS + ch] as number;
}

/** Bilinear sample of one channel near the border, going through {@link readPixel}. */
function sampleBorder(
  frame: RgbFrame,
  x0: number,
  y0: number,
  wx: number,
  wy: number,
  ch: number,
  outside: number,
): number {
  const top = readPixel(frame, x0, y0, ch, outside) * (1 - wx) +
    readPixel(frame, x0 + 1, y0, ch, outside) * wx;
  const bottom = readPixel(frame, x0, y0 + 1, ch, outside) * (1 - wx) +
    readPixel(frame, x0 + 1, y0 + 1, ch, outside) * wx;
  return top * (1 - wy) + bottom * wy;
}

/**
 * Adds the bilinear sample at continuous pixel position (u, v) (pixel c spans [c, c + 1)) to
 * `acc[0..2]`, in 0..255. `outside` < 0 selects edge padding, otherwise it is the fill value.
 * The interior case is inlined in {@link warpBox}; this handles samples near the border.
 */
function accumulateBorderSample(
  frame: RgbFrame,
  u: number,
  v: number,
  outside: number,
  acc: Float64Array,
): void {
  const fx = u - 0.5;
  const fy = v - 0.5;
  const x0 = Math.floor(fx);
  const y0 = Math.floor(fy);
  for (let ch = 0; ch < CHANNELS; ch += 1) {
    acc[ch] = (acc[ch] as number) + sampleBorder(frame, x0, y0, fx - x0, fy - y0, ch, outside);
  }
}

/** Samples per axis for an output pixel covering `footprint` frame pixels. */
function chooseSupersample(footprint: number): number {
  return Math.min(MAX_SUPERSAMPLE, Math.max(1, Math.round(footprint)));
}

/** Where the sub-samples of a crop fall in the frame. */
interface SampleGrid {
  /** Frame position of the first sub-sample, px. */
  u0: number;
  v0: number;
  /** Frame step per sub-sample along the crop's columns (dux, dvx) and rows (duy, dvy), px. */
  dux: number;
  dvx: number;
  duy: number;
  dvy: number;
  /** Sub-samples per output pixel along each axis. */
  k: number;
  /** Padding value, or < 0 for edge padding. */
  outside: number;
}

/** Sums the k x k bilinear sub-samples of output pixel (row, col) into `acc[0..2]`. */
function sumPixelSamples(
  frame: RgbFrame,
  grid: SampleGrid,
  row: number,
  col: number,
  acc: Float64Array,
): void {
  const { width, height, data } = frame;
  const { k, u0, v0, dux, dvx, duy, dvy } = grid;
  const rowBytes = width * CHANNELS;
  acc.fill(0);
  for (let sy = row * k; sy < row * k + k; sy += 1) {
    for (let sx = col * k; sx < col * k + k; sx += 1) {
      const u = u0 + sx * dux + sy * duy;
      const v = v0 + sx * dvx + sy * dvy;
      const x0 = Math.floor(u - 0.5);
      const y0 = Math.floor(v - 0.5);
      if (x0 < 0 || y0 < 0 || x0 + 1 >= width || y0 + 1 >= height) {
        accumulateBorderSample(frame, u, v, grid.outside, acc);
        continue;
      }

      // interior: the four neighbours are on the frame
      const wx = u - 0.5 - x0;
      const wy = v - 0.5 - y0;
      const a = y0 * rowBytes + x0 * CHANNELS;
      const c = a + rowBytes;
      for (let ch = 0; ch < CHANNELS; ch += 1) {
        const top = data[a + ch]! + (data[a + CHANNELS + ch]! - data[a + ch]!) * wx;
        const bottom = data[c + ch]! + (data[c + CHANNELS + ch]! - data[c + ch]!) * wx;
        acc[ch]! += top + (bottom - top) * wy;
      }
    }
  }
}

/** Warps one box of crop coordinates into a size x size RGB image in [0, 1]. */
function warpBox(
  frame: RgbFrame,
  toFrame: Affine,
  box: Box,
  size: number,
  outside: number,
): Float32Array {
  const stepX = box.width / size;
  const stepY = box.height / size;
  const k = chooseSupersample(Math.max(stepX, stepY) * Math.hypot(toFrame.m00, toFrame.m10));
  const [u0, v0] = applyAffine(toFrame, [box.x + stepX / (2 * k), box.y + stepY / (2 * k)]);
  const grid: SampleGrid = {
    u0, v0, k, outside,
    dux: (toFrame.m00 * stepX) / k,
    dvx: (toFrame.m10 * stepX) / k,
    duy: (toFrame.m01 * stepY) / k,
    dvy: (toFrame.m11 * stepY) / k,
  };

  // average the sub-samples of each output pixel
  const out = new Float32Array(size * size * CHANNELS);
  const acc = new Float64Array(CHANNELS);
  const norm = 1 / (k * k * 255);
  for (let i = 0; i < size * size; i += 1) {
    sumPixelSamples(frame, grid, Math.floor(i / size), i % size, acc);
    out[i * CHANNELS] = acc[0]! * norm;
    out[i * CHANNELS + 1] = acc[1]! * norm;
    out[i * CHANNELS + 2] = acc[2]! * norm;
  }
  return out;
}

/**
 * Aligns the face given by its 68 landmarks (frame pixels) onto the template and cuts the whole
 * face ({@link ALIGNED_FACE_BOX}) and the subject's-left-eye, nose and mouth regions, each warped
 * (inverse mapping, bilinear, supersampled when shrinking) to size x size RGB in [0, 1]. Pixels
 * outside the frame are padded (see {@link CropPadding}). Rotation and flip, when given, apply to
 * the aligned face before the regions are cut.
 */
export function cropFaceRegions(
  frame: RgbFrame,
  landmarks: readonly Point[],
  size: number,
  opts: CropOptions = {},
): FaceCrops {
  if (!Number.isInteger(size) || size < 1) {
    throw new MreError('INPUT', `crop size must be a positive integer, got ${size}`);
  }
  if (frame.data.length !== frame.width * frame.height * CHANNELS || frame.width < 1) {
    throw new MreError('INPUT', `frame ${frame.index}: buffer does not match its size`);
  }
  if (!Number.isFinite(opts.rotationDeg ?? 0)) {
    throw new MreError('INPUT', `rotationDeg must be a finite number, got ${opts.rotationDeg}`);
  }
  const plan = planFaceCrops(landmarks, opts);
  const outside = (opts.padding ?? 'edge') === 'edge' ? -1 : PAD_GREY * 255;
  const cut = (box: Box): Float32Array => warpBox(frame, plan.toFrame, box, size, outside);
  return {
    size,
    face: cut(plan.boxes.face),
    eye: cut(plan.boxes.eye),
    nose: cut(plan.boxes.nose),
    mouth: cut(plan.boxes.mouth),
  };
}

/** Encodes one [0, 1] RGB crop as PNG. */
function encodePng(pixels: Float32Array, size: number): Promise<Buffer> {
  const bytes = Buffer.alloc(pixels.length);
  for (let i = 0; i < pixels.length; i += 1) {
    bytes[i] = Math.round(Math.min(Math.max(pixels[i] as number, 0), 1) * 255);
  }
  return sharp(bytes, { raw: { width: size, height: size, channels: CHANNELS } }).png().toBuffer();
}

/** PNG images of the four crops (for `--save-crops`). */
export async function cropsToPng(
  crops: FaceCrops,
): Promise<{ face: Buffer; eye: Buffer; nose: Buffer; mouth: Buffer }> {
  const [face, eye, nose, mouth] = await Promise.all([
    encodePng(crops.face, crops.size),
    encodePng(crops.eye, crops.size),
    encodePng(crops.nose, crops.size),
    encodePng(crops.mouth, crops.size),
  ]);
  return { face, eye, nose, mouth };
}
