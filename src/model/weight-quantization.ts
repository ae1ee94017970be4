import type * as tf from '@tensorflow/tfjs';
import { MreError } from '../errors.js';
import { concatBytes } from './concat-bytes.js';

/**
 * How weights are stored on disk. 'none' keeps float32; 'float16' halves the size with about
 * three significant digits kept; 'uint8' quarters it with 256 levels between each tensor's min
 * and max. tf.io decodes all three at load, so loading needs nothing extra.
 */
export type WeightQuantization = 'none' | 'float16' | 'uint8';

/** Number of uint8 steps between a tensor's min and max. */
const UINT8_STEPS = 255;

/** Bytes of one float32 value. */
const FLOAT32_BYTES = 4;

type WeightSpec = tf.io.WeightsManifestEntry;

/** Encodes float32 weights as `mode`; returns the new specs and the packed bytes. */
export function quantizeWeights(
  specs: readonly WeightSpec[],
  data: ArrayBuffer,
  mode: WeightQuantization,
): { specs: WeightSpec[]; data: ArrayBuffer } {
  if (mode === 'none') {
    return { specs: [...specs], data };
  }
  const parts: Uint8Array[] = [];
  const out: WeightSpec[] = [];
  let offset = 0;
  for (const spec of specs) {
    if (spec.dtype !== 'float32' || spec.quantization !== undefined) {
      throw new MreError('INTERNAL', `weight ${spec.name}: can only quantize plain float32`);
    }
    const count = spec.shape.reduce((product, side) => product * side, 1);
    const values = new Float32Array(data.slice(offset, offset + count * FLOAT32_BYTES));
    offset += count * FLOAT32_BYTES;
    const encoded = mode === 'uint8' ? encodeUint8(values) : encodeFloat16(values);
    parts.push(encoded.bytes);
    out.push({ ...spec, quantization: encoded.quantization });
  }
  return { specs: out, data: concatBytes(parts).buffer };
}

type Encoded = { bytes: Uint8Array; quantization: NonNullable<WeightSpec['quantization']> };

function encodeUint8(values: Float32Array): Encoded {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  if (values.length === 0) {
    min = 0;
    max = 0;
  }
  const scale = max > min ? (max - min) / UINT8_STEPS : 1;
  const bytes = values.map((v) => Math.round((v - min) / scale));
  return { bytes: Uint8Array.from(bytes), quantization: { dtype: 'uint8', min, scale } };
}

function encodeFloat16(values: Float32Array): Encoded {
  const halves = new Uint16Array(values.length);
  values.forEach((v, i) => {
    halves[i] = toFloat16Bits(v);
  });
  return { bytes: new Uint8Array(halves.buffer), quantization: { dtype: 'float16' } };
}

const scratchFloat = new Float32Array(1);
const scratchBits = new Uint32Array(scratchFloat.buffer);

/** IEEE 754 half-precision bits of a number, rounding to nearest even. */
export function toFloat16Bits(value: number): number {
  scratchFloat[0] = value;
  const bits = scratchBits[0] ?? 0;
  const sign = (bits >>> 16) & 0x8000;
  const exponent = ((bits >>> 23) & 0xff) - 127 + 15;
  const mantissa = bits & 0x7fffff;
  if (((bits >>> 23) & 0xff) === 0xff) {
    return sign | 0x7c00 | (mantissa !== 0 ? 0x200 : 0);
  }
  if (exponent >= 0x1f) {
    return sign | 0x7c00;
  }
  if (exponent <= 0) {
    return exponent < -10 ? sign : sign | roundShift(mantissa | 0x800000, 14 - exponent);
  }
  return sign | roundShift((exponent << 23) | mantissa, 13);
}

/** `value >> shift`, rounded to nearest with ties to even. */
function roundShift(value: number, shift: number): number {
  const kept = value >>> shift;
  const rest = value - kept * 2 ** shift;
  const half = 2 ** (shift - 1);
  return rest > half || (rest === half && (kept & 1) === 1) ? kept + 1 : kept;
}

