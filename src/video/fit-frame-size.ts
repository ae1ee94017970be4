/**
 * The output size of a decoded frame. Pure: no I/O.
 */
import { MreError } from '../errors.js';

/** A width and height in pixels. */
export interface FrameSize {
  width: number;
  height: number;
}

/** `maxSide` as a whole number of pixels; throws MreError('USAGE') unless it is a number >= 1. */
export function checkMaxSide(maxSide: number): number {
  if (!Number.isFinite(maxSide) || maxSide < 1) {
    throw new MreError('USAGE', `maxSide must be a number of pixels >= 1, got ${maxSide}`);
  }
  return Math.floor(maxSide);
}

/**
 * `size` scaled down, keeping its aspect ratio, so that its longer side is at most `maxSide`
 * pixels; never scaled up. Each side is rounded and at least 1 pixel.
 */
export function fitFrameSize(size: FrameSize, maxSide: number): FrameSize {
  const side = checkMaxSide(maxSide);
  const scale = Math.min(1, side / Math.max(size.width, size.height));
  return {
    width: Math.max(1, Math.min(side, Math.round(size.width * scale))),
    height: Math.max(1, Math.min(side, Math.round(size.height * scale))),
  };
}
