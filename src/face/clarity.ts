import type { RgbFrame } from '../video/types.js';
import type { Box, FaceObservation, Point } from './types.js';

/** Faces narrower than this (detector box width, px) get a size score of 0. */
export const FACE_MIN_SIZE_PX = 40;

/** Faces at least this wide (px) get a size score of 1; linear in between. */
export const FACE_FULL_SIZE_PX = 128;

/**
 * The grey face region is shrunk by an integer factor until its shorter side is below twice this
 * (px) before the Laplacian is taken, so that sharpness compares faces of different sizes on a
 * similar scale.
 */
export const SHARPNESS_SAMPLE_SIZE_PX = 64;

/**
 * Laplacian variance (grey levels², 0..255 scale) that maps to a sharpness score of 0.5; the
 * score is v / (v + this). Sharp, well-lit faces at the sample size measure a few hundred;
 * visibly blurred ones (Gaussian sigma ≈ 2 px) tens.
 */
export const SHARPNESS_HALF_VARIANCE = 100;

/**
 * Horizontal offset of the nose tip (landmark 30) from the eye midline, as a fraction of the eye
 * distance, at which the frontal score reaches 0. It is 0 for a frontal face and reaches about
 * 0.5 near 45 degrees of yaw.
 */
export const FRONTAL_MAX_NOSE_OFFSET = 0.5;

/** Weights of the parts of the clarity score; they sum to 1. */
export const CLARITY_WEIGHTS = {
  confidence: 0.2,
  size: 0.25,
  sharpness: 0.3,
  frontal: 0.25,
} as const;

/** A clarity score and its parts, all 0..1. */
export interface ClarityScore {
  total: number;
  confidence: number;
  size: number;
  sharpness: number;
  frontal: number;
}

/** A single-channel image as floats. */
export interface GreyImage {
  width: number;
  height: number;
  data: Float32Array;
}

/** Clamps to 0..1. */
function clamp01(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x;
}

/**
 * Population variance of the 4-neighbour Laplacian (kernel 0 1 0 / 1 -4 1 / 0 1 0) over the
 * interior pixels of a grey image (borders skipped); 0 when the image is under 3 x 3.
 */
export function computeLaplacianVariance(image: GreyImage): number {
  const { width, height, data } = image;
  if (width < 3 || height < 3) {
    return 0;
  }
  let sum = 0;
  let sumSq = 0;
  for (let y = 1; y < height - 1; y += 1) {
    for (let x = 1; x < width - 1; x += 1) {
      const i = y * width + x;
      const lap = (data[i - 1] as number) + (data[i + 1] as number) +
        (data[i - width] as number) + (data[i + width] as number) - 4 * (data[i] as number);
      sum += lap;
      sumSq += lap * lap;
    }
  }
  const n = (width - 2) * (height - 2);
  const mean = sum / n;
  return sumSq / n - mean * mean;
}

/**
 * The grey (BT.601 luma, 0..255) pixels of a box of the frame, averaged over `factor` x `factor`
 * blocks. The box is clamped to the frame and rounded to whole pixels.
 */
export function extractGreyRegion(frame: RgbFrame, box: Box, factor = 1): GreyImage {
  const x0 = Math.max(0, Math.floor(box.x));
  const y0 = Math.max(0, Math.floor(box.y));
  const x1 = Math.min(frame.width, Math.ceil(box.x + box.width));
  const y1 = Math.min(frame.height, Math.ceil(box.y + box.height));
  const width = Math.max(0, Math.floor((x1 - x0) / factor));
  const height = Math.max(0, Math.floor((y1 - y0) / factor));
  const data = new Float32Array(width * height);
  for (let y = 0; y < height * factor; y += 1) {
    for (let x = 0; x < width * factor; x += 1) {
      const p = ((y0 + y) * frame.width + x0 + x) * 3;
      const luma = 0.299 * (frame.data[p] as number) + 0.587 * (frame.data[p + 1] as number) +
        0.114 * (frame.data[p + 2] as number);
      const o = Math.floor(y / factor) * width + Math.floor(x / factor);
      data[o] = (data[o] as number) + luma / (factor * factor);
    }
  }
  return { width, height, data };
}

