import { join } from 'node:path';

import { MreError } from '../errors.js';
import type { BackendChoice } from '../model/backend.js';
import {
  ARCHITECTURES, type Architecture, MAX_INPUT_SIZE_PX, MAX_WIDTH, MIN_INPUT_SIZE_PX, MIN_WIDTH,
  REGIONS, type RegionName,
} from '../model/model-config.js';

/** Per-architecture defaults of Fan et al. (2018), sec. 4.2. */
export const PAPER_TRAINING: Record<Architecture, { batchSize: number; lr: number;
  iterations: number }> = {
  alexnet: { batchSize: 64, lr: 0.001, iterations: 30000 },
  vgg16: { batchSize: 16, lr: 1e-4, iterations: 20000 },
};

/** Default model input side, px: FER2013's own size, trainable on two CPU cores (paper 224). */
export const DEFAULT_TRAIN_INPUT_SIZE_PX = 48;

/** Default width multiplier: half the paper's channels, for CPU training (paper 1). */
export const DEFAULT_TRAIN_WIDTH = 0.5;

/** Default sub-networks trained at once (one process each; this machine class has 2 cores). */
export const DEFAULT_MAX_PARALLEL = 2;

/** Default iterations between validations (and checkpoints). */
export const DEFAULT_EVAL_EVERY = 1000;

/** Default seed of weights, sampling, augmentation and dropout. */
export const DEFAULT_SEED = 1;

/** Cache folder under the output when --cache is not given. */
export const DEFAULT_CACHE_SUBDIR = join('.cache', 'mre-video');

/** Options of `mre-video train`, as given (undefined fields take the documented default). */
export interface TrainOptions {
  /** Training roots `<root>/<class>/*`. Required, at least one. */
  data: string[];
  /** Validation roots; default none: 10 % of the training faces are held out by hash. */
  val?: string[];
  /** Backbone; default 'alexnet'. */
  arch?: Architecture;
  /** Model input side in px; default DEFAULT_TRAIN_INPUT_SIZE_PX (48). */
  inputSize?: number;
  /** Width multiplier; default DEFAULT_TRAIN_WIDTH (0.5). */
  width?: number;
  /** 1 = grey, 3 = RGB; default 3. */
  channels?: 1 | 3;
  /** SGD steps per sub-network; default 30000 (alexnet) or 20000 (vgg16), paper sec. 4.2. */
  iterations?: number;
  /** Faces per step; default 64 (alexnet) or 16 (vgg16). */
  batchSize?: number;
  /** Initial learning rate, decayed linearly to 0; default 0.001 (alexnet) or 1e-4 (vgg16). */
  lr?: number;
  /** SGD momentum; default 0.9. */
  momentum?: number;
  /** L2 weight decay on conv and dense kernels (coupled: g += decay * w); default 1e-4. */
  weightDecay?: number;
  /** Iterations between validations and checkpoints; default DEFAULT_EVAL_EVERY (1000). */
  evalEvery?: number;
  /** Seed; default DEFAULT_SEED (1). */
  seed?: number;
  /** A TF.js layers model (model.json or its folder) whose weights are copied by layer name. */
  init?: string;
  /** Continue each sub-network from its last checkpoint in `out`; default false. */
  resume?: boolean;
  /** Output folder (model, checkpoints, summaries). Required. */
  out: string;
  /**
   * Class balance of sampling, 0..1: each face weighs n_c^-classBalance (n_c faces in its class),
   * so 0 keeps the data's class shares (shuffled epochs) and 1 draws every class equally often.
   * Default 0.
   */
  classBalance?: number;
  /** Preprocessing cache folder; default `<out>/.cache/mre-video`. */
  cache?: string;
  /** tfjs backend of the workers; default 'auto'. */
  backend?: BackendChoice;
  /** Sub-networks trained at once, each in its own process; default 2. */
  maxParallel?: number;
  /** Regions to train; default all three (an ensemble needs all three). */
  regions?: RegionName[];
  /**
   * Stop each sub-network after this many iterations of this run, as if interrupted (for tests
   * of --resume and time-boxed runs); default none. Use a multiple of evalEvery: checkpoints
   * are written only at validations, so later steps would be redone on resume.
   */
  stopAfter?: number;
}

/** Options with every default filled in; never mutated. */
export type ResolvedTrainOptions = Required<Omit<TrainOptions, 'val' | 'init' | 'stopAfter'>> & {
  val: string[];
  init: string | null;
  stopAfter: number | null;
};

