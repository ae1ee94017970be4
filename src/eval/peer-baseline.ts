import * as tf from '@tensorflow/tfjs';

import { CLASSES, NUM_CLASSES, parseClassName } from '../classes.js';
import { loadExpressionNet, type FaceNets } from '../face/face-api-nets.js';
import { PRECROPPED_MAX_SIDE_PX, TINY_STILL_MAX_SIDE_PX } from '../pipeline/create-engine.js';
import { planInitialCandidates } from '../video/sampling-schedule.js';
import type { RgbFrame } from '../video/types.js';

/** Frames the peer pipeline looks at per clip, spread evenly (face-api's usual demo setting). */
export const PEER_FRAMES_PER_CLIP = 8;

/** Detector confidence the peer pipeline uses. */
export const PEER_MIN_CONFIDENCE = 0.5;

/** One face as face-api's full pipeline returns it. */
interface PeerFace {
  detection: { box: { width: number; height: number } };
  expressions: Record<string, number>;
}

/** The chained face-api calls the peer pipeline uses. */
interface PeerApi {
  detectAllFaces(input: object, options: object): {
    withFaceLandmarks(): { withFaceExpressions(): Promise<PeerFace[]> };
  };
  SsdMobilenetv1Options: new (opts: { minConfidence: number; maxResults: number }) => object;
}

/** face-api's expression names mapped onto our seven classes, in class order. */
export function mapExpressions(expressions: Record<string, number>): number[] {
  const scores = new Array<number>(NUM_CLASSES).fill(0);
  for (const [name, value] of Object.entries(expressions)) {
    const cls = parseClassName(name);
    if (cls !== undefined) scores[CLASSES.indexOf(cls)] = value;
  }
  return scores;
}

/**
 * The peer: face-api's detector, landmarks and bundled expression net on one frame, largest face,
 * mapped to our classes (`fearful`, `disgusted`, `surprised` are fear, disgust, surprise); null
 * without a face.
 */
export async function scorePeerFrame(nets: FaceNets, frame: RgbFrame): Promise<number[] | null> {
  await loadExpressionNet(nets);
  const api = nets.api as unknown as PeerApi;
  const input = tf.tensor3d(frame.data, [frame.height, frame.width, 3], 'int32');
  try {
    const options = new api.SsdMobilenetv1Options({
      minConfidence: PEER_MIN_CONFIDENCE,
      maxResults: 20,
    });
    const faces = await api.detectAllFaces(input, options).withFaceLandmarks()
      .withFaceExpressions();
    const area = (f: PeerFace): number => f.detection.box.width * f.detection.box.height;
    const largest = faces.reduce<PeerFace | null>(
      (b, f) => (b && area(b) >= area(f) ? b : f), null);
    return largest === null ? null : mapExpressions(largest.expressions);
  } finally {
    input.dispose();
  }
}

/** The peer's scores per frame on {@link PEER_FRAMES_PER_CLIP} frames spread over the clip. */
export async function scorePeerClip(
  nets: FaceNets,
  frames: readonly RgbFrame[],
): Promise<number[][]> {
  const picked = planInitialCandidates(frames.length, PEER_FRAMES_PER_CLIP);
  const scores: number[][] = [];
  for (const position of picked) {
    const s = await scorePeerFrame(nets, frames[position]!);
    if (s !== null) scores.push(s);
  }
  return scores;
}

/**
 * The peer on a still image, with the same pre-cropped-face rule as ours: a tiny image is taken
 * as the face; a small one without a detection too; otherwise the detector's largest face.
 */
export async function scorePeerImage(nets: FaceNets, frame: RgbFrame): Promise<number[] | null> {
  const side = Math.max(frame.width, frame.height);
  const scores = side <= TINY_STILL_MAX_SIDE_PX ? null : await scorePeerFrame(nets, frame);
  if (scores !== null || side > PRECROPPED_MAX_SIDE_PX) return scores;
  const net = await loadExpressionNet(nets);
  const input = tf.tensor3d(frame.data, [frame.height, frame.width, 3], 'int32');
  try {
    const result = await net.predictExpressions(input);
    const record = (Array.isArray(result) ? result[0] : result) as Record<string, number>;
    return mapExpressions(record);
  } finally {
    input.dispose();
  }
}
