import * as tf from '@tensorflow/tfjs';

import { MreError } from '../errors.js';

/** Geometry of one NHWC convolution, taken from tfjs's own conv info. */
export interface ConvGeometry {
  batch: number;
  inHeight: number;
  inWidth: number;
  inChannels: number;
  outHeight: number;
  outWidth: number;
  outChannels: number;
  filterHeight: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  padTop: number;
  padLeft: number;
}

/** Attributes tfjs passes to the Conv2DBackprop* kernels. */
export interface ConvBackpropAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/**
 * Most float32 elements one patch matrix may hold (64 MiB); a larger batch is processed in
 * chunks of whole images.
 */
export const MAX_PATCH_ELEMENTS = 16 * 1024 * 1024;

/** Reads the geometry of a convolution of an input of `xShape` by a filter of `filterShape`. */
export function computeConvGeometry(
  kernel: string, xShape: number[], filterShape: number[], attrs: ConvBackpropAttrs,
): ConvGeometry {
  if (attrs.dataFormat !== 'NHWC') {
    throw new MreError('BACKEND', `${kernel} on wasm expects NHWC, got ${attrs.dataFormat}`);
  }
  const info = tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides, 1, attrs.pad, attrs.dimRoundingMode, false, 'channelsLast');
  return {
    batch: info.batchSize, inHeight: info.inHeight, inWidth: info.inWidth,
    inChannels: info.inChannels, outHeight: info.outHeight, outWidth: info.outWidth,
    outChannels: info.outChannels, filterHeight: info.filterHeight,
    filterWidth: info.filterWidth, strideHeight: info.strideHeight,
    strideWidth: info.strideWidth, padTop: info.padInfo.top, padLeft: info.padInfo.left,
  };
}

/** Rows of the im2col matrix: filterHeight * filterWidth * inChannels. */
export function patchSize(g: ConvGeometry): number {
  return g.filterHeight * g.filterWidth * g.inChannels;
}

/** How many whole images fit one patch matrix of at most MAX_PATCH_ELEMENTS elements. */
export function imagesPerChunk(g: ConvGeometry): number {
  const perImage = patchSize(g) * g.outHeight * g.outWidth;
  return Math.max(1, Math.min(g.batch, Math.floor(MAX_PATCH_ELEMENTS / perImage)));
}

/**
 * First and one-past-last output index o whose input index `o*stride + tap - pad` lies in
 * [0, inSize); the range is empty when no output reaches an input through this filter tap.
 */
export function validOutputRange(
  tap: number, pad: number, stride: number, inSize: number, outSize: number,
): [number, number] {
  const offset = tap - pad;
  const first = Math.max(0, Math.ceil(-offset / stride));
  const last = Math.min(outSize, Math.floor((inSize - 1 - offset) / stride) + 1);
  return [first, Math.max(first, last)];
}
