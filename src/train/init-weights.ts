import { readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';

import * as tf from '@tensorflow/tfjs';

import { MreError } from '../errors.js';

/** What copying weights by layer name did. */
export interface WeightCopyReport {
  /** Target layers that received weights, with the source layer they came from. */
  copied: { target: string; source: string }[];
  /** Target layers with weights that found no source layer of matching name and shapes. */
  skipped: string[];
}

/** Stream prefixes a source layer name may lack (one source layer can feed both streams). */
const STREAM_PREFIX = /^(face|region)_/;

/**
 * Loads a TF.js layers model from `path` (its model.json, or the folder holding it). Throws
 * MreError('MODEL') naming the file when it cannot be read or built.
 */
export async function loadInitModel(path: string): Promise<tf.LayersModel> {
  const jsonFile = (await stat(path).catch(() => null))?.isDirectory() === true
    ? join(path, 'model.json') : path;
  try {
    const modelJson = JSON.parse(await readFile(jsonFile, 'utf8')) as tf.io.ModelJSON;
    const artifacts = await tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => {
      const specs = manifest.flatMap((group) => group.weights);
      const shards = await Promise.all(manifest.flatMap((group) => group.paths).map(async (p) => {
        const bytes = await readFile(join(dirname(jsonFile), p));
        return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer;
      }));
      return [specs, shards];
    });
    return await tf.loadLayersModel(tf.io.fromMemory(artifacts));
  } catch (cause) {
    throw new MreError('MODEL', `${jsonFile}: cannot load the --init model`, { file: jsonFile,
      cause });
  }
}

/**
 * The --init source of one region's sub-network: an MRE-CNN model folder (it holds
 * manifest.json) gives its own `<region>/model.json`, so a trained model can be warm-started;
 * anything else is one TF.js layers model used for every region.
 */
export async function resolveInitPath(init: string, region: string): Promise<string> {
  const manifest = await stat(join(init, 'manifest.json')).catch(() => null);
  return manifest?.isFile() === true ? join(init, region, 'model.json') : init;
}

/** Whether two lists of weights have the same shapes. */
function sameShapes(a: readonly tf.Tensor[], b: readonly tf.LayerVariable[]): boolean {
  return a.length === b.length && a.every((t, i) => tf.util.arraysEqual(t.shape,
    (b[i]?.shape ?? []) as number[]));
}

/**
 * Copies weights from `source` into `target` layer by layer name: the same name first, else the
 * name without the `face_` / `region_` stream prefix (so a single-stream `conv1` initialises both
 * `face_conv1` and `region_conv1`). Layers whose weight shapes differ are skipped.
 */
export function copyWeightsByName(source: tf.LayersModel, target: tf.LayersModel):
  WeightCopyReport {
  const byName = new Map(source.layers.map((l) => [l.name, l]));
  const report: WeightCopyReport = { copied: [], skipped: [] };
  for (const layer of target.layers) {
    if (layer.weights.length === 0) continue;
    const from = byName.get(layer.name) ?? byName.get(layer.name.replace(STREAM_PREFIX, ''));
    const values = from?.getWeights() ?? [];
    if (from === undefined || !sameShapes(values, layer.weights)) {
      report.skipped.push(layer.name);
      continue;
    }
    layer.setWeights(values);
    report.copied.push({ target: layer.name, source: from.name });
  }
  return report;
}
