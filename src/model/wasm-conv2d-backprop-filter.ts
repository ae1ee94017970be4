import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
// Loaded for its kernel registrations, which the ones below extend and replace.
import '@tensorflow/tfjs-backend-wasm';

import { multiplyOnWasm, registerWasmBatchMatMul } from './wasm-batch-mat-mul.js';
import {
  ConvBackpropAttrs, ConvGeometry, computeConvGeometry, imagesPerChunk, patchSize,
  validOutputRange,
} from './wasm-conv-geometry.js';
import { registerWasmConv2dBackpropInput } from './wasm-conv2d-backprop-input.js';
import {
  KernelArgs, WASM_BACKEND, allocateFloats, assertFloat32, copyRange, freeTensor, viewFloats,
} from './wasm-heap.js';

const KERNEL = 'Conv2DBackpropFilter';

/** Whether some filter tap reaches into the padding, so the patch matrix needs zeros. */
function touchesPadding(g: ConvGeometry): boolean {
  for (let kh = 0; kh < g.filterHeight; kh++) {
    const [first, last] = validOutputRange(kh, g.padTop, g.strideHeight, g.inHeight, g.outHeight);
    if (first > 0 || last < g.outHeight) return true;
  }
  for (let kw = 0; kw < g.filterWidth; kw++) {
    const [first, last] = validOutputRange(kw, g.padLeft, g.strideWidth, g.inWidth, g.outWidth);
    if (first > 0 || last < g.outWidth) return true;
  }
  return false;
}

/**
 * Writes image `b` of x into its columns of the transposed im2col matrix `out`
 * ([patchSize, columns], this image starting at column `firstColumn`): row (kh, kw, c),
 * column (oh, ow) holds x[b, oh*s + kh - padTop, ow*s + kw - padLeft, c]. Padding cells are
 * left untouched (the caller zeroes them). Image by image keeps the source in cache.
 */
function fillImagePatches(
  x: Float32Array, out: Float32Array, g: ConvGeometry, b: number,
  firstColumn: number, columns: number,
): void {
  const rowStride = g.inWidth * g.inChannels;
  const colStep = g.strideWidth * g.inChannels;
  const imageBase = b * g.inHeight * rowStride;
  for (let kh = 0; kh < g.filterHeight; kh++) {
    const [ohFirst, ohLast] = validOutputRange(
      kh, g.padTop, g.strideHeight, g.inHeight, g.outHeight);
    for (let kw = 0; kw < g.filterWidth; kw++) {
      const [owFirst, owLast] = validOutputRange(
        kw, g.padLeft, g.strideWidth, g.inWidth, g.outWidth);
      const colOffset = (owFirst * g.strideWidth + kw - g.padLeft) * g.inChannels;
      for (let c = 0; c < g.inChannels; c++) {
        const row = ((kh * g.filterWidth + kw) * g.inChannels + c) * columns + firstColumn;
        for (let oh = ohFirst; oh < ohLast; oh++) {
          const ih = oh * g.strideHeight + kh - g.padTop;
          let src = imageBase + ih * rowStride + colOffset + c;
          const dst = row + oh * g.outWidth;
          for (let ow = owFirst; ow < owLast; ow++, src += colStep) {
            out[dst + ow] = x[src] as number;
          }
        }
      }
    }
  }
}

/** Filter gradient of images [first, first + count) as a [patchSize, cout] heap tensor. */
function computeChunkGradient(
  backend: BackendWasm, x: tf.TensorInfo, dy: tf.TensorInfo, g: ConvGeometry,
  first: number, count: number,
): tf.TensorInfo {
  const perImage = g.outHeight * g.outWidth;
  const columns = count * perImage;
  const whole = first === 0 && count === g.batch;
  const rows = whole
    ? { ...dy, shape: [columns, g.outChannels] }
    : copyRange(backend, dy, first * perImage * g.outChannels,
      (first + count) * perImage * g.outChannels, [columns, g.outChannels]);
  const patches = allocateFloats(backend, [patchSize(g), columns]);
  try {
    // Build the transposed patch matrix straight on the heap, then one XNNPACK product.
    const xValues = viewFloats(backend, x);
    const patchValues = viewFloats(backend, patches);
    if (touchesPadding(g)) patchValues.fill(0);
    for (let i = 0; i < count; i++) {
      fillImagePatches(xValues, patchValues, g, first + i, i * perImage, columns);
    }
    return multiplyOnWasm(backend, patches, rows);
  } finally {
    freeTensor(backend, patches);
    if (!whole) freeTensor(backend, rows);
  }
}

/** Adds the heap tensor `addend` into `sum` in place (both float32 of one size). */
function accumulateInto(backend: BackendWasm, sum: tf.TensorInfo, addend: tf.TensorInfo): void {
  const target = viewFloats(backend, sum);
  const source = viewFloats(backend, addend);
  for (let i = 0; i < target.length; i++) target[i] = (target[i] as number) + (source[i] as number);
}

/**
 * Conv2DBackpropFilter for wasm: dW[kh*kw*cin, cout] = patches(x)^T @ dy. The transposed patch
 * matrix is built in JS on the heap so that the product runs untransposed in XNNPACK (wasm's
 * transposed-operand matMul is a scalar loop, 12x slower on these sizes).
 */
function conv2dBackpropFilterWasm(args: KernelArgs): tf.TensorInfo {
  const backend = args.backend as BackendWasm;
  const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const attrs = args.attrs as unknown as ConvBackpropAttrs & { filterShape: number[] };
  assertFloat32(KERNEL, x, dy);
  const g = computeConvGeometry(KERNEL, x.shape, attrs.filterShape, attrs);

  // Whole images per chunk; partial gradients of later chunks are summed into the first.
  const chunk = imagesPerChunk(g);
  const sum = computeChunkGradient(backend, x, dy, g, 0, chunk);
  for (let first = chunk; first < g.batch; first += chunk) {
    const part = computeChunkGradient(backend, x, dy, g, first, Math.min(chunk, g.batch - first));
    accumulateInto(backend, sum, part);
    freeTensor(backend, part);
  }
  return { ...sum, shape: [...attrs.filterShape] };
}

let registered = false;

/**
 * Makes tfjs-backend-wasm 4.22 fit for training the MRE-CNN. It adds the missing
 * Conv2DBackpropFilter, and replaces two shipped kernels that are scalar loops in wasm and
 * made a training step ~17x a forward pass: Conv2DBackpropInput and BatchMatMul with a
 * transposed left operand. A two-stream step with conv, max-pool, batch-norm, dense, dropout
 * and softmax then runs; MaxPoolGrad, AvgPoolGrad and LRNGrad ship with wasm, and ReLU's
 * gradient uses Step and Multiply. Safe to call any number of times, before or after the
 * backend is set.
 */
export function registerWasmTrainingKernels(): void {
  if (registered) return;
  registered = true;
  if (tf.getKernel(KERNEL, WASM_BACKEND) === undefined) {
    tf.registerKernel({
      kernelName: KERNEL,
      backendName: WASM_BACKEND,
      kernelFunc: conv2dBackpropFilterWasm as unknown as tf.KernelFunc,
    });
  }
  registerWasmBatchMatMul();
  registerWasmConv2dBackpropInput();
}
