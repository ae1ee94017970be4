import { MreError } from '../../errors.js';

/** The eight signature bytes every PNG file starts with. */
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Byte offsets of width and height in the IHDR chunk, which always comes first. */
const IHDR_WIDTH_OFFSET = 16;
const IHDR_HEIGHT_OFFSET = 20;

/** Width and height in pixels of PNG bytes, read from the IHDR chunk. */
export function readPngSize(png: Uint8Array): { width: number; height: number } {
  const isPng = png.length >= IHDR_HEIGHT_OFFSET + 4 &&
    PNG_SIGNATURE.every((byte, i) => png[i] === byte);
  if (!isPng) throw new MreError('INTERNAL', 'expected PNG bytes, got something else');
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: view.getUint32(IHDR_WIDTH_OFFSET), height: view.getUint32(IHDR_HEIGHT_OFFSET) };
}
