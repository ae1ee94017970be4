import type { ModelConfig } from './model-config.js';
import { scaleByWidth } from './model-config.js';
import type { PoolSpec, StreamLayerSpec, SubNetworkPlan } from './layer-plan.js';
import { computeOutputSide } from './layer-plan.js';
import { MIN_FINAL_MAP_PX } from './alexnet-plan.js';

/** Channel counts of VGG-16's five blocks of 3x3 convolutions at width 1 (Simonyan & Zisserman). */
const VGG16_BLOCKS: readonly (readonly number[])[] = [
  [64, 64],
  [128, 128],
  [256, 256, 256],
  [512, 512, 512],
  [512, 512, 512],
];

/**
 * Units of the two hidden dense layers at width 1: VGG-16's own fc1/fc2 sizes, so `fc2` can take
 * ImageNet weights as they are. `fc1` sees both streams (twice VGG's 25088 inputs at 224 px), so
 * ImageNet's fc1 only fits it half by half. At 224 px, width 1, fc1 alone holds 205 M weights.
 */
export const VGG16_HIDDEN_UNITS = [4096, 4096] as const;

/** Dropout rate before each dense layer, as in VGG-16. */
export const VGG16_DROPOUT_RATE = 0.5;

/** Max-pooling window and stride of VGG-16, in pixels. */
const POOL_SIZE_PX = 2;

/** Kernel side of every VGG-16 convolution, in pixels. */
const CONV_KERNEL_PX = 3;

/**
 * The layers of one VGG-16 stream, named as in Keras' VGG16 (`block1_conv1` ... `block5_pool`)
 * so ImageNet weights map by name once the stream prefix is removed. Each block ends with a
 * 2x2 stride-2 pool, except that a pool is left out when its input is already smaller than
 * 2 x {@link MIN_FINAL_MAP_PX} (inputs under 64 px); the convolutions always stay.
 */
export function planVgg16Stream(config: ModelConfig): StreamLayerSpec[] {
  const specs: StreamLayerSpec[] = [];
  let side = config.inputSize;
  VGG16_BLOCKS.forEach((bases, b) => {
    bases.forEach((base, i) => {
      const name = `block${b + 1}_conv${i + 1}`;
      const filters = scaleByWidth(base, config.width);
      specs.push({ kind: 'conv', name, filters, kernel: CONV_KERNEL_PX, stride: 1 });
    });
    if (side >= POOL_SIZE_PX * MIN_FINAL_MAP_PX) {
      const pool: PoolSpec = {
        kind: 'pool',
        name: `block${b + 1}_pool`,
        size: POOL_SIZE_PX,
        stride: POOL_SIZE_PX,
        padding: 'valid',
      };
      specs.push(pool);
      side = computeOutputSide(pool, side);
    }
  });
  return specs;
}

/** The whole VGG-16 sub-network plan. */
export function planVgg16(config: ModelConfig): SubNetworkPlan {
  const [fc1, fc2] = VGG16_HIDDEN_UNITS.map((u) => scaleByWidth(u, config.width));
  return {
    stream: planVgg16Stream(config),
    hidden: [
      { name: 'fc1', units: fc1 ?? 1 },
      { name: 'fc2', units: fc2 ?? 1 },
    ],
    dropoutRate: VGG16_DROPOUT_RATE,
  };
}
