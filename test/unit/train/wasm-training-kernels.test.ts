import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

import { registerWasmTrainingKernels } from '../../../src/model/wasm-conv2d-backprop-filter.js';

/** Largest allowed |wasm - cpu| for float32 sums of a few hundred products of N(0,1) values. */
const MAX_ABS_DIFF = 1e-4;

/**
 * Largest allowed |wasm - cpu| relative to the largest |cpu| value, for the chunked case whose
 * sums run over ~50k products (float32 rounding then differs by order of summation).
 */
const MAX_REL_DIFF = 1e-5;

type Pad = 'same' | 'valid';
interface ConvCase { x: [number, number, number, number]; k: number; cout: number; s: number;
  pad: Pad }

const CONV_CASES: ConvCase[] = [
  { x: [2, 9, 9, 1], k: 1, cout: 4, s: 1, pad: 'valid' },
  { x: [3, 8, 8, 8], k: 1, cout: 5, s: 2, pad: 'same' },
  { x: [2, 9, 9, 3], k: 3, cout: 4, s: 1, pad: 'same' },
  { x: [2, 10, 10, 8], k: 3, cout: 6, s: 2, pad: 'valid' },
  { x: [3, 11, 11, 5], k: 5, cout: 2, s: 2, pad: 'same' },
  { x: [2, 12, 12, 3], k: 5, cout: 7, s: 1, pad: 'valid' },
  { x: [2, 23, 23, 3], k: 11, cout: 8, s: 2, pad: 'valid' },
  { x: [4, 16, 16, 1], k: 11, cout: 3, s: 1, pad: 'same' },
  { x: [2, 17, 17, 3], k: 11, cout: 6, s: 2, pad: 'same' },
];

/** A case big enough that the batch is split into patch-matrix chunks (> 16 Mi elements). */
const CHUNKED_CASE: ConvCase = { x: [12, 64, 64, 16], k: 5, cout: 2, s: 1, pad: 'same' };

/** Runs `make` on the cpu and on the wasm backend with the same inputs; returns both results. */
async function runOnBoth(
  inputs: () => tf.Tensor[], kernel: (t: tf.Tensor[]) => tf.Tensor,
): Promise<[Float32Array, Float32Array, number[]]> {
  await tf.setBackend('cpu');
  const cpuInputs = inputs();
  const values = cpuInputs.map((t) => t.arraySync());
  const cpu = kernel(cpuInputs);
  const expected = cpu.dataSync() as Float32Array;
  tf.dispose([...cpuInputs, cpu]);
  await tf.setBackend('wasm');
  const wasmInputs = values.map((v) => tf.tensor(v as number[]));
  const before = tf.memory().numTensors;
  const wasm = kernel(wasmInputs);
  const actual = wasm.dataSync() as Float32Array;
  const shape = wasm.shape;
  wasm.dispose();
  assert.equal(tf.memory().numTensors, before, 'the kernel leaves no tensor behind');
  tf.dispose(wasmInputs);
  return [expected, actual, shape];
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  assert.equal(a.length, b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs((a[i] ?? 0) - (b[i] ?? 0)));
  return worst;
}

function outputShape(c: ConvCase): number[] {
  const [b, h, w] = c.x;
  const size = (n: number): number => (c.pad === 'same'
    ? Math.ceil(n / c.s) : Math.floor((n - c.k) / c.s) + 1);
  return [b, size(h), size(w), c.cout];
}

function describeCase(c: ConvCase): string {
  return `x ${c.x.join('x')}, kernel ${c.k}, stride ${c.s}, ${c.pad}, cout ${c.cout}`;
}

function maxAbs(values: Float32Array): number {
  return values.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
}

/** Asserts closeness: absolute for ordinary sums, relative to the largest value when asked. */
function assertClose(expected: Float32Array, actual: Float32Array, relative = false): void {
  const diff = maxAbsDiff(expected, actual);
  const limit = relative ? MAX_REL_DIFF * maxAbs(expected) : MAX_ABS_DIFF;
  assert.ok(diff < limit, `max diff ${diff}, limit ${limit}`);
}

async function checkFilterGradient(c: ConvCase, relative = false): Promise<void> {
  const filterShape = [c.k, c.k, c.x[3], c.cout];
  const [expected, actual, shape] = await runOnBoth(
    () => [tf.randomNormal(c.x, 0, 1, 'float32', 1), tf.randomNormal(outputShape(c), 0, 1,
      'float32', 2)],
    ([x, dy]) => tf.engine().runKernel('Conv2DBackpropFilter', { x: x!, dy: dy! },
      { strides: c.s, pad: c.pad, dataFormat: 'NHWC', filterShape }) as tf.Tensor);
  assert.deepEqual(shape, filterShape);
  assertClose(expected, actual, relative);
}

