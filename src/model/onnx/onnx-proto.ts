/**
 * Encodes an ONNX model (onnx.proto, IR version 8) from plain objects: float32 tensors, nodes
 * with integer or integer-list attributes, and inputs and outputs with fixed or named
 * dimensions. Only what the MRE-CNN export uses is covered. Pure; no I/O.
 */
import { concatBytes } from '../concat-bytes.js';
import { ProtoWriter } from './protobuf-writer.js';

/** ONNX IR version written (onnxruntime 1.14 and later read it). */
export const ONNX_IR_VERSION = 8;

/** Default-domain operator set the graphs use. */
export const ONNX_OPSET = 17;

/** TensorProto.DataType.FLOAT. */
const DATA_TYPE_FLOAT = 1;

/** AttributeProto.AttributeType values. */
const ATTRIBUTE_INT = 2;
const ATTRIBUTE_INTS = 7;

/** A float32 constant (an initializer). */
export interface OnnxTensor {
  name: string;
  dims: readonly number[];
  values: Float32Array;
}

/** One operator; attributes are integers or integer lists. */
export interface OnnxNode {
  op: string;
  name: string;
  inputs: readonly string[];
  outputs: readonly string[];
  attributes?: Readonly<Record<string, number | readonly number[]>>;
}

/** A float32 graph input or output; a string dimension is symbolic (e.g. the batch). */
export interface OnnxValue {
  name: string;
  dims: readonly (number | string)[];
}

/** A whole graph. */
export interface OnnxGraph {
  name: string;
  nodes: readonly OnnxNode[];
  initializers: readonly OnnxTensor[];
  inputs: readonly OnnxValue[];
  outputs: readonly OnnxValue[];
}

/** The bytes of an ONNX model file holding `graph`. */
export function encodeOnnxModel(graph: OnnxGraph, producer: string): Uint8Array {
  const opset = new ProtoWriter().string(1, '').varint(2, ONNX_OPSET);
  return new ProtoWriter()
    .varint(1, ONNX_IR_VERSION)
    .string(2, producer)
    .message(7, encodeGraph(graph))
    .message(8, opset)
    .finish();
}

function encodeGraph(graph: OnnxGraph): ProtoWriter {
  const w = new ProtoWriter();
  graph.nodes.forEach((node) => w.message(1, encodeNode(node)));
  w.string(2, graph.name);
  graph.initializers.forEach((tensor) => w.message(5, encodeTensor(tensor)));
  graph.inputs.forEach((value) => w.message(11, encodeValueInfo(value)));
  graph.outputs.forEach((value) => w.message(12, encodeValueInfo(value)));
  return w;
}

function encodeNode(node: OnnxNode): ProtoWriter {
  const w = new ProtoWriter();
  node.inputs.forEach((name) => w.string(1, name));
  node.outputs.forEach((name) => w.string(2, name));
  w.string(3, node.name).string(4, node.op);
  for (const [name, value] of Object.entries(node.attributes ?? {})) {
    w.message(5, encodeAttribute(name, value));
  }
  return w;
}

function encodeAttribute(name: string, value: number | readonly number[]): ProtoWriter {
  const w = new ProtoWriter().string(1, name);
  if (typeof value === 'number') {
    return w.varint(3, value).varint(20, ATTRIBUTE_INT);
  }
  value.forEach((v) => w.varint(8, v));
  return w.varint(20, ATTRIBUTE_INTS);
}

/** A float32 tensor with its values as raw data (host order: little-endian, as ONNX wants). */
function encodeTensor(tensor: OnnxTensor): ProtoWriter {
  const count = tensor.dims.reduce((a, b) => a * b, 1);
  if (count !== tensor.values.length) {
    const got = `${tensor.values.length} values for dims [${tensor.dims.join(', ')}]`;
    throw new RangeError(`onnx tensor ${tensor.name}: expected ${count} values, got ${got}`);
  }
  const w = new ProtoWriter();
  tensor.dims.forEach((d) => w.varint(1, d));
  return w.varint(2, DATA_TYPE_FLOAT).string(8, tensor.name).bytes(9, concatBytes([tensor.values]));
}

function encodeValueInfo(value: OnnxValue): ProtoWriter {
  const shape = new ProtoWriter();
  for (const dim of value.dims) {
    const d = new ProtoWriter();
    shape.message(1, typeof dim === 'number' ? d.varint(1, dim) : d.string(2, dim));
  }
  const tensorType = new ProtoWriter().varint(1, DATA_TYPE_FLOAT).message(2, shape);
  const type = new ProtoWriter().message(1, tensorType);
  return new ProtoWriter().string(1, value.name).message(2, type);
}
