/**
 * The adaptive-interval rule that decides which frames of a clip to use. Pure: no I/O.
 *
 * The rule, run by the pipeline's sampler loop:
 * 1. Start with {@link INITIAL_CANDIDATES_PER_FRAME} x maxFrames candidates spread evenly over
 *    the clip ({@link planInitialCandidates}): twice as many as needed, so that frames without
 *    a clear face can be dropped and enough still remain.
 * 2. Score each candidate's face clarity (null when no face is found).
 * 3. {@link chooseFrames}: keep those with clarity >= minClarity, the clearest first, at most
 *    maxFrames, in time order. When fewer than minFrames are clear, it asks for more.
 * 4. When asked, halve the interval: {@link planDenserCandidates} gives the frames halfway
 *    between those already scored; score them, choose again over everything scored.
 * 5. Stop when enough frames are clear, when no frame is left unseen, or after
 *    {@link MAX_DENSIFY_ROUNDS} rounds; the clip is then used with what was found.
 */

/** Initial candidates per frame wanted: planInitialCandidates(n, 2 x maxFrames). */
export const INITIAL_CANDIDATES_PER_FRAME = 2;

/**
 * Most times the sampler halves the interval. After 3 rounds a clip has been sampled 8 times as
 * densely as at first (16 x maxFrames candidates), which covers every frame of a short clip.
 */
export const MAX_DENSIFY_ROUNDS = 3;

/** A candidate frame with the clarity of its face. */
export interface ScoredFrame {
  /** 0-based frame index. */
  index: number;
  /** Face clarity, higher is clearer; null when no face was found. */
  clarity: number | null;
}

/** Options of {@link chooseFrames}. */
export interface ChooseOptions {
  /** Fewest clear frames before the sampler stops asking for more. */
  minFrames: number;
  /** Most frames chosen. */
  maxFrames: number;
  /** Least clarity a frame needs to be chosen (inclusive). */
  minClarity: number;
}

/** What {@link chooseFrames} decided. */
export interface FrameChoice {
  /** Chosen frame indices, ascending. */
  chosen: number[];
  /** True when fewer than minFrames frames were clear enough. */
  needMore: boolean;
}

/**
 * `count` frame indices spread evenly over [0, frameCount): the frame at the centre of each of
 * `count` equal segments, floor((k + 0.5) x frameCount / count). Sorted and unique; all frames
 * when count >= frameCount; empty when either is < 1.
 */
export function planInitialCandidates(frameCount: number, count: number): number[] {
  const frames = Math.floor(frameCount);
  const wanted = Math.min(Math.floor(count), frames);
  if (!(wanted >= 1)) return [];
  const indices: number[] = [];
  for (let k = 0; k < wanted; k++) {
    indices.push(Math.floor(((k + 0.5) * frames) / wanted));
  }
  return indices;
}

/**
 * Frames halfway between consecutive seen frames, and between each end of the clip and the
 * nearest seen frame: for each run of unseen frames, the one at its middle (the earlier one of
 * two middles). Sorted; empty when every frame has been seen. Seen indices outside
 * [0, frameCount) or not integers are ignored.
 */
export function planDenserCandidates(seen: readonly number[], frameCount: number): number[] {
  const frames = Math.floor(frameCount);
  const valid = seen.filter((i) => Number.isInteger(i) && i >= 0 && i < frames);
  const sorted = [...new Set(valid)].sort((a, b) => a - b);

  // the clip's ends act as seen frames just outside it
  const bounds = [-1, ...sorted, frames];
  const added: number[] = [];
  for (let k = 1; k < bounds.length; k++) {
    const before = bounds[k - 1] ?? 0;
    const after = bounds[k] ?? 0;
    if (after - before >= 2) added.push(Math.floor((before + after) / 2));
  }
  return added;
}

/**
 * Keeps the frames whose clarity is at least minClarity (null never is), the clearest first
 * (ties: earlier frame first) up to maxFrames, returned in index order. A frame scored twice
 * counts once, with its higher clarity. needMore says fewer than minFrames were clear enough.
 */
export function chooseFrames(scored: readonly ScoredFrame[], opts: ChooseOptions): FrameChoice {
  const best = new Map<number, number>();
  for (const { index, clarity } of scored) {
    if (clarity === null || !(clarity >= opts.minClarity)) continue;
    best.set(index, Math.max(clarity, best.get(index) ?? -Infinity));
  }

  const clear = [...best.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  const chosen = clear.slice(0, Math.max(0, opts.maxFrames)).map(([index]) => index);
  return { chosen: chosen.sort((a, b) => a - b), needMore: clear.length < opts.minFrames };
}
