import type { FaceObservation } from '../face/types.js';
import {
  chooseFrames,
  INITIAL_CANDIDATES_PER_FRAME,
  MAX_DENSIFY_ROUNDS,
  planDenserCandidates,
  planInitialCandidates,
} from '../video/sampling-schedule.js';
import type { RgbFrame } from '../video/types.js';

/** A decoded frame after face detection. */
export interface ExaminedFrame {
  frame: RgbFrame;
  /** The chosen face, or null when the frame has none. */
  face: FaceObservation | null;
  /** Clarity 0..1 of the face (null without a face). */
  clarity: number | null;
}

/** Settings of the adaptive sampler. */
export interface SamplerSettings {
  minFrames: number;
  maxFrames: number;
  /** A face below this clarity is not used. */
  minClarity: number;
}

/** What the sampler found: every frame it examined and the ones it chose, in time order. */
export interface SampleResult {
  examined: ExaminedFrame[];
  chosen: ExaminedFrame[];
}

/**
 * The adaptive interval (the rule is spelled out in video/sampling-schedule.ts): examine
 * 2 x `maxFrames` candidates spread evenly over the decoded frames, keep the clearest up to
 * `maxFrames`; while fewer than `minFrames` are clear, examine the frames halfway between those
 * already seen, until enough are found, every decoded frame was seen or MAX_DENSIFY_ROUNDS
 * rounds were done.
 */
export async function sampleClearFaces(
  frames: readonly RgbFrame[],
  examine: (frame: RgbFrame) => Promise<ExaminedFrame>,
  settings: SamplerSettings,
): Promise<SampleResult> {
  const seen = new Map<number, ExaminedFrame>();
  const initial = INITIAL_CANDIDATES_PER_FRAME * settings.maxFrames;
  let next = planInitialCandidates(frames.length, initial);
  for (let round = 0; ; round++) {
    for (const position of next) seen.set(position, await examine(frames[position]!));
    const scored = [...seen.entries()].map(([index, e]) => ({ index, clarity: e.clarity }));
    const { chosen, needMore } = chooseFrames(scored, settings);
    const densify = needMore && round < MAX_DENSIFY_ROUNDS;
    next = densify ? planDenserCandidates([...seen.keys()], frames.length) : [];
    if (next.length === 0) {
      const examined = [...seen.entries()].sort((a, b) => a[0] - b[0]).map(([, e]) => e);
      return { examined, chosen: chosen.map((position) => seen.get(position)!) };
    }
  }
}
