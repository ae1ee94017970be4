import * as tf from '@tensorflow/tfjs';

import type { FaceCrops } from '../../face/types.js';
import { cropsToValues } from '../crops-to-tensors.js';
import type { ModelManifest } from '../manifest.js';
import type { RegionName } from '../model-config.js';
import { assembleFaceScores, type FaceScores, prepareInput } from '../score-faces.js';
import { exportMreCnnToOnnx, type LayerWeights } from './export-mre-onnx.js';
import { createOnnxScorer, type OnnxScorer } from './onnx-scorer.js';

/** The model stage on onnxruntime: the same inputs and outputs as scoreWithNetworks. */
export interface OnnxFaceScorer {
  scoreFaces(crops: readonly FaceCrops[]): Promise<FaceScores>;
  release(): Promise<void>;
}

/**
 * Exports the loaded tf.js sub-networks to one ONNX graph and opens an onnxruntime session on
 * it. The tf.js networks are only read; the caller may dispose them afterwards.
 */
export async function createOnnxFaceScorer(
  nets: Record<RegionName, tf.LayersModel>,
  manifest: ModelManifest,
  dir: string,
): Promise<OnnxFaceScorer> {
  const { architecture: arch, inputSize, width, channels } = manifest;
  const bytes = exportMreCnnToOnnx({ arch, inputSize, width, channels },
    (region, layer) => readLayerWeights(nets[region], layer));
  const scorer = await createOnnxScorer(bytes, dir);
  return {
    scoreFaces: (crops) => scoreOnOnnx(scorer, manifest, crops),
    release: () => scorer.release(),
  };
}

/** A layer's kernel and bias as float arrays. */
function readLayerWeights(net: tf.LayersModel, layer: string): LayerWeights {
  const [kernel, bias] = net.getLayer(layer).getWeights();
  if (kernel === undefined || bias === undefined) {
    throw new Error(`layer ${layer} of ${net.name} has no kernel and bias`);
  }
  return {
    kernel: { values: kernel.dataSync() as Float32Array, shape: kernel.shape },
    bias: bias.dataSync() as Float32Array,
  };
}

async function scoreOnOnnx(
  scorer: OnnxScorer,
  manifest: ModelManifest,
  crops: readonly FaceCrops[],
): Promise<FaceScores> {
  if (crops.length === 0) {
    return { ensemble: [], perRegion: { eye: [], nose: [], mouth: [] } };
  }
  const parts = {
    face: toModelInput(crops, 'face', manifest),
    eye: toModelInput(crops, 'eye', manifest),
    nose: toModelInput(crops, 'nose', manifest),
    mouth: toModelInput(crops, 'mouth', manifest),
  };
  const batch = { count: crops.length, channels: manifest.channels, side: manifest.inputSize,
    parts };
  return assembleFaceScores(await scorer.run(batch), manifest);
}

/**
 * One part of every crop, channel-first. Crops of the model's size are converted directly;
 * others are resized by tf.js exactly as the tf.js engine does, so both engines see the same
 * pixels.
 */
function toModelInput(
  crops: readonly FaceCrops[],
  part: 'face' | RegionName,
  manifest: ModelManifest,
): Float32Array {
  if (crops[0]?.size === manifest.inputSize) {
    return cropsToValues(crops, part, manifest.channels, 'nchw');
  }
  const nhwc = prepareInput(crops, part, manifest);
  try {
    return tf.tidy(() => tf.transpose(nhwc, [0, 3, 1, 2]).dataSync() as Float32Array);
  } finally {
    nhwc.dispose();
  }
}
