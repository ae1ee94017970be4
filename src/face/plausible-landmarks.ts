import { LANDMARK_COUNT } from './mirror.js';
import type { Box, Point } from './types.js';

/**
 * Accepted range of the distance between the two eye centres as a fraction of the box width.
 * On SSD boxes of frontal faces it is about 0.40–0.45, and on FER2013 images (box = whole
 * 48 x 48 image) about 0.35–0.45; the range leaves room for yaw (a turned head shortens it) and
 * loose boxes, while a collapsed or exploded fit falls outside.
 */
export const EYE_DISTANCE_RANGE_OF_BOX_WIDTH: readonly [number, number] = [0.2, 0.75];

/** Margin around the box, as a fraction of its size, within which a point counts as inside. */
export const LANDMARK_BOX_MARGIN = 0.15;

/** Fraction of the 68 points that must lie inside the box (with the margin). */
export const MIN_LANDMARKS_INSIDE = 0.9;

/**
 * Largest roll (tilt of the line from the subject's right eye to the left eye) accepted, in
 * degrees. Frames are decoded upright and heads seldom tilt beyond 45°; an upside-down or
 * sideways fit is a failure of the landmark net.
 */
export const MAX_LANDMARK_ROLL_DEG = 60;

/** Mean of the points at the given indices. */
function averagePoints(points: readonly Point[], from: number, to: number): Point {
  let sx = 0;
  let sy = 0;
  for (let i = from; i <= to; i += 1) {
    const p = points[i] as Point;
    sx += p[0];
    sy += p[1];
  }
  const n = to - from + 1;
  return [sx / n, sy / n];
}

/** Fraction of points inside the box grown by {@link LANDMARK_BOX_MARGIN}. */
function computeInsideFraction(points: readonly Point[], box: Box): number {
  const mx = box.width * LANDMARK_BOX_MARGIN;
  const my = box.height * LANDMARK_BOX_MARGIN;
  const inside = points.filter(
    ([x, y]) =>
      x >= box.x - mx && x <= box.x + box.width + mx && y >= box.y - my &&
      y <= box.y + box.height + my,
  );
  return inside.length / points.length;
}

/**
 * Whether a 68-point fit looks like a face in `box`: the eye-centre distance is within
 * {@link EYE_DISTANCE_RANGE_OF_BOX_WIDTH} of the box width, at least {@link MIN_LANDMARKS_INSIDE}
 * of the points lie in the box (grown by {@link LANDMARK_BOX_MARGIN}), and the eyes are above
 * the mouth: the line from the subject's right eye (points 36–41, image left) to the left eye
 * (42–47) rolls at most {@link MAX_LANDMARK_ROLL_DEG}, and the mouth lies on the side of it that
 * this line turns to clockwise on screen (which also rejects a fit with the eyes swapped).
 */
export function isPlausibleLandmarks(landmarks: readonly Point[], box: Box): boolean {
  if (landmarks.length !== LANDMARK_COUNT || box.width <= 0 || box.height <= 0) {
    return false;
  }
  if (landmarks.some(([x, y]) => !Number.isFinite(x) || !Number.isFinite(y))) {
    return false;
  }

  // eye distance against box width, then points inside the box, then eyes above the mouth
  const right = averagePoints(landmarks, 36, 41);
  const left = averagePoints(landmarks, 42, 47);
  const ratio = Math.hypot(left[0] - right[0], left[1] - right[1]) / box.width;
  const [minRatio, maxRatio] = EYE_DISTANCE_RANGE_OF_BOX_WIDTH;
  return ratio >= minRatio && ratio <= maxRatio &&
    computeInsideFraction(landmarks, box) >= MIN_LANDMARKS_INSIDE &&
    isMouthBelowEyes(right, left, averagePoints(landmarks, 48, 67));
}

/** Limited roll of the eye line, and the mouth on its clockwise-turned side. */
function isMouthBelowEyes(right: Point, left: Point, mouth: Point): boolean {
  const ex = left[0] - right[0];
  const ey = left[1] - right[1];
  if (Math.abs((Math.atan2(ey, ex) * 180) / Math.PI) > MAX_LANDMARK_ROLL_DEG) {
    return false;
  }

  // (-ey, ex) is the eye vector turned clockwise on screen (image axes, y down)
  const mx = mouth[0] - (left[0] + right[0]) / 2;
  const my = mouth[1] - (left[1] + right[1]) / 2;
  return mx * -ey + my * ex > 0;
}
