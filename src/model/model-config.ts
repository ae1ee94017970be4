import { MreError } from '../errors.js';

/** The backbone of each stream: AlexNet-style (trained from scratch) or VGG-16. */
export type Architecture = 'alexnet' | 'vgg16';

/** The three local regions, each paired with the whole face in one sub-network. */
export type RegionName = 'eye' | 'nose' | 'mouth';

/** The regions in the fixed order used for sub-network folders and score records. */
export const REGIONS: readonly RegionName[] = ['eye', 'nose', 'mouth'];

/** Known architectures, for validation. */
export const ARCHITECTURES: readonly Architecture[] = ['alexnet', 'vgg16'];

/** What shapes one sub-network. Validated by {@link validateModelConfig}; never mutated. */
export interface ModelConfig {
  /** Backbone of both streams. */
  arch: Architecture;
  /** Side of the square input crops in pixels; the paper uses 224. */
  inputSize: number;
  /** Multiplier on every convolution's channel count (and VGG's dense layers); paper 1. */
  width: number;
  /** 1 = grey (mean of RGB), 3 = RGB. */
  channels: 1 | 3;
}

/** Smallest input side in pixels; below it the last feature map cannot stay >= 2x2. */
export const MIN_INPUT_SIZE_PX = 16;

/** Largest input side in pixels accepted (memory guard; the paper uses 224). */
export const MAX_INPUT_SIZE_PX = 512;

/** Smallest width multiplier accepted. */
export const MIN_WIDTH = 0.03125;

/** Largest width multiplier accepted. */
export const MAX_WIDTH = 2;

/**
 * The ensemble weights of Fan et al. (2018) per backbone: the eye and mouth sub-networks
 * count more than the nose one. Normalised to sum 1.
 */
export const PAPER_ENSEMBLE_WEIGHTS: Record<Architecture, Record<RegionName, number>> = {
  alexnet: { eye: 2 / 5, nose: 1 / 5, mouth: 2 / 5 },
  vgg16: { eye: 4 / 7, nose: 1 / 7, mouth: 2 / 7 },
};

/** The paper's configuration: 224 px RGB, full width. */
export const PAPER_MODEL_CONFIG: Readonly<ModelConfig> = {
  arch: 'alexnet',
  inputSize: 224,
  width: 1,
  channels: 3,
};

/** Returns a validated copy of `config`; throws MreError('USAGE') naming the bad field. */
export function validateModelConfig(config: ModelConfig): ModelConfig {
  const { arch, inputSize, width, channels } = config;
  if (!ARCHITECTURES.includes(arch)) {
    throw configError(`arch must be one of ${ARCHITECTURES.join(', ')}, got ${String(arch)}`);
  }
  const sizeOk = Number.isInteger(inputSize) && inputSize >= MIN_INPUT_SIZE_PX;
  if (!sizeOk || inputSize > MAX_INPUT_SIZE_PX) {
    const range = `${MIN_INPUT_SIZE_PX}..${MAX_INPUT_SIZE_PX}`;
    throw configError(`inputSize must be an integer in ${range} px, got ${inputSize}`);
  }
  if (!(width >= MIN_WIDTH && width <= MAX_WIDTH)) {
    throw configError(`width must be in ${MIN_WIDTH}..${MAX_WIDTH}, got ${width}`);
  }
  if (channels !== 1 && channels !== 3) {
    throw configError(`channels must be 1 or 3, got ${String(channels)}`);
  }
  return { arch, inputSize, width, channels };
}

/** Scales a base channel or unit count by the width multiplier, keeping at least one. */
export function scaleByWidth(base: number, width: number): number {
  return Math.max(1, Math.round(base * width));
}

function configError(message: string): MreError {
  return new MreError('USAGE', `model config: ${message}`);
}
