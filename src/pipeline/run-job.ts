import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

import pLimit from 'p-limit';

import type { MainOptions } from '../config/main-options.js';
import { MreError } from '../errors.js';
import { loadLabelTable, resolveTruth, type LabelTable } from '../eval/labels.js';
import { computeMetrics, formatMetricsSummary, type Metrics } from '../eval/metrics.js';
import { cropsToPng } from '../face/crop-regions.js';
import { loadFaceNets } from '../face/face-api-nets.js';
import { silentLogger, type Logger } from '../log.js';
import { initBackend } from '../model/backend.js';
import { loadModel, type MreModel } from '../model/load-model.js';
import { VERSION } from '../version.js';
import { classifyClip, type ClipEngine, type ClipOutcome } from './classify-clip.js';
import { createEngine } from './create-engine.js';
import { resolveDefaultModelDir } from './default-model.js';
import { openFramesWriter, type FramesWriter } from './frames-writer.js';
import { collectInputs } from './inputs.js';
import { loadFinishedRows, openOutputWriter, type OutputWriter } from './output-writer.js';
import { createFailedRow, judgeCorrect, sortRowsByClip, type ResultRow } from './rows.js';
import { writeFileAtomic } from './write-file-atomic.js';

/** Things the job needs from its surroundings; all optional. */
export interface JobDeps {
  log?: Logger;
  /** Where `-` reads paths from. Default process.stdin. */
  stdin?: NodeJS.ReadableStream;
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
  engine: ClipEngine;
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
  const found = await collectInputs(options.inputs, { stdin: deps.stdin });
  const labels = options.labels === null ? undefined : await loadLabelTable(options.labels);
  const missing = found.problems.map((p) => withTruth(createFailedRow(p.path, 'error', p.error),
    labels));
  if (found.clips.length === 0 && missing.length === 0) {
    throw new MreError('INPUT', 'no clips found in the inputs');
  }
  const finished = options.resume ? await loadFinishedRows(options.out, options.format) : [];
  const done = new Set(finished.map((row) => row.clip));
  const todo = found.clips.filter((clip) => !done.has(clip));
  if (options.resume) log.info(`resume: ${done.size} clips done, ${todo.length} to do`);

  // Model and face nets, then the writers.
  const { engine, modelInfo, model } = await prepareEngine(options, deps, log);
  const allInputs = [...found.clips, ...found.problems.map((p) => p.path)];
  const output = await openOutputWriter({
    out: options.out,
    format: options.format,
    inputs: allInputs,
    finishedRows: options.resume ? finished : undefined,
    stdout: deps.stdout,
  });
  const frames = options.frames === null ? null
    : await openFramesWriter({ path: options.frames, inputs: allInputs, resume: options.resume });
  const ctx: JobContext = { options, log, engine, labels, output, frames };

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
    model?.dispose();
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

function elapsed(started: number): number {
  return (performance.now() - started) / 1000;
}

function withTruth(row: ResultRow, labels: LabelTable | undefined): ResultRow {
  const truth = resolveTruth(row.clip, labels);
  return { ...row, truth, correct: judgeCorrect(row.label, truth) };
}

async function prepareEngine(
  options: MainOptions,
  deps: JobDeps,
  log: Logger,
): Promise<{ engine: ClipEngine; modelInfo: Metrics['model']; model: MreModel | null }> {
  if (deps.engine !== undefined) {
    const info = deps.modelInfo ?? { name: 'test', sha256: '', backend: 'none' };
    return { engine: deps.engine, modelInfo: info, model: null };
  }
  const backend = await initBackend(options.backend, log);
  const model = await loadModel(options.model ?? resolveDefaultModelDir());
  if (model.untrained) {
    log.warn(`model ${model.name} is untrained (random weights): its labels mean nothing`);
  }
  const nets = await loadFaceNets();
  log.debug(`backend ${backend}, model ${model.name} (${model.sha256.slice(0, 12)})`);
  const modelInfo = { name: model.name, sha256: model.sha256, backend };
  return { engine: createEngine(nets, model), modelInfo, model };
}

async function classifyAll(
  ctx: JobContext,
  clips: string[],
  deps: JobDeps,
): Promise<{ rows: ResultRow[]; interrupted: boolean }> {
  const limit = pLimit(ctx.options.concurrency);
  const rows: ResultRow[] = [];
  let interrupted = false;
  const settings = {
    minFrames: ctx.options.minFrames,
    maxFrames: ctx.options.maxFrames,
    keepCrops: ctx.options.saveCrops !== null,
  };
  const tasks = clips.map((clip) => limit(async () => {
    if (deps.signal?.aborted) {
      interrupted = true;
      return;
    }
    const outcome = await classifyClip(clip, ctx.engine, settings);
    const row = withTruth(outcome.row, ctx.labels);
    await recordOutcome(ctx, outcome, row);
    rows.push(row);
    deps.onClip?.(rows.length, clips.length, row);
  }));
  await Promise.all(tasks);
  return { rows, interrupted };
}

async function recordOutcome(ctx: JobContext, outcome: ClipOutcome, row: ResultRow): Promise<void> {
  if (ctx.options.saveCrops !== null && outcome.crops.length > 0) {
    await saveCrops(ctx.options.saveCrops, row.clip, outcome.crops);
  }
  await ctx.frames?.writeClip(row.clip, outcome.frames);
  await ctx.output.write(row);
  if (row.status !== 'ok') ctx.log.debug(`${row.clip}: ${row.status}: ${row.error ?? ''}`);
}

/** A folder name for a clip's crops: its path with unsafe characters replaced. */
export function cropFolderName(clip: string): string {
  const flat = path.normalize(clip).replace(/^(\.\.[/\\])+/, '').replace(/[/\\]/g, '__');
  return flat.replace(/[^\p{L}\p{N}._-]+/gu, '_').slice(-200) || 'clip';
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
  const metricsFile = `${options.out}.metrics.json`;
  await writeFileAtomic(metricsFile, `${JSON.stringify(metrics, null, 2)}\n`);
  return { metrics, metricsFile };
}
