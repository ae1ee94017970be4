import { scoreClarity } from '../face/clarity.js';
import { cropFaceRegions } from '../face/crop-regions.js';
import { detectFace, fitLandmarks, isPlausibleLandmarks } from '../face/detect-face.js';
import type { FaceNets } from '../face/face-api-nets.js';
import type { FaceObservation } from '../face/types.js';
import type { MreModel } from '../model/load-model.js';
import type { RgbFrame } from '../video/types.js';
import type { ClipEngine } from './classify-clip.js';
import { createFaceTracker, DETECT_EVERY_CANDIDATES } from './track-face.js';

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

/** An engine that can also give a per-clip engine with its own state (face tracking). */
export interface TrackingEngine extends ClipEngine {
  /**
   * An engine for one clip whose `detect` tracks the face between that clip's candidates (see
   * track-face.ts); call once per clip and use it for that clip only. Without tracking it
   * returns the engine itself.
   */
  startClip(): ClipEngine;
}

/** Options of {@link createEngine}. */
export interface EngineOptions {
  /**
   * Run the detector on every {@link DETECT_EVERY_CANDIDATES}-th candidate only and track the
   * face in between (per clip, through `startClip`). Default true. `detect` of the returned
   * engine itself always runs the detector.
   */
  tracking?: boolean;
  /** Detector period of the tracker, in candidates; default {@link DETECT_EVERY_CANDIDATES}. */
  detectEvery?: number;
}

/** The real engine: face-api for faces and landmarks, the MRE-CNN for scores. */
export function createEngine(
  nets: FaceNets,
  model: MreModel,
  options: EngineOptions = {},
): TrackingEngine {
  const size = model.manifest.inputSize;
  const engine: TrackingEngine = {
    detect: (frame, still) => detectOrFitWhole(nets, frame, still),
    clarity: (frame, face) => scoreClarity(frame, face).total,
    crop: (frame, face) => cropFaceRegions(frame, face.landmarks, size),
    score: async (crops) => (await model.scoreFaces(crops)).ensemble,
    startClip: () => (options.tracking === false ? engine : startTrackedClip(engine, nets,
      options.detectEvery ?? DETECT_EVERY_CANDIDATES)),
  };
  return engine;
}

/**
 * A copy of `engine` whose `detect` tracks the face through one clip. Still images (one frame)
 * always take the detector path, with its pre-cropped fallback. Works on any engine whose
 * `detect` is the full detection (the bench wraps it in timers).
 */
export function startTrackedClip(
  engine: ClipEngine,
  nets: FaceNets,
  detectEvery: number = DETECT_EVERY_CANDIDATES,
): ClipEngine {
  const track = createFaceTracker({
    detect: (frame) => engine.detect(frame, false),
    fit: (frame, box) => fitLandmarks(nets, frame, box),
  }, detectEvery);
  const detect: ClipEngine['detect'] = (frame, still) =>
    (still ? engine.detect(frame, true) : track(frame));
  return { ...engine, detect };
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
