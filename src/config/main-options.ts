import { readFile } from 'node:fs/promises';

import { MreError } from '../errors.js';
import type { LogLevel } from '../log.js';
import { BACKEND_CHOICES, type BackendChoice } from '../model/backend.js';

/** Output formats of the main job. */
export type OutputFormat = 'csv' | 'jsonl';

/** Tensor backends the user can ask for (see BackendChoice). */
export type BackendName = BackendChoice;

/** Fewest frames per clip the sampler tries to find (default 3). */
export const DEFAULT_MIN_FRAMES = 3;

/** Most frames per clip that are scored (default 10). */
export const DEFAULT_MAX_FRAMES = 10;

/** Upper bound for --max-frames: more frames add little and cost memory. */
export const MAX_FRAMES_LIMIT = 100;

/** Upper bound for --concurrency. */
export const MAX_CONCURRENCY = 64;

/** Upper bound for --workers. */
export const MAX_WORKERS = 16;

/** Resolved options of the main job. Frozen once validated. */
export interface MainOptions {
  /** Files, folders or "-" (paths on stdin). Required. */
  inputs: string[];
  /** Output file, or "-" for stdout. Default "-". */
  out: string;
  /** Output format; default from the --out extension (.jsonl/.ndjson), else csv. */
  format: OutputFormat;
  /** Optional CSV of `path,label` giving the truth. */
  labels: string | null;
  /** Model folder; null means the shipped default. */
  model: string | null;
  /** Tensor backend. Default "auto". */
  backend: BackendName;
  /** Clips processed at once. Default 2 (decoding overlaps detection). */
  concurrency: number;
  /**
   * Worker threads, each with its own backend, face nets and model. Default 1: everything in
   * the main thread. 2 uses both cores of a 2-core machine, at about 400 MB more memory.
   */
  workers: number;
  /** Fewest clear frames wanted per clip. Default 3. */
  minFrames: number;
  /** Most frames scored per clip. Default 10. */
  maxFrames: number;
  /** Optional CSV with one row per examined frame. */
  frames: string | null;
  /** Optional folder where the four crops of every scored frame are saved as PNG. */
  saveCrops: string | null;
  /** Take finished rows from the output and its journal and do only the rest. */
  resume: boolean;
  /** Exit 1 when any clip ends in error. */
  strict: boolean;
  /** Log verbosity on stderr. */
  logLevel: LogLevel;
}

/** Option values as they come from flags or a config file: anything may be missing. */
export type PartialMainOptions = Partial<Record<keyof MainOptions | 'quiet' | 'verbose', unknown>>;

const DEFAULTS: Omit<MainOptions, 'inputs' | 'format'> = {
  out: '-',
  labels: null,
  model: null,
  backend: 'auto',
  concurrency: 2,
  workers: 1,
  minFrames: DEFAULT_MIN_FRAMES,
  maxFrames: DEFAULT_MAX_FRAMES,
  frames: null,
  saveCrops: null,
  resume: false,
  strict: false,
  logLevel: 'info',
};

/** Reads a JSON config file whose keys are option names (kebab-case or camelCase). */
export async function readConfigFile(file: string): Promise<PartialMainOptions> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new MreError('USAGE', `--config ${file}: cannot read the file`, { file, cause });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new MreError('USAGE', `--config ${file}: not valid JSON`, { file, cause });
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new MreError('USAGE', `--config ${file}: expected a JSON object of options`, { file });
  }
  return normalizeKeys(parsed as Record<string, unknown>, file);
}

/** Option names a config file may use (camelCase; kebab-case spellings are accepted too). */
const CONFIG_KEYS: ReadonlySet<string> = new Set([
  'inputs', 'out', 'format', 'labels', 'model', 'backend', 'concurrency', 'workers', 'minFrames',
  'maxFrames', 'frames', 'saveCrops', 'resume', 'strict', 'quiet', 'verbose', 'logLevel',
]);

/**
 * Turns kebab-case keys into camelCase ones; a USAGE error for a key that names no option or
 * an option given twice (`max-frames` and `maxFrames`), so a typo is never silently ignored.
 */
export function normalizeKeys(
  values: Record<string, unknown>,
  file = 'config',
): PartialMainOptions {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    const name = key.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    if (!CONFIG_KEYS.has(name)) {
      throw new MreError('USAGE', `--config ${file}: unknown option "${key}"`, { file });
    }
    if (name in out) {
      throw new MreError('USAGE', `--config ${file}: option "${key}" is given twice`, { file });
    }
    out[name] = value;
  }
  return out as PartialMainOptions;
}

/** Stand-ins for the options a config file may leave to the flags, when its values are checked. */
const CONFIG_CHECK_STAND_INS: PartialMainOptions = { inputs: ['-'], out: 'config-check.csv' };

/**
 * Checks the values a config file contributes (those no flag overrides) on their own, so a bad
 * value is reported with the file's name: `--config FILE: --workers: expected …`. Values that
 * are only wrong together with a flag are left to resolveMainOptions.
 */
