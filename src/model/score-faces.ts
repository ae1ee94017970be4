import * as tf from '@tensorflow/tfjs';
import { NUM_CLASSES } from '../classes.js';
import type { FaceCrops } from '../face/types.js';
import { cropsToTensor } from './crops-to-tensors.js';
import { combineScores } from './ensemble.js';
import type { ModelManifest } from './manifest.js';
import type { RegionName } from './model-config.js';
import { REGIONS } from './model-config.js';

/** Scores of a batch of faces: one row of 7 (CLASSES order) per face. */
export interface FaceScores {
  /** The weighted ensemble of the three sub-networks. */
  ensemble: Float32Array[];
  /** Each sub-network's own softmax output. */
  perRegion: Record<RegionName, Float32Array[]>;
}

/**
 * Runs the three sub-networks on a batch of faces, one batched call each, and combines them
 * with the manifest's ensemble weights. Crops of another size than the model's input are
 * resized bilinearly. Every intermediate tensor is disposed, also when a call fails.
 */
export async function scoreWithNetworks(
  nets: Record<RegionName, tf.LayersModel>,
  manifest: ModelManifest,
  crops: readonly FaceCrops[],
): Promise<FaceScores> {
  if (crops.length === 0) {
    return { ensemble: [], perRegion: { eye: [], nose: [], mouth: [] } };
  }
  const flat: Partial<Record<RegionName, Float32Array>> = {};
  const faces = prepareInput(crops, 'face', manifest);
  try {
    for (const region of REGIONS) {
      flat[region] = await runNetwork(nets[region], faces, crops, region, manifest);
    }
  } finally {
    faces.dispose();
  }
  return assembleFaceScores(flat as Record<RegionName, Float32Array>, manifest);
}

/** Per-face rows of each sub-network's flat [n, 7] scores and of their weighted ensemble. */
export function assembleFaceScores(
  scores: Record<RegionName, Float32Array>,
  manifest: ModelManifest,
): FaceScores {
  const ensemble = combineScores(scores, manifest.ensembleWeights);
  const perRegion = {
    eye: splitRows(scores.eye),
    nose: splitRows(scores.nose),
    mouth: splitRows(scores.mouth),
  };
  return { ensemble: splitRows(ensemble), perRegion };
}

async function runNetwork(
  net: tf.LayersModel,
  faces: tf.Tensor4D,
  crops: readonly FaceCrops[],
  region: RegionName,
  manifest: ModelManifest,
): Promise<Float32Array> {
  const regionInput = prepareInput(crops, region, manifest);
  let output: tf.Tensor | undefined;
  try {
    output = tf.tidy(() => net.predict([faces, regionInput]) as tf.Tensor);
    return (await output.data()) as Float32Array;
  } finally {
    output?.dispose();
    regionInput.dispose();
  }
}

/** One part of every crop as the model's input tensor, resized when the crop size differs. */
export function prepareInput(
  crops: readonly FaceCrops[],
  part: 'face' | RegionName,
  manifest: ModelManifest,
): tf.Tensor4D {
  const stacked = cropsToTensor(crops, part, manifest.channels);
  const side = manifest.inputSize;
  if (stacked.shape[1] === side && stacked.shape[2] === side) {
    return stacked;
  }
  const resized = tf.image.resizeBilinear(stacked, [side, side]);
  stacked.dispose();
  return resized;
}

function splitRows(flat: Float32Array): Float32Array[] {
  const rows: Float32Array[] = [];
  for (let i = 0; i < flat.length; i += NUM_CLASSES) {
    rows.push(flat.slice(i, i + NUM_CLASSES));
  }
  return rows;
}
