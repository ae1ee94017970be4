/**
 * Benchmarks MRE-CNN sub-network training and inference per backend and input size.
 * Usage: node --import tsx scripts/bench-train.ts [--backends wasm,cpu] [--sizes 48,64,96]
 *   [--arch alexnet] [--width 0.5] [--batch 64] [--steps 3]
 * Prints one table row per backend and size: training samples/s, forward faces/s, and the
 * ratio of a training step to a forward pass of the same batch. Random inputs; the
 * augmentation and crop cost of real training is not included.
 */
import * as tf from '@tensorflow/tfjs';

import { NUM_CLASSES } from '../src/classes.js';
import { silentLogger } from '../src/log.js';
import { type BackendChoice, initBackend } from '../src/model/backend.js';
import type { Architecture } from '../src/model/model-config.js';
import { createSubNetwork } from '../src/model/mre-cnn.js';
import { registerWasmTrainingKernels } from '../src/model/wasm-conv2d-backprop-filter.js';
import { createMomentumSgd } from '../src/train/momentum-sgd.js';

/** Probabilities are clipped to [LOG_EPSILON, 1] before the log, as in training. */
const LOG_EPSILON = 1e-7;

interface BenchArgs { backends: BackendChoice[]; sizes: number[]; arch: Architecture;
  width: number; batch: number; steps: number }

/** Reads `--name value` flags over the defaults. */
function parseArgs(argv: string[]): BenchArgs {
  const get = (name: string, fallback: string): string => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 && argv[i + 1] !== undefined ? (argv[i + 1] as string) : fallback;
  };
  return {
    backends: get('backends', 'wasm,cpu').split(',') as BackendChoice[],
    sizes: get('sizes', '48,64,96').split(',').map(Number),
    arch: get('arch', 'alexnet') as Architecture,
    width: Number(get('width', '0.5')),
    batch: Number(get('batch', '64')),
    steps: Number(get('steps', '3')),
  };
}

/** Mean milliseconds of `steps` calls of `fn` after one warm-up call. */
async function timeMs(steps: number, fn: () => Promise<void> | void): Promise<number> {
  await fn();
  const start = performance.now();
  for (let i = 0; i < steps; i++) await fn();
  return (performance.now() - start) / steps;
}

/** One row: forward and training-step times of a sub-network at one input size. */
async function benchSize(args: BenchArgs, size: number): Promise<{ fwd: number; train: number }> {
  const model = createSubNetwork({ arch: args.arch, inputSize: size, width: args.width,
    channels: 3 }, 'eye', { seed: 1 });
  const shape = [args.batch, size, size, 3];
  const faces = tf.randomUniform(shape, 0, 1, 'float32', 1);
  const regions = tf.randomUniform(shape, 0, 1, 'float32', 2);
  const labels = tf.oneHot(tf.randomUniform([args.batch], 0, NUM_CLASSES, 'int32', 3),
    NUM_CLASSES);
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const sgd = createMomentumSgd(vars, 0.9, 1e-4);
  try {
    const fwd = await timeMs(args.steps, () => {
      const probs = model.predict([faces, regions]) as tf.Tensor;
      probs.dataSync();
      probs.dispose();
    });
    const train = await timeMs(args.steps, () => {
      const { value, grads } = tf.variableGrads(() => tf.tidy(() => {
        const probs = model.apply([faces, regions], { training: true }) as tf.Tensor;
        const logProbs = tf.log(tf.clipByValue(probs, LOG_EPSILON, 1));
        return tf.neg(tf.mean(tf.sum(tf.mul(labels, logProbs), 1))) as tf.Scalar;
      }), vars);
      sgd.step(grads, 0.001);
      value.dataSync();
      tf.dispose([value, ...Object.values(grads)]);
    });
    return { fwd, train };
  } finally {
    tf.dispose([faces, regions, labels]);
    sgd.dispose();
    model.dispose();
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  registerWasmTrainingKernels();
  const header = 'backend  size  batch  train_ms  fwd_ms  ratio  train_samples/s  fwd_faces/s';
  process.stdout.write(`${args.arch} width ${args.width}, ${args.steps} timed steps\n${header}\n`);
  for (const backend of args.backends) {
    const name = await initBackend(backend, silentLogger);
    for (const size of args.sizes) {
      const { fwd, train } = await benchSize(args, size);
      const cells = [name.padEnd(7), String(size).padStart(5), String(args.batch).padStart(6),
        train.toFixed(0).padStart(9), fwd.toFixed(0).padStart(7), (train / fwd).toFixed(2)
          .padStart(6), (args.batch / (train / 1000)).toFixed(1).padStart(16),
        (args.batch / (fwd / 1000)).toFixed(1).padStart(12)];
      process.stdout.write(`${cells.join(' ')}\n`);
    }
  }
}

await main();
