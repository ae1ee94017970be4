import type { FaceCrops } from '../../face/types.js';
import { type CropPart, checkCropBatch, INPUT_OFFSET } from '../crops-to-tensors.js';

/** Channels of every crop as stored in FaceCrops (interleaved RGB). */
const RGB_CHANNELS = 3;

/**
 * One part of every face as a channel-first [n, channels, size, size] array, with the same
 * values cropsToTensor gives tf.js (pixel - INPUT_OFFSET; grey is the mean of R, G and B).
 * Throws MreError('INPUT') on an empty batch, mixed sizes or a crop of the wrong length.
 */
export function cropsToNchw(crops: readonly FaceCrops[], part: CropPart, channels: 1 | 3):
  Float32Array {
  const size = checkCropBatch(crops, part);
  const plane = size * size;
  const out = new Float32Array(crops.length * channels * plane);
  crops.forEach((crop, i) => {
    const rgb = crop[part];
    const base = i * channels * plane;
    for (let p = 0; p < plane; p += 1) {
      const r = rgb[p * RGB_CHANNELS] ?? 0;
      const g = rgb[p * RGB_CHANNELS + 1] ?? 0;
      const b = rgb[p * RGB_CHANNELS + 2] ?? 0;
      if (channels === 1) {
        out[base + p] = (r + g + b) / RGB_CHANNELS - INPUT_OFFSET;
      } else {
        out[base + p] = r - INPUT_OFFSET;
        out[base + plane + p] = g - INPUT_OFFSET;
        out[base + 2 * plane + p] = b - INPUT_OFFSET;
      }
    }
  });
  return out;
}
