/**
 * A pool of clip workers (node:worker_threads) so that every core classifies clips: each worker
 * has its own tf.js backend, face-api nets and model and classifies whole clips.
 */
import { Worker } from 'node:worker_threads';

import { MreError } from '../errors.js';
import type { BackendChoice } from '../model/backend.js';
import type { ClipOutcome, ClipSettings } from './classify-clip.js';
import { createFailedRow } from './rows.js';
import type { ClipRequest, WorkerModelInfo, WorkerReply, WorkerSetup } from './worker-messages.js';

/** Most workers a pool may have. */
export const MAX_WORKERS = 64;

/** Options of {@link createWorkerPool}. */
export interface WorkerPoolOptions {
  /** Number of worker threads, 1..{@link MAX_WORKERS}; one per core is the sensible choice. */
  workers: number;
  /** Model folder every worker loads. */
  modelDir: string;
  /** tf.js backend of every worker. */
  backend: BackendChoice;
  /** Per-clip settings. */
  settings: ClipSettings;
  /** Face tracking between candidates; default true. */
  tracking?: boolean;
  /** Starts one worker; default: a thread running worker-entry (tests pass a fake). */
  spawn?: (setup: WorkerSetup) => Worker;
}

/** A running pool. */
export interface WorkerPool {
  /** The model as the first worker reported it. */
  readonly model: WorkerModelInfo;
  /**
   * Classifies one clip on the next free worker. Resolves with an error row when the clip is
   * bad or its worker crashed (the worker is then replaced); rejects only after `close` or when
   * no worker is left because replacements could not start.
   */
  classify(clip: string): Promise<ClipOutcome>;
  /** Stops every worker; clips still waiting or running are rejected. */
  close(): Promise<void>;
}

/** A clip waiting for or running on a worker. */
interface Job {
  id: number;
  clip: string;
  resolve: (outcome: ClipOutcome) => void;
  reject: (err: Error) => void;
}

/** One worker and what it is doing. */
interface Slot {
  worker: Worker;
  ready: boolean;
  job: Job | null;
  /** The worker's uncaught error, if it had one, for the crash row. */
  crash: string | null;
}

/** The worker file next to this module: .ts under tsx (tests), .js in dist/. */
export function resolveWorkerEntry(moduleUrl: string = import.meta.url): URL {
  const ext = new URL(moduleUrl).pathname.endsWith('.ts') ? 'ts' : 'js';
  return new URL(`./worker-entry.${ext}`, moduleUrl);
}

/**
 * The loader API that runs .ts sources: a dev dependency, needed only when running from src/
 * (tests). Node 20 does not apply a parent's `--import tsx` hooks to a worker's entry file, so
 * the worker starts from a tiny script that registers the loader and then imports the entry.
 */
const TS_LOADER_API = 'tsx/esm/api';

/** Source of an eval worker that registers the TypeScript loader, then imports `entry`. */
export function buildTsBootstrap(entry: URL, loaderUrl: string): string {
  const imports = `import(${JSON.stringify(loaderUrl)})`;
  return `${imports}.then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); });`;
}

/** The default spawn: a thread on worker-entry (through the loader for a .ts entry). */
function spawnEntryWorker(setup: WorkerSetup): Worker {
  const entry = resolveWorkerEntry();
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, { workerData: setup });
  const bootstrap = buildTsBootstrap(entry, import.meta.resolve(TS_LOADER_API));
  return new Worker(bootstrap, { eval: true, workerData: setup });
}

/** The error row of a clip whose worker died under it. */
function createCrashOutcome(clip: string, reason: string): ClipOutcome {
  return { row: createFailedRow(clip, 'error', `worker crashed: ${reason}`), frames: [],
    crops: [] };
}

/**
 * Starts `workers` clip workers and resolves once every one has loaded its model; throws
 * MreError('MODEL') with the worker's reason when one cannot start (nothing is left running).
 */
