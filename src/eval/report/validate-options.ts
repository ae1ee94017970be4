import { MreError } from '../../errors.js';
import type { LogLevel } from '../../log.js';
import { DEFAULT_MAX_FAILURE_RATE, DEFAULT_RESULTS_DIR } from './constants.js';

/** Resolved options of `mre-video validate`. Frozen once validated. */
export interface ValidateOptions {
  /** AFEW-style dataset root (`<root>/<Emotion>/*.mp4`). Required. */
  root: string;
  /** Model folder; null means the main job's shipped default. */
  model: string | null;
  /** Folder holding the run folders and history.csv. Default "results". */
  results: string;
  /** Gate: fail when accuracy is below this (0..1). Default: no accuracy gate. */
  failUnder: number | undefined;
  /** Gate: fail when more than this share (0..1) of clips end in error. Default 0.05. */
  maxFailureRate: number;
  /** Run folder (path, or name inside `results`) to compare with; null: the previous run. */
  compare: string | null;
  /** Log verbosity on stderr. Default "info". */
  logLevel: LogLevel;
}

/**
 * Reads the validate flags from parsed arguments (camelCase keys as yargs gives them), applies
 * defaults and checks them. Throws MreError 'USAGE' naming the flag when a value is wrong.
 */
export function resolveValidateOptions(argv: Readonly<Record<string, unknown>>): ValidateOptions {
  return Object.freeze({
    root: readRequiredText(argv.root, '<root>'),
    model: readOptionalText(argv.model, '--model') ?? null,
    results: readOptionalText(argv.results, '--results') ?? DEFAULT_RESULTS_DIR,
    failUnder: readFraction(argv.failUnder, '--fail-under'),
    maxFailureRate: readFraction(argv.maxFailureRate, '--max-failure-rate') ??
      DEFAULT_MAX_FAILURE_RATE,
    compare: readOptionalText(argv.compare, '--compare') ?? null,
    logLevel: readLogLevel(argv),
  });
}

function readRequiredText(value: unknown, name: string): string {
  const text = readOptionalText(value, name);
  if (text === undefined) throw new MreError('USAGE', `${name} is required`);
  return text;
}

function readOptionalText(value: unknown, name: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.trim() === '') {
    throw new MreError('USAGE', `${name} must be a non-empty path, got ${JSON.stringify(value)}`);
  }
  return value;
}

function readFraction(value: unknown, name: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isFinite(number) || number < 0 || number > 1) {
    const shown = typeof value === 'string' ? JSON.stringify(value) : String(value);
    throw new MreError('USAGE', `${name} must be a number from 0 to 1, got ${shown}`);
  }
  return number;
}

function readLogLevel(argv: Readonly<Record<string, unknown>>): LogLevel {
  if (argv.quiet === true && argv.verbose === true) {
    throw new MreError('USAGE', '--quiet and --verbose cannot be used together');
  }
  if (argv.quiet === true) return 'quiet';
  return argv.verbose === true ? 'verbose' : 'info';
}
