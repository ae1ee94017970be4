import type { Argv } from 'yargs';

import { DEFAULT_MAX_FRAMES, DEFAULT_MIN_FRAMES } from '../config/main-options.js';
import { createLogger } from '../log.js';
import { chooseClipFrames } from '../pipeline/choose-clip-frames.js';
import type { BackendChoice } from '../model/backend.js';
import type { Architecture } from '../model/model-config.js';
import type { TrainOptions } from '../train/train-options.js';
import { runTraining } from '../train/train-run.js';
import { EXIT } from './exit-codes.js';
import { createTrainProgress } from './train-progress.js';
import type { SubCommand } from './sub-commands.js';

/** A flag value as a list of strings (yargs gives one string or an array). */
function toList(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  return (Array.isArray(value) ? value : [value]).map(String);
}

/** Maps parsed flags onto TrainOptions; undefined fields take their documented defaults. */
export function toTrainOptions(argv: Record<string, unknown>): TrainOptions {
  return {
    data: toList(argv.data) ?? [],
    val: toList(argv.val),
    arch: argv.arch as Architecture | undefined,
    inputSize: argv.inputSize as number | undefined,
    width: argv.width as number | undefined,
    channels: argv.channels as 1 | 3 | undefined,
    iterations: argv.iterations as number | undefined,
    batchSize: argv.batchSize as number | undefined,
    lr: argv.lr as number | undefined,
    evalEvery: argv.evalEvery as number | undefined,
    seed: argv.seed as number | undefined,
    classBalance: argv.classBalance as number | undefined,
    init: argv.init as string | undefined,
    resume: argv.resume as boolean | undefined,
    cache: argv.cache as string | undefined,
    backend: argv.backend as BackendChoice | undefined,
    maxParallel: argv.parallel as number | undefined,
    out: argv.out as string,
  };
}

/** `mre-video train`: trains the three sub-networks, searches the ensemble weights, saves. */
export const trainCommand: SubCommand = {
  name: 'train',
  describe: 'Train an MRE-CNN on labelled image folders (<root>/<class>/*)',
  declare: (y: Argv) =>
    y
      .option('data', { type: 'string', array: true, demandOption: true,
        describe: 'Training roots <root>/<class>/*' })
      .option('val', { type: 'string', array: true,
        describe: 'Validation roots (default: 10% of the training faces, by hash)' })
      .option('arch', { choices: ['alexnet', 'vgg16'], describe: 'Backbone (default: alexnet)' })
      .option('input-size', { describe: 'Input side in px (default: 48)' })
      .option('width', { describe: 'Channel width multiplier (default: 0.5)' })
      .option('channels', { choices: [1, 3], describe: '1 grey or 3 RGB (default: 3)' })
      .option('iterations', { describe: 'SGD steps (default: 30000 / 20000)' })
      .option('batch-size', { describe: 'Faces per step (default: 64 / 16)' })
      .option('lr', { describe: 'Learning rate (default: 0.001 / 1e-4)' })
      .option('eval-every', { describe: 'Steps between validations (1000)' })
      .option('seed', { describe: 'Seed (default: 1)' })
      .option('class-balance', {
        describe: 'Sampling balance 0..1: 0 data shares, 1 equal classes (default: 0)' })
      .option('init', { type: 'string',
        describe: 'TF.js layers model, or a model folder (warm start per region), to copy from' })
      .option('resume', { type: 'boolean', describe: 'Continue from the last checkpoints' })
      .option('cache', { type: 'string', describe: 'Preprocessing cache folder' })
      .option('backend', { choices: ['auto', 'tensorflow', 'wasm', 'cpu'] })
      .option('parallel', { describe: 'Sub-networks trained at once (2)' })
      .option('out', { type: 'string', demandOption: true, describe: 'Output folder' })
      .option('quiet', { alias: 'q', type: 'boolean' })
      .option('verbose', { alias: 'v', type: 'boolean' }),
  run: async (argv) => {
    const log = createLogger(argv.quiet ? 'quiet' : argv.verbose ? 'verbose' : 'info');
    const command = `mre-video ${process.argv.slice(2).join(' ')}`;
    const frames = { minFrames: DEFAULT_MIN_FRAMES, maxFrames: DEFAULT_MAX_FRAMES };
    const progress = createTrainProgress(!argv.quiet);
    const report = await runTraining(toTrainOptions(argv), log, {
      command,
      chooseClipFrames: (clip) => chooseClipFrames(clip, frames),
      onProgress: (p) => progress.update(p),
    }).finally(() => progress.end());
    log.info(report.modelDir === null ? 'no model folder written (not all regions trained)'
      : `model: ${report.modelDir}`);
    return EXIT.OK;
  },
};