async function checkInputGradient(c: ConvCase, relative = false): Promise<void> {
  const [expected, actual, shape] = await runOnBoth(
    () => [tf.randomNormal(outputShape(c), 0, 1, 'float32', 3),
      tf.randomNormal([c.k, c.k, c.x[3], c.cout], 0, 1, 'float32', 4)],
    ([dy, filter]) => tf.engine().runKernel('Conv2DBackpropInput', { dy: dy!, filter: filter! },
      { strides: c.s, pad: c.pad, dataFormat: 'NHWC', inputShape: c.x }) as tf.Tensor);
  assert.deepEqual(shape, c.x);
  assertClose(expected, actual, relative);
}

describe('wasm training kernels', () => {
  before(async () => {
    registerWasmTrainingKernels();
    registerWasmTrainingKernels();
    await tf.setBackend('wasm');
  });

  for (const c of CONV_CASES) {
    it(`computes the same filter gradient as cpu for ${describeCase(c)}`, async () => {
      await checkFilterGradient(c);
    });
    it(`computes the same input gradient as cpu for ${describeCase(c)}`, async () => {
      await checkInputGradient(c);
    });
  }

  it('sums the filter gradient over patch-matrix chunks of a large batch like cpu', async () => {
    await checkFilterGradient(CHUNKED_CASE, true);
  });

  it('splits the input gradient of a large batch into chunks like cpu', async () => {
    await checkInputGradient(CHUNKED_CASE, true);
  });

  it('multiplies with a transposed left operand like cpu, batched or not', async () => {
    for (const [aShape, bShape, tb] of [[[64, 33], [64, 17], false], [[3, 5, 4], [3, 5, 6], false],
      [[20, 9], [7, 20], true]] as [number[], number[], boolean][]) {
      const [expected, actual] = await runOnBoth(
        () => [tf.randomNormal(aShape, 0, 1, 'float32', 5), tf.randomNormal(bShape, 0, 1,
          'float32', 6)],
        ([a, b]) => tf.matMul(a!, b!, true, tb));
      assertClose(expected, actual);
    }
  });

  it('trains a two-stream conv net on wasm with the same loss as cpu', async () => {
    const losses: number[] = [];
    for (const backend of ['cpu', 'wasm']) {
      await tf.setBackend(backend);
      losses.push(trainTinyTwoStream());
    }
    assert.ok(Math.abs(losses[0]! - losses[1]!) < MAX_ABS_DIFF, `losses ${losses.join(' ')}`);
  });
});

/** Loss after three SGD steps of a tiny two-stream net with fixed initial weights and data. */
function trainTinyTwoStream(): number {
  return tf.tidy(() => {
    const seeded = (shape: number[], seed: number): tf.Variable =>
      tf.variable(tf.randomNormal(shape, 0, 0.1, 'float32', seed));
    const w1 = seeded([5, 5, 1, 4], 10);
    const w2 = seeded([3, 3, 4, 6], 11);
    const dense = seeded([2 * 4 * 4 * 6, 3], 12);
    const faces = tf.randomUniform([4, 16, 16, 1], 0, 1, 'float32', 13);
    const regions = tf.randomUniform([4, 16, 16, 1], 0, 1, 'float32', 14);
    const labels = tf.oneHot(tf.tensor1d([0, 1, 2, 1], 'int32'), 3);
    const stream = (x: tf.Tensor4D): tf.Tensor2D => {
      const a = tf.relu(tf.conv2d(x, w1 as tf.Tensor4D, 2, 'same'));
      const b = tf.maxPool(tf.relu(tf.conv2d(a, w2 as tf.Tensor4D, 1, 'same')), 2, 2, 'valid');
      return b.reshape([4, -1]);
    };
    const optimizer = tf.train.momentum(0.1, 0.9);
    let loss = 0;
    for (let step = 0; step < 3; step++) {
      const cost = optimizer.minimize(() => {
        const features = tf.concat(
          [stream(faces as tf.Tensor4D), stream(regions as tf.Tensor4D)], 1);
        return tf.losses.softmaxCrossEntropy(labels, features.matMul(dense)) as tf.Scalar;
      }, true);
      loss = cost?.dataSync()[0] ?? Number.NaN;
    }
    optimizer.dispose();
    return loss;
  });
}
