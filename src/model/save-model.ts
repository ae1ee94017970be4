import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, sep } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { CLASSES, NUM_CLASSES } from '../classes.js';
import { MreError } from '../errors.js';
import { hashBytes } from './file-hash.js';
import { createFolderSaveHandler } from './layers-folder.js';
import type { ManifestDraft, ManifestFile, ModelManifest } from './manifest.js';
import { MANIFEST_FILE, MANIFEST_FORMAT_VERSION, validateManifest } from './manifest.js';
import type { RegionName } from './model-config.js';
import { REGIONS } from './model-config.js';
import type { WeightQuantization } from './weight-quantization.js';

/** Options of {@link saveModel}. */
export interface SaveModelOptions {
  /** How weights are stored; default 'none' (float32). */
  quantize?: WeightQuantization;
}

/**
 * Writes a model folder: `eye/`, `nose/`, `mouth/` (each a TF.js layers model) and
 * `manifest.json` listing every file with its size and SHA-256. Atomic: everything goes to a
 * temporary sibling folder that then replaces `dir`, so a crash never leaves a half-written model.
 * Throws MreError('USAGE') when a network does not match the manifest, MreError('OUTPUT') when
 * writing fails.
 */
export async function saveModel(
  dir: string,
  nets: Record<RegionName, tf.LayersModel>,
  manifest: ManifestDraft,
  options: SaveModelOptions = {},
): Promise<void> {
  REGIONS.forEach((region) => checkNetShape(nets[region], region, manifest));
  const temp = join(dirname(dir), `.${basename(dir)}.tmp-${process.pid}-${Date.now()}`);
  try {
    // sub-networks first, then the manifest that lists their files
    for (const region of REGIONS) {
      await nets[region].save(createFolderSaveHandler(join(temp, region), options.quantize));
    }
    const full: ModelManifest = completeManifest(manifest, await listFiles(temp));
    const tempManifest = join(temp, MANIFEST_FILE);
    validateManifest(full, tempManifest);
    await writeFile(tempManifest, `${JSON.stringify(full, null, 2)}\n`);
    await replaceFolder(temp, dir);
  } catch (err) {
    await rm(temp, { recursive: true, force: true });
    if (err instanceof MreError) {
      throw err;
    }
    const message = `${dir}: cannot write the model folder`;
    throw new MreError('OUTPUT', message, { file: dir, cause: err });
  }
}

function completeManifest(draft: ManifestDraft, files: ManifestFile[]): ModelManifest {
  return {
    formatVersion: MANIFEST_FORMAT_VERSION,
    name: draft.name,
    architecture: draft.architecture,
    inputSize: draft.inputSize,
    width: draft.width,
    channels: draft.channels,
    classes: [...CLASSES],
    ensembleWeights: { ...draft.ensembleWeights },
    regions: [...REGIONS],
    provenance: { ...draft.provenance },
    metrics: { ...draft.metrics },
    files,
  };
}

/** Every file under `root`, sorted, with size and hash. */
async function listFiles(root: string): Promise<ManifestFile[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const paths = entries
    .filter((e) => e.isFile())
    .map((e) => relative(root, join(e.parentPath, e.name)).split(sep).join('/'))
    .sort();
  const files: ManifestFile[] = [];
  for (const path of paths) {
    const bytes = await readFile(join(root, path));
    files.push({ path, bytes: bytes.length, sha256: hashBytes(bytes) });
  }
  return files;
}

/** Moves `temp` to `dir`, replacing an existing folder only once the new one is complete. */
async function replaceFolder(temp: string, dir: string): Promise<void> {
  await mkdir(dirname(dir), { recursive: true });
  const old = join(dirname(dir), `.${basename(dir)}.old-${process.pid}-${Date.now()}`);
  const hadOld = await rename(dir, old).then(
    () => true,
    (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') {
        return false;
      }
      throw err;
    },
  );
  try {
    await rename(temp, dir);
  } catch (err) {
    if (hadOld) {
      await rename(old, dir);
    }
    throw err;
  }
  if (hadOld) {
    await rm(old, { recursive: true, force: true });
  }
}

function checkNetShape(net: tf.LayersModel, region: RegionName, draft: ManifestDraft): void {
  const expected = JSON.stringify([null, draft.inputSize, draft.inputSize, draft.channels]);
  const inputs = net.inputs.map((input) => JSON.stringify(input.shape));
  const output = JSON.stringify(net.outputs[0]?.shape);
  if (inputs.length !== 2 || inputs.some((shape) => shape !== expected)) {
    const got = inputs.join(' and ');
    throw new MreError('USAGE', `${region} network: expected two inputs ${expected}, got ${got}`);
  }
  if (net.outputs.length !== 1 || output !== JSON.stringify([null, NUM_CLASSES])) {
    throw new MreError('USAGE', `${region} network: expected one output [null,7], got ${output}`);
  }
}
