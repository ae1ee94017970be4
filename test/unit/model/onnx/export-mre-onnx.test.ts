import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  computeSamePadding, permuteFlattenRows, transposeHwioToOihw,
} from '../../../../src/model/onnx/export-mre-onnx.js';

describe('computeSamePadding', () => {
  it('pads like tf.js "same": ceil(n / stride) outputs, the odd pixel at the end', () => {
    // 48 px, 5x5 stride 2: 24 outputs need 23 * 2 + 5 = 51 px, so 3 more: 1 before, 2 after
    assert.deepEqual(computeSamePadding(48, 5, 2), [1, 2]);
    // 3x3 stride 1 keeps the side with one pixel each way
    assert.deepEqual(computeSamePadding(11, 3, 1), [1, 1]);
    // a 3x3 stride-2 pool on 5 px keeps partial windows: 3 outputs, 1 pixel each way
    assert.deepEqual(computeSamePadding(5, 3, 2), [1, 1]);
    // 24 px, 3x3 stride 2: 12 outputs need 25 px, so 1 more, at the end
    assert.deepEqual(computeSamePadding(24, 3, 2), [0, 1]);
    assert.deepEqual(computeSamePadding(4, 1, 1), [0, 0]);
  });
});

describe('transposeHwioToOihw', () => {
  it('moves a [kh, kw, in, out] kernel to [out, in, kh, kw]', () => {
    // kh 1, kw 2, in 2, out 2: value = 1000 * y + 100 * x + 10 * in + out
    const hwio = Float32Array.from([0, 1, 10, 11, 100, 101, 110, 111]);
    const oihw = transposeHwioToOihw(hwio, 1, 2, 2, 2);
    assert.deepEqual([...oihw], [0, 100, 10, 110, 1, 101, 11, 111]);
  });
});

describe('permuteFlattenRows', () => {
  it('reorders dense rows from [h, w, c] flattening to [c, h, w], stream by stream', () => {
    // two streams of a 1 x 2 x 2 map, 1 unit: tf.js rows are (x0 c0, x0 c1, x1 c0, x1 c1)
    const kernel = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]);
    const rows = permuteFlattenRows(kernel, [1, 2, 2], 1);
    assert.deepEqual([...rows], [1, 3, 2, 4, 5, 7, 6, 8]);
  });

  it('moves whole rows when the layer has several units', () => {
    const kernel = Float32Array.from([1, -1, 2, -2, 3, -3, 4, -4]);
    const rows = permuteFlattenRows(kernel, [1, 2, 2], 2);
    assert.deepEqual([...rows], [1, -1, 3, -3, 2, -2, 4, -4]);
  });
});
