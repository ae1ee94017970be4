import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The models/ folder shipped with the package. */
export const MODELS_DIR = fileURLToPath(new URL('../../models/', import.meta.url));

/** Folder of the trained default model. */
export const DEFAULT_MODEL_DIR = `${MODELS_DIR}default`;

/** Folder of the untrained fallback (random weights; its labels mean nothing). */
export const UNTRAINED_MODEL_DIR = `${MODELS_DIR}untrained`;

/** The model used when --model is not given: the trained default, else the untrained one. */
export function resolveDefaultModelDir(): string {
  return existsSync(`${DEFAULT_MODEL_DIR}/manifest.json`) ? DEFAULT_MODEL_DIR : UNTRAINED_MODEL_DIR;
}
