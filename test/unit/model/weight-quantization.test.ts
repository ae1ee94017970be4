import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../src/model/backend.js';
import { quantizeWeights, toFloat16Bits } from '../../../src/model/weight-quantization.js';

const VALUES = [-1.5, -0.1, 0, 0.001, 0.25, 0.7, 1.5];

/** Rounding slack of float32 arithmetic on top of the quantization step. */
const FLOAT32_SLACK = 1e-7;

/** Round trip through quantizeWeights and tf.io.decodeWeights. */
function roundTrip(mode: 'uint8' | 'float16'): number[] {
  const spec: tf.io.WeightsManifestEntry = { name: 'w', shape: [VALUES.length], dtype: 'float32' };
  const packed = quantizeWeights([spec], Float32Array.from(VALUES).buffer, mode);
  const decoded = tf.io.decodeWeights(packed.data, packed.specs);
  const values = Array.from(decoded.w?.dataSync() ?? []);
  tf.dispose(Object.values(decoded));
  return values;
}

describe('toFloat16Bits', () => {
  it('encodes known values exactly', () => {
    assert.equal(toFloat16Bits(1), 0x3c00);
    assert.equal(toFloat16Bits(-2), 0xc000);
    assert.equal(toFloat16Bits(0.1), 0x2e66);
    assert.equal(toFloat16Bits(65504), 0x7bff);
    assert.equal(toFloat16Bits(2 ** -24), 0x0001);
    assert.equal(toFloat16Bits(1e-9), 0);
    assert.equal(toFloat16Bits(1e6), 0x7c00);
    assert.equal(toFloat16Bits(-Infinity), 0xfc00);
  });
});

describe('quantizeWeights', () => {
  before(async () => {
    await initBackend('cpu');
  });

  it('stores uint8 within half a step of each value', () => {
    const step = (1.5 - -1.5) / 255;
    roundTrip('uint8').forEach((v, i) => {
      assert.ok(Math.abs(v - (VALUES[i] ?? NaN)) <= step / 2 + FLOAT32_SLACK);
    });
  });

  it('stores float16 within one part in 2048 of each value', () => {
    roundTrip('float16').forEach((v, i) => {
      const want = VALUES[i] ?? NaN;
      assert.ok(Math.abs(v - want) <= Math.abs(want) / 2048, `${v} vs ${want}`);
    });
  });
});
