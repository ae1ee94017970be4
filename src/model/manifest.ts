import { CLASSES } from '../classes.js';
import { MreError } from '../errors.js';
import type { Architecture, RegionName } from './model-config.js';
import { ARCHITECTURES, REGIONS } from './model-config.js';

/** The manifest format this code writes and reads. */
export const MANIFEST_FORMAT_VERSION = 1;

/** File name of the manifest inside a model folder. */
export const MANIFEST_FILE = 'manifest.json';

/** Where a model came from. */
export interface ModelProvenance {
  /** Training data, e.g. "fer2013 train (27,226 images)"; "none" for an untrained model. */
  data: string;
  /** The command line that produced the model. */
  command: string;
  /** Seed of the run; null when none was fixed. */
  seed: number | null;
  /** ISO 8601 date and time the model was written. */
  date: string;
  /** Free text. */
  notes: string;
  /** True for random weights; the main job warns when it scores with such a model. */
  untrained?: boolean;
}

/** One file of the model folder, checked at load. */
export interface ManifestFile {
  /** Path relative to the model folder, with `/` separators. */
  path: string;
  bytes: number;
  /** Lower-case hex SHA-256 of the file's bytes. */
  sha256: string;
}

/** The content of `manifest.json`. */
export interface ModelManifest {
  formatVersion: number;
  name: string;
  architecture: Architecture;
  /** Side of the square input crops in pixels. */
  inputSize: number;
  /** Width multiplier of the sub-networks. */
  width: number;
  channels: 1 | 3;
  /** Always the seven CLASSES in their fixed order. */
  classes: string[];
  /** Ensemble weight of each region (normalised to sum 1 when scores are combined). */
  ensembleWeights: Record<RegionName, number>;
  /** The sub-network folders, REGIONS order. */
  regions: RegionName[];
  provenance: ModelProvenance;
  /** Evaluation results, free form. */
  metrics: Record<string, unknown>;
  files: ManifestFile[];
}

/** What a caller of saveModel provides; the rest is filled in when the folder is written. */
export type ManifestDraft = Omit<ModelManifest, 'files' | 'formatVersion' | 'classes' | 'regions'>;

/**
 * Checks parsed manifest JSON and returns it typed. Throws MreError('MODEL') naming `file` on an
 * unknown formatVersion, a class list other than CLASSES, or a missing or malformed field.
 */
export function validateManifest(json: unknown, file: string): ModelManifest {
  const fail = (message: string): never => {
    throw new MreError('MODEL', `${file}: ${message}`, { file });
  };
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return fail('expected a JSON object');
  }
  const m = json as Partial<ModelManifest>;
  if (m.formatVersion !== MANIFEST_FORMAT_VERSION) {
    fail(`unknown formatVersion: expected ${MANIFEST_FORMAT_VERSION}, got ${m.formatVersion}`);
  }
  if (JSON.stringify(m.classes) !== JSON.stringify(CLASSES)) {
    fail(`wrong class list: expected ${CLASSES.join(',')}, got ${String(m.classes)}`);
  }
  if (JSON.stringify(m.regions) !== JSON.stringify(REGIONS)) {
    fail(`wrong regions: expected ${REGIONS.join(',')}, got ${String(m.regions)}`);
  }
  checkShapeFields(m, fail);
  checkFiles(m.files, fail);
  if (typeof m.provenance !== 'object' || m.provenance === null) {
    fail('provenance: expected an object');
  }
  return m as ModelManifest;
}

function checkShapeFields(m: Partial<ModelManifest>, fail: (message: string) => never): void {
  if (typeof m.name !== 'string' || m.name === '') {
    fail('name: expected a non-empty string');
  }
  if (!ARCHITECTURES.includes(m.architecture as Architecture)) {
    fail(`architecture: expected ${ARCHITECTURES.join(' or ')}, got ${m.architecture}`);
  }
  if (!Number.isInteger(m.inputSize) || typeof m.width !== 'number') {
    fail('inputSize and width: expected an integer and a number');
  }
  if (m.channels !== 1 && m.channels !== 3) {
    fail(`channels: expected 1 or 3, got ${m.channels}`);
  }
  const weights = m.ensembleWeights;
  if (!weights || REGIONS.some((r) => typeof weights[r] !== 'number')) {
    fail(`ensembleWeights: expected a number for each of ${REGIONS.join(', ')}`);
  }
}

function checkFiles(files: unknown, fail: (message: string) => never): void {
  if (!Array.isArray(files) || files.length === 0) {
    fail('files: expected a non-empty list');
    return;
  }
  for (const entry of files as Partial<ManifestFile>[]) {
    const { path, bytes, sha256 } = entry;
    const pathOk = typeof path === 'string' && isInsideFolder(path);
    if (!pathOk || !Number.isInteger(bytes) || !/^[0-9a-f]{64}$/.test(String(sha256))) {
      fail(`files: bad entry ${JSON.stringify(entry)}`);
    }
  }
}

/** A relative, normalised path that stays inside the model folder. */
function isInsideFolder(path: string): boolean {
  const parts = path.split('/');
  return parts.every((p) => p !== '' && p !== '.' && p !== '..' && !p.includes('\\'));
}
