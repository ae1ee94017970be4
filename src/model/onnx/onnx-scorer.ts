/**
 * The model stage on onnxruntime-node's CPU provider. onnxruntime-node is an optional
 * dependency (its CPU binaries ship in the npm package): it is imported at run time, and a
 * missing or broken install only makes this engine unavailable.
 */
import { describeError, MreError } from '../../errors.js';
import type { RegionName } from '../model-config.js';
import { REGIONS } from '../model-config.js';
import { ONNX_FACE_INPUT, ONNX_SCORES_SUFFIX } from './export-mre-onnx.js';

type OnnxRuntime = typeof import('onnxruntime-node');

/** Package the engine imports. */
const ORT_PACKAGE = 'onnxruntime-node';

/**
 * Threads of one session. One: a worker thread per core (`--workers`) scales better than
 * threads inside a call on batches of ten 48 px faces, and two threads were no faster on a
 * large convolution here.
 */
export const ONNX_THREADS = 1;

let runtime: Promise<OnnxRuntime | Error> | undefined;

/** onnxruntime-node, or the error that kept it from loading (tried once per process). */
export async function importOnnxRuntime(): Promise<OnnxRuntime | Error> {
  runtime ??= import(ORT_PACKAGE).then((m: OnnxRuntime) => m, (err: unknown) =>
    new Error(`${ORT_PACKAGE} is not available (${describeError(err)})`));
  return runtime;
}

/** Four model inputs of one batch, each [n, channels, side, side] row-major. */
export interface OnnxBatch {
  count: number;
  channels: number;
  side: number;
  parts: Record<'face' | RegionName, Float32Array>;
}

/** A loaded ONNX MRE-CNN. */
export interface OnnxScorer {
  /** Each sub-network's softmax, row-major [count, 7]. */
  run(batch: OnnxBatch): Promise<Record<RegionName, Float32Array>>;
  /** Frees the session. */
  release(): Promise<void>;
}

/**
 * Creates an onnxruntime session from model bytes (see export-mre-onnx.ts). Throws
 * MreError('BACKEND') when onnxruntime-node cannot be loaded or refuses the model.
 */
export async function createOnnxScorer(bytes: Uint8Array, source: string): Promise<OnnxScorer> {
  const ort = await importOnnxRuntime();
  if (ort instanceof Error) {
    throw new MreError('BACKEND', `backend onnx: ${ort.message}`, { cause: ort });
  }
  let session: Awaited<ReturnType<typeof ort.InferenceSession.create>>;
  try {
    session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: ONNX_THREADS,
      interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all' });
  } catch (cause) {
    throw new MreError('BACKEND', `${source}: onnxruntime refused the exported model ` +
      `(${describeError(cause)})`, { cause, file: source });
  }
  return {
    run: async (batch) => {
      const dims = [batch.count, batch.channels, batch.side, batch.side];
      const feeds: Record<string, InstanceType<OnnxRuntime['Tensor']>> = {};
      for (const part of [ONNX_FACE_INPUT, ...REGIONS] as const) {
        feeds[part] = new ort.Tensor('float32', batch.parts[part], dims);
      }
      const outputs = await session.run(feeds);
      const scores: Partial<Record<RegionName, Float32Array>> = {};
      for (const region of REGIONS) {
        const out = outputs[region + ONNX_SCORES_SUFFIX];
        scores[region] = Float32Array.from(out?.data as Float32Array);
        out?.dispose();
      }
      return scores as Record<RegionName, Float32Array>;
    },
    release: () => session.release(),
  };
}
