/**
 * Cutting a raw rgb24 byte stream into frames of a known size. Pure: no I/O.
 */

/** Collects stream chunks and hands out each complete frame of `frameBytes` bytes. */
export interface RawFrameSplitter {
  /** Adds bytes from the stream; calls `onFrame` for every frame they complete. */
  push(chunk: Uint8Array): void;
  /** Bytes of an incomplete last frame held so far (dropped at the end of the stream). */
  readonly pendingBytes: number;
}

/**
 * A splitter that copies the stream into one buffer per frame, so chunks can be reused by the
 * caller and frames never share memory.
 */
export function createRawFrameSplitter(
  frameBytes: number,
  onFrame: (data: Uint8Array) => void,
): RawFrameSplitter {
  let current = new Uint8Array(frameBytes);
  let filled = 0;
  return {
    push(chunk: Uint8Array): void {
      let offset = 0;
      while (offset < chunk.length) {
        const take = Math.min(frameBytes - filled, chunk.length - offset);
        current.set(chunk.subarray(offset, offset + take), filled);
        filled += take;
        offset += take;
        if (filled === frameBytes) {
          onFrame(current);
          current = new Uint8Array(frameBytes);
          filled = 0;
        }
      }
    },
    get pendingBytes(): number {
      return filled;
    },
  };
}
