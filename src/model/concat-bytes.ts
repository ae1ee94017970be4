/**
 * The bytes of several typed arrays one after another, in a new buffer of exactly that size
 * (float arrays keep the host's byte order, little-endian on every platform Node supports here).
 */
export function concatBytes(parts: readonly ArrayBufferView[]): Uint8Array<ArrayBuffer> {
  const total = parts.reduce((sum, p) => sum + p.byteLength, 0);
  const joined = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    joined.set(new Uint8Array(part.buffer, part.byteOffset, part.byteLength), offset);
    offset += part.byteLength;
  }
  return joined;
}
