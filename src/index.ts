/**
 * The mre-video library API: classify clips, load models, compute metrics.
 * The command-line tool is a thin layer over these.
 */
import { resolveMainOptions, type MainOptions } from './config/main-options.js';
import type { Logger } from './log.js';
import { createNullStream } from './pipeline/null-stream.js';
import { runMainJob, type JobResult } from './pipeline/run-job.js';

export { CLASSES, NUM_CLASSES, parseClassName, type EmotionClass } from './classes.js';
export { MreError, type MreErrorCode } from './errors.js';
export { createLogger, type Logger, type LogLevel } from './log.js';
export { VERSION } from './version.js';
export { loadModel, type MreModel, type FaceScores } from './model/load-model.js';
export {
  chooseModelEngine, initBackend, type BackendChoice, type ModelEngine,
} from './model/backend.js';
export type { ModelManifest } from './model/manifest.js';
export { computeMetrics, type Metrics } from './eval/metrics.js';
export type { ResultRow, ClipStatus } from './pipeline/rows.js';
export { runMainJob, type JobDeps, type JobResult } from './pipeline/run-job.js';
export type { MainOptions } from './config/main-options.js';

/** Options of {@link classifyClips}: any main-job option except the inputs and output. */
export type ClassifyOptions = Partial<Omit<MainOptions, 'inputs' | 'out' | 'format'>> & {
  /** Logger for warnings and progress; default silent. */
  log?: Logger;
};

/**
 * Classifies clips (files or folders, walked as on the command line) and resolves to one row per
 * clip, sorted by path, with metrics when any truth is known. Nothing is printed or written.
 */
export async function classifyClips(
  inputs: readonly string[],
  options: ClassifyOptions = {},
): Promise<Pick<JobResult, 'rows' | 'metrics' | 'seconds'>> {
  const { log, ...rest } = options;
  const resolved = resolveMainOptions({ ...rest, inputs: [...inputs], out: '-' });
  const result = await runMainJob(resolved, { log, stdout: createNullStream() });
  return { rows: result.rows, metrics: result.metrics, seconds: result.seconds };
}