function fail(option: string, expected: string, got: unknown): never {
  throw new MreError('USAGE', `--${option} must be ${expected}, got ${JSON.stringify(got)}`);
}

function checkInteger(option: string, value: number, min: number, max = Infinity): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    fail(option, max === Infinity ? `an integer >= ${min}` : `an integer in ${min}..${max}`, value);
  }
}

function checkPositive(option: string, value: number, allowZero = false): void {
  if (!Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    fail(option, allowZero ? 'a number >= 0' : 'a number > 0', value);
  }
}

/** Fills in the defaults (per architecture where the paper differs). */
export function resolveTrainOptions(o: TrainOptions): ResolvedTrainOptions {
  const arch = o.arch ?? 'alexnet';
  const paper = PAPER_TRAINING[arch] ?? PAPER_TRAINING.alexnet;
  return {
    data: [...o.data], val: [...(o.val ?? [])], arch,
    inputSize: o.inputSize ?? DEFAULT_TRAIN_INPUT_SIZE_PX, width: o.width ?? DEFAULT_TRAIN_WIDTH,
    channels: o.channels ?? 3, iterations: o.iterations ?? paper.iterations,
    batchSize: o.batchSize ?? paper.batchSize, lr: o.lr ?? paper.lr, momentum: o.momentum ?? 0.9,
    weightDecay: o.weightDecay ?? 1e-4, evalEvery: o.evalEvery ?? DEFAULT_EVAL_EVERY,
    seed: o.seed ?? DEFAULT_SEED, classBalance: o.classBalance ?? 0, init: o.init ?? null,
    resume: o.resume ?? false, out: o.out,
    cache: o.cache ?? join(o.out, DEFAULT_CACHE_SUBDIR), backend: o.backend ?? 'auto',
    maxParallel: o.maxParallel ?? DEFAULT_MAX_PARALLEL, regions: [...(o.regions ?? REGIONS)],
    stopAfter: o.stopAfter ?? null,
  };
}

/**
 * Resolves the defaults and checks every option; returns a frozen copy. Throws
 * MreError('USAGE') naming the first bad option and what was expected.
 */
export function validateTrainOptions(options: TrainOptions): Readonly<ResolvedTrainOptions> {
  const o = resolveTrainOptions(options);
  if (!Array.isArray(o.data) || o.data.length === 0 || o.data.some((d) => typeof d !== 'string'
    || d === '')) fail('data', 'at least one folder', options.data);
  if (o.val.some((d) => typeof d !== 'string' || d === '')) fail('val', 'folders', options.val);
  if (!ARCHITECTURES.includes(o.arch)) fail('arch', ARCHITECTURES.join(' or '), o.arch);
  checkInteger('input-size', o.inputSize, MIN_INPUT_SIZE_PX, MAX_INPUT_SIZE_PX);
  if (!(o.width >= MIN_WIDTH && o.width <= MAX_WIDTH)) {
    fail('width', `a number in ${MIN_WIDTH}..${MAX_WIDTH}`, o.width);
  }
  if (o.channels !== 1 && o.channels !== 3) fail('channels', '1 or 3', o.channels);
  checkInteger('iterations', o.iterations, 1);
  checkInteger('batch-size', o.batchSize, 1);
  checkPositive('lr', o.lr);
  if (!(o.momentum >= 0 && o.momentum < 1)) fail('momentum', 'a number in [0, 1)', o.momentum);
  checkPositive('weight-decay', o.weightDecay, true);
  checkInteger('eval-every', o.evalEvery, 1);
  checkInteger('seed', o.seed, 0, 0xffffffff);
  if (!(o.classBalance >= 0 && o.classBalance <= 1)) {
    fail('class-balance', 'a number in 0..1', o.classBalance);
  }
  if (typeof o.out !== 'string' || o.out === '') fail('out', 'a folder', options.out);
  checkInteger('max-parallel', o.maxParallel, 1);
  if (o.regions.length === 0 || o.regions.some((r) => !REGIONS.includes(r))) {
    fail('regions', `some of ${REGIONS.join(', ')}`, o.regions);
  }
  if (!['auto', 'tensorflow', 'wasm', 'cpu'].includes(o.backend)) {
    fail('backend', 'auto, tensorflow, wasm or cpu', o.backend);
  }
  if (o.stopAfter !== null) checkInteger('stop-after', o.stopAfter, 1);
  return Object.freeze(o);
}
