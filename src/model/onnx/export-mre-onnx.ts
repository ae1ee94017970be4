/**
 * Writes a whole MRE-CNN (all three sub-networks) as one ONNX graph, so onnxruntime can run the
 * model stage in a single call per batch. The graph is built from the same layer plan as the
 * tf.js model and takes its weights by layer name; it computes the same function:
 *   inputs  `face`, `eye`, `nose`, `mouth`: [batch, channels, side, side] float32, already
 *           centred like the tf.js inputs (pixel - INPUT_OFFSET);
 *   outputs `eye`, `nose`, `mouth` + `_scores`: each sub-network's softmax, [batch, 7].
 * Layouts differ from tf.js (NCHW instead of NHWC), so kernels are transposed and the rows of
 * the first dense layer are permuted to the channel-first flattening order. Pure; no I/O.
 */
import { NUM_CLASSES } from '../../classes.js';
import type { ConvSpec, MapShape, PoolSpec, SubNetworkPlan } from '../layer-plan.js';
import { computeOutputSide, traceStream } from '../layer-plan.js';
import type { ModelConfig, RegionName } from '../model-config.js';
import { REGIONS } from '../model-config.js';
import { STREAM_PREFIXES } from '../mre-cnn.js';
import { planSubNetwork } from '../sub-network-plan.js';
import { encodeOnnxModel, type OnnxGraph, type OnnxNode, type OnnxTensor } from './onnx-proto.js';

/** Name of the whole-face graph input; the region inputs are named after their region. */
export const ONNX_FACE_INPUT = 'face';

/** Suffix of the per-region score outputs (`eye_scores`, ...). */
export const ONNX_SCORES_SUFFIX = '_scores';

/** Symbolic batch dimension of every input and output. */
const BATCH_DIM = 'batch';

/** A layer's weights as tf.js stores them: kernel (HWIO or [in, out]) and bias. */
export interface LayerWeights {
  kernel: { values: Float32Array; shape: readonly number[] };
  bias: Float32Array;
}

/** Gives the weights of one layer of one region's sub-network, e.g. ('eye', 'face_conv1'). */
export type WeightSource = (region: RegionName, layer: string) => LayerWeights;

/** Accumulates nodes and initializers while the graph is laid out. */
interface GraphBuilder {
  nodes: OnnxNode[];
  initializers: OnnxTensor[];
}

/** The ONNX model bytes of an MRE-CNN with `config`, its weights read through `weights`. */
export function exportMreCnnToOnnx(config: ModelConfig, weights: WeightSource): Uint8Array {
  const plan = planSubNetwork(config);
  const b: GraphBuilder = { nodes: [], initializers: [] };
  for (const region of REGIONS) {
    addSubNetwork(b, plan, config, region, weights);
  }
  const side = config.inputSize;
  const inputDims = [BATCH_DIM, config.channels, side, side];
  const graph: OnnxGraph = {
    name: `mre_${config.arch}`,
    nodes: b.nodes,
    initializers: b.initializers,
    inputs: [ONNX_FACE_INPUT, ...REGIONS].map((name) => ({ name, dims: inputDims })),
    outputs: REGIONS.map((r) => ({ name: r + ONNX_SCORES_SUFFIX, dims: [BATCH_DIM, NUM_CLASSES] })),
  };
  return encodeOnnxModel(graph, 'mre-video');
}

/** Both streams, the concatenation and the dense head of one region's sub-network. */
function addSubNetwork(
  b: GraphBuilder, plan: SubNetworkPlan, config: ModelConfig, region: RegionName,
  weights: WeightSource,
): void {
  const traced = traceStream(plan.stream, config.inputSize, config.channels);
  const finalShape = traced[traced.length - 1]?.shape ?? [config.inputSize, config.inputSize,
    config.channels];
  const features = STREAM_PREFIXES.map((prefix) => {
    const input = prefix === 'face' ? ONNX_FACE_INPUT : region;
    return addStream(b, plan, config, region, prefix, input, weights);
  });
  const concat = `${region}/concat`;
  b.nodes.push({ op: 'Concat', name: concat, inputs: features, outputs: [concat],
    attributes: { axis: 1 } });

  // dense head: the first layer's rows follow the channel-first flattening of both streams
  let x = concat;
  plan.hidden.forEach(({ name }, i) => {
    const w = weights(region, name);
    const kernel = i === 0 ? permuteFlattenRows(w.kernel.values, finalShape, w.bias.length)
      : w.kernel.values;
    x = addDense(b, region, name, x, kernel, w, true);
  });
  const out = weights(region, 'predictions');
  const logits = addDense(b, region, 'predictions', x, out.kernel.values, out, false);
  b.nodes.push({ op: 'Softmax', name: `${region}/softmax`, inputs: [logits],
    outputs: [region + ONNX_SCORES_SUFFIX], attributes: { axis: 1 } });
}

