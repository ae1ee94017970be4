/**
 * Turning ffprobe/ffmpeg and file-system failures into short causes people can act on. Pure: no
 * I/O.
 */
import { describeError, MreError } from '../errors.js';

/** Cause for a file of 0 bytes. */
export const CAUSE_EMPTY = 'empty file (0 bytes)';
/** Cause for a path that does not exist. */
export const CAUSE_NOT_FOUND = 'file not found';
/** Cause for a symbolic link whose target does not exist. */
export const CAUSE_BROKEN_LINK = 'broken symbolic link';
/** Cause for a symbolic link that leads back to itself, directly or through other links. */
export const CAUSE_LINK_LOOP = 'symbolic link loop';
/** Cause for a file or folder the user may not read. */
export const CAUSE_PERMISSION_DENIED = 'permission denied';
/** Cause for a directory or device instead of a file. */
export const CAUSE_NOT_REGULAR = 'not a regular file';
/** Cause for a container with streams but no (non-cover-art) video stream. */
export const CAUSE_NO_VIDEO = 'no video stream';
/** Cause for a file cut short. */
export const CAUSE_TRUNCATED = 'truncated file';
/** Cause for data no demuxer recognises. */
export const CAUSE_NOT_MEDIA = 'not a media file';
/** Cause for a playlist, file list or other format that would open further files. */
export const CAUSE_REFUSED_FORMAT =
  'refused container format (playlists, file lists and image sequences are not read)';
/** Cause for a decode that produced nothing. */
export const CAUSE_NO_FRAMES = 'no decodable frames';

/** File-system error codes and their causes (ENOENT and ENOTDIR take the caller's wording). */
const FILE_ERROR_CAUSES: Readonly<Record<string, string>> = {
  ELOOP: CAUSE_LINK_LOOP,
  EACCES: CAUSE_PERMISSION_DENIED,
  EPERM: 'operation not permitted',
};

/**
 * The one-line cause of a failed file-system call: `missing` (default "file not found") for
 * ENOENT and ENOTDIR, "symbolic link loop" for ELOOP, "permission denied" for EACCES, else the
 * error's own message on one line.
 */
export function describeFileError(err: unknown, missing: string = CAUSE_NOT_FOUND): string {
  const code = (err as { code?: unknown } | null | undefined)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return missing;
  const known = typeof code === 'string' ? FILE_ERROR_CAUSES[code] : undefined;
  return known ?? describeError(err);
}

/** Cause for a video codec the decoding ffmpeg cannot decode. */
export function describeMissingDecoder(codec: string): string {
  return `no decoder for ${codec}`;
}

/** Ordered stderr patterns and the cause each one means; the first match wins. */
const STDERR_CAUSES: ReadonlyArray<readonly [RegExp, (m: RegExpExecArray) => string]> = [
  [/Format not on whitelist/i, () => CAUSE_REFUSED_FORMAT],
  [/not on whitelist/i, () => CAUSE_REFUSED_FORMAT],
  [/Decoder \(codec ([\w-]+)\) not found/i, (m) => describeMissingDecoder(m[1] ?? 'unknown')],
  [/Unsupported codec with id \d+ for input stream/i, () => describeMissingDecoder('unknown')],
  [/No such file or directory/i, () => CAUSE_NOT_FOUND],
  [/moov atom not found/i, () => CAUSE_TRUNCATED],
  [/partial file|End of file|ended prematurely|truncat/i, () => CAUSE_TRUNCATED],
  [/Invalid data found when processing input/i, () => CAUSE_NOT_MEDIA],
  [/Output file #0 does not contain any stream|does not contain any stream/i, () => CAUSE_NO_VIDEO],
];

/**
 * The cause a failed ffprobe/ffmpeg run's stderr points to, or its last meaningful line when no
 * known pattern matches (so the message still says something), or undefined for empty stderr.
 */
export function describeToolFailure(stderr: string): string | undefined {
  for (const [pattern, describe] of STDERR_CAUSES) {
    const match = pattern.exec(stderr);
    if (match) return describe(match);
  }
  return lastMeaningfulLine(stderr);
}

/** The last non-empty stderr line with the `file:/path: ` prefix ffmpeg puts in front removed. */
function lastMeaningfulLine(stderr: string): string | undefined {
  const lines = stderr.split('\n').map((line) => line.trim()).filter((line) => line !== '');
  const last = lines.at(-1);
  return last?.replace(/^file:.*?: /, '').replace(/^\[[^\]]*\] /, '');
}

/** ISO base media (MP4/MOV) box types a real file can start with. */
const ISO_MEDIA_FIRST_BOXES: ReadonlySet<string> = new Set([
  'ftyp', 'moov', 'mdat', 'free', 'skip', 'wide', 'pnot', 'styp', 'sidx', 'moof',
]);

/**
 * True when `head` (the first bytes of a file) starts like an MP4/MOV file: a box size then a
 * known box type. Tells a cut-short MP4 (ffmpeg: "moov atom not found") from a file that only
 * has an .mp4 name, for which ffmpeg says the same.
 */
export function looksLikeIsoMedia(head: Uint8Array): boolean {
  if (head.length < 8) return false;
  const type = String.fromCharCode(...head.subarray(4, 8));
  return ISO_MEDIA_FIRST_BOXES.has(type);
}

/** An MreError('CLIP') saying that `path` could not be read because of `cause`. */
export function createClipError(path: string, cause: string, underlying?: unknown): MreError {
  return new MreError('CLIP', `${path}: ${cause}`, { file: path, cause: underlying });
}
