/**
 * Reading the fields of `ffprobe -print_format json -show_format -show_streams` output that
 * {@link ClipInfo} needs. Pure: no I/O, so every rule here is unit-tested on hand-written JSON.
 */
import type { ClipInfo } from './types.js';

/** The parts of one ffprobe stream entry used here (all optional: ffprobe omits unknowns). */
export interface ProbeStream {
  index?: number;
  codec_type?: string;
  codec_name?: string;
  codec_tag_string?: string;
  width?: number;
  height?: number;
  sample_aspect_ratio?: string;
  avg_frame_rate?: string;
  r_frame_rate?: string;
  nb_frames?: string;
  duration?: string;
  disposition?: { attached_pic?: number };
  tags?: Record<string, string>;
  side_data_list?: Array<{ side_data_type?: string; rotation?: number | string }>;
}

/** The parts of ffprobe's JSON used here. */
export interface ProbeOutput {
  streams?: ProbeStream[];
  format?: { format_name?: string; duration?: string };
}

/** Demuxer names that mean the input is one still image. */
const STILL_IMAGE_FORMAT = /(^|,)(image2|image2pipe|[a-z0-9]+_pipe)(,|$)/;

/** The first video stream that is not cover art (an attached picture), if any. */
export function findVideoStream(probe: ProbeOutput): ProbeStream | undefined {
  return probe.streams?.find(
    (s) => s.codec_type === 'video' && (s.disposition?.attached_pic ?? 0) !== 1,
  );
}

/** True when the demuxer ffprobe chose reads single images (png_pipe, jpeg_pipe, image2...). */
export function isStillImageFormat(formatName: string | undefined): boolean {
  return formatName !== undefined && STILL_IMAGE_FORMAT.test(formatName);
}

/**
 * Clockwise degrees to turn the stored frames to display them upright. ffmpeg >= 5 gives the
 * display matrix angle as side data `rotation`, counter-clockwise (so -90 means turn 90
 * clockwise); older ffprobe gives the clockwise `rotate` tag. Anything else counts as 0.
 */
export function readRotation(stream: ProbeStream): ClipInfo['rotationDeg'] {
  const side = stream.side_data_list?.find((d) => d.rotation !== undefined);
  if (side?.rotation !== undefined) {
    return snapRotation(-Number(side.rotation));
  }
  const tag = stream.tags?.['rotate'];
  return tag === undefined ? 0 : snapRotation(Number(tag));
}

/** `degrees` normalised to [0, 360) and rounded to the nearest quarter turn. */
export function snapRotation(degrees: number): ClipInfo['rotationDeg'] {
  if (!Number.isFinite(degrees)) return 0;
  const quarter = ((Math.round(degrees / 90) % 4) + 4) % 4;
  return ([0, 90, 180, 270] as const)[quarter] ?? 0;
}

/** A ffprobe ratio "num:den" or "num/den" as a number; undefined when absent, 0/x or x/0. */
export function parseRatio(text: string | undefined): number | undefined {
  const match = /^(\d+(?:\.\d+)?)[:/](\d+(?:\.\d+)?)$/.exec(text ?? '');
  if (!match) return undefined;
  const value = Number(match[1]) / Number(match[2]);
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

/** Average frames per second: avg_frame_rate, else r_frame_rate; undefined when neither is set. */
export function readFrameRate(stream: ProbeStream): number | undefined {
  return parseRatio(stream.avg_frame_rate) ?? parseRatio(stream.r_frame_rate);
}

/** Duration in seconds: the stream's, else the container's; 0 when neither is known. */
export function readDuration(stream: ProbeStream, probe: ProbeOutput): number {
  for (const text of [stream.duration, probe.format?.duration]) {
    const value = Number(text);
    if (Number.isFinite(value) && value > 0) return value;
  }
  return 0;
}

/** Frame count: nb_frames when the container states it, else round(duration x fps), at least 1. */
export function readFrameCount(stream: ProbeStream, durationSec: number, fps: number): number {
  const stated = Number(stream.nb_frames ?? NaN);
  if (Number.isInteger(stated) && stated > 0) return stated;
  return Math.max(1, Math.round(durationSec * fps));
}

/**
 * Upright display size with square pixels: the width is stretched by the sample aspect ratio
 * (what `scale=iw*sar:ih` does), then width and height swap for a quarter turn.
 */
export function readDisplaySize(
  stream: ProbeStream,
  rotationDeg: ClipInfo['rotationDeg'],
): { width: number; height: number } {
  const sar = parseRatio(stream.sample_aspect_ratio) ?? 1;
  const width = Math.max(1, Math.round((stream.width ?? 0) * sar));
  const height = Math.max(1, stream.height ?? 0);
  const quarterTurn = rotationDeg === 90 || rotationDeg === 270;
  return quarterTurn ? { width: height, height: width } : { width, height };
}