/** One stream's convolutions and pools, then Flatten; returns the flattened output's name. */
function addStream(
  b: GraphBuilder, plan: SubNetworkPlan, config: ModelConfig, region: RegionName,
  prefix: string, input: string, weights: WeightSource,
): string {
  let x = input;
  let side = config.inputSize;
  for (const spec of plan.stream) {
    const name = `${prefix}_${spec.name}`;
    const scope = `${region}/${name}`;
    x = spec.kind === 'conv'
      ? addConv(b, scope, x, spec, side, weights(region, name))
      : addPool(b, scope, x, spec, side);
    side = computeOutputSide(spec, side);
  }
  const flat = `${region}/${prefix}_flatten`;
  b.nodes.push({ op: 'Flatten', name: flat, inputs: [x], outputs: [flat],
    attributes: { axis: 1 } });
  return flat;
}

/** Conv + Relu with tf.js 'same' padding made explicit. */
function addConv(
  b: GraphBuilder, scope: string, x: string, spec: ConvSpec, side: number, w: LayerWeights,
): string {
  const [kh, kw, inC, outC] = w.kernel.shape as [number, number, number, number];
  b.initializers.push({ name: `${scope}/W`, dims: [outC, inC, kh, kw],
    values: transposeHwioToOihw(w.kernel.values, kh, kw, inC, outC) });
  b.initializers.push({ name: `${scope}/B`, dims: [outC], values: w.bias });
  const [before, after] = computeSamePadding(side, spec.kernel, spec.stride);
  b.nodes.push({ op: 'Conv', name: scope, inputs: [x, `${scope}/W`, `${scope}/B`],
    outputs: [scope], attributes: { kernel_shape: [kh, kw], strides: [spec.stride, spec.stride],
      pads: [before, before, after, after] } });
  b.nodes.push({ op: 'Relu', name: `${scope}/relu`, inputs: [scope],
    outputs: [`${scope}/relu`] });
  return `${scope}/relu`;
}

/** MaxPool; 'same' pads like tf.js (the extra row and column at the end, never read as 0). */
function addPool(b: GraphBuilder, scope: string, x: string, spec: PoolSpec, side: number): string {
  const [before, after] = spec.padding === 'same'
    ? computeSamePadding(side, spec.size, spec.stride) : [0, 0];
  b.nodes.push({ op: 'MaxPool', name: scope, inputs: [x], outputs: [scope],
    attributes: { kernel_shape: [spec.size, spec.size], strides: [spec.stride, spec.stride],
      pads: [before, before, after, after] } });
  return scope;
}

/** Gemm (x · kernel + bias), with Relu when `relu`. */
function addDense(
  b: GraphBuilder, region: RegionName, name: string, x: string, kernel: Float32Array,
  w: LayerWeights, relu: boolean,
): string {
  const scope = `${region}/${name}`;
  const units = w.bias.length;
  b.initializers.push({ name: `${scope}/W`, dims: [kernel.length / units, units], values: kernel });
  b.initializers.push({ name: `${scope}/B`, dims: [units], values: w.bias });
  b.nodes.push({ op: 'Gemm', name: scope, inputs: [x, `${scope}/W`, `${scope}/B`],
    outputs: [scope] });
  if (!relu) return scope;
  b.nodes.push({ op: 'Relu', name: `${scope}/relu`, inputs: [scope],
    outputs: [`${scope}/relu`] });
  return `${scope}/relu`;
}

/**
 * Padding before and after of a tf.js 'same' window on a side of `n`: the output has
 * ceil(n / stride) positions and any odd padding goes at the end.
 */
export function computeSamePadding(n: number, kernel: number, stride: number): [number, number] {
  const out = Math.ceil(n / stride);
  const total = Math.max((out - 1) * stride + kernel - n, 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}

/** A [kh, kw, in, out] kernel as [out, in, kh, kw]. */
export function transposeHwioToOihw(
  hwio: Float32Array, kh: number, kw: number, inC: number, outC: number,
): Float32Array {
  const oihw = new Float32Array(hwio.length);
  for (let y = 0; y < kh; y++) {
    for (let x = 0; x < kw; x++) {
      for (let i = 0; i < inC; i++) {
        for (let o = 0; o < outC; o++) {
          oihw[((o * inC + i) * kh + y) * kw + x] = hwio[((y * kw + x) * inC + i) * outC + o] ?? 0;
        }
      }
    }
  }
  return oihw;
}

/**
 * The first dense kernel with its rows reordered from tf.js's flattening of two concatenated
 * [h, w, c] maps (row (y * w + x) * c + ch) to ONNX's flattening of [c, h, w] maps
 * (row ch * h * w + y * w + x), stream by stream.
 */
export function permuteFlattenRows(
  kernel: Float32Array, shape: MapShape, units: number,
): Float32Array {
  const [h, w, c] = shape;
  const perStream = h * w * c;
  const out = new Float32Array(kernel.length);
  for (let s = 0; s * perStream * units < kernel.length; s++) {
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        for (let ch = 0; ch < c; ch++) {
          const from = s * perStream + (y * w + x) * c + ch;
          const to = s * perStream + ch * h * w + y * w + x;
          out.set(kernel.subarray(from * units, (from + 1) * units), to * units);
        }
      }
    }
  }
  return out;
}
