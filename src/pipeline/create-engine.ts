import { scoreClarity } from '../face/clarity.js';
import { cropFaceRegions } from '../face/crop-regions.js';
import { detectFace, fitLandmarks, isPlausibleLandmarks } from '../face/detect-face.js';
import type { FaceNets } from '../face/face-api-nets.js';
import type { FaceObservation } from '../face/types.js';
import type { MreModel } from '../model/load-model.js';
import type { RgbFrame } from '../video/types.js';
import type { ClipEngine } from './classify-clip.js';

/**
 * A still image at most this many pixels on its longer side, where the detector finds no face,
 * is taken as a pre-cropped face (FER2013's 48 x 48 images): the landmarks are fitted to the
 * whole image and kept when plausible.
 */
export const PRECROPPED_MAX_SIDE_PX = 160;

/**
 * A still image at most this many pixels on its longer side skips the detector altogether: SSD
 * MobileNet upsamples to 512 px and found no face in any of 20 FER2013 images tried, at ~300 ms
 * each, while fitting the landmarks to the whole image takes ~12 ms.
 */
export const TINY_STILL_MAX_SIDE_PX = 96;

/** The real engine: face-api for faces and landmarks, the MRE-CNN for scores. */
export function createEngine(nets: FaceNets, model: MreModel): ClipEngine {
  const size = model.manifest.inputSize;
  return {
    detect: (frame, still) => detectOrFitWhole(nets, frame, still),
    clarity: (frame, face) => scoreClarity(frame, face).total,
    crop: (frame, face) => cropFaceRegions(frame, face.landmarks, size),
    score: async (crops) => (await model.scoreFaces(crops)).ensemble,
  };
}

/**
 * The detector's largest face; for a small still image without a detection, the whole image
 * as the face box with fitted landmarks (detector score 0), or null when the fit is implausible.
 */
export async function detectOrFitWhole(
  nets: FaceNets,
  frame: RgbFrame,
  still: boolean,
): Promise<FaceObservation | null> {
  const side = Math.max(frame.width, frame.height);
  const tiny = still && side <= TINY_STILL_MAX_SIDE_PX;
  const face = tiny ? null : await detectFace(nets, frame);
  if (face !== null || !still || side > PRECROPPED_MAX_SIDE_PX) return face;
  const box = { x: 0, y: 0, width: frame.width, height: frame.height };
  const landmarks = await fitLandmarks(nets, frame, box);
  if (!isPlausibleLandmarks(landmarks, box)) return null;
  return { box, score: 0, landmarks, faceCount: 1 };
}
