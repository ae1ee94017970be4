import { MreError } from '../errors.js';
import { LANDMARK_COUNT } from './mirror.js';
import {
  estimateSimilarityTransform,
  transformPoints,
  type SimilarityTransform,
} from './similarity-transform.js';
import { ALIGNMENT_INDICES, FACE_TEMPLATE } from './template.js';
import type { Point } from './types.js';

/** A face's alignment onto the template. */
export interface FaceAlignment {
  /** Maps frame pixels to template coordinates. */
  toTemplate: SimilarityTransform;
  /** The 68 landmarks in template coordinates. */
  aligned: Point[];
}

/**
 * Fits the similarity transform that maps a face's landmarks (frame pixels) onto
 * {@link FACE_TEMPLATE}, by least squares on the stable {@link ALIGNMENT_INDICES}, and returns it
 * with all 68 landmarks mapped into template coordinates.
 */
export function alignLandmarks(landmarks: readonly Point[]): FaceAlignment {
  if (landmarks.length !== LANDMARK_COUNT) {
    throw new MreError('INPUT', `alignment needs 68 landmarks, got ${landmarks.length}`);
  }
  const source = ALIGNMENT_INDICES.map((i) => landmarks[i] as Point);
  const target = ALIGNMENT_INDICES.map((i) => FACE_TEMPLATE[i] as Point);
  const toTemplate = estimateSimilarityTransform(source, target);
  return { toTemplate, aligned: transformPoints(toTemplate, landmarks) };
}
