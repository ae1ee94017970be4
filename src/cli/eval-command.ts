import { stat } from 'node:fs/promises';

import type { Argv } from 'yargs';

import { resolveMainOptions } from '../config/main-options.js';
import { MreError } from '../errors.js';
import { formatConfusionTable, formatPerClassTable } from '../eval/metrics.js';
import { createLogger } from '../log.js';
import { BACKEND_CHOICES } from '../model/backend.js';
import { writeFileAtomic } from '../pipeline/write-file-atomic.js';
import { runMainJob } from '../pipeline/run-job.js';
import { EXIT } from './exit-codes.js';
import { createNullStream } from '../pipeline/null-stream.js';
import type { SubCommand } from './sub-commands.js';

/**
 * `mre-video eval --model DIR <folders...>`: classifies labelled images or clips (truth from the
 * class-named parent folders) and writes the metrics JSON (stdout by default); the per-class
 * table and the confusion matrix go to stderr.
 */
export const evalCommand: SubCommand = {
  name: 'eval <inputs..>',
  describe: 'Measure a model on labelled image or clip folders (<root>/<class>/...)',
  declare: (y: Argv) =>
    y
      .positional('inputs', { type: 'string', array: true, describe: 'Labelled folders' })
      .option('model', { type: 'string', describe: 'Model folder (default: models/default)' })
      .option('out', { alias: 'o', type: 'string', describe: 'Metrics JSON file or - (default)' })
      .option('backend', { choices: BACKEND_CHOICES,
        describe: 'Tensor backend (default: auto)' })
      .option('concurrency', { describe: 'Clips processed at once (default: 2)' })
      .option('max-frames', { describe: 'Most frames scored per clip (10)' })
      .option('quiet', { alias: 'q', type: 'boolean', describe: 'Only errors on stderr' }),
  run: async (argv) => {
    for (const input of (argv.inputs as string[] | undefined) ?? []) {
      if ((await stat(input).catch(() => undefined)) === undefined) {
        throw new MreError('INPUT', `eval: ${input}: file or folder not found`, { file: input });
      }
    }
    const target = typeof argv.out === 'string' ? argv.out : '-';
    const options = resolveMainOptions({
      inputs: argv.inputs,
      model: argv.model,
      backend: argv.backend,
      concurrency: argv.concurrency,
      maxFrames: argv.maxFrames,
      quiet: argv.quiet,
    });
    const log = createLogger(options.logLevel);
    const result = await runMainJob(options, { log, stdout: createNullStream() });
    if (result.metrics === null) {
      throw new MreError('INPUT', 'eval: no clip has a known truth (expected <root>/<class>/...)');
    }
    log.info(formatPerClassTable(result.metrics));
    log.info(formatConfusionTable(result.metrics));
    const json = `${JSON.stringify(result.metrics, null, 2)}\n`;
    if (target === '-') process.stdout.write(json);
    else await writeFileAtomic(target, json);
    return EXIT.OK;
  },
};
