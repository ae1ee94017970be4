import { describeError, MreError } from '../errors.js';
import type { FaceCrops, FaceObservation } from '../face/types.js';
import type { Logger } from '../log.js';
import { decodeFrames } from '../video/decode-frames.js';
import { probeClip } from '../video/probe-clip.js';
import type { RgbFrame } from '../video/types.js';
import { aggregateFrameScores } from './aggregate-scores.js';
import { createFailedRow, type ResultRow } from './rows.js';
import {
  sampleClearFaces,
  type ExaminedFrame,
  type SamplerSettings,
} from './sample-clear-faces.js';

/** Longest side, in pixels, of frames decoded for detection (bounded memory and time). */
export const DETECT_MAX_SIDE_PX = 480;

/** Most frames decoded from one clip; longer clips are decoded at a reduced frame rate. */
export const MAX_DECODED_FRAMES = 64;

/** Faces below this clarity (0..1) are not scored. */
export const MIN_CLARITY = 0.15;

/** The face and model steps the pipeline needs, injected so tests can fake them. */
export interface ClipEngine {
  /**
   * An engine for one clip with per-clip state (face tracking between candidates); called once
   * per clip when present.
   */
  startClip?(): ClipEngine;
  /** The frame's face; `still` is true for a one-frame image (pre-cropped faces allowed). */
  detect(frame: RgbFrame, still: boolean): Promise<FaceObservation | null>;
  clarity(frame: RgbFrame, face: FaceObservation): number;
  crop(frame: RgbFrame, face: FaceObservation): FaceCrops;
  /** Ensemble scores (7, class order) per face, one batched call. */
  score(crops: readonly FaceCrops[]): Promise<Float32Array[]>;
}

/** One examined frame, as written to --frames. */
export interface FrameRecord {
  clip: string;
  timeSec: number;
  index: number;
  face: FaceObservation | null;
  clarity: number | null;
  scores: number[] | null;
  used: boolean;
}

/** Everything one clip produced. */
export interface ClipOutcome {
  /** The row without truth (the caller adds it). */
  row: ResultRow;
  frames: FrameRecord[];
  /** Crops of the scored frames, kept only when asked for (--save-crops). */
  crops: { index: number; crops: FaceCrops }[];
  /**
   * Problems met on the way that did not fail the clip, e.g. a decode that stopped part way
   * (its frames were used). Absent or empty when there were none.
   */
  warnings?: string[];
}

/** Per-clip settings. */
export interface ClipSettings {
  minFrames: number;
  maxFrames: number;
  keepCrops: boolean;
}

/** Runs probe, decode, sampling, crops and scoring on one clip; never throws for a bad clip. */
export async function classifyClip(
  clip: string,
  engine: ClipEngine,
  settings: ClipSettings,
): Promise<ClipOutcome> {
  const warnings: string[] = [];
  try {
    const clipEngine = engine.startClip?.() ?? engine;
    const outcome = await classifyOrThrow(clip, clipEngine, settings, warnings);
    return { ...outcome, warnings };
  } catch (err) {
    const row = createFailedRow(clip, 'error', describeClipFailure(clip, err));
    return { row, frames: [], crops: [], warnings };
  }
}

/**
 * The cause of a clip's failure for its row's `error` cell: a clip error's `<path>: ` prefix is
 * dropped, since the row already names the clip.
 */
export function describeClipFailure(clip: string, err: unknown): string {
  const text = describeError(err);
  const prefix = `${describeError(clip)}: `;
  const aboutClip = err instanceof MreError && err.file === clip && text.startsWith(prefix);
  return aboutClip ? text.slice(prefix.length) : text;
}

async function classifyOrThrow(
  clip: string,
  engine: ClipEngine,
  settings: ClipSettings,
  warnings: string[],
): Promise<ClipOutcome> {

  // Decode once, downscaled, at most MAX_DECODED_FRAMES frames.
  const info = await probeClip(clip);
  const frames = await decodeFrames(info, {
    maxSide: DETECT_MAX_SIDE_PX,
    maxFrames: MAX_DECODED_FRAMES,
    logger: collectWarnings(warnings),
  });

  // Detect faces on candidates; densify while too few are clear.
  const sampler: SamplerSettings = { ...settings, minClarity: MIN_CLARITY };
  const still = info.kind === 'image';
  const examine = (f: RgbFrame): Promise<ExaminedFrame> => examineFrame(f, still, engine);
  const sample = await sampleClearFaces(frames, examine, sampler);
  const faces = Math.max(0, ...sample.examined.map((e) => e.face?.faceCount ?? 0));
  if (sample.chosen.length === 0) {
    const records = sample.examined.map((e) => toRecord(clip, e, null));
    const cause = `no clear face in ${records.length} examined frames`;
    const row = createFailedRow(clip, 'no_face', cause, { faces });
    return { row, frames: records, crops: [] };
  }

  // Crop the chosen faces and score them in one batch per sub-network.
  const crops = sample.chosen.map((e) => engine.crop(e.frame, e.face!));
  const scores = await engine.score(crops);
  const verdict = aggregateFrameScores(scores)!;
  const row: ResultRow = {
    clip,
    label: verdict.label,
    confidence: verdict.confidence,
    scores: verdict.scores,
    frames: sample.chosen.length,
    faces,
    status: 'ok',
    error: null,
    truth: null,
    correct: null,
  };
  return {
    row,
    frames: recordFrames(clip, sample.examined, sample.chosen, scores),
    crops: settings.keepCrops
      ? sample.chosen.map((e, i) => ({ index: e.frame.index, crops: crops[i]! }))
      : [],
  };
}

/** A logger that keeps warnings (and errors) in `into` and drops the rest. */
function collectWarnings(into: string[]): Logger {
  const keep = (message: string): void => {
    into.push(message);
  };
  return { error: keep, warn: keep, info: () => undefined, debug: () => undefined };
}

async function examineFrame(
  frame: RgbFrame,
  still: boolean,
  engine: ClipEngine,
): Promise<ExaminedFrame> {
  const face = await engine.detect(frame, still);
  return { frame, face, clarity: face === null ? null : engine.clarity(frame, face) };
}

function recordFrames(
  clip: string,
  examined: ExaminedFrame[],
  chosen: ExaminedFrame[],
  scores: Float32Array[],
): FrameRecord[] {
  return examined.map((e) => {
    const k = chosen.indexOf(e);
    return toRecord(clip, e, k < 0 ? null : Array.from(scores[k]!));
  });
}

function toRecord(clip: string, e: ExaminedFrame, scores: number[] | null): FrameRecord {
  return {
    clip,
    timeSec: e.frame.timeSec,
    index: e.frame.index,
    face: e.face,
    clarity: e.clarity,
    scores,
    used: scores !== null,
  };
}
