import type { SimilarityTransform } from './similarity-transform.js';
import type { Point } from './types.js';

/**
 * A general 2-D affine map x' = m00 x + m01 y + m02, y' = m10 x + m11 y + m12. Used where a
 * similarity transform is not enough: the left-right flip of training augmentation.
 */
export interface Affine {
  m00: number;
  m01: number;
  m02: number;
  m10: number;
  m11: number;
  m12: number;
}

/** The affine form of a similarity transform. */
export function createAffineFromSimilarity(t: SimilarityTransform): Affine {
  return { m00: t.a, m01: -t.b, m02: t.tx, m10: t.b, m11: t.a, m12: t.ty };
}

/** The map that applies `first`, then `second`. */
export function composeAffines(first: Affine, second: Affine): Affine {
  return {
    m00: second.m00 * first.m00 + second.m01 * first.m10,
    m01: second.m00 * first.m01 + second.m01 * first.m11,
    m02: second.m00 * first.m02 + second.m01 * first.m12 + second.m02,
    m10: second.m10 * first.m00 + second.m11 * first.m10,
    m11: second.m10 * first.m01 + second.m11 * first.m11,
    m12: second.m10 * first.m02 + second.m11 * first.m12 + second.m12,
  };
}

/** Maps one point. */
export function applyAffine(m: Affine, [x, y]: Point): Point {
  return [m.m00 * x + m.m01 * y + m.m02, m.m10 * x + m.m11 * y + m.m12];
}

/**
 * Rotation about `center` by `deg` degrees, counter-clockwise as seen on screen (image axes,
 * y pointing down).
 */
export function createScreenRotation(center: Point, deg: number): Affine {
  const rad = (deg * Math.PI) / 180;
  const c = Math.cos(rad);
  const s = Math.sin(rad);
  const [cx, cy] = center;
  return {
    m00: c,
    m01: s,
    m02: cx - c * cx - s * cy,
    m10: -s,
    m11: c,
    m12: cy + s * cx - c * cy,
  };
}

/** Mirror about the vertical line x = axisX. */
export function createHorizontalFlip(axisX: number): Affine {
  return { m00: -1, m01: 0, m02: 2 * axisX, m10: 0, m11: 1, m12: 0 };
}

/** The inverse map; throws a RangeError for a singular matrix. */
export function invertAffine(m: Affine): Affine {
  const det = m.m00 * m.m11 - m.m01 * m.m10;
  if (det === 0) {
    throw new RangeError('singular affine map has no inverse');
  }
  const i00 = m.m11 / det;
  const i01 = -m.m01 / det;
  const i10 = -m.m10 / det;
  const i11 = m.m00 / det;
  return {
    m00: i00,
    m01: i01,
    m02: -(i00 * m.m02 + i01 * m.m12),
    m10: i10,
    m11: i11,
    m12: -(i10 * m.m02 + i11 * m.m12),
  };
}
