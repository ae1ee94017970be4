import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { MreError } from '../../../src/errors.js';
import {
  buildDecodeArgs,
  buildSelectFilter,
  chooseDecodeIndices,
} from '../../../src/video/decode-frames.js';
import { buildSafeInputArgs, parseDecoderList } from '../../../src/video/ffmpeg-tools.js';
import { fitFrameSize } from '../../../src/video/fit-frame-size.js';
import { createRawFrameSplitter } from '../../../src/video/raw-frame-splitter.js';
import { expandToRgb } from '../../../src/video/still-image.js';
import type { ClipInfo } from '../../../src/video/types.js';

describe('fitFrameSize', () => {
  it('scales the longer side down to maxSide keeping the aspect ratio', () => {
    assert.deepEqual(fitFrameSize({ width: 640, height: 360 }, 160), { width: 160, height: 90 });
    assert.deepEqual(fitFrameSize({ width: 32, height: 64 }, 48), { width: 24, height: 48 });
  });

  it('never scales up', () => {
    assert.deepEqual(fitFrameSize({ width: 256, height: 256 }, 1024), { width: 256, height: 256 });
  });

  it('rejects a maxSide below one pixel', () => {
    assert.throws(() => fitFrameSize({ width: 8, height: 8 }, 0), MreError);
  });
});

describe('createRawFrameSplitter', () => {
  it('cuts a stream into whole frames across chunk boundaries and holds the remainder', () => {
    const frames: number[][] = [];
    const splitter = createRawFrameSplitter(4, (data) => frames.push([...data]));
    splitter.push(Uint8Array.of(1, 2, 3));
    splitter.push(Uint8Array.of(4, 5, 6, 7, 8, 9, 10));
    assert.deepEqual(frames, [[1, 2, 3, 4], [5, 6, 7, 8]]);
    assert.equal(splitter.pendingBytes, 2);
  });
});

describe('chooseDecodeIndices', () => {
  it('keeps every frame of a clip with no more than maxFrames frames', () => {
    assert.equal(chooseDecodeIndices(10, 10, undefined), undefined);
  });

  it('spreads maxFrames frames evenly over a longer clip', () => {
    assert.deepEqual(chooseDecodeIndices(98, 5, undefined), [9, 29, 49, 68, 88]);
  });

  it('sorts and de-duplicates asked indices and drops invalid ones', () => {
    assert.deepEqual(chooseDecodeIndices(50, 4, [30, 2, 30, -1, 7.5]), [2, 30]);
  });

  it('refuses more asked indices than maxFrames', () => {
    assert.throws(() => chooseDecodeIndices(50, 2, [1, 2, 3]), MreError);
  });
});

describe('buildDecodeArgs', () => {
  const info: ClipInfo = {
    path: '-x: y.mp4', kind: 'video', width: 64, height: 32, durationSec: 1, fps: 25,
    frameCount: 25, rotationDeg: 0, streamIndex: 0,
  };

  it('selects the frames by number before scaling and writes rgb24 to stdout', () => {
    const args = buildDecodeArgs(info, { width: 32, height: 16 }, [3, 9], 2);
    const filter = args[args.indexOf('-vf') + 1];
    assert.equal(filter, "select='eq(n,3)+eq(n,9)',scale=32:16:flags=area,setsar=1,format=rgb24");
    assert.deepEqual(args.slice(-5), ['-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1']);
    assert.equal(args[args.indexOf('-frames:v') + 1], '2');
  });

  it('passes the input as an absolute file: URL after the whitelists', () => {
    const args = buildDecodeArgs(info, { width: 64, height: 32 }, undefined, 25);
    const input = args[args.indexOf('-i') + 1] ?? '';
    assert.match(input, /^file:\/.*\/-x: y\.mp4$/);
    assert.equal(args[args.indexOf('-protocol_whitelist') + 1], 'file');
    assert.ok(args.indexOf('-format_whitelist') < args.indexOf('-i'));
  });
});

describe('buildSafeInputArgs', () => {
  it('forces a demuxer only when asked', () => {
    assert.equal(buildSafeInputArgs('/a.bmp').includes('-f'), false);
    const forced = buildSafeInputArgs('/a.bmp', { format: 'image2pipe' });
    assert.equal(forced[forced.indexOf('-f') + 1], 'image2pipe');
  });

  it('never lists playlist or file-list demuxers', () => {
    const list = buildSafeInputArgs('/a.mp4')[3]?.split(',') ?? [];
    for (const name of ['concat', 'hls', 'dash', 'image2', 'ffmetadata']) {
      assert.equal(list.includes(name), false, name);
    }
  });
});

describe('buildSelectFilter', () => {
  it('selects nothing for an empty list', () => {
    assert.equal(buildSelectFilter([]), "select='0'");
  });
});

describe('parseDecoderList', () => {
  it('reads decoder names and the codec names they decode', () => {
    const text = [
      'Decoders:',
      ' V..... = Video',
      ' ------',
      ' VFS..D h264                 H.264 / AVC / MPEG-4 AVC / MPEG-4 part 10',
      ' V....D libdav1d             dav1d AV1 decoder by VideoLAN (codec av1)',
      ' A....D aac                  AAC (Advanced Audio Coding)',
    ].join('\n');
    assert.deepEqual([...parseDecoderList(text)].sort(), ['aac', 'av1', 'h264', 'libdav1d']);
  });
});

describe('expandToRgb', () => {
  it('repeats grey and drops alpha', () => {
    assert.deepEqual([...expandToRgb(Uint8Array.of(7, 9), 1)], [7, 7, 7, 9, 9, 9]);
    assert.deepEqual([...expandToRgb(Uint8Array.of(1, 2, 3, 4), 4)], [1, 2, 3]);
  });
});
