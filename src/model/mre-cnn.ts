import * as tf from '@tensorflow/tfjs';
import { NUM_CLASSES } from '../classes.js';
import type { ModelConfig, RegionName } from './model-config.js';
import { REGIONS, validateModelConfig } from './model-config.js';
import type { StreamLayerSpec, SubNetworkPlan } from './layer-plan.js';
import { planSubNetwork } from './sub-network-plan.js';

/** Name of the whole-face input of every sub-network. */
export const FACE_INPUT_NAME = 'face_input';

/** Name of the region-crop input of every sub-network. */
export const REGION_INPUT_NAME = 'region_input';

/** Layer-name prefixes of the two streams, e.g. `face_conv1` and `region_conv1`. */
export const STREAM_PREFIXES = ['face', 'region'] as const;

/** Seeds of successive layers are this far apart for each region, so sub-networks differ. */
const REGION_SEED_STRIDE = 1000;

/** Options of {@link createSubNetwork}. */
export interface SubNetworkOptions {
  /**
   * Base seed of the weight initialisers; each layer and region derives its own from it.
   * Default: unseeded (different weights each call).
   */
  seed?: number;
}

/**
 * Builds the MRE-CNN sub-network of one region (Fan et al. 2018): two streams of the same
 * architecture with separate weights, one for the whole face and one for the region crop,
 * both [batch, inputSize, inputSize, channels] float32 in [0, 1]. Each stream's last pooling
 * output is flattened; the two are concatenated before the first dense layer; the output is a
 * 7-way softmax in the order of CLASSES. Layer names are stable (`face_conv1`, `region_conv1`,
 * `fc1`, `predictions`, ...) so weights can be mapped in by name.
 */
export function createSubNetwork(
  config: ModelConfig,
  region: RegionName,
  options: SubNetworkOptions = {},
): tf.LayersModel {
  const checked = validateModelConfig(config);
  const plan = planSubNetwork(checked);
  const nextSeed = createSeedCounter(options.seed, REGIONS.indexOf(region));
  const shape = [checked.inputSize, checked.inputSize, checked.channels];

  // two inputs, two streams with their own weights
  const faceInput = tf.input({ shape, name: FACE_INPUT_NAME, dtype: 'float32' });
  const regionInput = tf.input({ shape, name: REGION_INPUT_NAME, dtype: 'float32' });
  const faceFeatures = applyStream(faceInput, plan.stream, 'face', nextSeed);
  const regionFeatures = applyStream(regionInput, plan.stream, 'region', nextSeed);

  // concatenated features through the dense head
  const merged = tf.layers.concatenate({ name: 'concat' }).apply([faceFeatures, regionFeatures]);
  const output = applyHead(merged as tf.SymbolicTensor, plan, nextSeed);
  const name = `mre_${checked.arch}_${region}`;
  return tf.model({ inputs: [faceInput, regionInput], outputs: output, name });
}

function applyStream(
  input: tf.SymbolicTensor,
  specs: readonly StreamLayerSpec[],
  prefix: (typeof STREAM_PREFIXES)[number],
  nextSeed: () => number | undefined,
): tf.SymbolicTensor {
  let x = input;
  for (const spec of specs) {
    x = createStreamLayer(spec, `${prefix}_${spec.name}`, nextSeed()).apply(x) as tf.SymbolicTensor;
  }
  return tf.layers.flatten({ name: `${prefix}_flatten` }).apply(x) as tf.SymbolicTensor;
}

function createStreamLayer(
  spec: StreamLayerSpec,
  name: string,
  seed: number | undefined,
): tf.layers.Layer {
  if (spec.kind === 'pool') {
    const { size, stride, padding } = spec;
    return tf.layers.maxPooling2d({ name, poolSize: size, strides: stride, padding });
  }
  return tf.layers.conv2d({
    name,
    filters: spec.filters,
    kernelSize: spec.kernel,
    strides: spec.stride,
    padding: 'same',
    activation: 'relu',
    kernelInitializer: tf.initializers.heNormal({ seed }),
    biasInitializer: 'zeros',
  });
}

function applyHead(
  features: tf.SymbolicTensor,
  plan: SubNetworkPlan,
  nextSeed: () => number | undefined,
): tf.SymbolicTensor {
  let x = features;
  plan.hidden.forEach(({ name, units }, i) => {
    x = applyDropout(x, plan.dropoutRate, i + 1, nextSeed());
    const kernelInitializer = tf.initializers.heNormal({ seed: nextSeed() });
    const dense = tf.layers.dense({ name, units, activation: 'relu', kernelInitializer });
    x = dense.apply(x) as tf.SymbolicTensor;
  });
  x = applyDropout(x, plan.dropoutRate, plan.hidden.length + 1, nextSeed());
  const kernelInitializer = tf.initializers.glorotUniform({ seed: nextSeed() });
  const predictions = tf.layers.dense({
    name: 'predictions',
    units: NUM_CLASSES,
    activation: 'softmax',
    kernelInitializer,
  });
  return predictions.apply(x) as tf.SymbolicTensor;
}

function applyDropout(
  x: tf.SymbolicTensor,
  rate: number,
  index: number,
  seed: number | undefined,
): tf.SymbolicTensor {
  return tf.layers.dropout({ name: `dropout${index}`, rate, seed }).apply(x) as tf.SymbolicTensor;
}

/** A source of per-layer seeds: undefined throughout when no base seed is given. */
function createSeedCounter(
  base: number | undefined,
  regionIndex: number,
): () => number | undefined {
  let next = 0;
  return () => {
    if (base === undefined) {
      return undefined;
    }
    next += 1;
    return base + regionIndex * REGION_SEED_STRIDE + next;
  };
}
