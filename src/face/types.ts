/** A 2-D point [x, y] in pixels. */
export type Point = readonly [number, number];

/** An axis-aligned box in pixels. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The face chosen in one frame. */
export interface FaceObservation {
  /** Detector box, clamped to the frame. */
  box: Box;
  /** Detector confidence 0..1. */
  score: number;
  /** The 68 landmarks (iBUG order, 0-based) in frame pixel coordinates. */
  landmarks: Point[];
  /** How many faces above the confidence threshold the frame had. */
  faceCount: number;
}

/** The four aligned crops of one face, each size x size x 3, RGB in [0, 1], row-major. */
export interface FaceCrops {
  size: number;
  face: Float32Array;
  eye: Float32Array;
  nose: Float32Array;
  mouth: Float32Array;
}
