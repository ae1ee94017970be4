import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';

import * as tf from '@tensorflow/tfjs';

import { NUM_CLASSES } from '../classes.js';
import type { FaceCrops } from '../face/types.js';
import type { Logger } from '../log.js';
import { cropsToTensors } from '../model/crops-to-tensors.js';
import { REGIONS, type RegionName } from '../model/model-config.js';
import { createSubNetwork } from '../model/mre-cnn.js';
import { writeFileAtomic } from '../pipeline/write-file-atomic.js';
import { type AccuracyReport, measureAccuracy } from './accuracy.js';
import { augmentFace, cropCachedFace, drawAugmentation } from './augment.js';
import type { FaceSet } from './cached-face.js';
import { readCheckpoint, writeCheckpoint } from './checkpoint.js';
import { createClassSampler } from './class-balance.js';
import { copyWeightsByName, loadInitModel, resolveInitPath } from './init-weights.js';
import { createMomentumSgd, type MomentumSgd } from './momentum-sgd.js';
import { createPrng, mixSeed, nextInt, type Prng, shuffle } from './prng.js';
import type { ResolvedTrainOptions } from './train-options.js';

/** Probabilities are clipped to [EPSILON, 1] before the log of the cross-entropy. */
const LOG_EPSILON = 1e-7;

/** Faces scored at once during validation. */
const EVAL_BATCH = 64;

/** Header of summary.csv. */
export const SUMMARY_HEADER = 'iteration,loss,train_accuracy,val_accuracy,' +
  'val_mean_per_class_accuracy,lr,samples_per_sec';

/** One row of summary.csv (one per validation). */
export interface SummaryRow {
  iteration: number;
  loss: number;
  trainAccuracy: number;
  valAccuracy: number;
  valMeanPerClass: number;
  lr: number;
  samplesPerSec: number;
}

/** What a checkpoint stores besides weights. */
export interface TrainState {
  /** Iterations done. */
  iteration: number;
  /** Seed the per-iteration PRNG streams derive from (the whole PRNG state with iteration). */
  seed: number;
  history: SummaryRow[];
  best: { iteration: number; valAccuracy: number; valMeanPerClass: number } | null;
}

/** Result of training one sub-network. */
export interface SubNetworkResult {
  region: RegionName;
  /** Iterations done (equals options.iterations unless stopped early). */
  iteration: number;
  best: TrainState['best'];
  /** Folder of the best weights (`weights.bin`, plus `val-scores.bin`). */
  bestDir: string;
  history: SummaryRow[];
}

/** Folders of one sub-network under the output. */
export function subNetworkDirs(out: string, region: RegionName): { root: string; last: string;
  best: string } {
  const root = join(out, 'subnetworks', region);
  return { root, last: join(root, 'checkpoint-last'), best: join(root, 'checkpoint-best') };
}

/** Learning rate at `iteration`: linear decay from `lr` to 0 over `iterations`. */
export function learningRateAt(lr: number, iteration: number, iterations: number): number {
  return lr * (1 - iteration / iterations);
}

/** Training sample indices of step `iteration`: epochs of seeded shuffles, read in order. */
export function batchIndices(seed: number, count: number, iteration: number, batch: number):
  number[] {
  const out: number[] = [];
  const order = new Map<number, number[]>();
  for (let k = iteration * batch; k < (iteration + 1) * batch; k++) {
    const epoch = Math.floor(k / count);
    let perm = order.get(epoch);
    if (perm === undefined) {
      perm = shuffle(Array.from({ length: count }, (_, i) => i), createPrng(mixSeed(seed, epoch)));
      order.set(epoch, perm);
    }
    out.push(perm[k % count] as number);
  }
  return out;
}

/** Gives every dropout layer a fresh seed from `rng` (tfjs reuses a fixed seed's mask). */
function reseedDropout(model: tf.LayersModel, rng: Prng): void {
  for (const layer of model.layers) {
    if (layer.getClassName() === 'Dropout') {
      (layer as unknown as { seed: number }).seed = nextInt(rng, 0x7fffffff);
    }
  }
}

/** Mean cross-entropy of softmax outputs and one-hot labels. */
function crossEntropy(probs: tf.Tensor, oneHot: tf.Tensor): tf.Scalar {
  const logProbs = tf.log(tf.clipByValue(probs, LOG_EPSILON, 1));
  return tf.neg(tf.mean(tf.sum(tf.mul(oneHot, logProbs), 1))) as tf.Scalar;
}

