/**
 * Face tracking within one clip: most candidate frames reuse the face found in a nearby frame
 * instead of running the SSD detector (about 300 ms a frame on wasm, against about 12 ms for a
 * landmark fit). The detector still runs on the first candidate, on every
 * {@link DETECT_EVERY_CANDIDATES}-th one and whenever a tracked fit fails its checks.
 */
import { isPlausibleLandmarks } from '../face/plausible-landmarks.js';
import type { Box, FaceObservation, Point } from '../face/types.js';
import type { RgbFrame } from '../video/types.js';

/**
 * Margins added to the bounding box of the 68 landmarks, as fractions of its width (sides) and
 * height (top, bottom), so that the box looks like the SSD detector's. Measured on 63 detections
 * in the 21 MEAD clips of shared/data/clips/val (detector edge beyond the landmark extreme, mean
 * and s.d.): left -0.02 (0.03), right 0.02 (0.02), top 0.26 (0.06), bottom 0.02 (0.03). The
 * detector box reaches well above the brows (forehead); the sides are rounded to 0.
 */
export const TRACK_BOX_MARGINS = { side: 0, top: 0.26, bottom: 0.02 } as const;

/**
 * The detector runs on at least every this-many-th candidate of a clip (the first included), so
 * that a face entering or leaving is seen and `faceCount` stays honest. With the default 20
 * initial candidates (2 x --max-frames 10) it runs 3 times instead of 20.
 */
export const DETECT_EVERY_CANDIDATES = 8;

/**
 * Accepted ratio of a tracked fit's eye distance to the anchor fit's. Between candidates a
 * fraction of a second apart a face barely changes size; a fit that lost the face (a collapsed
 * or exploded shape) changes it by far more.
 */
export const EYE_DISTANCE_RATIO_RANGE: readonly [number, number] = [0.8, 1.25];

/** Largest move of the eyes' midpoint from the anchor fit, as a fraction of its eye distance. */
export const MAX_EYE_SHIFT_OF_EYE_DISTANCE = 0.5;

/** Where the eyes of a 68-point fit are. */
export interface EyeGeometry {
  /** Midpoint between the two eye centres, px. */
  midpoint: Point;
  /** Distance between the eye centres (points 36–41 and 42–47), px. */
  distance: number;
}

/** The two steps the tracker chooses between. */
export interface TrackerSteps {
  /** Full detection (detector, then landmarks in its box). */
  detect(frame: RgbFrame): Promise<FaceObservation | null>;
  /** A landmark fit in a given box of the frame. */
  fit(frame: RgbFrame, box: Box): Promise<Point[]>;
}

/** Per-clip face finder: call once per candidate frame, in any order. */
export type FaceTracker = (frame: RgbFrame) => Promise<FaceObservation | null>;

/** Mean of points from..to (inclusive). */
function averagePoints(points: readonly Point[], from: number, to: number): Point {
  let sx = 0;
  let sy = 0;
  for (let i = from; i <= to; i += 1) {
    sx += points[i]![0];
    sy += points[i]![1];
  }
  return [sx / (to - from + 1), sy / (to - from + 1)];
}

/** Eye centres' midpoint and distance of a 68-point fit. */
export function measureEyes(landmarks: readonly Point[]): EyeGeometry {
  const right = averagePoints(landmarks, 36, 41);
  const left = averagePoints(landmarks, 42, 47);
  return {
    midpoint: [(right[0] + left[0]) / 2, (right[1] + left[1]) / 2],
    distance: Math.hypot(left[0] - right[0], left[1] - right[1]),
  };
}

/**
 * A detector-like box around landmarks: their bounding box grown by {@link TRACK_BOX_MARGINS},
 * rounded outwards to whole pixels and clamped to the frame, as detector boxes are.
 */
