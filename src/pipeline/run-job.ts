import { constants as fsConstants } from 'node:fs';
import { createHash } from 'node:crypto';
import { access, lstat, mkdir, realpath, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

import pLimit from 'p-limit';

import type { MainOptions } from '../config/main-options.js';
import { MreError } from '../errors.js';
import { loadLabelTable, resolveTruth, type LabelTable } from '../eval/labels.js';
import { computeMetrics, formatMetricsSummary, type Metrics } from '../eval/metrics.js';
import { cropsToPng } from '../face/crop-regions.js';
import { loadFaceNets } from '../face/face-api-nets.js';
import { silentLogger, type Logger } from '../log.js';
import { chooseModelEngine, initBackend } from '../model/backend.js';
import { loadModel } from '../model/load-model.js';
import { VERSION } from '../version.js';
import {
  classifyClip,
  type ClipEngine,
  type ClipOutcome,
  type ClipSettings,
} from './classify-clip.js';
import { createEngine } from './create-engine.js';
import { resolveDefaultModelDir } from './default-model.js';
import { openFramesWriter, type FramesWriter } from './frames-writer.js';
import { collectInputs, type FolderLister } from './inputs.js';
import { journalPathFor } from './journal.js';
import {
  assertNotOverwritingInputs,
  loadFinishedRows,
  openOutputWriter,
  STDOUT_TARGET,
  type OutputWriter,
} from './output-writer.js';
import { createFailedRow, judgeCorrect, sortRowsByClip, type ResultRow } from './rows.js';
import { writeFileAtomic } from './write-file-atomic.js';
import { createWorkerPool } from './worker-pool.js';

/** Things the job needs from its surroundings; all optional. */
export interface JobDeps {
  log?: Logger;
  /** Where `-` reads paths from. Default process.stdin. */
  stdin?: NodeJS.ReadableStream;
  /** Lists the input folders walked (tests: a folder that cannot be read). Default readdir. */
  listFolder?: FolderLister;
  /** Where `--out -` writes. Default process.stdout. */
  stdout?: NodeJS.WritableStream;
  /** When aborted, no new clip is started; finished rows are flushed. */
  signal?: AbortSignal;
  /** Called after each clip (progress display). */
  onClip?: (done: number, total: number, row: ResultRow) => void;
  /** Replaces face-api and the model (tests). */
  engine?: ClipEngine;
  /** Model identity for the metrics when `engine` is given. */
  modelInfo?: { name: string; sha256: string; backend: string };
}

/** What a run produced. */
export interface JobResult {
  /** Every row, finished ones from a resumed run included, sorted by clip path. */
  rows: ResultRow[];
  /** Metrics when any truth is known, else null. */
  metrics: Metrics | null;
  /** Wall time in seconds. */
  seconds: number;
  /** True when the signal stopped the run before every clip was done. */
  interrupted: boolean;
  /** Where the metrics JSON went, when written. */
  metricsFile: string | null;
}

/** Open resources of one run. */
interface JobContext {
  options: MainOptions;
  log: Logger;
  classify: (clip: string) => Promise<ClipOutcome>;
  labels: LabelTable | undefined;
  output: OutputWriter;
  frames: FramesWriter | null;
}

/**
 * The main job: walks the inputs, classifies every clip (at most `concurrency` at once), writes
 * rows as they finish and, when truth is known, the metrics. A bad clip gives an error row and
 * the run goes on; fatal problems (no inputs, unreadable model or labels, unwritable output)
 * throw an MreError.
 */
export async function runMainJob(options: MainOptions, deps: JobDeps = {}): Promise<JobResult> {
  const started = performance.now();
  const log = deps.log ?? silentLogger;

  // Inputs, truth and earlier rows come first: they are cheap and can fail fatally.
  const found = await collectInputs(options.inputs,
    { stdin: deps.stdin, listFolder: deps.listFolder });
  for (const problem of found.problems) log.warn(`${problem.path}: ${problem.error}`);
  for (const r of found.repeats) {
    log.info(`${r.path}: skipped, the same folder as ${r.walkedAs} (symbolic link)`);
  }
  const labels = options.labels === null ? undefined : await loadLabelTable(options.labels);
  const missing = found.problems.map((p) => withTruth(createFailedRow(p.path, 'error', p.error),
    labels));
  if (found.clips.length === 0 && missing.length === 0) {
    throw new MreError('INPUT', 'no clips found in the inputs');
  }
  const allInputs = [...found.clips, ...found.problems.map((p) => p.path)];
  await checkOutputTargets(options, allInputs);
  if (options.saveCrops !== null) await prepareCropFolder(options.saveCrops);
  if (!options.resume) await setAsideStaleJournals(options, log);
  const finished = options.resume ? await loadFinishedRows(options.out, options.format) : [];
  const done = new Set(finished.map((row) => row.clip));
  const todo = found.clips.filter((clip) => !done.has(clip));
  if (options.resume) logResume(finished, allInputs, todo.length, options.out, log);

  // Model and face nets, then the writers.
  const { classify, modelInfo, close } = await prepareClassifier(options, deps, log);
  const output = await openOutputWriter({
    out: options.out,
    format: options.format,
    inputs: allInputs,
    finishedRows: options.resume ? finished : undefined,
    stdout: deps.stdout,
  });
  const frames = options.frames === null ? null
    : await openFramesWriter({ path: options.frames, inputs: allInputs, resume: options.resume });
  const ctx: JobContext = { options, log, classify, labels, output, frames };

  // Classify; failures of named inputs are rows too.
  let rows: ResultRow[];
  let interrupted: boolean;
  try {
    for (const row of missing) if (!done.has(row.clip)) await output.write(row);
    ({ rows, interrupted } = await classifyAll(ctx, todo, deps));
  } catch (err) {
    await output.abandon();
    await frames?.abandon();
    throw err;
  } finally {
    await close();
  }
  const all = sortRowsByClip([...finished, ...missing.filter((r) => !done.has(r.clip)), ...rows]);
  if (interrupted) {
    await output.abandon();
    await frames?.abandon();
    return { rows: all, metrics: null, seconds: elapsed(started), interrupted, metricsFile: null };
  }
  await output.finish();
  await frames?.finish();
  const { metrics, metricsFile } = await reportMetrics(all, options, modelInfo, log);
  return { rows: all, metrics, seconds: elapsed(started), interrupted: false, metricsFile };
}

/** Every file the run may write: output, frames CSV, their journals and the metrics JSON. */
export function listOutputTargets(options: MainOptions): { flag: string; file: string }[] {
  const targets: { flag: string; file: string }[] = [];
  if (options.out !== STDOUT_TARGET) {
    targets.push({ flag: '--out', file: options.out });
    targets.push({ flag: '--out (journal)', file: journalPathFor(options.out) });
    targets.push({ flag: '--out (metrics)', file: metricsPathFor(options.out) });
  }
  if (options.frames !== null) {
    targets.push({ flag: '--frames', file: options.frames });
    targets.push({ flag: '--frames (journal)', file: journalPathFor(options.frames) });
  }
  return targets;
}

/** The metrics JSON written beside an output file. */
export function metricsPathFor(out: string): string {
  return `${out}.metrics.json`;
}

/**
 * Checks, before the model is loaded, that the run can write its files: none is an input
 * (MreError 'OUTPUT'), no two of them (or one and --labels) are the same file (MreError
 * 'USAGE') and each one's folder exists and is writable (MreError 'OUTPUT').
 */
async function checkOutputTargets(options: MainOptions, inputs: readonly string[]): Promise<void> {
  const targets = listOutputTargets(options);
  await assertNotOverwritingInputs(targets.map((t) => t.file), inputs);
  const owners = new Map<string, string>();
  if (options.labels !== null) {
    owners.set(await resolveTarget(options.labels), `--labels ${options.labels}`);
  }
  for (const { flag, file } of targets) {
    const id = await resolveTarget(file);
    const other = owners.get(id);
    if (other !== undefined) {
      throw new MreError('USAGE', `${flag} ${file} is the same file as ${other}`, { file });
    }
    owners.set(id, `${flag} ${file}`);
    await assertWritableFolder(flag, file);
  }
}

/** The real path of a file, or of its folder joined with its name when it does not exist. */
async function resolveTarget(file: string): Promise<string> {
  const existing = await realpath(file).catch(() => undefined);
  if (existing !== undefined) return existing;
  const folder = path.dirname(path.resolve(file));
  const real = await realpath(folder).catch(() => folder);
  return path.join(real, path.basename(file));
}

/**
 * Throws MreError 'OUTPUT' when the file is a folder, a link, a device or a pipe (results are
 * renamed into place, which would replace such a thing), or the folder it goes in does not exist
 * or cannot be written (found now rather than after every clip was classified).
 */
async function assertWritableFolder(flag: string, file: string): Promise<void> {
  const folder = path.dirname(path.resolve(file));
  const existing = await lstat(file).catch(() => undefined);
  if (existing?.isDirectory()) {
    throw new MreError('OUTPUT', `${flag} ${file}: is a folder, expected a file`, { file });
  }
  if (existing !== undefined && !existing.isFile()) {
    const what = existing.isSymbolicLink() ? 'a symbolic link' : 'not a regular file';
    throw new MreError('OUTPUT', `${flag} ${file}: is ${what}; give the path of a regular file`,
      { file });
  }
  try {
    await access(folder, fsConstants.W_OK | fsConstants.X_OK);
  } catch (cause) {
    const why = (cause as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist'
      : 'is not writable';
    throw new MreError('OUTPUT', `${flag} ${file}: the folder ${folder} ${why}`, { file, cause });
  }
}

function elapsed(started: number): number {
  return (performance.now() - started) / 1000;
}

function withTruth(row: ResultRow, labels: LabelTable | undefined): ResultRow {
  const truth = resolveTruth(row.clip, labels);
  return { ...row, truth, correct: judgeCorrect(row.label, truth) };
}

/** How clips get classified: in this thread, or on a pool of worker threads. */
interface Classifier {
  classify: (clip: string) => Promise<ClipOutcome>;
  modelInfo: Metrics['model'];
  close: () => Promise<void>;
}

function settingsOf(options: MainOptions): ClipSettings {
  return {
    minFrames: options.minFrames,
    maxFrames: options.maxFrames,
    keepCrops: options.saveCrops !== null,
  };
}

async function prepareClassifier(
  options: MainOptions,
  deps: JobDeps,
  log: Logger,
): Promise<Classifier> {
  const settings = settingsOf(options);
  if (deps.engine !== undefined) {
    const engine = deps.engine;
    const modelInfo = deps.modelInfo ?? { name: 'test', sha256: '', backend: 'none' };
    return { classify: (clip) => classifyClip(clip, engine, settings), modelInfo, close: noop };
  }
  const modelDir = options.model ?? resolveDefaultModelDir();
  if (options.workers > 1) return preparePool(options, modelDir, settings, log);
  const tfBackend = await initBackend(options.backend, log);
  const modelEngine = await chooseModelEngine(options.backend, tfBackend, log);
  const model = await loadModel(modelDir, { engine: modelEngine });
  warnIfUntrained(model, log);
  const engine = createEngine(await loadFaceNets(), model);
  const backend = model.backend;
  log.debug(`faces on tf.js ${tfBackend}, model ${model.name} (${model.sha256.slice(0, 12)}) ` +
    `on ${backend}`);
  return {
    classify: (clip) => classifyClip(clip, engine, settings),
    modelInfo: { name: model.name, sha256: model.sha256, backend },
    close: async () => model.dispose(),
  };
}

async function preparePool(
  options: MainOptions,
  modelDir: string,
  settings: ClipSettings,
  log: Logger,
): Promise<Classifier> {
  const pool = await createWorkerPool({
    workers: options.workers,
    modelDir,
    backend: options.backend,
    settings,
  });
  warnIfUntrained(pool.model, log);
  const { name, sha256, backend } = pool.model;
  log.debug(`${options.workers} workers, backend ${backend}, model ${name}`);
  return {
    classify: (clip) => pool.classify(clip),
    modelInfo: { name, sha256, backend },
    close: () => pool.close(),
  };
}

function warnIfUntrained(model: { name: string; untrained: boolean }, log: Logger): void {
  if (model.untrained) {
    log.warn(`model ${model.name} is untrained (random weights): its labels mean nothing`);
  }
}

async function noop(): Promise<void> {
  // nothing to release
}

async function classifyAll(
  ctx: JobContext,
  clips: string[],
  deps: JobDeps,
): Promise<{ rows: ResultRow[]; interrupted: boolean }> {
  const limit = pLimit(Math.max(ctx.options.concurrency, ctx.options.workers));
  const rows: ResultRow[] = [];
  let interrupted = false;
  const tasks = clips.map((clip) => limit(async () => {
    if (deps.signal?.aborted) {
      interrupted = true;
      return;
    }
    const outcome = await ctx.classify(clip);
    for (const warning of outcome.warnings ?? []) ctx.log.warn(warning);
    if (deps.signal?.aborted && isSpoiledByInterrupt(outcome)) {
      interrupted = true;
      ctx.log.debug(`${clip}: disturbed by the interruption, left for --resume`);
      return;
    }
    const row = withTruth(outcome.row, ctx.labels);
    await recordOutcome(ctx, outcome, row);
    rows.push(row);
    deps.onClip?.(rows.length, clips.length, row);
  }));
  await Promise.all(tasks);
  return { rows, interrupted };
}

/**
 * Whether a clip that finished after the stop signal may have been cut short by it: it failed,
 * or its decode stopped part way. A Ctrl-C in a terminal also reaches the ffmpeg children, so
 * such a row is not kept; --resume does the clip again.
 */
export function isSpoiledByInterrupt(outcome: ClipOutcome): boolean {
  return outcome.row.status === 'error' || (outcome.warnings?.length ?? 0) > 0;
}

async function recordOutcome(ctx: JobContext, outcome: ClipOutcome, row: ResultRow): Promise<void> {
  if (ctx.options.saveCrops !== null && outcome.crops.length > 0) {
    await saveCrops(ctx.options.saveCrops, row.clip, outcome.crops);
  }
  await ctx.frames?.writeClip(row.clip, outcome.frames);
  await ctx.output.write(row);
  if (row.status !== 'ok') ctx.log.debug(`${row.clip}: ${row.status}: ${row.error ?? ''}`);
}

/**
 * A folder name for a clip's crops: its path with unsafe characters replaced, then 8 hex digits
 * of the path's SHA-256 so that two paths that flatten alike (`a/b.mp4`, `a__b.mp4`) differ.
 */
export function cropFolderName(clip: string): string {
  const flat = path.normalize(clip).replace(/^(\.\.[/\\])+/, '').replace(/[/\\]/g, '__');
  const safe = flat.replace(/[^\p{L}\p{N}._-]+/gu, '_').slice(-180) || 'clip';
  return `${safe}-${createHash('sha256').update(clip).digest('hex').slice(0, 8)}`;
}

/** Creates the --save-crops folder up front; MreError 'OUTPUT' when it cannot be one. */
async function prepareCropFolder(dir: string): Promise<void> {
  if ((await stat(dir).catch(() => undefined))?.isFile() === true) {
    const message = `--save-crops ${dir}: is a file, expected a folder`;
    throw new MreError('OUTPUT', message, { file: dir });
  }
  try {
    await mkdir(dir, { recursive: true });
  } catch (cause) {
    throw new MreError('OUTPUT', `--save-crops ${dir}: cannot create the folder (${
      (cause as NodeJS.ErrnoException).code ?? 'error'})`, { file: dir, cause });
  }
}

/**
 * A journal left by an interrupted run holds finished rows; a new run without --resume would
 * truncate it. It is renamed to `<journal>.<time>.bak` instead, with a warning.
 */
async function setAsideStaleJournals(options: MainOptions, log: Logger): Promise<void> {
  const outputs = [options.out === STDOUT_TARGET ? null : options.out, options.frames];
  for (const out of outputs) {
    if (out === null) continue;
    const journal = journalPathFor(out);
    if ((await stat(journal).catch(() => undefined))?.isFile() !== true) continue;
    const aside = `${journal}.${new Date().toISOString().replace(/[:.]/g, '')}.bak`;
    await rename(journal, aside);
    log.warn(`${journal} held rows of an interrupted run; kept as ${aside} ` +
      '(use --resume to continue such a run)');
  }
}

async function saveCrops(
  root: string,
  clip: string,
  crops: ClipOutcome['crops'],
): Promise<void> {
  const dir = path.join(root, cropFolderName(clip));
  await mkdir(dir, { recursive: true });
  for (const { index, crops: c } of crops) {
    const png = await cropsToPng(c);
    for (const part of ['face', 'eye', 'nose', 'mouth'] as const) {
      const name = `frame${String(index).padStart(5, '0')}-${part}.png`;
      await writeFile(path.join(dir, name), png[part]);
    }
  }
}

async function reportMetrics(
  rows: ResultRow[],
  options: MainOptions,
  model: Metrics['model'],
  log: Logger,
): Promise<{ metrics: Metrics | null; metricsFile: string | null }> {
  if (!rows.some((row) => row.truth !== null)) return { metrics: null, metricsFile: null };
  const metrics = computeMetrics(rows, { model, toolVersion: VERSION });
  log.info(formatMetricsSummary(metrics));
  if (options.out === '-') return { metrics, metricsFile: null };
  const metricsFile = metricsPathFor(options.out);
  await writeFileAtomic(metricsFile, `${JSON.stringify(metrics, null, 2)}\n`);
  return { metrics, metricsFile };
}

/**
 * Says what --resume found: rows kept (error rows among them are not retried), rows for clips
 * that are not among this run's inputs (kept, and counted in the metrics), and clips to do.
 */
function logResume(
  finished: readonly ResultRow[], inputs: readonly string[], todo: number, out: string,
  log: Logger,
): void {
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  const errors = finished.filter((row) => row.status === 'error').length;
  const kept = errors === 0 ? ''
    : ` (${plural(errors, 'error row')} kept; delete ${errors === 1 ? 'it' : 'them'} from ` +
      `${out} to retry)`;
  log.info(`resume: ${plural(finished.length, 'clip')} done${kept}, ${todo} to do`);
  const wanted = new Set(inputs);
  const foreign = finished.filter((row) => !wanted.has(row.clip)).length;
  if (foreign > 0) {
    log.warn(`resume: ${plural(foreign, 'row')} of ${out} ${foreign === 1 ? 'is' : 'are'} for ` +
      'clips not among the inputs; kept, and counted in the metrics');
  }
}
