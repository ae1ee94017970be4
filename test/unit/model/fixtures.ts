import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import type { FaceCrops } from '../../../src/face/types.js';
import type { ManifestDraft } from '../../../src/model/manifest.js';
import type { ModelConfig, RegionName } from '../../../src/model/model-config.js';
import { PAPER_ENSEMBLE_WEIGHTS } from '../../../src/model/model-config.js';
import { createSubNetwork } from '../../../src/model/mre-cnn.js';

/** A sub-network small enough to build and run in milliseconds on the cpu backend. */
export const TINY_CONFIG: ModelConfig = {
  arch: 'alexnet',
  inputSize: 24,
  width: 0.0625,
  channels: 1,
};

/** Seed of the tiny test networks. */
export const TINY_SEED = 42;

/** The three sub-networks of `config`, seeded. */
export function createNets(
  config: ModelConfig = TINY_CONFIG,
  seed = TINY_SEED,
): Record<RegionName, tf.LayersModel> {
  return {
    eye: createSubNetwork(config, 'eye', { seed }),
    nose: createSubNetwork(config, 'nose', { seed }),
    mouth: createSubNetwork(config, 'mouth', { seed }),
  };
}

/** A manifest draft matching `config`. */
export function createDraft(config: ModelConfig = TINY_CONFIG, untrained = true): ManifestDraft {
  return {
    name: 'tiny-test',
    architecture: config.arch,
    inputSize: config.inputSize,
    width: config.width,
    channels: config.channels,
    ensembleWeights: PAPER_ENSEMBLE_WEIGHTS[config.arch],
    provenance: {
      data: 'none',
      command: 'node --test',
      seed: TINY_SEED,
      date: '2026-01-01T00:00:00.000Z',
      notes: 'unit-test fixture',
      untrained,
    },
    metrics: {},
  };
}

/** Deterministic crops with values in [0, 1): a different pattern per face and part. */
export function createCrops(count: number, size: number): FaceCrops[] {
  const pattern = (face: number, part: number): Float32Array => {
    const values = new Float32Array(size * size * 3);
    return values.map((_, i) => ((i * (2 * part + 3) + face * 17) % 101) / 101);
  };
  return Array.from({ length: count }, (_, f) => ({
    size,
    face: pattern(f, 0),
    eye: pattern(f, 1),
    nose: pattern(f, 2),
    mouth: pattern(f, 3),
  }));
}

/** A fresh temporary folder for one test. */
export async function createTempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'mre-model-test-'));
}
