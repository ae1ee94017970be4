import * as tf from '@tensorflow/tfjs';

import { MreError } from '../errors.js';
import type { RgbFrame } from '../video/types.js';
import type { FaceApiDetection, FaceApiLandmarks, FaceNets } from './face-api-nets.js';
import { LANDMARK_COUNT } from './mirror.js';
import type { Box, FaceObservation, Point } from './types.js';

export { isPlausibleLandmarks } from './plausible-landmarks.js';

/**
 * Minimum SSD confidence for a face to count. 0.5 is face-api's default; it keeps the profile and
 * partly hidden faces of MEAD and AFEW while dropping most false positives.
 */
export const FACE_MIN_CONFIDENCE = 0.5;

/** Most faces the detector reports per frame. */
export const FACE_MAX_RESULTS = 20;

/** Options of {@link detectFace}. */
export interface DetectFaceOptions {
  /** Confidence threshold 0..1; default {@link FACE_MIN_CONFIDENCE}. */
  minConfidence?: number;
  /** Maximum number of detections; default {@link FACE_MAX_RESULTS}. */
  maxResults?: number;
}

/** Whole-pixel box inside the frame, at least 1 x 1. */
function clampBox(box: Box, frame: RgbFrame): Box {
  const x0 = Math.min(Math.max(Math.floor(box.x), 0), frame.width - 1);
  const y0 = Math.min(Math.max(Math.floor(box.y), 0), frame.height - 1);
  const x1 = Math.min(Math.max(Math.ceil(box.x + box.width), x0 + 1), frame.width);
  const y1 = Math.min(Math.max(Math.ceil(box.y + box.height), y0 + 1), frame.height);
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/** Checks that a frame's buffer matches its size. */
function checkFrame(frame: RgbFrame): void {
  const expected = frame.width * frame.height * 3;
  if (frame.width < 1 || frame.height < 1 || frame.data.length !== expected) {
    throw new MreError(
      'INPUT',
      `frame ${frame.index}: expected ${expected} RGB bytes for ${frame.width}x${frame.height}, ` +
        `got ${frame.data.length}`,
    );
  }
}

/** Copies a whole-pixel box of the frame into an int32 [h, w, 3] tensor. */
function createCropTensor(frame: RgbFrame, box: Box): tf.Tensor3D {
  const rowBytes = box.width * 3;
  const pixels = new Int32Array(box.height * rowBytes);
  for (let row = 0; row < box.height; row += 1) {
    const start = ((box.y + row) * frame.width + box.x) * 3;
    pixels.set(frame.data.subarray(start, start + rowBytes), row * rowBytes);
  }
  return tf.tensor3d(pixels, [box.height, box.width, 3], 'int32');
}

/** Converts face-api's crop-relative landmarks into frame pixels. */
function toFramePoints(result: FaceApiLandmarks | FaceApiLandmarks[], box: Box): Point[] {
  const landmarks = Array.isArray(result) ? result[0] : result;
  const points = landmarks?.relativePositions ?? [];
  if (points.length !== LANDMARK_COUNT) {
    throw new MreError('MODEL', `landmark net returned ${points.length} points, expected 68`);
  }
  return points.map((p) => [box.x + p.x * box.width, box.y + p.y * box.height] as const);
}

/**
 * Fits the 68 landmarks to a given box of the frame (no detection). The box is clamped to the
 * frame and rounded outwards to whole pixels. Used for pre-cropped faces (FER2013's 48 x 48
 * images), where the detector finds nothing and the whole image is the box.
 */
export async function fitLandmarks(nets: FaceNets, frame: RgbFrame, box: Box): Promise<Point[]> {
  checkFrame(frame);
  const pixelBox = clampBox(box, frame);
  const crop = createCropTensor(frame, pixelBox);
  let result: FaceApiLandmarks | FaceApiLandmarks[];
  try {
    result = await nets.landmarks.detectLandmarks(crop);
  } catch (cause) {
    throw new MreError('MODEL', `landmark fit failed on frame ${frame.index}`, { cause });
  } finally {
    crop.dispose();
  }
  return toFramePoints(result, pixelBox);
}

/** The face with the largest box area (the first of equals); undefined for none. */
function pickLargest<T extends { box: Box }>(faces: readonly T[]): T | undefined {
  let best: T | undefined;
  for (const face of faces) {
    if (best === undefined || face.box.width * face.box.height > best.box.width * best.box.height) {
      best = face;
    }
  }
  return best;
}

/**
 * Detects faces with SSD MobileNet v1 and returns the largest one above the confidence
 * threshold, with its box clamped to the frame and its 68 landmarks in frame pixels; null when
 * no face passes. `faceCount` is the number of faces above the threshold.
 */
export async function detectFace(
  nets: FaceNets,
  frame: RgbFrame,
  opts: DetectFaceOptions = {},
): Promise<FaceObservation | null> {
  checkFrame(frame);
  const minConfidence = opts.minConfidence ?? FACE_MIN_CONFIDENCE;
  const maxResults = opts.maxResults ?? FACE_MAX_RESULTS;

  // detect on the whole frame
  const whole = createCropTensor(frame, { x: 0, y: 0, width: frame.width, height: frame.height });
  const options = new nets.api.SsdMobilenetv1Options({ minConfidence, maxResults });
  let detections: FaceApiDetection[];
  try {
    detections = await nets.detector.locateFaces(whole, options);
  } catch (cause) {
    throw new MreError('MODEL', `face detection failed on frame ${frame.index}`, { cause });
  } finally {
    whole.dispose();
  }

  // keep the largest face above the threshold
  const faces = detections
    .filter((d) => d.score >= minConfidence)
    .map((d) => ({ score: d.score, box: clampBox(d.box, frame) }));
  const largest = pickLargest(faces);
  if (largest === undefined) {
    return null;
  }

  // fit landmarks in the detector box
  const landmarks = await fitLandmarks(nets, frame, largest.box);
  return { box: largest.box, score: largest.score, landmarks, faceCount: faces.length };
}
