/**
 * A sub-network described as data, before any tensor exists: the layers of one stream (the face
 * stream and the region stream share this plan but not their weights) and the dense head.
 * Pure; used to build the tf.js model and to check shapes without allocating weights.
 */

/** A convolution with 'same' padding and ReLU. */
export interface ConvSpec {
  kind: 'conv';
  /** Name without the stream prefix, e.g. `conv1` or `block1_conv1`. */
  name: string;
  filters: number;
  /** Square kernel side in pixels. */
  kernel: number;
  stride: number;
}

/** A max-pooling layer. */
export interface PoolSpec {
  kind: 'pool';
  name: string;
  /** Square window side in pixels. */
  size: number;
  stride: number;
  /** 'valid' drops incomplete windows; 'same' keeps ceil(n / stride). */
  padding: 'valid' | 'same';
}

/** One layer of a stream. */
export type StreamLayerSpec = ConvSpec | PoolSpec;

/** A hidden dense layer of the head (ReLU), preceded by dropout. */
export interface DenseSpec {
  name: string;
  units: number;
}

/** The whole sub-network: two streams of `stream`, concatenated, then `hidden`, then 7 outputs. */
export interface SubNetworkPlan {
  stream: StreamLayerSpec[];
  hidden: DenseSpec[];
  /** Dropout rate before every dense layer. */
  dropoutRate: number;
}

/** Height, width and channels of a feature map. */
export type MapShape = readonly [number, number, number];

/** The output shape of one stream layer. */
export interface TracedLayer {
  name: string;
  shape: MapShape;
  /** Number of trainable parameters (kernel + bias; 0 for pooling). */
  params: number;
}

/** Output side of a layer on an input of side `n`. */
export function computeOutputSide(spec: StreamLayerSpec, n: number): number {
  if (spec.kind === 'conv' || spec.padding === 'same') {
    return Math.ceil(n / spec.stride);
  }
  return Math.max(0, Math.floor((n - spec.size) / spec.stride) + 1);
}

/** Output shapes and parameter counts of every stream layer, in order. */
export function traceStream(
  specs: readonly StreamLayerSpec[],
  inputSize: number,
  channels: number,
): TracedLayer[] {
  const traced: TracedLayer[] = [];
  let shape: MapShape = [inputSize, inputSize, channels];
  for (const spec of specs) {
    const side = computeOutputSide(spec, shape[0]);
    const depth = spec.kind === 'conv' ? spec.filters : shape[2];
    const params =
      spec.kind === 'conv' ? spec.kernel * spec.kernel * shape[2] * spec.filters + spec.filters : 0;
    shape = [side, side, depth];
    traced.push({ name: spec.name, shape, params });
  }
  return traced;
}

/** The shape of the last feature map of a stream. */
export function computeFinalShape(
  specs: readonly StreamLayerSpec[],
  inputSize: number,
  channels: number,
): MapShape {
  const traced = traceStream(specs, inputSize, channels);
  return traced[traced.length - 1]?.shape ?? [inputSize, inputSize, channels];
}
