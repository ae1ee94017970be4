import { MreError } from '../errors.js';
import { LANDMARK_COUNT } from './mirror.js';
import type { Box, Point } from './types.js';

/** Landmark indices (0-based iBUG) whose points each region box must cover. */
export const REGION_INDICES = {
  /**
   * The subject's LEFT eye (42–47) with its brow (22–26): on the image's right in an unflipped
   * frontal face. face-api's `getLeftEye()` returns 36–41, the eye on the image's left; its
   * name is not used here.
   */
  eye: [42, 43, 44, 45, 46, 47, 22, 23, 24, 25, 26],
  /** Nose bridge and lower nose. */
  nose: [27, 28, 29, 30, 31, 32, 33, 34, 35],
  /** Outer and inner lips. */
  mouth: Array.from({ length: 20 }, (_, i) => 48 + i),
} as const satisfies Record<string, readonly number[]>;

/** A region's name. */
export type RegionName = keyof typeof REGION_INDICES;

/**
 * Margin added on each side of a region's points, as a fraction of the longer side of their
 * bounding box, so that the crop shows some skin around the part.
 */
export const REGION_MARGIN = 0.15;

/**
 * Smallest side of a region box in template units (the template's landmarks span 1 unit); stops
 * a shut eye or pressed lips from giving a sliver-sized, over-magnified crop. About the side of
 * the template's eye box.
 */
export const MIN_REGION_SIDE = 0.3;

/** The three region boxes of one face, in the coordinates of the landmarks given. */
export interface RegionBoxes {
  eye: Box;
  nose: Box;
  mouth: Box;
}

/** A square box centred on the points' bounding box, with margin and a minimum side. */
function computeSquareAround(points: readonly Point[], indices: readonly number[]): Box {
  const xs = indices.map((i) => (points[i] as Point)[0]);
  const ys = indices.map((i) => (points[i] as Point)[1]);
  const minX = Math.min(...xs);
  const minY = Math.min(...ys);
  const w = Math.max(...xs) - minX;
  const h = Math.max(...ys) - minY;
  const side = Math.max(Math.max(w, h) * (1 + 2 * REGION_MARGIN), MIN_REGION_SIDE);
  return { x: minX + w / 2 - side / 2, y: minY + h / 2 - side / 2, width: side, height: side };
}

/**
 * The eye, nose and mouth boxes for a face's ALIGNED landmarks (template coordinates): each a
 * square around that face's own points (so an open mouth or raised brow is covered), grown by
 * {@link REGION_MARGIN} and at least {@link MIN_REGION_SIDE} wide.
 */
export function computeRegionBoxes(aligned: readonly Point[]): RegionBoxes {
  if (aligned.length !== LANDMARK_COUNT) {
    throw new MreError('INPUT', `region boxes need 68 landmarks, got ${aligned.length}`);
  }
  return {
    eye: computeSquareAround(aligned, REGION_INDICES.eye),
    nose: computeSquareAround(aligned, REGION_INDICES.nose),
    mouth: computeSquareAround(aligned, REGION_INDICES.mouth),
  };
}