export function computeTrackingBox(
  landmarks: readonly Point[],
  frame: { width: number; height: number },
): Box {
  const xs = landmarks.map((p) => p[0]);
  const ys = landmarks.map((p) => p[1]);
  const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys),
    Math.max(...ys)];
  const side = (maxX - minX) * TRACK_BOX_MARGINS.side;
  const x0 = Math.max(0, Math.floor(minX - side));
  const x1 = Math.min(frame.width, Math.ceil(maxX + side));
  const y0 = Math.max(0, Math.floor(minY - (maxY - minY) * TRACK_BOX_MARGINS.top));
  const y1 = Math.min(frame.height, Math.ceil(maxY + (maxY - minY) * TRACK_BOX_MARGINS.bottom));
  return { x: x0, y: y0, width: Math.max(0, x1 - x0), height: Math.max(0, y1 - y0) };
}

/**
 * Whether a new fit agrees with the anchor's: eye distance ratio within
 * {@link EYE_DISTANCE_RATIO_RANGE} and the eyes' midpoint moved at most
 * {@link MAX_EYE_SHIFT_OF_EYE_DISTANCE} anchor eye distances.
 */
export function agreesWithAnchor(anchor: readonly Point[], next: readonly Point[]): boolean {
  const a = measureEyes(anchor);
  const b = measureEyes(next);
  if (!(a.distance > 0)) return false;
  const ratio = b.distance / a.distance;
  const shift = Math.hypot(b.midpoint[0] - a.midpoint[0], b.midpoint[1] - a.midpoint[1]);
  const [low, high] = EYE_DISTANCE_RATIO_RANGE;
  return ratio >= low && ratio <= high && shift <= MAX_EYE_SHIFT_OF_EYE_DISTANCE * a.distance;
}

/** The examined frame nearest to `index` (the earlier of two equally near), if any. */
export function findNearestExamined<T>(
  examined: ReadonlyMap<number, T>,
  index: number,
): T | undefined {
  let best: number | undefined;
  for (const seen of examined.keys()) {
    const d = Math.abs(seen - index);
    const bestD = best === undefined ? Infinity : Math.abs(best - index);
    if (d < bestD || (d === bestD && best !== undefined && seen < best)) best = seen;
  }
  return best === undefined ? undefined : examined.get(best);
}

/**
 * A tracker for one clip. A candidate whose nearest examined frame has a face gets a landmark
 * fit in {@link computeTrackingBox} of that face; the fit is kept when it is plausible in that
 * box and agrees with the anchor ({@link agreesWithAnchor}), and then inherits the anchor's
 * detector score and face count. Otherwise, and on every `detectEvery`-th candidate, the
 * detector runs.
 */
export function createFaceTracker(
  steps: TrackerSteps,
  detectEvery: number = DETECT_EVERY_CANDIDATES,
): FaceTracker {
  const examined = new Map<number, FaceObservation | null>();
  let sinceDetection = 0;
  const detect = async (frame: RgbFrame): Promise<FaceObservation | null> => {
    sinceDetection = 0;
    return steps.detect(frame);
  };
  return async (frame) => {
    const anchor = findNearestExamined(examined, frame.index) ?? null;
    let face: FaceObservation | null = null;
    if (anchor !== null && sinceDetection + 1 < detectEvery) {
      face = await followFace(steps, frame, anchor);
      if (face !== null) sinceDetection += 1;
    }
    face ??= await detect(frame);
    examined.set(frame.index, face);
    return face;
  };
}

/** The anchor's face refitted in this frame, or null when the fit fails the checks. */
async function followFace(
  steps: TrackerSteps,
  frame: RgbFrame,
  anchor: FaceObservation,
): Promise<FaceObservation | null> {
  const box = computeTrackingBox(anchor.landmarks, frame);
  if (box.width < 1 || box.height < 1) return null;
  const landmarks = await steps.fit(frame, box);
  if (!isPlausibleLandmarks(landmarks, box) || !agreesWithAnchor(anchor.landmarks, landmarks)) {
    return null;
  }
  return {
    box: computeTrackingBox(landmarks, frame),
    score: anchor.score,
    landmarks,
    faceCount: anchor.faceCount,
  };
}
