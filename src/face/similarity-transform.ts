import { MreError } from '../errors.js';
import type { Point } from './types.js';

/**
 * A 2-D similarity transform (rotation, uniform scale, translation, no reflection):
 * x' = a x - b y + tx, y' = b x + a y + ty, where a = s cos θ and b = s sin θ.
 */
export interface SimilarityTransform {
  a: number;
  b: number;
  tx: number;
  ty: number;
}

/** The identity transform. */
export const IDENTITY_TRANSFORM: SimilarityTransform = { a: 1, b: 0, tx: 0, ty: 0 };

/** Below this total squared spread (px²) the source points are treated as one point. */
const MIN_SOURCE_SPREAD = 1e-12;

/** Mean of a list of points. */
function computeCentroid(points: readonly Point[]): Point {
  let sx = 0;
  let sy = 0;
  for (const [x, y] of points) {
    sx += x;
    sy += y;
  }
  return [sx / points.length, sy / points.length];
}

/** Sums of dot and cross products and the source spread of the centred point pairs. */
function accumulateMoments(
  source: readonly Point[],
  target: readonly Point[],
  [scx, scy]: Point,
  [tcx, tcy]: Point,
): { dot: number; cross: number; spread: number } {
  let dot = 0;
  let cross = 0;
  let spread = 0;
  source.forEach(([x, y], i) => {
    const [u, v] = target[i] as Point;
    const sx = x - scx;
    const sy = y - scy;
    const tx = u - tcx;
    const ty = v - tcy;
    dot += sx * tx + sy * ty;
    cross += sx * ty - sy * tx;
    spread += sx * sx + sy * sy;
  });
  return { dot, cross, spread };
}

/**
 * The least-squares similarity transform mapping `source[i]` onto `target[i]` (Umeyama 1991,
 * with the reflection case excluded). In 2-D this has the closed form of complex least squares:
 * with both point sets centred, a = Σ(s·t) / Σ|s|² and b = Σ(s × t) / Σ|s|².
 */
export function estimateSimilarityTransform(
  source: readonly Point[],
  target: readonly Point[],
): SimilarityTransform {
  if (source.length !== target.length || source.length < 2) {
    throw new MreError(
      'INPUT',
      `similarity transform needs two equal lists of >= 2 points, got ${source.length} and ` +
        `${target.length}`,
    );
  }

  const [scx, scy] = computeCentroid(source);
  const [tcx, tcy] = computeCentroid(target);
  const { dot, cross, spread } = accumulateMoments(source, target, [scx, scy], [tcx, tcy]);
  if (spread < MIN_SOURCE_SPREAD) {
    throw new MreError('INPUT', 'similarity transform: the source points all coincide');
  }

  // solve, then place the centroids on each other
  const a = dot / spread;
  const b = cross / spread;
  return { a, b, tx: tcx - (a * scx - b * scy), ty: tcy - (b * scx + a * scy) };
}

/** Maps one point. */
export function applySimilarityTransform(t: SimilarityTransform, [x, y]: Point): Point {
  return [t.a * x - t.b * y + t.tx, t.b * x + t.a * y + t.ty];
}

/** Maps every point of a list. */
export function transformPoints(t: SimilarityTransform, points: readonly Point[]): Point[] {
  return points.map((p) => applySimilarityTransform(t, p));
}

/** The inverse transform; throws when the scale is zero. */
export function invertSimilarityTransform(t: SimilarityTransform): SimilarityTransform {
  const det = t.a * t.a + t.b * t.b;
  if (det === 0) {
    throw new MreError('INPUT', 'similarity transform with zero scale has no inverse');
  }
  const a = t.a / det;
  const b = -t.b / det;
  return { a, b, tx: -(a * t.tx - b * t.ty), ty: -(b * t.tx + a * t.ty) };
}

/** The transform that applies `first`, then `second`. */
export function composeSimilarityTransforms(
  first: SimilarityTransform,
  second: SimilarityTransform,
): SimilarityTransform {
  const [tx, ty] = applySimilarityTransform(second, [first.tx, first.ty]);
  return {
    a: second.a * first.a - second.b * first.b,
    b: second.b * first.a + second.a * first.b,
    tx,
    ty,
  };
}

/** Uniform scale factor s of a transform. */
export function getTransformScale(t: SimilarityTransform): number {
  return Math.hypot(t.a, t.b);
}

/** Rotation angle θ of a transform in degrees (counter-clockwise in y-up axes). */
export function getTransformRotationDeg(t: SimilarityTransform): number {
  return (Math.atan2(t.b, t.a) * 180) / Math.PI;
}
