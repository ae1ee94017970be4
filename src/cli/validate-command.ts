import type { Argv } from 'yargs';

import { resolveValidateOptions } from '../eval/report/validate-options.js';
import {
  runValidation,
  type MainJobRequest,
  type MainJobResult,
} from '../eval/report/validate-run.js';
import { describeError, MreError } from '../errors.js';
import { createLogger, type Logger } from '../log.js';
import { EXIT } from './exit-codes.js';
import type { SubCommand } from './sub-commands.js';

/** Outside effects of `validate`; `runMainJob` is required, the rest have defaults. */
export interface ValidateDeps {
  /** Classifies every clip under the root and computes the metrics. */
  runMainJob: (request: MainJobRequest) => Promise<MainJobResult>;
  /** Clock for the run folder name. Default: the system clock. */
  now?: () => Date;
  /** Where the summary line goes. Default: process.stdout. */
  writeStdout?: (text: string) => void;
  /** Logger for stderr. Default: one made from --quiet / --verbose. */
  logger?: Logger;
  /** Model folder for the model card when --model is absent (e.g. "models/default"). */
  defaultModelDir?: string;
}

/**
 * `mre-video validate <root>`: runs the main job on an AFEW-style dataset, writes a new run
 * folder with a report, extends history.csv and applies the gate. Resolves to the exit code:
 * 0 pass, 1 fatal error, 2 bad flags, 3 gate failed. Prints one summary line on stdout.
 */
export async function runValidate(
  argv: Readonly<Record<string, unknown>>,
  deps: ValidateDeps,
): Promise<number> {
  let logger = deps.logger ?? createLogger('info');
  try {
    const options = resolveValidateOptions(argv);
    logger = deps.logger ?? createLogger(options.logLevel);
    const outcome = await runValidation(options, { ...deps, logger });
    (deps.writeStdout ?? writeToStdout)(`${outcome.summary}\n`);
    return outcome.gate.pass ? EXIT.OK : EXIT.GATE;
  } catch (err) {
    logger.error(`validate: ${describeError(err)}`);
    return err instanceof MreError && err.code === 'USAGE' ? EXIT.USAGE : EXIT.FATAL;
  }
}

/** Declares the validate flags (defaults are applied in resolveValidateOptions). */
export function declareValidateFlags<T>(y: Argv<T>): Argv<T> {
  return y
    .positional('root', { describe: 'AFEW-style dataset root (<root>/<Emotion>/*)',
      type: 'string' })
    .option('model', { type: 'string', describe: 'Model folder (default: the shipped model)' })
    .option('results', { type: 'string', describe: 'Folder of run folders (default: results)' })
    .option('fail-under', { describe: 'Exit 3 when accuracy is below this' })
    .option('max-failure-rate', {
      describe: 'Exit 3 when more than this share of clips fail (default: 0.05)' })
    .option('compare', { type: 'string',
      describe: 'Run folder to compare with (default: the previous run)' })
    .option('quiet', { alias: 'q', type: 'boolean', describe: 'Only errors on stderr' })
    .option('verbose', { alias: 'v', type: 'boolean', describe: 'Debug output on stderr' });
}

/** The validate sub-command for the CLI's command list. */
export function createValidateCommand(deps: ValidateDeps): SubCommand {
  return {
    name: 'validate <root>',
    describe: 'Validate a model on a labelled dataset and write a dated report',
    declare: (y) => declareValidateFlags(y),
    run: (argv) => runValidate(argv, deps),
  };
}

function writeToStdout(text: string): void {
  process.stdout.write(text);
}
