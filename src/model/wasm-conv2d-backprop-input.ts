import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

import { multiplyOnWasm } from './wasm-batch-mat-mul.js';
import {
  ConvBackpropAttrs, ConvGeometry, computeConvGeometry, imagesPerChunk, patchSize,
} from './wasm-conv-geometry.js';
import {
  KernelArgs, WASM_BACKEND, assertFloat32, copyRange, freeTensor, transposeMatrix, viewFloats,
} from './wasm-heap.js';

const KERNEL = 'Conv2DBackpropInput';

/**
 * Scatter-adds the patch gradients `cols` ([count*oh*ow, patchSize], images from `first`) into
 * dx (col2im). For one output pixel and filter row the (kw, c) run is contiguous in both.
 */
function addPatchesToImages(
  cols: Float32Array, dx: Float32Array, g: ConvGeometry, first: number, count: number,
): void {
  const k = patchSize(g);
  const tapRow = g.filterWidth * g.inChannels;
  let n = 0;
  for (let b = first; b < first + count; b++) {
    for (let oh = 0; oh < g.outHeight; oh++) {
      for (let ow = 0; ow < g.outWidth; ow++, n++) {
        const iw0 = ow * g.strideWidth - g.padLeft;
        const kwFirst = Math.max(0, -iw0);
        const kwLast = Math.min(g.filterWidth, g.inWidth - iw0);
        if (kwLast <= kwFirst) continue;
        const runLength = (kwLast - kwFirst) * g.inChannels;
        for (let kh = 0; kh < g.filterHeight; kh++) {
          const ih = oh * g.strideHeight + kh - g.padTop;
          if (ih < 0 || ih >= g.inHeight) continue;
          const src = n * k + kh * tapRow + kwFirst * g.inChannels;
          const dst = ((b * g.inHeight + ih) * g.inWidth + iw0 + kwFirst) * g.inChannels;
          for (let i = 0; i < runLength; i++) {
            dx[dst + i] = (dx[dst + i] as number) + (cols[src + i] as number);
          }
        }
      }
    }
  }
}

/** Input gradient of images [first, first + count), added into the heap tensor dx. */
function addChunkGradient(
  backend: BackendWasm, dy: tf.TensorInfo, filterT: tf.TensorInfo, dx: tf.TensorInfo,
  g: ConvGeometry, first: number, count: number,
): void {
  const perImage = g.outHeight * g.outWidth * g.outChannels;
  const rows = count * g.outHeight * g.outWidth;
  const whole = first === 0 && count === g.batch;
  const dyRows = whole
    ? { ...dy, shape: [rows, g.outChannels] }
    : copyRange(backend, dy, first * perImage, (first + count) * perImage,
      [rows, g.outChannels]);
  let cols: tf.TensorInfo | undefined;
  try {
    cols = multiplyOnWasm(backend, dyRows, filterT);
    addPatchesToImages(viewFloats(backend, cols), viewFloats(backend, dx), g, first, count);
  } finally {
    if (cols !== undefined) freeTensor(backend, cols);
    if (!whole) freeTensor(backend, dyRows);
  }
}

/**
 * Conv2DBackpropInput for wasm: patch gradients dy[n, cout] @ W[k, cout]^T in XNNPACK, then a
 * col2im scatter-add in JS. The shipped kernel is a scalar loop (5.3 s of a 9 s training step
 * of a half-width two-stream AlexNet at batch 64).
 */
function conv2dBackpropInputWasm(args: KernelArgs): tf.TensorInfo {
  const backend = args.backend as BackendWasm;
  const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const attrs = args.attrs as unknown as ConvBackpropAttrs & { inputShape: number[] };
  assertFloat32(KERNEL, dy, filter);
  const g = computeConvGeometry(KERNEL, attrs.inputShape, filter.shape, attrs);

  // The filter as [cout, k], so the product needs no transposed operand.
  const filterT = transposeMatrix(backend, filter, patchSize(g), g.outChannels);
  const dx = backend.makeOutput([...attrs.inputShape], 'float32');
  try {
    viewFloats(backend, dx).fill(0);
    const chunk = imagesPerChunk(g);
    for (let first = 0; first < g.batch; first += chunk) {
      addChunkGradient(backend, dy, filterT, dx, g, first, Math.min(chunk, g.batch - first));
    }
  } catch (err) {
    freeTensor(backend, dx);
    throw err;
  } finally {
    freeTensor(backend, filterT);
  }
  return dx;
}

/** Replaces wasm's shipped Conv2DBackpropInput by {@link conv2dBackpropInputWasm}. */
export function registerWasmConv2dBackpropInput(): void {
  if (tf.getKernel(KERNEL, WASM_BACKEND) !== undefined) tf.unregisterKernel(KERNEL, WASM_BACKEND);
  tf.registerKernel({
    kernelName: KERNEL,
    backendName: WASM_BACKEND,
    kernelFunc: conv2dBackpropInputWasm as unknown as tf.KernelFunc,
  });
}
