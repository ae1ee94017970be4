/**
 * Probing a clip or image: what it is, how big, how long, how many frames, which way up.
 */
import { lstat, open, stat } from 'node:fs/promises';

import { MreError } from '../errors.js';
import {
  CAUSE_BROKEN_LINK,
  CAUSE_EMPTY,
  CAUSE_NOT_MEDIA,
  CAUSE_NOT_REGULAR,
  CAUSE_NO_VIDEO,
  CAUSE_TRUNCATED,
  createClipError,
  describeFileError,
  describeMissingDecoder,
  describeToolFailure,
  looksLikeIsoMedia,
} from './clip-errors.js';
import {
  buildSafeInputArgs,
  listFfmpegDecoders,
  PROBE_TIMEOUT_MS,
  resolveFfprobePath,
  runFfprobe,
} from './ffmpeg-tools.js';
import {
  findVideoStream,
  isStillImageFormat,
  readDisplaySize,
  readDuration,
  readFrameCount,
  readFrameRate,
  readRotation,
  type ProbeOutput,
  type ProbeStream,
} from './ffprobe-fields.js';
import { hasImageExtension, IMAGE_DEMUXER, probeStillImage } from './still-image.js';
import type { ClipInfo } from './types.js';

/** Bytes read from the start of a file to tell an MP4 from other data. */
const ISO_SNIFF_BYTES = 16;

/** Frame rate assumed when a stream states none, in frames per second. */
export const FALLBACK_FPS = 25;

/**
 * Describes the clip or image at `path`. Images (by extension, read with sharp, or any file
 * ffprobe reads as a single still) are kind 'image' with one frame; sizes are upright with
 * square pixels. Throws MreError('CLIP') naming the file and the cause: file not found, broken
 * symbolic link, symbolic link loop, permission denied, empty file (0 bytes), not a media file,
 * truncated file, no video stream, no decoder for <codec>, refused container format.
 */
export async function probeClip(path: string): Promise<ClipInfo> {
  await checkReadableFile(path);

  // images sharp can read need no ffprobe
  const imageFile = hasImageExtension(path);
  if (imageFile) {
    const image = await probeStillImage(path);
    if (image) return image;
  }

  const probe = await runProbe(path, imageFile ? IMAGE_DEMUXER : undefined);
  return describeProbe(path, probe);
}

/**
 * Throws the matching clip error unless `path` is a non-empty regular file (or a link to one).
 * A link whose target is missing is a broken link; one that leads back to itself (ELOOP) is a
 * symbolic link loop.
 */
async function checkReadableFile(path: string): Promise<void> {
  const link = await lstat(path).catch((err: unknown) => {
    throw createClipError(path, describeFileError(err), err);
  });
  const target = link.isSymbolicLink()
    ? await stat(path).catch((err: unknown) => {
        throw createClipError(path, describeFileError(err, CAUSE_BROKEN_LINK), err);
      })
    : link;
  if (!target.isFile()) throw createClipError(path, CAUSE_NOT_REGULAR);
  if (target.size === 0) throw createClipError(path, CAUSE_EMPTY);
}

/** Runs ffprobe on `path` and parses its JSON; throws the clip error its stderr points to. */
async function runProbe(path: string, format: string | undefined): Promise<ProbeOutput> {
  const args = [
    '-hide_banner', '-v', 'error', '-print_format', 'json', '-show_format', '-show_streams',
    ...buildSafeInputArgs(path, { format }),
  ];
  const result = await runFfprobe(args, { timeoutMs: PROBE_TIMEOUT_MS }).catch((err: unknown) => {
    throw new MreError('INTERNAL', `cannot run ffprobe (${resolveFfprobePath()})`, { cause: err });
  });

  if (result.timedOut) {
    throw createClipError(path, `ffprobe timed out after ${PROBE_TIMEOUT_MS} ms`);
  }
  if (result.exitCode !== 0) {
    const cause = await explainProbeFailure(path, result.stderr, result.exitCode);
    throw createClipError(path, cause, new Error(result.stderr.trim()));
  }
  try {
    return JSON.parse(result.stdout.toString('utf8')) as ProbeOutput;
  } catch (err) {
    throw createClipError(path, CAUSE_NOT_MEDIA, err);
  }
}

/** The cause of a failed probe; "truncated file" only when the file starts like an MP4. */
async function explainProbeFailure(path: string, stderr: string, exitCode: number | null) {
  const cause = describeToolFailure(stderr) ?? `ffprobe exited with ${exitCode}`;
  if (cause !== CAUSE_TRUNCATED || !/moov atom not found/i.test(stderr)) return cause;
  return looksLikeIsoMedia(await readHead(path, ISO_SNIFF_BYTES)) ? cause : CAUSE_NOT_MEDIA;
}

/** Up to the first `bytes` bytes of `path` (fewer when it is shorter or unreadable). */
async function readHead(path: string, bytes: number): Promise<Uint8Array> {
  const file = await open(path, 'r').catch(() => undefined);
  if (!file) return new Uint8Array(0);
  try {
    const { buffer, bytesRead } = await file.read(new Uint8Array(bytes), 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}

/** ClipInfo from ffprobe's output, after checking there is a video stream ffmpeg can decode. */
async function describeProbe(path: string, probe: ProbeOutput): Promise<ClipInfo> {
  const stream = findVideoStream(probe);
  if (!stream) throw createClipError(path, CAUSE_NO_VIDEO);
  await checkDecodable(path, stream);

  const rotationDeg = readRotation(stream);
  const size = readDisplaySize(stream, rotationDeg);
  const codec = stream.codec_name;
  const base = { path, ...size, rotationDeg, codec, streamIndex: stream.index };
  if (isStillImageFormat(probe.format?.format_name)) {
    return { ...base, kind: 'image', durationSec: 0, fps: 1, frameCount: 1 };
  }

  const durationSec = readDuration(stream, probe);
  const fps = readFrameRate(stream) ?? FALLBACK_FPS;
  const frameCount = readFrameCount(stream, durationSec, fps);
  return { ...base, kind: 'video', durationSec, fps, frameCount };
}

/** Throws "no decoder for <codec>" when ffprobe or the decoding ffmpeg lacks a decoder. */
async function checkDecodable(path: string, stream: ProbeStream): Promise<void> {
  const codec = stream.codec_name;
  if (codec === undefined || codec === 'none') {
    const tag = stream.codec_tag_string?.replace(/[^\x20-\x7e]/g, '?') || 'unknown codec';
    throw createClipError(path, describeMissingDecoder(tag));
  }
  const decoders = await listFfmpegDecoders();
  if (decoders.size > 0 && !decoders.has(codec)) {
    throw createClipError(path, describeMissingDecoder(codec));
  }
  if (!stream.width || !stream.height) {
    throw createClipError(path, `${describeMissingDecoder(codec)} (frame size unknown)`);
  }
}
