import type { Argv } from 'yargs';

import { BACKEND_CHOICES } from '../model/backend.js';

/** Declares the main job's flags on a yargs instance; no defaults here (see main-options.ts). */
export function declareMainFlags<T>(y: Argv<T>): Argv<T> {
  return y
    .positional('inputs', {
      describe: 'Clip files, folders (walked recursively) or - for paths on stdin',
      type: 'string',
      array: true,
    })
    .option('out', { alias: 'o', type: 'string', describe: 'Output file or - (default: -)' })
    .option('format', { choices: ['csv', 'jsonl'], describe: 'Output format (default: --out)' })
    .option('labels', { type: 'string', describe: 'CSV with header path,label giving the truth' })
    .option('model', { type: 'string', describe: 'Model folder (default: models/default)' })
    .option('backend', {
      choices: BACKEND_CHOICES,
      describe: 'Tensor backend; onnx runs the model in onnxruntime (default: auto)',
    })
    // integers without a yargs type: yargs turns "abc" into NaN for type 'number', while
    // untyped values keep what was typed for the message and numbers still parse as numbers
    .option('concurrency', { describe: 'Clips processed at once (default: 2)' })
    .option('workers', { describe: 'Worker threads (default: 1, in-process)' })
    .option('min-frames', { describe: 'Fewest clear frames wanted (default: 3)' })
    .option('max-frames', { describe: 'Most frames scored per clip (default: 10)' })
    .option('frames', { type: 'string', describe: 'CSV with one row per examined frame' })
    .option('save-crops', { type: 'string', describe: 'Folder for the PNG crops of scored frames' })
    .option('config', { type: 'string', describe: 'JSON file of options; flags override it' })
    .option('resume', { type: 'boolean', describe: 'Keep finished rows of --out and do the rest' })
    .option('strict', { type: 'boolean', describe: 'Exit 1 when any clip ends in error' })
    .option('quiet', { alias: 'q', type: 'boolean', describe: 'Only errors on stderr' })
    .option('verbose', { alias: 'v', type: 'boolean', describe: 'Debug output on stderr' });
}

/** The main job's flag names as yargs returns them (camelCase), for the option resolver. */
export const MAIN_FLAG_KEYS = [
  'inputs', 'out', 'format', 'labels', 'model', 'backend', 'concurrency', 'workers', 'minFrames',
  'maxFrames', 'frames', 'saveCrops', 'resume', 'strict', 'quiet', 'verbose',
] as const;

/**
 * Picks the main job's flags out of parsed yargs arguments. Paths after `--` (e.g. a file named
 * `-i.mp4`) land in `argv._` and are inputs too.
 */
export function pickMainFlags(argv: Record<string, unknown>): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  for (const key of MAIN_FLAG_KEYS) picked[key] = argv[key];
  const rest = Array.isArray(argv._) ? argv._.map(String) : [];
  if (rest.length > 0) {
    const given = Array.isArray(picked.inputs) ? picked.inputs.map(String) : [];
    picked.inputs = [...given, ...rest];
  }
  return picked;
}
