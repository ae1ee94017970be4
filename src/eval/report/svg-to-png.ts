import sharp from 'sharp';

import { MreError } from '../../errors.js';
import { PNG_SCALE } from './constants.js';

/** Dots per inch at which librsvg maps one SVG pixel to one PNG pixel. */
const SVG_BASE_DPI = 72;

/**
 * Rasterises an SVG string to PNG bytes with sharp (librsvg), `scale` PNG pixels per SVG pixel
 * (default {@link PNG_SCALE}). Text uses the system fonts fontconfig finds.
 */
export async function svgToPng(svg: string, scale: number = PNG_SCALE): Promise<Buffer> {
  try {
    return await sharp(Buffer.from(svg, 'utf8'), { density: SVG_BASE_DPI * scale })
      .png()
      .toBuffer();
  } catch (err) {
    throw new MreError('INTERNAL', 'could not rasterise a chart SVG to PNG', { cause: err });
  }
}
