import { FACE_TEMPLATE } from '../../../src/face/template.js';
import type { Point } from '../../../src/face/types.js';
import type { RgbFrame } from '../../../src/video/types.js';

/** The template placed in a frame: scaled by `scale` px a unit, rotated `deg` (y-down axes). */
export function placeTemplate(scale: number, offset: Point, deg = 0): Point[] {
  const rad = (deg * Math.PI) / 180;
  const c = Math.cos(rad);
  const s = Math.sin(rad);
  return FACE_TEMPLATE.map(([x, y]) => [
    offset[0] + scale * (c * x - s * y),
    offset[1] + scale * (s * x + c * y),
  ] as const);
}

/** A frame whose pixels come from `pick(col, row, channel)`. */
export function createFrame(
  width: number,
  height: number,
  pick: (col: number, row: number, ch: number) => number,
): RgbFrame {
  const data = new Uint8Array(width * height * 3);
  for (let row = 0; row < height; row += 1) {
    for (let col = 0; col < width; col += 1) {
      for (let ch = 0; ch < 3; ch += 1) {
        data[(row * width + col) * 3 + ch] = pick(col, row, ch);
      }
    }
  }
  return { index: 0, timeSec: 0, width, height, data };
}

/** A deterministic pseudo-random texture value 0..255. */
export function hashNoise(col: number, row: number, ch: number): number {
  const h = Math.imul(col * 374761393 + row * 668265263 + ch * 2147483647, 1274126177);
  return (h >>> 24) & 255;
}

/** The frame mirrored left-right. */
export function flipFrame(frame: RgbFrame): RgbFrame {
  return createFrame(frame.width, frame.height, (col, row, ch) =>
    frame.data[(row * frame.width + (frame.width - 1 - col)) * 3 + ch] as number);
}
