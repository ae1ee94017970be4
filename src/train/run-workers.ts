import { fork } from 'node:child_process';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';

import pLimit from 'p-limit';

import { MreError, type MreErrorCode } from '../errors.js';
import type { Logger } from '../log.js';
import type { SubNetworkResult, TrainProgress } from './train-subnetwork.js';
import type { WorkerJob, WorkerMessage } from './worker-protocol.js';

/** The worker entry beside this file (.ts under tsx, .js once built). */
function workerEntry(): string {
  const here = fileURLToPath(import.meta.url);
  return fileURLToPath(new URL(`./train-worker${extname(here)}`, import.meta.url));
}

/** The parent's node flags minus the test runner's (a worker is no test file). */
function workerExecArgv(): string[] {
  return process.execArgv.filter((arg) => !arg.startsWith('--test'));
}

/** Trains one sub-network in a child process; resolves with its result. */
function runWorker(
  job: WorkerJob, log: Logger, onProgress?: (progress: TrainProgress) => void,
): Promise<SubNetworkResult> {
  return new Promise((resolve, reject) => {
    const child = fork(workerEntry(), [], { execArgv: workerExecArgv(),
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let settled = false;
    child.on('message', (message: WorkerMessage) => {
      if (message.type === 'log') log[message.level](message.message);
      if (message.type === 'progress') onProgress?.(message.progress);
      if (message.type === 'done') {
        settled = true;
        resolve(message.result);
      }
      if (message.type === 'failed') {
        settled = true;
        const code = message.code as MreErrorCode;
        reject(new MreError(code, `${job.region} sub-network: ${message.message}`));
      }
    });
    child.on('error', (cause) => {
      settled = true;
      reject(new MreError('INTERNAL', `${job.region}: cannot start the training worker`,
        { cause }));
    });
    child.on('exit', (code, signal) => {
      if (!settled) {
        reject(new MreError('INTERNAL', `${job.region}: training worker exited ` +
          `(${signal ?? `code ${String(code)}`}) without a result`));
      }
    });
    child.send(job);
  });
}

/**
 * Trains the jobs' sub-networks in child processes, at most `maxParallel` at a time (each
 * process uses one core: tfjs wasm here runs single-threaded). Results come back in job order.
 */
export async function runTrainingWorkers(
  jobs: readonly WorkerJob[], maxParallel: number, log: Logger,
  onProgress?: (progress: TrainProgress) => void,
): Promise<SubNetworkResult[]> {
  const limit = pLimit(maxParallel);
  return Promise.all(jobs.map((job) => limit(() => runWorker(job, log, onProgress))));
}
