/**
 * Still images read with sharp: probing (size, EXIF orientation) and decoding to one RgbFrame.
 */
import { extname } from 'node:path';
import sharp from 'sharp';

import { checkMaxSide } from './fit-frame-size.js';
import type { ClipInfo, RgbFrame } from './types.js';

/** File extensions (lower case, with the dot) taken to be still images. */
export const IMAGE_EXTENSIONS: ReadonlySet<string> = new Set([
  '.jpg', '.jpeg', '.png', '.bmp', '.tif', '.tiff', '.webp',
]);

/**
 * The demuxer ffmpeg is made to use for a file with an image extension that sharp cannot read
 * (e.g. BMP): probing by extension would pick image2, which expands file-name patterns.
 */
export const IMAGE_DEMUXER = 'image2pipe';

/**
 * Formats sharp is allowed to read. Others it supports (svg, pdf, heif, vips) are left out: an
 * svg can refer to other files, and none of them is a photo format this tool needs.
 */
const SHARP_FORMATS: ReadonlySet<string> = new Set(['jpeg', 'png', 'webp', 'tiff']);

/** Clockwise quarter turn sharp's rotate() applies for EXIF orientations 5-8 (mirrors aside). */
const EXIF_ROTATION: Readonly<Record<number, ClipInfo['rotationDeg']>> = {
  3: 180, 4: 180, 5: 90, 6: 90, 7: 270, 8: 270,
};

/** True when `path` has one of {@link IMAGE_EXTENSIONS}. */
export function hasImageExtension(path: string): boolean {
  return IMAGE_EXTENSIONS.has(extname(path).toLowerCase());
}

/**
 * ClipInfo for an image sharp can read, upright per its EXIF orientation, or undefined when
 * sharp cannot read it or it is not one of the allowed formats.
 */
export async function probeStillImage(path: string): Promise<ClipInfo | undefined> {
  const meta = await sharp(path)
    .metadata()
    .catch(() => undefined);
  const readable = meta && SHARP_FORMATS.has(meta.format ?? '') && meta.width && meta.height;
  if (!meta || !readable) return undefined;

  const rotationDeg = EXIF_ROTATION[meta.orientation ?? 1] ?? 0;
  const quarterTurn = rotationDeg === 90 || rotationDeg === 270;
  return {
    path,
    kind: 'image',
    width: quarterTurn ? meta.height : meta.width,
    height: quarterTurn ? meta.width : meta.height,
    durationSec: 0,
    fps: 1,
    frameCount: 1,
    rotationDeg,
    codec: meta.format,
  };
}

/**
 * Decodes an image with sharp into one RgbFrame: turned upright per EXIF, alpha removed, in
 * sRGB (grey expanded to three channels), scaled down so its longer side is <= maxSide.
 * Rejects when sharp cannot read it or it is not one of the allowed formats.
 */
export async function decodeStillImage(path: string, maxSide: number): Promise<RgbFrame> {
  const meta = await sharp(path).metadata();
  if (!SHARP_FORMATS.has(meta.format ?? '')) {
    throw new Error(`image format ${meta.format ?? 'unknown'} is not read with sharp`);
  }

  const side = checkMaxSide(maxSide);
  const { data, info } = await sharp(path)
    .rotate()
    .resize({ width: side, height: side, fit: 'inside', withoutEnlargement: true })
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  const rgb = expandToRgb(data, info.channels);
  return { index: 0, timeSec: 0, width: info.width, height: info.height, data: rgb };
}

/** Interleaved pixels with `channels` channels as RGB: grey is repeated, extra channels dropped. */
export function expandToRgb(data: Uint8Array, channels: number): Uint8Array {
  if (channels === 3) return new Uint8Array(data.buffer, data.byteOffset, data.length);
  const pixels = Math.floor(data.length / channels);
  const rgb = new Uint8Array(pixels * 3);
  for (let p = 0; p < pixels; p++) {
    const grey = channels < 3;
    for (let c = 0; c < 3; c++) {
      rgb[p * 3 + c] = data[p * channels + (grey ? 0 : c)] ?? 0;
    }
  }
  return rgb;
}
