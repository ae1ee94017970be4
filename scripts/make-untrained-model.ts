/**
 * Writes models/untrained: an AlexNet-style MRE-CNN with seeded random weights, the main job's
 * fallback until a trained default exists. Usage:
 *   node --import tsx scripts/make-untrained-model.ts [--out models/untrained] [--seed 2018]
 *     [--input-size 48] [--width 0.375] [--channels 1] [--quantize uint8]
 */
import { parseArgs } from 'node:util';
import { initBackend } from '../src/model/backend.js';
import type { ModelConfig, RegionName } from '../src/model/model-config.js';
import { PAPER_ENSEMBLE_WEIGHTS, REGIONS, validateModelConfig } from '../src/model/model-config.js';
import { createSubNetwork } from '../src/model/mre-cnn.js';
import { saveModel } from '../src/model/save-model.js';
import type { WeightQuantization } from '../src/model/weight-quantization.js';

const { values } = parseArgs({
  options: {
    out: { type: 'string', default: 'models/untrained' },
    seed: { type: 'string', default: '2018' },
    'input-size': { type: 'string', default: '48' },
    width: { type: 'string', default: '0.375' },
    channels: { type: 'string', default: '1' },
    quantize: { type: 'string', default: 'uint8' },
  },
});

const config: ModelConfig = validateModelConfig({
  arch: 'alexnet',
  inputSize: Number(values['input-size']),
  width: Number(values.width),
  channels: Number(values.channels) as 1 | 3,
});
const seed = Number(values.seed);
const quantize = values.quantize as WeightQuantization;

await initBackend('cpu');
const nets = Object.fromEntries(
  REGIONS.map((region) => [region, createSubNetwork(config, region, { seed })]),
) as Record<RegionName, ReturnType<typeof createSubNetwork>>;
const command = ['node --import tsx scripts/make-untrained-model.ts', ...process.argv.slice(2)];
await saveModel(
  values.out,
  nets,
  {
    name: 'untrained',
    architecture: config.arch,
    inputSize: config.inputSize,
    width: config.width,
    channels: config.channels,
    ensembleWeights: PAPER_ENSEMBLE_WEIGHTS[config.arch],
    provenance: {
      data: 'none',
      command: command.join(' '),
      seed,
      date: new Date().toISOString(),
      notes: `random weights (He/Glorot init), stored ${quantize}; scores carry no meaning`,
      untrained: true,
    },
    metrics: {},
  },
  { quantize },
);
process.stdout.write(`${values.out}\n`);
