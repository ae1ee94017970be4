import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { MreError } from '../errors.js';
import type { WeightQuantization } from './weight-quantization.js';
import { quantizeWeights } from './weight-quantization.js';

/** File name of a layers model's topology and weights manifest. */
export const MODEL_JSON_FILE = 'model.json';

/** File name of a layers model's weights (one shard). */
export const WEIGHTS_FILE = 'weights.bin';

/** Files of a model folder already read (and checked), by path relative to the folder. */
export type FileBytes = ReadonlyMap<string, Uint8Array>;

/**
 * A tf.io save handler writing `folder/model.json` and `folder/weights.bin`; the plain tfjs
 * package has no file saver in Node. Weights are optionally quantized (see WeightQuantization).
 */
export function createFolderSaveHandler(
  folder: string,
  quantize: WeightQuantization = 'none',
): tf.io.IOHandler {
  return tf.io.withSaveHandler(async (artifacts) => {
    const weightData = tf.io.CompositeArrayBuffer.join(artifacts.weightData ?? new ArrayBuffer(0));
    const packed = quantizeWeights(artifacts.weightSpecs ?? [], weightData, quantize);
    const modelJson: tf.io.ModelJSON = {
      modelTopology: artifacts.modelTopology as tf.io.ModelJSON['modelTopology'],
      format: artifacts.format ?? 'layers-model',
      generatedBy: artifacts.generatedBy ?? `TensorFlow.js tfjs-layers v${tf.version_layers}`,
      convertedBy: null,
      weightsManifest: [{ paths: [WEIGHTS_FILE], weights: packed.specs }],
    };
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, MODEL_JSON_FILE), `${JSON.stringify(modelJson)}\n`);
    await writeFile(join(folder, WEIGHTS_FILE), new Uint8Array(packed.data));
    return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
  });
}

/**
 * Builds a layers model from the files of `folder` (e.g. `eye`) held in `files`. Only files in
 * the map are used, so nothing unchecked is read from disk. Throws MreError('MODEL') naming the
 * file when model.json or a weights shard is missing or malformed.
 */
export async function loadLayersFromFiles(
  files: FileBytes,
  folder: string,
  displayRoot: string,
): Promise<tf.LayersModel> {
  const jsonPath = `${folder}/${MODEL_JSON_FILE}`;
  const modelJson = parseModelJson(files, jsonPath, join(displayRoot, jsonPath));
  const artifacts = await tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => {
    const specs = manifest.flatMap((group) => group.weights);
    const shards = manifest.flatMap((group) => group.paths).map((path) => {
      const bytes = files.get(`${folder}/${path}`);
      if (bytes === undefined) {
        const file = join(displayRoot, folder, path);
        throw new MreError('MODEL', `${file}: weights shard not listed in the manifest`, { file });
      }
      return bytes.slice().buffer;
    });
    return [specs, shards];
  });
  try {
    return await tf.loadLayersModel(tf.io.fromMemory(artifacts), { strict: true });
  } catch (err) {
    const file = join(displayRoot, jsonPath);
    throw new MreError('MODEL', `${file}: cannot build the layers model`, { file, cause: err });
  }
}

function parseModelJson(files: FileBytes, path: string, file: string): tf.io.ModelJSON {
  const bytes = files.get(path);
  if (bytes === undefined) {
    throw new MreError('MODEL', `${file}: missing (not listed in the manifest)`, { file });
  }
  try {
    const json = JSON.parse(Buffer.from(bytes).toString('utf8')) as tf.io.ModelJSON;
    if (typeof json.modelTopology !== 'object' || !Array.isArray(json.weightsManifest)) {
      throw new Error('expected modelTopology and weightsManifest');
    }
    return json;
  } catch (err) {
    throw new MreError('MODEL', `${file}: not a TF.js layers model.json`, { file, cause: err });
  }
}
