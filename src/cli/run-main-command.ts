import {
  checkConfigValues,
  readConfigFile,
  resolveMainOptions,
  type MainOptions,
  type PartialMainOptions,
} from '../config/main-options.js';
import { createLogger, type Logger } from '../log.js';
import { runMainJob, type JobResult } from '../pipeline/run-job.js';
import { warnCommandTypos } from './command-hint.js';
import { EXIT } from './exit-codes.js';
import { createProgress } from './progress.js';

/**
 * Resolves options (defaults, config file, flags), runs the main job and returns the exit code.
 * `commands` are the sub-command names, for a hint when an input looks like a mistyped one.
 */
export async function runMainCommand(
  flags: PartialMainOptions,
  configFile: string | undefined,
  commands: readonly string[] = [],
): Promise<number> {
  const config = configFile === undefined ? {} : await readConfigFile(configFile);
  if (configFile !== undefined) checkConfigValues(config, flags, configFile);
  const options = resolveMainOptions(flags, config);
  const log = createLogger(options.logLevel);
  warnCommandTypos(options.inputs, commands, log);
  const stop = listenForSignals(log);
  const progress = createProgress(options.logLevel !== 'quiet');
  let result: JobResult;
  try {
    result = await runMainJob(options, {
      log,
      signal: stop.signal,
      onClip: (done, total, row) => progress.update(done, total, row.clip),
    });
  } finally {
    // clear the bar before any message, also when the job failed
    progress.end();
    stop.dispose();
  }
  return decideExitCode(result, options, stop.reason(), log);
}

function decideExitCode(
  result: JobResult,
  options: MainOptions,
  signal: NodeJS.Signals | null,
  log: Logger,
): number {
  const failed = result.rows.filter((row) => row.status === 'error').length;
  if (result.interrupted || signal !== null) {
    const where = options.out === '-' ? '' : `; run again with --resume to finish ${options.out}`;
    log.warn(`interrupted by ${signal ?? 'signal'}: ${result.rows.length} clips done${where}`);
    return signal === 'SIGTERM' ? EXIT.SIGTERM : EXIT.SIGINT;
  }
  const n = result.rows.length;
  const clips = n === 1 ? 'clip' : 'clips';
  log.info(`${n} ${clips} in ${result.seconds.toFixed(1)} s, ${failed} failed`);
  if (result.metricsFile !== null) log.info(`metrics: ${result.metricsFile}`);
  if (options.strict && failed > 0) {
    log.error(`--strict: exit ${EXIT.FATAL} because ${failed} of ${n} ${clips} failed`);
    return EXIT.FATAL;
  }
  return EXIT.OK;
}

/** SIGINT/SIGTERM abort the run: no new clips, finished rows flushed. A second signal exits. */
function listenForSignals(log: Logger): {
  signal: AbortSignal;
  reason: () => NodeJS.Signals | null;
  dispose: () => void;
} {
  const controller = new AbortController();
  let received: NodeJS.Signals | null = null;
  const onSignal = (sig: NodeJS.Signals): void => {
    if (received !== null) process.exit(sig === 'SIGTERM' ? EXIT.SIGTERM : EXIT.SIGINT);
    received = sig;
    log.warn(`${sig}: finishing the clips under way, starting no new ones`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    reason: () => received,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