export function checkConfigValues(
  config: PartialMainOptions,
  flags: PartialMainOptions,
  file: string,
): void {
  const own = Object.entries(config).filter(([key]) =>
    (flags as Record<string, unknown>)[key] === undefined);
  try {
    validateMainOptions({ ...DEFAULTS, ...CONFIG_CHECK_STAND_INS, ...Object.fromEntries(own) });
  } catch (err) {
    if (err instanceof MreError && err.code === 'USAGE') {
      throw new MreError('USAGE', `--config ${file}: ${err.message}`, { file, cause: err });
    }
    throw err;
  }
}

/**
 * Merges defaults, then the config file, then flags (flags win), and validates the result.
 * Only keys that are not undefined override.
 */
export function resolveMainOptions(
  flags: PartialMainOptions,
  config: PartialMainOptions = {},
): Readonly<MainOptions> {
  const merged: PartialMainOptions = { ...DEFAULTS };
  for (const layer of [config, flags]) {
    for (const [key, value] of Object.entries(layer)) {
      if (value !== undefined) (merged as Record<string, unknown>)[key] = value;
    }
  }
  return Object.freeze(validateMainOptions(merged));
}

/** Checks every option and returns a typed copy; throws a USAGE error naming the option. */
export function validateMainOptions(v: PartialMainOptions): MainOptions {
  const out = readString(v.out, 'out');
  const options: MainOptions = {
    inputs: readInputs(v.inputs),
    out,
    format: readFormat(v.format, out),
    labels: readOptionalString(v.labels, 'labels'),
    model: readOptionalString(v.model, 'model'),
    backend: readChoice(v.backend, 'backend', BACKEND_CHOICES),
    concurrency: readInteger(v.concurrency, 'concurrency', 1, MAX_CONCURRENCY),
    workers: readInteger(v.workers, 'workers', 1, MAX_WORKERS),
    minFrames: readInteger(v.minFrames, 'min-frames', 1, MAX_FRAMES_LIMIT),
    maxFrames: readInteger(v.maxFrames, 'max-frames', 1, MAX_FRAMES_LIMIT),
    frames: readOptionalString(v.frames, 'frames'),
    saveCrops: readOptionalString(v.saveCrops, 'save-crops'),
    resume: readBoolean(v.resume, 'resume'),
    strict: readBoolean(v.strict, 'strict'),
    logLevel: readLogLevel(v),
  };
  if (options.minFrames > options.maxFrames) {
    throw usage(`--min-frames (${options.minFrames}) must not exceed --max-frames ` +
      `(${options.maxFrames})`);
  }
  if (options.resume && options.out === '-') {
    throw usage('--resume needs --out FILE: there is nothing to resume on stdout');
  }
  return options;
}

/**
 * A value as the user gave it, for messages (NaN and undefined stay readable; `true` is what a
 * flag given without a value parses to).
 */
function show(value: unknown): string {
  if (value === true) return 'no value';
  return typeof value === 'number' || value === undefined ? String(value) : JSON.stringify(value);
}

function usage(message: string): MreError {
  return new MreError('USAGE', message);
}

function readInputs(value: unknown): string[] {
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  const inputs = list.map((item) => String(item)).filter((item) => item.length > 0);
  if (inputs.length === 0) {
    throw new MreError('INPUT', 'no inputs: give files, folders or - for stdin');
  }
  return inputs;
}

function readString(value: unknown, name: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw usage(`--${name}: expected a non-empty string, got ${show(value)}`);
  }
  return value;
}

function readOptionalString(value: unknown, name: string): string | null {
  return value === null || value === undefined ? null : readString(value, name);
}

function readChoice<T extends string>(value: unknown, name: string, choices: readonly T[]): T {
  if (typeof value === 'string' && (choices as readonly string[]).includes(value)) {
    return value as T;
  }
  throw usage(`--${name}: expected one of ${choices.join(', ')}, got ${show(value)}`);
}

function readInteger(value: unknown, name: string, min: number, max: number): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
    throw usage(`--${name}: expected an integer from ${min} to ${max}, ` +
      `got ${show(value)}`);
  }
  return n;
}

function readBoolean(value: unknown, name: string): boolean {
  if (typeof value === 'boolean') return value;
  throw usage(`--${name}: expected true or false, got ${show(value)}`);
}

function readFormat(value: unknown, out: string): OutputFormat {
  if (value !== undefined && value !== null) return readChoice(value, 'format', ['csv', 'jsonl']);
  return /\.(jsonl|ndjson)$/i.test(out) ? 'jsonl' : 'csv';
}

function readLogLevel(v: PartialMainOptions): LogLevel {
  if (v.quiet === true && v.verbose === true) {
    throw usage('--quiet and --verbose cannot be used together');
  }
  if (v.quiet === true) return 'quiet';
  if (v.verbose === true) return 'verbose';
  if (v.logLevel === undefined) return 'info';
  return readChoice(v.logLevel, 'log-level', ['quiet', 'info', 'verbose']);
}
