import {
  estimateSimilarityTransform,
  transformPoints,
} from './similarity-transform.js';
import { MreError } from '../errors.js';
import type { Point } from './types.js';

/** Generalised Procrustes rounds; the mean shape settles within a few. */
export const MEAN_SHAPE_ITERATIONS = 5;

/** Picks the points of `shape` at `indices`. */
function pickPoints(shape: readonly Point[], indices: readonly number[]): Point[] {
  return indices.map((i) => shape[i] as Point);
}

/** Pointwise mean of shapes that all have the same number of points. */
function averageShapes(shapes: readonly (readonly Point[])[]): Point[] {
  const first = shapes[0] as readonly Point[];
  return first.map((_, i) => {
    let sx = 0;
    let sy = 0;
    for (const shape of shapes) {
      const p = shape[i] as Point;
      sx += p[0];
      sy += p[1];
    }
    return [sx / shapes.length, sy / shapes.length] as const;
  });
}

/**
 * Scales and shifts a shape (keeping its aspect) so that its bounding box is centred in the unit
 * square and its longer side spans [0, 1].
 */
export function fitShapeToUnitSquare(shape: readonly Point[]): Point[] {
  const xs = shape.map((p) => p[0]);
  const ys = shape.map((p) => p[1]);
  const minX = Math.min(...xs);
  const minY = Math.min(...ys);
  const w = Math.max(...xs) - minX;
  const h = Math.max(...ys) - minY;
  const side = Math.max(w, h);
  const offX = (side - w) / 2;
  const offY = (side - h) / 2;
  return shape.map(([x, y]) => [(x - minX + offX) / side, (y - minY + offY) / side] as const);
}

/**
 * The mean shape of several landmark sets by generalised Procrustes analysis: each shape is
 * aligned (similarity transform fitted on the `anchor` indices) to the current mean, the aligned
 * shapes are averaged, and the mean is re-normalised into the unit square; repeated
 * {@link MEAN_SHAPE_ITERATIONS} times, starting from the first shape.
 */
export function estimateMeanShape(
  shapes: readonly (readonly Point[])[],
  anchor: readonly number[],
): Point[] {
  const first = shapes[0];
  if (first === undefined) {
    throw new MreError('INPUT', 'mean shape needs at least one shape, got none');
  }
  let mean = fitShapeToUnitSquare(first);
  for (let round = 0; round < MEAN_SHAPE_ITERATIONS; round += 1) {
    const target = pickPoints(mean, anchor);
    const aligned = shapes.map((shape) => {
      const t = estimateSimilarityTransform(pickPoints(shape, anchor), target);
      return transformPoints(t, shape);
    });
    mean = fitShapeToUnitSquare(averageShapes(aligned));
  }
  return mean;
}