export async function createWorkerPool(options: WorkerPoolOptions): Promise<WorkerPool> {
  const count = options.workers;
  if (!Number.isInteger(count) || count < 1 || count > MAX_WORKERS) {
    throw new MreError('USAGE', `workers must be an integer in 1..${MAX_WORKERS}, got ${count}`);
  }
  const setup: WorkerSetup = {
    modelDir: options.modelDir,
    backend: options.backend,
    settings: options.settings,
    tracking: options.tracking ?? true,
  };
  const pool = new PoolState(setup, options.spawn ?? spawnEntryWorker);
  const starts = Array.from({ length: count }, () => pool.startWorker());
  const results = await Promise.allSettled(starts);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed !== undefined) {
    await pool.close();
    throw failed.reason;
  }
  const model = (results[0] as PromiseFulfilledResult<WorkerModelInfo>).value;
  return {
    model,
    classify: (clip) => pool.enqueue(clip),
    close: () => pool.close(),
  };
}

/** The pool's bookkeeping: slots, the queue, dispatch and crash replacement. */
class PoolState {
  private readonly slots = new Set<Slot>();
  private readonly queue: Job[] = [];
  private nextId = 0;
  private closed = false;
  private fatal: Error | null = null;

  constructor(
    private readonly setup: WorkerSetup,
    private readonly spawn: (setup: WorkerSetup) => Worker,
  ) {}

  /** Starts one worker; resolves with its model once it is ready. */
  startWorker(): Promise<WorkerModelInfo> {
    return new Promise((resolve, reject) => {
      const slot: Slot = { worker: this.spawn(this.setup), ready: false, job: null, crash: null };
      this.slots.add(slot);
      slot.worker.on('message', (reply: WorkerReply) => {
        if (reply.type === 'ready') {
          slot.ready = true;
          resolve(reply.model);
          this.dispatch();
        } else if (reply.type === 'failed') {
          slot.crash = reply.error;
        } else {
          this.finishJob(slot, reply.id, reply.outcome);
        }
      });
      slot.worker.on('error', (err) => {
        slot.crash ??= err.message;
      });
      slot.worker.on('exit', (code) => {
        const reason = slot.crash ?? `exit code ${code}`;
        if (!slot.ready) {
          reject(new MreError('MODEL', `a clip worker could not start: ${reason}`));
        }
        this.onExit(slot, reason);
      });
    });
  }

  enqueue(clip: string): Promise<ClipOutcome> {
    if (this.closed) return Promise.reject(new MreError('INTERNAL', 'worker pool is closed'));
    if (this.fatal !== null) return Promise.reject(this.fatal);
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, clip, resolve, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.failQueued(new MreError('INTERNAL', 'worker pool closed'));
    const running = [...this.slots];
    await Promise.all(running.map((slot) => slot.worker.terminate()));
  }

  /** Gives queued clips to idle, ready workers. */
  private dispatch(): void {
    for (const slot of this.slots) {
      if (!slot.ready || slot.job !== null) continue;
      const job = this.queue.shift();
      if (job === undefined) return;
      slot.job = job;
      const request: ClipRequest = { type: 'clip', id: job.id, clip: job.clip };
      slot.worker.postMessage(request);
    }
  }

  private finishJob(slot: Slot, id: number, outcome: ClipOutcome): void {
    const job = slot.job;
    if (job === null || job.id !== id) return;
    slot.job = null;
    job.resolve(outcome);
    this.dispatch();
  }

  /** A worker ended: its clip gets a crash row and, unless closing, a new worker starts. */
  private onExit(slot: Slot, reason: string): void {
    this.slots.delete(slot);
    const job = slot.job;
    slot.job = null;
    if (this.closed) {
      job?.reject(new MreError('INTERNAL', 'worker pool closed'));
      return;
    }
    job?.resolve(createCrashOutcome(job.clip, reason));
    if (!slot.ready) return;
    this.startWorker().catch((err: Error) => {
      if (this.slots.size > 0) return;
      this.fatal = err;
      this.failQueued(err);
    });
  }

  private failQueued(err: Error): void {
    for (const job of this.queue.splice(0)) job.reject(err);
  }
}
