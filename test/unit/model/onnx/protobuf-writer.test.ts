import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { encodeVarint, ProtoWriter } from '../../../../src/model/onnx/protobuf-writer.js';

describe('encodeVarint', () => {
  it('writes base-128 groups, low group first, with the continuation bit', () => {
    assert.deepEqual([...encodeVarint(0)], [0]);
    assert.deepEqual([...encodeVarint(1)], [1]);
    assert.deepEqual([...encodeVarint(127)], [0x7f]);
    assert.deepEqual([...encodeVarint(128)], [0x80, 0x01]);
    assert.deepEqual([...encodeVarint(300)], [0xac, 0x02]);
    assert.deepEqual([...encodeVarint(2 ** 32)], [0x80, 0x80, 0x80, 0x80, 0x10]);
  });

  it('refuses negative and fractional values', () => {
    assert.throws(() => encodeVarint(-1), RangeError);
    assert.throws(() => encodeVarint(1.5), RangeError);
  });
});

describe('ProtoWriter', () => {
  it('encodes the protobuf documentation examples byte for byte', () => {
    // field 1 = 150 (varint), field 2 = "testing" (length-delimited)
    assert.deepEqual([...new ProtoWriter().varint(1, 150).finish()], [0x08, 0x96, 0x01]);
    assert.deepEqual([...new ProtoWriter().string(2, 'testing').finish()],
      [0x12, 0x07, 0x74, 0x65, 0x73, 0x74, 0x69, 0x6e, 0x67]);
  });

  it('nests a message after its field key and length', () => {
    const inner = new ProtoWriter().varint(1, 150);
    assert.deepEqual([...new ProtoWriter().message(3, inner).finish()],
      [0x1a, 0x03, 0x08, 0x96, 0x01]);
  });
});
