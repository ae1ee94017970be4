/** The messages between the worker pool (main thread) and its clip workers. */
import type { BackendChoice } from '../model/backend.js';
import type { ClipOutcome, ClipSettings } from './classify-clip.js';

/** What a worker needs to build its own engine; passed as `workerData`. */
export interface WorkerSetup {
  /** Model folder, loaded (and hash-checked) by every worker. */
  modelDir: string;
  /** Backend choice each worker initialises for itself (tf.js, and the model's engine). */
  backend: BackendChoice;
  /** Per-clip settings, the same for every clip. */
  settings: ClipSettings;
  /** Face tracking between candidates (see track-face.ts). */
  tracking: boolean;
}

/** The loaded model as a worker reports it. */
export interface WorkerModelInfo {
  name: string;
  sha256: string;
  /** The backend running the worker's model (a tf.js backend name, or 'onnx'). */
  backend: string;
  untrained: boolean;
}

/** Main thread to worker: classify one clip. */
export interface ClipRequest {
  type: 'clip';
  /** Request number, echoed in the answer. */
  id: number;
  clip: string;
}

/** Worker to main thread. */
export type WorkerReply =
  | { type: 'ready'; model: WorkerModelInfo }
  | { type: 'failed'; error: string }
  | { type: 'done'; id: number; outcome: ClipOutcome };
