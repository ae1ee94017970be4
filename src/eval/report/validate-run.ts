import { stat } from 'node:fs/promises';
import { join } from 'node:path';

import { describeError, MreError } from '../../errors.js';
import type { Logger } from '../../log.js';
import { formatCsvHeader, formatCsvRow, type ResultRow } from '../../pipeline/rows.js';
import type { Metrics } from '../metrics.js';
import { compareRuns } from './compare-runs.js';
import { HISTORY_FILE } from './constants.js';
import { evaluateGate, type GateResult } from './gate.js';
import { appendHistory, buildHistoryEntry, readHistory, type HistoryEntry } from './history.js';
import { readModelCard } from './model-card.js';
import {
  findPreviousRunDir,
  readRunRows,
  resolveCompareDir,
  type PreviousRun,
} from './previous-run.js';
import { createRunFolder, type RunFolder } from './run-folder.js';
import { formatSummaryLine } from './summary-line.js';
import type { ValidateOptions } from './validate-options.js';
import { writeRunReport } from './write-run-report.js';

/** What `validate` asks of the main job. */
export interface MainJobRequest {
  /** Dataset root; every clip under it is classified, truth from the class-named folders. */
  root: string;
  /** Model folder; null for the shipped default. */
  model: string | null;
  logger: Logger;
}

/** What the main job gives back (a subset of the pipeline's JobResult). */
export interface MainJobResult {
  rows: ResultRow[];
  /** Null when no clip had a known truth; validate then fails with a DATA error. */
  metrics: Metrics | null;
  /** Wall time of the job in seconds. */
  seconds: number;
  /** True when a signal stopped the job early; such a run is not recorded. */
  interrupted?: boolean;
}

/** A finished job with metrics, as the report needs it. */
interface ScoredJob {
  rows: ResultRow[];
  metrics: Metrics;
  seconds: number;
}

/** Outside effects of a validation run, injected so tests can fake them. */
export interface ValidationDeps {
  runMainJob: (request: MainJobRequest) => Promise<MainJobResult>;
  /** Clock for the run stamp. Default: the system clock. */
  now?: () => Date;
  /** Model folder shown in the model card when --model is not given. Default: none. */
  defaultModelDir?: string;
  logger: Logger;
}

/** The outcome of one validation run. */
export interface ValidationOutcome {
  gate: GateResult;
  folder: RunFolder;
  /** The one-line summary for stdout. */
  summary: string;
}

/**
 * Runs the main job on the dataset and writes a new run folder with results, metrics, charts and
 * report.html, then adds the run to history.csv. Inputs (root, history, --compare) are checked
 * before the job starts, so a mistake costs seconds, not a whole run.
 */
export async function runValidation(
  options: ValidateOptions,
  deps: ValidationDeps,
): Promise<ValidationOutcome> {
  const time = (deps.now ?? (() => new Date()))();
  const historyFile = join(options.results, HISTORY_FILE);

  // check the inputs
  await assertFolder(options.root);
  const history = await readHistory(historyFile);
  const previous = await loadPrevious(options, history, deps.logger);

  // the main job
  const job = requireScored(await deps.runMainJob({ root: options.root, model: options.model,
    logger: deps.logger }), options.root);

  // the run folder, its report, and last the trend: a run is in history once it is complete
  const folder = await createRunFolder(options.results, time);
  const gate = evaluateGate(job.metrics, options);
  const entry = buildHistoryEntry({ time, run: folder.name, metrics: job.metrics,
    seconds: job.seconds });
  await writeRunReport(folder.dir, {
    runName: folder.name, time, root: options.root, seconds: job.seconds,
    metrics: job.metrics, rows: job.rows, gate, gateOptions: options,
    comparison: previous && { against: previous.dir, result: compareRuns(previous.rows, job.rows) },
    history: [...history, entry],
    modelCard: await readModelCard(options.model ?? deps.defaultModelDir ?? null),
    resultsCsv: formatResultsCsv(job.rows),
  });
  await appendHistory(historyFile, entry);
  return { gate, folder, summary: formatSummaryLine(gate, job.metrics, folder.dir) };
}

/** Formats rows as results.csv text with the main job's columns. */
export function formatResultsCsv(rows: readonly ResultRow[]): string {
  return formatCsvHeader() + rows.map((row) => formatCsvRow(row)).join('');
}

async function loadPrevious(
  options: ValidateOptions,
  history: readonly HistoryEntry[],
  logger: Logger,
): Promise<PreviousRun | null> {
  if (options.compare !== null) {
    return readRunRows(await resolveCompareDir(options.compare, options.results));
  }
  const dir = await findPreviousRunDir(options.results, history);
  if (dir === null) return null;
  try {
    return await readRunRows(dir);
  } catch (err) {
    logger.warn(`not comparing with ${dir}: ${describeError(err)}`);
    return null;
  }
}

function requireScored(job: MainJobResult, root: string): ScoredJob {
  if (job.interrupted === true) {
    throw new MreError('INPUT', 'the main job was interrupted; no run was recorded');
  }
  if (job.metrics === null) {
    throw new MreError('DATA', `no clip under ${root} has a known class (expected ` +
      '<root>/<Emotion>/<clip>)', { file: root });
  }
  return { rows: job.rows, metrics: job.metrics, seconds: job.seconds };
}

async function assertFolder(root: string): Promise<void> {
  const isFolder = await stat(root).then((s) => s.isDirectory(), () => false);
  if (!isFolder) throw new MreError('USAGE', `<root> ${root} is not a folder`, { file: root });
}