/** One SGD step on a batch of crops; returns loss and number correct. */
function trainStep(
  model: tf.LayersModel, sgd: MomentumSgd, vars: tf.Variable[], crops: FaceCrops[],
  labels: number[], region: RegionName, channels: 1 | 3, lr: number,
): { loss: number; correct: number } {
  const [faces, regions] = cropsToTensors(crops, region, channels);
  const oneHot = tf.tidy(() => tf.oneHot(tf.tensor1d(labels, 'int32'), NUM_CLASSES));
  let correct: tf.Tensor | undefined;
  try {
    const { value, grads } = tf.variableGrads(() => {
      const probs = model.apply([faces, regions], { training: true }) as tf.Tensor;
      correct = tf.keep(tf.sum(tf.equal(tf.argMax(probs, 1), tf.argMax(oneHot, 1))));
      return crossEntropy(probs, oneHot);
    }, vars);
    sgd.step(grads, lr);
    const loss = value.dataSync()[0] as number;
    tf.dispose([value, ...Object.values(grads)]);
    return { loss, correct: correct?.dataSync()[0] ?? 0 };
  } finally {
    tf.dispose([faces, regions, oneHot, ...(correct ? [correct] : [])]);
  }
}

/** Scores every face of a set without augmentation; row-major [n, NUM_CLASSES]. */
export function scoreFaceSet(
  model: tf.LayersModel, set: FaceSet, region: RegionName, inputSize: number, channels: 1 | 3,
): Float32Array {
  const scores = new Float32Array(set.faces.length * NUM_CLASSES);
  for (let start = 0; start < set.faces.length; start += EVAL_BATCH) {
    const crops = set.faces.slice(start, start + EVAL_BATCH).map((f) =>
      cropCachedFace(f, inputSize));
    const [faces, regions] = cropsToTensors(crops, region, channels);
    const probs = tf.tidy(() => model.predict([faces, regions]) as tf.Tensor);
    scores.set(probs.dataSync() as Float32Array, start * NUM_CLASSES);
    tf.dispose([faces, regions, probs]);
  }
  return scores;
}

/** The weights of a model as float arrays (model.weights order). */
function readWeights(model: tf.LayersModel): Float32Array[] {
  return model.weights.map((w) => w.read().dataSync() as Float32Array);
}

/** Writes float arrays into a model's weights (model.weights order). */
export function writeWeights(model: tf.LayersModel, values: readonly Float32Array[]): void {
  model.weights.forEach((w, i) => {
    const t = tf.tensor(values[i] as Float32Array, w.shape as number[]);
    w.write(t);
    t.dispose();
  });
}

/** Everything one sub-network's training needs. */
export interface SubNetworkJob {
  region: RegionName;
  options: Readonly<ResolvedTrainOptions>;
  train: FaceSet;
  val: FaceSet;
}

/** Builds the model: seeded initial weights, then --init weights copied by layer name. */
async function buildModel(job: SubNetworkJob, log: Logger): Promise<tf.LayersModel> {
  const { arch, inputSize, width, channels, seed, init } = job.options;
  const model = createSubNetwork({ arch, inputSize, width, channels }, job.region, { seed });
  if (init !== null) {
    const source = await loadInitModel(await resolveInitPath(init, job.region));
    const report = copyWeightsByName(source, model);
    source.dispose();
    const kept = report.skipped.length === 0 ? 'none kept its initial weights'
      : `${report.skipped.length} kept their initial weights (${report.skipped.join(', ')})`;
    log.info(`${job.region}: --init copied ${report.copied.length} layer(s), ${kept}`);
  }
  return model;
}

function formatRow(r: SummaryRow): string {
  return [r.iteration, r.loss.toFixed(6), r.trainAccuracy.toFixed(4), r.valAccuracy.toFixed(4),
    r.valMeanPerClass.toFixed(4), r.lr.toExponential(4), r.samplesPerSec.toFixed(1)].join(',');
}

/** Steps between two progress reports of a sub-network. */
export const PROGRESS_EVERY_STEPS = 5;

/** Where a sub-network's training stands, for a progress display. */
export interface TrainProgress {
  region: RegionName;
  iteration: number;
  iterations: number;
  /** Mean loss since the last validation. */
  loss: number;
  samplesPerSec: number;
}

/** Running totals between two validations. */
interface Window { loss: number; correct: number; samples: number; steps: number; ms: number }

/** Validates, records the summary row, keeps the best weights and writes the checkpoint. */
async function evaluateAndCheckpoint(
  job: SubNetworkJob, model: tf.LayersModel, sgd: MomentumSgd, state: TrainState,
  window: Window, log: Logger,
): Promise<void> {
  const { options: o, region } = job;
  const dirs = subNetworkDirs(o.out, region);
  const scores = scoreFaceSet(model, job.val, region, o.inputSize, o.channels);
  const report: AccuracyReport = measureAccuracy(scores, job.val.faces.map((f) => f.label));
  const row: SummaryRow = { iteration: state.iteration, loss: window.loss / window.steps,
    trainAccuracy: window.correct / window.samples, valAccuracy: report.accuracy,
    valMeanPerClass: report.meanPerClass,
    lr: learningRateAt(o.lr, state.iteration - 1, o.iterations),
    samplesPerSec: window.samples / (window.ms / 1000) };
  state.history.push(row);
  log.info(`${region}: ${formatRow(row)}`);
  if (state.best === null || report.meanPerClass > state.best.valMeanPerClass) {
    state.best = { iteration: state.iteration, valAccuracy: report.accuracy,
      valMeanPerClass: report.meanPerClass };
    await writeCheckpoint(dirs.best, { weights: readWeights(model), velocities: [scores],
      state: state.best });
  }
  const summary = [SUMMARY_HEADER, ...state.history.map(formatRow)].join('\n');
  await writeFileAtomic(join(dirs.root, 'summary.csv'), `${summary}\n`);
  await writeCheckpoint(dirs.last, { weights: readWeights(model),
    velocities: sgd.readVelocities(), state });
}

