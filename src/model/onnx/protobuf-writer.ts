/**
 * The few Protocol Buffers encodings an ONNX model file needs: varints and length-delimited
 * bytes, strings and messages. Messages are built bottom-up as byte arrays, so no
 * schema or code generator is involved. Pure; no I/O.
 */

import { concatBytes } from '../concat-bytes.js';

/** Wire types of the protobuf encoding. */
const WIRE_VARINT = 0;
const WIRE_LENGTH_DELIMITED = 2;

const encoder = new TextEncoder();

/** A field being written; `bytes()` gives the encoded message. */
export class ProtoWriter {
  private readonly chunks: Uint8Array[] = [];

  /** An unsigned or non-negative integer field (int32, int64, enum). */
  varint(field: number, value: number): this {
    this.push(encodeVarint(field * 8 + WIRE_VARINT));
    return this.push(encodeVarint(value));
  }

  /** A bytes field, or an embedded message given as its encoded bytes. */
  bytes(field: number, value: Uint8Array): this {
    this.push(encodeVarint(field * 8 + WIRE_LENGTH_DELIMITED));
    this.push(encodeVarint(value.length));
    return this.push(value);
  }

  /** A UTF-8 string field. */
  string(field: number, value: string): this {
    return this.bytes(field, encoder.encode(value));
  }

  /** An embedded message. */
  message(field: number, value: ProtoWriter): this {
    return this.bytes(field, value.finish());
  }

  /** The encoded message. */
  finish(): Uint8Array {
    return concatBytes(this.chunks);
  }

  private push(chunk: Uint8Array): this {
    this.chunks.push(chunk);
    return this;
  }
}

/**
 * Base-128 varint of a non-negative safe integer (what ONNX needs for dims, enums and
 * attributes here). Throws on a negative or non-integer value: those need the ten-byte
 * two's-complement form, which no caller uses.
 */
export function encodeVarint(value: number): Uint8Array {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`varint: expected a non-negative safe integer, got ${value}`);
  }
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  bytes.push(rest);
  return Uint8Array.from(bytes);
}
