import type { Point } from '../face/types.js';

/**
 * One preprocessed training face: the face aligned onto the template and warped to
 * `size` x `size` pixels (twice the model input, so rotation and cropping resample from more
 * detail), with its 68 landmarks in that image's pixels.
 */
export interface CachedFace {
  /** Side of the aligned face image in pixels. */
  size: number;
  /** 1 = grey, 3 = RGB. */
  channels: 1 | 3;
  /** size * size * channels bytes, row-major, interleaved. */
  pixels: Uint8Array;
  /** The 68 landmarks (iBUG order) in pixels of the aligned face image. */
  landmarks: Point[];
  /** Class index 0..6 in CLASSES order. */
  label: number;
}

/** Faces of one split with what is needed to find them again. */
export interface FaceSet {
  faces: CachedFace[];
  /** Source file of each face, same order. */
  sources: string[];
}
