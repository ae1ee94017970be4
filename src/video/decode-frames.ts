/**
 * Decoding a clip's frames to upright, square-pixel RGB in one ffmpeg pass through a pipe.
 */
import { MreError } from '../errors.js';
import { silentLogger, type Logger } from '../log.js';
import { CAUSE_NO_FRAMES, createClipError, describeToolFailure } from './clip-errors.js';
import {
  buildSafeInputArgs,
  DECODE_TIMEOUT_MS,
  resolveFfmpegPath,
  runFfmpeg,
} from './ffmpeg-tools.js';
import { fitFrameSize, type FrameSize } from './fit-frame-size.js';
import { createRawFrameSplitter } from './raw-frame-splitter.js';
import { planInitialCandidates } from './sampling-schedule.js';
import { decodeStillImage, hasImageExtension, IMAGE_DEMUXER } from './still-image.js';
import type { ClipInfo, RgbFrame } from './types.js';

/** Bytes per pixel of rgb24. */
const RGB_CHANNELS = 3;

/** Options of {@link decodeFrames}. */
export interface DecodeOptions {
  /** Longest side of a decoded frame in pixels; frames are scaled down to fit, never up. */
  maxSide: number;
  /** Most frames returned; a longer clip is thinned to this many, evenly spread. */
  maxFrames: number;
  /**
   * Exactly these frame indices instead of an even spread (at most maxFrames of them). Frames
   * past the end of the clip are simply not returned.
   */
  indices?: readonly number[];
  /** Receives a warning when a decode fails part way; default: silent. */
  logger?: Logger;
}

/**
 * Decodes frames of a probed clip in one pass: upright (ffmpeg applies the rotation), with
 * square pixels, scaled so the longer side is <= maxSide, as 8-bit RGB (alpha dropped, grey
 * expanded). A clip of more than maxFrames frames is thinned to maxFrames frames at the centres
 * of equal segments ({@link planInitialCandidates}); each frame keeps its original index, and its
 * time is index / fps. A decode failing part way returns the frames it got (with a warning);
 * throws MreError('CLIP') when no frame could be decoded.
 */
export async function decodeFrames(info: ClipInfo, opts: DecodeOptions): Promise<RgbFrame[]> {
  const maxFrames = checkMaxFrames(opts.maxFrames);
  if (info.kind === 'image') {
    return [await decodeImage(info, opts)];
  }

  const indices = chooseDecodeIndices(info.frameCount, maxFrames, opts.indices);
  const size = fitFrameSize(info, opts.maxSide);
  const args = buildDecodeArgs(info, size, indices, maxFrames);
  const frames = await runDecode(info, size, args, opts.logger ?? silentLogger);
  return frames.slice(0, maxFrames).map((data, j) => {
    const index = indices?.[j] ?? j;
    return { index, timeSec: index / info.fps, ...size, data };
  });
}

/** `maxFrames` as a whole number; throws MreError('USAGE') unless it is >= 1. */
function checkMaxFrames(maxFrames: number): number {
  if (!Number.isInteger(maxFrames) || maxFrames < 1) {
    throw new MreError('USAGE', `maxFrames must be an integer >= 1, got ${maxFrames}`);
  }
  return maxFrames;
}

/**
 * The frame indices to keep, ascending and unique, or undefined to keep every frame (the clip
 * has no more than maxFrames frames and no indices were asked for).
 */
export function chooseDecodeIndices(
  frameCount: number,
  maxFrames: number,
  asked: readonly number[] | undefined,
): number[] | undefined {
  if (asked !== undefined) {
    const valid = [...new Set(asked.filter((i) => Number.isInteger(i) && i >= 0))];
    if (valid.length > maxFrames) {
      const message = `asked for ${valid.length} frames, more than maxFrames (${maxFrames})`;
      throw new MreError('USAGE', message);
    }
    return valid.sort((a, b) => a - b);
  }
  return frameCount > maxFrames ? planInitialCandidates(frameCount, maxFrames) : undefined;
}

/**
 * The ffmpeg filter keeping only frames whose number n is in `indices` (ascending). The
 * expression is quoted so its commas do not split the filter graph.
 */
export function buildSelectFilter(indices: readonly number[]): string {
  const terms = indices.map((i) => `eq(n,${i})`);
  return `select='${terms.length > 0 ? terms.join('+') : '0'}'`;
}

/** ffmpeg arguments decoding the clip's video stream to raw rgb24 on stdout. */
export function buildDecodeArgs(
  info: ClipInfo,
  size: FrameSize,
  indices: readonly number[] | undefined,
  maxFrames: number,
): string[] {
  const format = info.kind === 'image' && hasImageExtension(info.path) ? IMAGE_DEMUXER : undefined;
  const filters = [
    ...(indices ? [buildSelectFilter(indices)] : []),
    `scale=${size.width}:${size.height}:flags=area`,
    'setsar=1',
    'format=rgb24',
  ];
  return [
    '-hide_banner', '-nostdin', '-v', 'error',
    ...buildSafeInputArgs(info.path, { format }),
    '-map', info.streamIndex === undefined ? '0:v:0' : `0:${info.streamIndex}`,
    '-an', '-sn', '-dn',
    '-vf', filters.join(','),
    // keep selected frames as they are: no duplicates to fill the gaps select leaves
    '-vsync', 'passthrough',
    '-frames:v', String(maxFrames),
    '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1',
  ];
}

/** Runs the decode and cuts stdout into frames; applies the partial-failure rule. */
async function runDecode(
  info: ClipInfo,
  size: FrameSize,
  args: string[],
  logger: Logger,
): Promise<Uint8Array[]> {
  const frames: Uint8Array[] = [];
  const splitter = createRawFrameSplitter(size.width * size.height * RGB_CHANNELS, (data) => {
    frames.push(data);
  });
  const result = await runFfmpeg(args, {
    timeoutMs: DECODE_TIMEOUT_MS,
    onStdout: (chunk) => splitter.push(chunk),
  }).catch((err: unknown) => {
    throw new MreError('INTERNAL', `cannot run ffmpeg (${resolveFfmpegPath()})`, { cause: err });
  });

  // a failure part way still yields the frames decoded before it
  const failed = result.timedOut || result.exitCode !== 0;
  const cause = result.timedOut
    ? `ffmpeg timed out after ${DECODE_TIMEOUT_MS} ms`
    : describeToolFailure(result.stderr) ?? `ffmpeg exited with ${result.exitCode}`;
  if (failed && frames.length > 0) {
    logger.warn(`${info.path}: decoding stopped after ${frames.length} frames: ${cause}`);
  } else if (failed) {
    throw createClipError(info.path, cause, new Error(result.stderr.trim()));
  } else if (frames.length === 0) {
    throw createClipError(info.path, CAUSE_NO_FRAMES);
  }
  return frames;
}

/** One image frame: sharp when it can read the file, else ffmpeg (e.g. BMP). */
async function decodeImage(info: ClipInfo, opts: DecodeOptions): Promise<RgbFrame> {
  try {
    return await decodeStillImage(info.path, opts.maxSide);
  } catch (sharpError) {
    const size = fitFrameSize(info, opts.maxSide);
    const args = buildDecodeArgs(info, size, undefined, 1);
    const [data] = await runDecode(info, size, args, opts.logger ?? silentLogger);
    if (!data) throw createClipError(info.path, CAUSE_NO_FRAMES, sharpError);
    return { index: 0, timeSec: 0, ...size, data };
  }
}
