import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

import { MreError } from '../errors.js';
import { KernelArgs, WASM_BACKEND, freeTensor, transposeMatrix, viewFloats } from './wasm-heap.js';

/** The kernel tfjs-backend-wasm ships, kept to run the untransposed product. */
let shippedKernel: tf.KernelConfig | undefined;

/** Runs wasm's shipped BatchMatMul (XNNPACK when neither operand is transposed). */
export function multiplyOnWasm(
  backend: BackendWasm, a: tf.TensorInfo, b: tf.TensorInfo,
): tf.TensorInfo {
  const kernel = shippedKernel ?? tf.getKernel('BatchMatMul', WASM_BACKEND);
  if (kernel === undefined) throw new MreError('BACKEND', 'wasm has no BatchMatMul kernel');
  const attrs = { transposeA: false, transposeB: false };
  return kernel.kernelFunc({ inputs: { a, b }, backend, attrs }) as tf.TensorInfo;
}

/** Transposes the last two axes of every matrix of a [batch, rows, cols] heap tensor. */
function transposeBatch(backend: BackendWasm, info: tf.TensorInfo): tf.TensorInfo {
  const rows = info.shape[info.shape.length - 2] as number;
  const cols = info.shape[info.shape.length - 1] as number;
  const batch = tf.util.sizeFromShape(info.shape.slice(0, -2));
  if (batch === 1) {
    const flat = { ...info, shape: [rows, cols] };
    const result = transposeMatrix(backend, flat, rows, cols);
    return { ...result, shape: [...info.shape.slice(0, -2), cols, rows] };
  }
  const result = backend.makeOutput([...info.shape.slice(0, -2), cols, rows], 'float32');
  const from = viewFloats(backend, info);
  const to = viewFloats(backend, result);
  for (let m = 0, base = 0; m < batch; m++, base += rows * cols) {
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) to[base + c * rows + r] = from[base + r * cols + c] as number;
    }
  }
  return result;
}

/**
 * BatchMatMul for wasm that first transposes any transposed operand in JS: the shipped kernel
 * falls back to a scalar loop when an operand is transposed (a dense layer's weight gradient
 * x^T @ dy took ~1.8 s for 64x2048 by 64x2048, its input gradient dy @ W^T ~0.27 s), while the
 * untransposed product runs in XNNPACK.
 */
function batchMatMulWasm(args: KernelArgs): tf.TensorInfo {
  const backend = args.backend as BackendWasm;
  const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
  const attrs = args.attrs as { transposeA: boolean; transposeB: boolean };
  const plain = !attrs.transposeA && !attrs.transposeB;
  if (plain || a.dtype !== 'float32' || b.dtype !== 'float32' || shippedKernel === undefined) {
    return (shippedKernel as tf.KernelConfig).kernelFunc(args) as tf.TensorInfo;
  }
  const plainA = attrs.transposeA ? transposeBatch(backend, a) : a;
  const plainB = attrs.transposeB ? transposeBatch(backend, b) : b;
  try {
    return multiplyOnWasm(backend, plainA, plainB);
  } finally {
    if (plainA !== a) freeTensor(backend, plainA);
    if (plainB !== b) freeTensor(backend, plainB);
  }
}

/** Replaces wasm's BatchMatMul by {@link batchMatMulWasm}, keeping the shipped setup. */
export function registerWasmBatchMatMul(): void {
  const shipped = tf.getKernel('BatchMatMul', WASM_BACKEND);
  if (shipped === undefined || shippedKernel !== undefined) return;
  shippedKernel = shipped;
  tf.unregisterKernel('BatchMatMul', WASM_BACKEND);
  tf.registerKernel({
    ...shipped,
    kernelFunc: batchMatMulWasm as unknown as tf.KernelFunc,
  });
}
