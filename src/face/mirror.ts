import type { Point } from './types.js';

/** Number of landmarks in the iBUG 68-point scheme. */
export const LANDMARK_COUNT = 68;

/** Left/right counterpart pairs (0-based iBUG indices); points on the midline map to themselves. */
const MIRROR_PAIRS: ReadonlyArray<readonly [number, number]> = [
  // jaw: 0..16 runs from the subject's right ear to the left ear
  [0, 16], [1, 15], [2, 14], [3, 13], [4, 12], [5, 11], [6, 10], [7, 9],
  // brows: 17..21 right brow, 22..26 left brow
  [17, 26], [18, 25], [19, 24], [20, 23], [21, 22],
  // lower nose: 31..35 from right nostril to left nostril
  [31, 35], [32, 34],
  // eyes: 36..41 right eye, 42..47 left eye, both starting at the outer corner
  [36, 45], [37, 44], [38, 43], [39, 42], [40, 47], [41, 46],
  // outer lip: 48..59 clockwise on screen from the right mouth corner
  [48, 54], [49, 53], [50, 52], [55, 59], [56, 58],
  // inner lip: 60..67
  [60, 64], [61, 63], [65, 67],
];

/** Builds the full index map from the pairs. */
function buildMirrorMap(): readonly number[] {
  const map = Array.from({ length: LANDMARK_COUNT }, (_, i) => i);
  for (const [a, b] of MIRROR_PAIRS) {
    map[a] = b;
    map[b] = a;
  }
  return map;
}

/**
 * MIRROR_MAP[i] is the index of the landmark that takes the place of landmark i when the face is
 * mirrored left-right (e.g. 36, the outer corner of the subject's right eye, ↔ 45).
 */
export const MIRROR_MAP: readonly number[] = buildMirrorMap();

/**
 * Re-indexes 68 points with {@link MIRROR_MAP} without moving them: after an image has been
 * flipped, this makes index i name the same part of the (mirrored) subject again.
 */
export function reindexMirrored<T>(points: readonly T[]): T[] {
  if (points.length !== LANDMARK_COUNT) {
    throw new RangeError(`expected ${LANDMARK_COUNT} landmarks, got ${points.length}`);
  }
  return MIRROR_MAP.map((source) => points[source] as T);
}

/**
 * Mirrors 68 landmarks about the vertical line x = axisX and re-indexes them with
 * {@link MIRROR_MAP}, so that index i still names the same part of the (mirrored) subject.
 */
export function mirrorLandmarksAbout(points: readonly Point[], axisX: number): Point[] {
  return reindexMirrored(points).map(([x, y]) => [2 * axisX - x, y] as const);
}

/**
 * Landmarks of the horizontally flipped image of the given width. Coordinates are continuous
 * pixel coordinates (pixel column c spans [c, c + 1)), so x becomes width - x.
 */
export function mirrorLandmarks(points: readonly Point[], width: number): Point[] {
  return mirrorLandmarksAbout(points, width / 2);
}
