import type { ModelConfig } from './model-config.js';
import { scaleByWidth } from './model-config.js';
import type { PoolSpec, StreamLayerSpec, SubNetworkPlan } from './layer-plan.js';
import { computeFinalShape } from './layer-plan.js';

/** Channel counts of AlexNet's five convolutions at width 1 (Krizhevsky et al. 2012). */
const ALEXNET_FILTERS = [96, 256, 384, 384, 256] as const;

/** Hidden dense units of the head: the paper replaces AlexNet's 4096-4096 with one 64 layer. */
export const ALEXNET_HIDDEN_UNITS = 64;

/** Dropout rate before each dense layer, as in AlexNet. */
export const ALEXNET_DROPOUT_RATE = 0.5;

/** Overlapping max-pooling window and stride of AlexNet, in pixels. */
const POOL_SIZE_PX = 3;
const POOL_STRIDE_PX = 2;

/** The smallest side, in pixels, the last feature map of a stream may have. */
export const MIN_FINAL_MAP_PX = 2;

/** Kernel and stride of the first convolution. */
export interface StemSpec {
  kernel: number;
  stride: number;
}

/**
 * First-layer kernel and stride for an input side. AlexNet's 11x11 stride-4 layer turns 224 px
 * into a 56 px map; on small crops it would leave almost nothing for the later layers, so the
 * stem shrinks with the input:
 *   inputSize >= 224 -> 11x11 stride 4 (224 -> 56 -> pools 27, 13, 6)
 *   112 ..  223      ->  7x7  stride 2 (112 -> 56 -> 27, 13, 6)
 *    48 ..  111      ->  5x5  stride 2 (96 -> 48 -> 23, 11, 5; 64 -> 32 -> 15, 7, 3;
 *                                       48 -> 24 -> 11, 5, 2)
 *    16 ..   47      ->  3x3  stride 1
 * Stride 2 below 112 px keeps a last map of at least 2x2 while costing a quarter of the
 * multiply-adds of stride 1, which is what makes CPU training of the small variants feasible.
 */
export function chooseAlexNetStem(inputSize: number): StemSpec {
  if (inputSize >= 224) {
    return { kernel: 11, stride: 4 };
  }
  if (inputSize >= 112) {
    return { kernel: 7, stride: 2 };
  }
  return inputSize >= 48 ? { kernel: 5, stride: 2 } : { kernel: 3, stride: 1 };
}

/**
 * The layers of one AlexNet-style stream: conv1, pool1, conv2, pool2, conv3, conv4, conv5, pool5.
 * Pools are 3x3 stride 2 without padding; when that would leave a last map smaller than
 * {@link MIN_FINAL_MAP_PX}, they keep partial windows ('same' padding) instead.
 */
export function planAlexNetStream(config: ModelConfig): StreamLayerSpec[] {
  const valid = buildAlexNetStream(config, 'valid');
  const [side] = computeFinalShape(valid, config.inputSize, config.channels);
  return side >= MIN_FINAL_MAP_PX ? valid : buildAlexNetStream(config, 'same');
}

/** The whole AlexNet-style sub-network plan. */
export function planAlexNet(config: ModelConfig): SubNetworkPlan {
  return {
    stream: planAlexNetStream(config),
    hidden: [{ name: 'fc1', units: ALEXNET_HIDDEN_UNITS }],
    dropoutRate: ALEXNET_DROPOUT_RATE,
  };
}

function buildAlexNetStream(config: ModelConfig, padding: PoolSpec['padding']): StreamLayerSpec[] {
  const [f1, f2, f3, f4, f5] = ALEXNET_FILTERS.map((f) => scaleByWidth(f, config.width));
  const stem = chooseAlexNetStem(config.inputSize);
  const pool = (name: string): PoolSpec => ({
    kind: 'pool',
    name,
    size: POOL_SIZE_PX,
    stride: POOL_STRIDE_PX,
    padding,
  });
  return [
    { kind: 'conv', name: 'conv1', filters: f1 ?? 1, kernel: stem.kernel, stride: stem.stride },
    pool('pool1'),
    { kind: 'conv', name: 'conv2', filters: f2 ?? 1, kernel: 5, stride: 1 },
    pool('pool2'),
    { kind: 'conv', name: 'conv3', filters: f3 ?? 1, kernel: 3, stride: 1 },
    { kind: 'conv', name: 'conv4', filters: f4 ?? 1, kernel: 3, stride: 1 },
    { kind: 'conv', name: 'conv5', filters: f5 ?? 1, kernel: 3, stride: 1 },
    pool('pool5'),
  ];
}