/** Restores the last checkpoint into model and optimiser; the state to continue from. */
async function restoreOrStart(
  job: SubNetworkJob, model: tf.LayersModel, sgd: MomentumSgd, log: Logger,
): Promise<TrainState> {
  const fresh: TrainState = { iteration: 0, seed: job.options.seed, history: [], best: null };
  if (!job.options.resume) return fresh;
  const cp = await readCheckpoint<TrainState>(subNetworkDirs(job.options.out, job.region).last);
  if (cp === null) {
    log.info(`${job.region}: no checkpoint to resume, starting at iteration 0`);
    return fresh;
  }
  writeWeights(model, cp.weights);
  sgd.writeVelocities(cp.velocities);
  log.info(`${job.region}: resumed at iteration ${cp.state.iteration}`);
  return cp.state;
}

/**
 * Trains one MRE-CNN sub-network on its own (Fan et al. 2018, sec. 3.3): softmax cross-entropy,
 * SGD with momentum and coupled L2 decay, learning rate decayed linearly to 0, one augmented
 * batch per step. Every evalEvery iterations (and at the end) it validates, appends to
 * summary.csv, keeps the best weights by validation mean per-class accuracy and writes a
 * checkpoint from which `resume` continues bit-exactly: sampling, augmentation and dropout draw
 * from PRNG streams derived from (seed, region, iteration).
 */
export async function trainSubNetwork(
  job: SubNetworkJob, log: Logger, onProgress?: (progress: TrainProgress) => void,
): Promise<SubNetworkResult> {
  const { options: o, region } = job;
  await mkdir(subNetworkDirs(o.out, region).root, { recursive: true });
  const model = await buildModel(job, log);
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const sgd = createMomentumSgd(vars, o.momentum, o.weightDecay);
  try {
    const state = await restoreOrStart(job, model, sgd, log);
    const stopAt = Math.min(o.iterations, o.stopAfter === null ? Infinity
      : state.iteration + o.stopAfter);
    await runIterations(job, model, sgd, vars, state, stopAt, log, onProgress);
    return { region, iteration: state.iteration, best: state.best,
      bestDir: subNetworkDirs(o.out, region).best, history: state.history };
  } finally {
    sgd.dispose();
    model.dispose();
  }
}

/** The step loop from state.iteration up to stopAt, validating on schedule. */
async function runIterations(
  job: SubNetworkJob, model: tf.LayersModel, sgd: MomentumSgd, vars: tf.Variable[],
  state: TrainState, stopAt: number, log: Logger,
  onProgress?: (progress: TrainProgress) => void,
): Promise<void> {
  const { options: o, region } = job;
  const regionSeed = mixSeed(o.seed, REGIONS.indexOf(region));
  let window: Window = { loss: 0, correct: 0, samples: 0, steps: 0, ms: 0 };
  const sampler = o.classBalance > 0
    ? createClassSampler(job.train.faces.map((f) => f.label), NUM_CLASSES, o.classBalance) : null;
  while (state.iteration < stopAt) {
    const started = performance.now();
    const rng = createPrng(mixSeed(regionSeed, state.iteration));
    const indices = sampler === null
      ? batchIndices(regionSeed, job.train.faces.length, state.iteration, o.batchSize)
      : sampler.batch(regionSeed, state.iteration, o.batchSize);
    const faces = indices.map((i) => job.train.faces[i]!);
    const crops = faces.map((f) => augmentFace(f, o.inputSize, drawAugmentation(rng), rng));
    reseedDropout(model, rng);
    const lr = learningRateAt(o.lr, state.iteration, o.iterations);
    const step = trainStep(model, sgd, vars, crops, faces.map((f) => f.label), region,
      o.channels, lr);
    state.iteration++;
    window = { loss: window.loss + step.loss, correct: window.correct + step.correct,
      samples: window.samples + faces.length, steps: window.steps + 1,
      ms: window.ms + performance.now() - started };
    if (state.iteration % PROGRESS_EVERY_STEPS === 0) {
      onProgress?.({ region, iteration: state.iteration, iterations: o.iterations,
        loss: window.loss / window.steps, samplesPerSec: window.samples / (window.ms / 1000) });
    }
    if (state.iteration % o.evalEvery === 0 || state.iteration === o.iterations) {
      await evaluateAndCheckpoint(job, model, sgd, state, window, log);
      window = { loss: 0, correct: 0, samples: 0, steps: 0, ms: 0 };
    }
  }
}
