import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

import { MreError } from '../errors.js';

/** Name of the tfjs WebAssembly backend. */
export const WASM_BACKEND = 'wasm';

/** Arguments tfjs hands a kernel function. */
export interface KernelArgs {
  inputs: tf.NamedTensorInfoMap;
  backend: tf.KernelBackend;
  attrs?: tf.NamedAttrMap;
}

/**
 * A float32 view of a tensor's memory on the wasm heap. Any allocation may grow the heap and
 * detach earlier views, so take views only after the last allocation of a step.
 */
export function viewFloats(backend: BackendWasm, info: tf.TensorInfo): Float32Array {
  return backend.typedArrayFromHeap(info) as Float32Array;
}

/** Allocates an uninitialised float32 tensor on the wasm heap; the caller disposes it. */
export function allocateFloats(backend: BackendWasm, shape: number[]): tf.TensorInfo {
  return backend.makeOutput(shape, 'float32');
}

/** Frees a heap tensor made by a kernel step. */
export function freeTensor(backend: BackendWasm, info: tf.TensorInfo): void {
  backend.disposeData(info.dataId);
}

/** Copies elements [start, end) of a heap tensor into a new heap tensor of `shape`. */
export function copyRange(
  backend: BackendWasm, source: tf.TensorInfo, start: number, end: number, shape: number[],
): tf.TensorInfo {
  const copy = allocateFloats(backend, shape);
  viewFloats(backend, copy).set(viewFloats(backend, source).subarray(start, end));
  return copy;
}

/** Transposes a row-major [rows, cols] heap matrix into a new [cols, rows] heap tensor. */
export function transposeMatrix(
  backend: BackendWasm, source: tf.TensorInfo, rows: number, cols: number,
): tf.TensorInfo {
  const result = allocateFloats(backend, [cols, rows]);
  const from = viewFloats(backend, source);
  const to = viewFloats(backend, result);
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    for (let c = 0; c < cols; c++) to[c * rows + r] = from[base + c] as number;
  }
  return result;
}

/** Throws unless both inputs are float32 (the only type the training kernels handle). */
export function assertFloat32(kernel: string, ...infos: tf.TensorInfo[]): void {
  const other = infos.find((info) => info.dtype !== 'float32');
  if (other !== undefined) {
    throw new MreError('BACKEND', `${kernel} on wasm expects float32 tensors, got ${other.dtype}`);
  }
}
