import yargs, { type Argv } from 'yargs';

import { MreError, describeError } from '../errors.js';
import { VERSION } from '../version.js';
import { EXIT } from './exit-codes.js';
import { declareMainFlags, pickMainFlags } from './main-command.js';
import { runMainCommand } from './run-main-command.js';
import { resolveDefaultModelDir } from '../pipeline/default-model.js';
import { evalCommand } from './eval-command.js';
import { trainCommand } from './train-command.js';
import { createValidateCommand } from './validate-command.js';
import { runJobForValidate } from './validate-job.js';
import type { Handler, SubCommand } from './sub-commands.js';

/** The sub-commands, in help order. */
const SUB_COMMANDS: SubCommand[] = [
  trainCommand,
  evalCommand,
  createValidateCommand({
    runMainJob: runJobForValidate,
    defaultModelDir: resolveDefaultModelDir(),
  }),
];

/**
 * Stands in for a lone "-" while yargs parses: yargs drops "-" from positional arrays and turns
 * `--out -` into "". NUL cannot occur in a real argument.
 */
const DASH_PLACEHOLDER = '\u0000-';

/** Puts "-" back wherever the placeholder ended up (strings and arrays of strings). */
function restoreDashes(argv: Record<string, unknown>): Record<string, unknown> {
  const restore = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(restore) : v === DASH_PLACEHOLDER ? '-' : v;
  return Object.fromEntries(Object.entries(argv).map(([k, v]) => [k, restore(v)]));
}

/** Parses argv, runs the chosen command and resolves to the exit code. */
export async function main(args: string[]): Promise<number> {
  let handler: Handler | undefined;
  let parsed: Record<string, unknown> = {};
  let usageError: string | undefined;
  const masked = args.map((arg) => (arg === '-' ? DASH_PLACEHOLDER : arg));
  const parser = buildParser(masked, (h) => (handler = h))
    .fail((message, err) => {
      usageError = message ?? describeError(err);
    });
  try {
    parsed = restoreDashes((await parser.parseAsync()) as Record<string, unknown>);
  } catch (err) {
    usageError ??= describeError(err);
  }
  if (usageError !== undefined) {
    process.stderr.write(`mre-video: ${usageError}\nTry 'mre-video --help'.\n`);
    return EXIT.USAGE;
  }
  if (handler === undefined) return EXIT.OK;
  return runHandler(handler, parsed);
}

function buildParser(args: string[], choose: (h: Handler) => void): Argv {
  let y = yargs(args)
    .scriptName('mre-video')
    .version(VERSION)
    .strict()
    .exitProcess(false)
    .wrap(Math.min(100, process.stdout.columns ?? 100))
    .command(
      '$0 [inputs..]',
      'Classify the facial emotion in each clip (default command)',
      (cmd) => declareMainFlags(cmd),
      () => choose((argv) => runMainCommand(pickMainFlags(argv), argv.config as string,
        SUB_COMMANDS.map((sub) => sub.name.split(' ')[0] as string))),
    );
  for (const sub of SUB_COMMANDS) {
    y = y.command(sub.name, sub.describe, (cmd) => sub.declare(cmd), () => choose(sub.run));
  }
  return y;
}

async function runHandler(handler: Handler, argv: Record<string, unknown>): Promise<number> {
  try {
    return await handler(argv);
  } catch (err) {
    if (err instanceof MreError && err.code === 'USAGE') {
      process.stderr.write(`mre-video: ${err.message}\n`);
      return EXIT.USAGE;
    }
    process.stderr.write(`mre-video: ${describeError(err)}\n`);
    if (process.env.MRE_VIDEO_DEBUG) process.stderr.write(`${(err as Error).stack}\n`);
    return EXIT.FATAL;
  }
}
