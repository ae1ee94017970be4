import { MreError, describeError } from '../errors.js';
import type { Logger } from '../log.js';
import { initBackend } from '../model/backend.js';
import { registerWasmTrainingKernels } from '../model/wasm-conv2d-backprop-filter.js';
import { trainSubNetwork } from './train-subnetwork.js';
import { type WorkerJob, type WorkerMessage, loadJobData } from './worker-protocol.js';

/** Sends a message to the parent process. */
function send(message: WorkerMessage): Promise<void> {
  return new Promise((resolve) => {
    if (process.send === undefined) {
      resolve();
      return;
    }
    process.send(message, () => resolve());
  });
}

/** A logger that forwards every line to the parent, which prints it. */
const forwardingLogger: Logger = {
  error: (message) => void send({ type: 'log', level: 'error', message }),
  warn: (message) => void send({ type: 'log', level: 'warn', message }),
  info: (message) => void send({ type: 'log', level: 'info', message }),
  debug: (message) => void send({ type: 'log', level: 'debug', message }),
};

/** Runs one job: backend, data, training; reports the result or the failure. */
async function runJob(job: WorkerJob): Promise<void> {
  try {
    registerWasmTrainingKernels();
    await initBackend(job.options.backend, forwardingLogger);
    const { train, val } = await loadJobData(job.trainCaches, job.valCaches);
    const result = await trainSubNetwork({ region: job.region, options: job.options, train, val },
      forwardingLogger, (progress) => void send({ type: 'progress', progress }));
    await send({ type: 'done', result });
  } catch (err) {
    const code = err instanceof MreError ? err.code : 'INTERNAL';
    await send({ type: 'failed', message: describeError(err), code });
  }
  process.disconnect?.();
}

process.once('message', (job: WorkerJob) => {
  void runJob(job);
});