/** Integer shrink factor bringing a box's shorter side near {@link SHARPNESS_SAMPLE_SIZE_PX}. */
export function chooseSharpnessFactor(box: Box): number {
  return Math.max(1, Math.floor(Math.min(box.width, box.height) / SHARPNESS_SAMPLE_SIZE_PX));
}

/** Sharpness 0..1 from a Laplacian variance: v / (v + {@link SHARPNESS_HALF_VARIANCE}). */
export function scoreSharpness(variance: number): number {
  return variance <= 0 ? 0 : variance / (variance + SHARPNESS_HALF_VARIANCE);
}

/** Laplacian variance of the face region, shrunk by {@link chooseSharpnessFactor}. */
export function measureFaceSharpness(frame: RgbFrame, box: Box): number {
  return computeLaplacianVariance(extractGreyRegion(frame, box, chooseSharpnessFactor(box)));
}

/** Size score 0..1: linear from {@link FACE_MIN_SIZE_PX} to {@link FACE_FULL_SIZE_PX} (width). */
export function scoreFaceSize(box: Box): number {
  return clamp01((box.width - FACE_MIN_SIZE_PX) / (FACE_FULL_SIZE_PX - FACE_MIN_SIZE_PX));
}

/** Mean of landmarks from..to inclusive. */
function averageRange(points: readonly Point[], from: number, to: number): Point {
  let sx = 0;
  let sy = 0;
  for (let i = from; i <= to; i += 1) {
    sx += (points[i] as Point)[0];
    sy += (points[i] as Point)[1];
  }
  return [sx / (to - from + 1), sy / (to - from + 1)];
}

/**
 * Frontal-pose score 0..1 from 68 landmarks: the nose tip's (30) offset along the eye line from
 * the midpoint of the eye centres, over the eye distance; 1 at no offset, 0 at
 * {@link FRONTAL_MAX_NOSE_OFFSET} or more. Roll does not change it.
 */
export function scoreFrontalPose(landmarks: readonly Point[]): number {
  const nose = landmarks[30];
  if (landmarks.length < 48 || nose === undefined) {
    return 0;
  }
  const right = averageRange(landmarks, 36, 41);
  const left = averageRange(landmarks, 42, 47);
  const ex = left[0] - right[0];
  const ey = left[1] - right[1];
  const dist2 = ex * ex + ey * ey;
  if (dist2 === 0) {
    return 0;
  }
  const dx = nose[0] - (left[0] + right[0]) / 2;
  const dy = nose[1] - (left[1] + right[1]) / 2;
  const along = dx * ex + dy * ey;
  const offset = Math.abs(along) / dist2;
  return clamp01(1 - offset / FRONTAL_MAX_NOSE_OFFSET);
}

/**
 * Clarity 0..1 of the face in a frame: the {@link CLARITY_WEIGHTS}-weighted sum of detector
 * confidence, face size, sharpness of the face region and frontal pose. Used to pick the clearest
 * frames of a clip.
 */
export function scoreClarity(frame: RgbFrame, face: FaceObservation): ClarityScore {
  const parts = {
    confidence: clamp01(face.score),
    size: scoreFaceSize(face.box),
    sharpness: scoreSharpness(measureFaceSharpness(frame, face.box)),
    frontal: scoreFrontalPose(face.landmarks),
  };
  const total =
    parts.confidence * CLARITY_WEIGHTS.confidence +
    parts.size * CLARITY_WEIGHTS.size +
    parts.sharpness * CLARITY_WEIGHTS.sharpness +
    parts.frontal * CLARITY_WEIGHTS.frontal;
  return { total, ...parts };
}
