import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { NUM_CLASSES } from '../classes.js';
import { MreError } from '../errors.js';
import type { FaceCrops } from '../face/types.js';
import type { ModelEngine } from './backend.js';
import { hashBytes } from './file-hash.js';
import type { FileBytes } from './layers-folder.js';
import { loadLayersFromFiles } from './layers-folder.js';
import type { ModelManifest } from './manifest.js';
import { MANIFEST_FILE, validateManifest } from './manifest.js';
import type { RegionName } from './model-config.js';
import { REGIONS } from './model-config.js';
import type { FaceScores } from './score-faces.js';
import { scoreWithNetworks } from './score-faces.js';
import { createOnnxFaceScorer } from './onnx/score-faces-onnx.js';

export type { FaceScores } from './score-faces.js';

/** Options of {@link loadModel}. */
export interface LoadModelOptions {
  /**
   * Engine of the model stage; default 'tfjs' (the active tf.js backend). 'onnx' exports the
   * weights to one ONNX graph at load time (see onnx/export-mre-onnx.ts) and runs it in
   * onnxruntime-node.
   */
  engine?: ModelEngine;
}

/** Name reported as the model's backend when onnxruntime runs it. */
export const ONNX_BACKEND_NAME = 'onnx';

/** A loaded, checked MRE-CNN model folder. */
export interface MreModel {
  /** The manifest's name. */
  name: string;
  /** Absolute path of the model folder. */
  dir: string;
  /** SHA-256 of manifest.json's bytes, which pins every other file through their hashes. */
  sha256: string;
  manifest: ModelManifest;
  /** The tf.js backend active when the model was loaded, or 'onnx' for the onnx engine. */
  backend: string;
  /** True when the manifest says the weights are random (provenance.untrained). */
  untrained: boolean;
  /** Scores faces with one batched call per sub-network. */
  scoreFaces(crops: readonly FaceCrops[]): Promise<FaceScores>;
  /** Frees the weights; the model cannot score afterwards. */
  dispose(): void;
}

/**
 * Loads a model folder written by saveModel. Every file listed in manifest.json is read and its
 * size and SHA-256 checked before anything is built; throws MreError('MODEL') naming the file
 * on a missing file, a size or hash mismatch, an unknown formatVersion or a wrong class list.
 */
export async function loadModel(dir: string, options: LoadModelOptions = {}):
  Promise<MreModel> {
  const root = resolve(dir);
  const manifestFile = join(root, MANIFEST_FILE);
  const manifestBytes = await readModelFile(manifestFile);
  const manifest = validateManifest(parseJson(manifestBytes, manifestFile), manifestFile);
  const files = await readCheckedFiles(root, manifest);

  // build all three, disposing the ones already built if a later one fails
  await tf.ready();
  const nets: Partial<Record<RegionName, tf.LayersModel>> = {};
  try {
    for (const region of REGIONS) {
      nets[region] = await loadLayersFromFiles(files, region, root);
      checkLoadedNet(nets[region], manifest, join(root, region));
    }
  } catch (err) {
    Object.values(nets).forEach((net) => net.dispose());
    throw err;
  }
  const loaded = nets as Record<RegionName, tf.LayersModel>;
  const identity = { root, manifest, sha256: hashBytes(manifestBytes) };
  if (options.engine !== 'onnx') {
    return createMreModel(identity, {
      backend: tf.getBackend(),
      score: (crops) => scoreWithNetworks(loaded, manifest, crops),
      release: () => REGIONS.forEach((region) => loaded[region].dispose()),
    });
  }

  // the onnx engine keeps only its session: the tf.js weights are read once, then freed
  try {
    const onnx = await createOnnxFaceScorer(loaded, manifest, root);
    return createMreModel(identity, { backend: ONNX_BACKEND_NAME, score: onnx.scoreFaces,
      release: () => void onnx.release() });
  } finally {
    REGIONS.forEach((region) => loaded[region].dispose());
  }
}

/** What scores faces for a loaded model, and how to free it. */
interface ModelRunner {
  backend: string;
  score: (crops: readonly FaceCrops[]) => Promise<FaceScores>;
  release: () => void;
}

function createMreModel(
  identity: { root: string; manifest: ModelManifest; sha256: string },
  runner: ModelRunner,
): MreModel {
  const { root, manifest, sha256 } = identity;
  let disposed = false;
  return {
    name: manifest.name,
    dir: root,
    sha256,
    manifest,
    backend: runner.backend,
    untrained: manifest.provenance.untrained === true,
    scoreFaces: async (crops) => {
      if (disposed) {
        throw new MreError('MODEL', `${root}: model already disposed`, { file: root });
      }
      return runner.score(crops);
    },
    dispose: () => {
      if (!disposed) {
        disposed = true;
        runner.release();
      }
    },
  };
}

/** Reads every manifest file, refusing a missing one or a size or hash mismatch. */
async function readCheckedFiles(root: string, manifest: ModelManifest): Promise<FileBytes> {
  const files = new Map<string, Uint8Array>();
  for (const entry of manifest.files) {
    const file = join(root, entry.path);
    const bytes = await readModelFile(file);
    if (bytes.length !== entry.bytes) {
      const sizes = `expected ${entry.bytes} bytes, got ${bytes.length}`;
      throw new MreError('MODEL', `${file}: size mismatch, ${sizes}`, { file });
    }
    const sha256 = hashBytes(bytes);
    if (sha256 !== entry.sha256) {
      const hashes = `expected ${entry.sha256} got ${sha256}`;
      throw new MreError('MODEL', `${file}: sha256 mismatch, ${hashes}`, { file });
    }
    files.set(entry.path, bytes);
  }
  return files;
}

function checkLoadedNet(
  net: tf.LayersModel | undefined,
  manifest: ModelManifest,
  file: string,
): void {
  const side = manifest.inputSize;
  const expected = JSON.stringify([null, side, side, manifest.channels]);
  const shapes = net?.inputs.map((input) => JSON.stringify(input.shape)) ?? [];
  const inputsOk = shapes.length === 2 && shapes.every((shape) => shape === expected);
  const outputOk = JSON.stringify(net?.outputs[0]?.shape) === JSON.stringify([null, NUM_CLASSES]);
  if (!inputsOk || !outputOk) {
    const want = `two inputs ${expected} and a 7-way output as in ${MANIFEST_FILE}`;
    const got = `got ${shapes.join(' and ')} -> ${JSON.stringify(net?.outputs[0]?.shape)}`;
    const message = `${file}: network does not match the manifest: expected ${want}, ${got}`;
    throw new MreError('MODEL', message, { file });
  }
}

async function readModelFile(file: string): Promise<Uint8Array> {
  try {
    return await readFile(file);
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : 'unreadable';
    throw new MreError('MODEL', `${file}: ${reason}`, { file, cause: err });
  }
}

function parseJson(bytes: Uint8Array, file: string): unknown {
  try {
    return JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (err) {
    throw new MreError('MODEL', `${file}: not valid JSON`, { file, cause: err });
  }
}
