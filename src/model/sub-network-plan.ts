import { NUM_CLASSES } from '../classes.js';
import type { ModelConfig } from './model-config.js';
import { validateModelConfig } from './model-config.js';
import type { SubNetworkPlan, TracedLayer } from './layer-plan.js';
import { traceStream } from './layer-plan.js';
import { planAlexNet } from './alexnet-plan.js';
import { planVgg16 } from './vgg16-plan.js';

/** The plan of one sub-network for a validated copy of `config`. */
export function planSubNetwork(config: ModelConfig): SubNetworkPlan {
  const checked = validateModelConfig(config);
  return checked.arch === 'alexnet' ? planAlexNet(checked) : planVgg16(checked);
}

/** Shapes and parameter counts of a sub-network, computed without building it. */
export interface SubNetworkSummary {
  /** One stream's layers (the face and region streams are alike). */
  stream: TracedLayer[];
  /** Length of the concatenated, flattened features of both streams. */
  concatLength: number;
  /** Hidden dense layers and the 7-way output, with their parameter counts. */
  head: { name: string; units: number; params: number }[];
  /** Trainable parameters of the whole sub-network (both streams and the head). */
  totalParams: number;
}

/** Summarises a sub-network; cheap even for VGG-16 at 224 px, as nothing is allocated. */
export function describeSubNetwork(config: ModelConfig): SubNetworkSummary {
  const checked = validateModelConfig(config);
  const plan = planSubNetwork(checked);
  const stream = traceStream(plan.stream, checked.inputSize, checked.channels);
  const last = stream[stream.length - 1]?.shape ?? [0, 0, 0];
  const concatLength = 2 * last[0] * last[1] * last[2];

  // dense layers: each takes the previous length, plus a bias per unit
  const denses = [...plan.hidden, { name: 'predictions', units: NUM_CLASSES }];
  let inputs = concatLength;
  const head = denses.map(({ name, units }) => {
    const params = inputs * units + units;
    inputs = units;
    return { name, units, params };
  });
  const streamParams = stream.reduce((sum, layer) => sum + layer.params, 0);
  const headParams = head.reduce((sum, layer) => sum + layer.params, 0);
  return { stream, concatLength, head, totalParams: 2 * streamParams + headParams };
}
