import * as tf from '@tensorflow/tfjs';
import { MreError } from '../errors.js';
import type { FaceCrops } from '../face/types.js';
import type { RegionName } from './model-config.js';

/** Which of the four crops of a face. */
export type CropPart = 'face' | RegionName;

/** Channels of every crop as stored in FaceCrops (interleaved RGB). */
const RGB_CHANNELS = 3;

/**
 * Subtracted from every [0, 1] pixel value, so the networks see inputs centred on 0: SGD from
 * scratch on uncentred inputs sat at the class prior for hundreds of steps (AlexNet subtracts
 * the mean image for the same reason). Part of model format version 1: training and scoring
 * both go through this module.
 */
export const INPUT_OFFSET = 0.5;

/**
 * Stacks the whole-face crops and one region's crops of a batch of faces into two
 * [n, size, size, channels] float32 tensors: [faces, regionCrops], each value less INPUT_OFFSET.
 * With `channels` 1 each pixel becomes the mean of its R, G and B values. The caller owns (and
 * disposes) both tensors.
 * Throws MreError('INPUT') on an empty batch, mixed crop sizes or a crop of the wrong length.
 */
export function cropsToTensors(
  crops: readonly FaceCrops[],
  region: RegionName,
  channels: 1 | 3,
): [tf.Tensor4D, tf.Tensor4D] {
  const faces = cropsToTensor(crops, 'face', channels);
  try {
    return [faces, cropsToTensor(crops, region, channels)];
  } catch (err) {
    faces.dispose();
    throw err;
  }
}

/** Stacks one part of every face into a [n, size, size, channels] tensor (see cropsToTensors). */
export function cropsToTensor(
  crops: readonly FaceCrops[],
  part: CropPart,
  channels: 1 | 3,
): tf.Tensor4D {
  const values = cropsToValues(crops, part, channels, 'nhwc');
  const size = crops[0]?.size ?? 0;
  return tf.tensor4d(values, [crops.length, size, size, channels], 'float32');
}

/** Memory order of stacked crops: channels last (tf.js) or first (ONNX). */
export type CropLayout = 'nhwc' | 'nchw';

/**
 * One part of every face as model input values, less INPUT_OFFSET, in `layout` order; with
 * `channels` 1 each pixel is the mean of its R, G and B values (both layouts are then alike).
 * Throws MreError('INPUT') on an empty batch, mixed crop sizes or a crop of the wrong length.
 */
export function cropsToValues(
  crops: readonly FaceCrops[],
  part: CropPart,
  channels: 1 | 3,
  layout: CropLayout,
): Float32Array {
  const plane = checkCropBatch(crops, part) ** 2;
  const values = new Float32Array(crops.length * plane * channels);
  // channel c of pixel p: at p * 3 + c (channels last) or c * plane + p (channels first)
  const [step, stride] = layout === 'nhwc' ? [RGB_CHANNELS, 1] : [1, plane];
  crops.forEach((crop, i) => {
    const rgb = crop[part];
    const base = i * plane * channels;
    for (let p = 0; p < plane; p += 1) {
      const r = rgb[p * RGB_CHANNELS] ?? 0;
      const g = rgb[p * RGB_CHANNELS + 1] ?? 0;
      const b = rgb[p * RGB_CHANNELS + 2] ?? 0;
      if (channels === 1) {
        values[base + p] = (r + g + b) / RGB_CHANNELS - INPUT_OFFSET;
      } else {
        values[base + p * step] = r - INPUT_OFFSET;
        values[base + p * step + stride] = g - INPUT_OFFSET;
        values[base + p * step + 2 * stride] = b - INPUT_OFFSET;
      }
    }
  });
  return values;
}

/** The common crop side of a batch; throws when the batch is empty or inconsistent. */
function checkCropBatch(crops: readonly FaceCrops[], part: CropPart): number {
  const first = crops[0];
  if (first === undefined) {
    throw new MreError('INPUT', 'crops to tensors: expected at least one face, got none');
  }
  crops.forEach((crop, i) => {
    if (crop.size !== first.size) {
      const sizes = `expected ${first.size} px like face 0, got ${crop.size} px`;
      throw new MreError('INPUT', `crops to tensors: face ${i} has another size: ${sizes}`);
    }
    const expected = crop.size * crop.size * RGB_CHANNELS;
    if (crop[part].length !== expected) {
      const lengths = `expected ${expected} values, got ${crop[part].length}`;
      throw new MreError('INPUT', `crops to tensors: face ${i} ${part} crop: ${lengths}`);
    }
  });
  return first.size;
}
