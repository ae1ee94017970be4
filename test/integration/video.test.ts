import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';

import sharp from 'sharp';

import { MreError } from '../../src/errors.js';
import { decodeFrames } from '../../src/video/decode-frames.js';
import { resolveFfmpegPath, runTool } from '../../src/video/ffmpeg-tools.js';
import { probeClip } from '../../src/video/probe-clip.js';
import type { ClipInfo, RgbFrame } from '../../src/video/types.js';
import { SHARED_DATA } from '../support/shared-data.js';

const run = promisify(execFile);

/** Time allowed to build one fixture with ffmpeg, in milliseconds. */
const FIXTURE_TIMEOUT_MS = 20_000;
/** Most a lossy (h264 4:2:0) channel value may differ from the colour encoded. */
const LOSSY_CHANNEL_TOLERANCE = 24;
/** A clip of the shared MEAD validation set (256x256, 25 fps). */
const SHARED_CLIP = `${SHARED_DATA}/clips/val/Happy/M030_front_happy_level3_001.mp4`;

let dir = '';
const at = (name: string): string => join(dir, name);

/** Runs ffmpeg to build a fixture from lavfi sources or another fixture. */
async function ffmpeg(...args: string[]): Promise<void> {
  const base = ['-hide_banner', '-loglevel', 'error', '-nostdin', '-y'];
  await run(resolveFfmpegPath(), [...base, ...args], { timeout: FIXTURE_TIMEOUT_MS });
}

/** lavfi input arguments for `graph`. */
const lavfi = (graph: string): string[] => ['-f', 'lavfi', '-i', graph];

/** Left half red, right half blue, 64x32, 25 fps, 0.4 s. */
const RED_BLUE = 'color=red:s=64x32:r=25:d=0.4,drawbox=x=32:y=0:w=32:h=32:color=blue:t=fill';

async function buildFixtures(): Promise<void> {
  const h264 = ['-c:v', 'libx264', '-pix_fmt', 'yuv420p'];
  await ffmpeg(...lavfi('testsrc=size=64x48:rate=25'), '-t', '2', ...h264, at('normal.mp4'));
  await Promise.all([
    ffmpeg(...lavfi(RED_BLUE), '-c:v', 'libx264', '-pix_fmt', 'yuv444p', at('red-blue.mp4')),
    ffmpeg(...lavfi("color=black:s=16x16:r=25:d=1.6,format=gray,geq=lum='N*5'"), '-c:v', 'ffv1',
      at('grey.mkv')),
  ]);
  await Promise.all([
    ffmpeg('-i', at('red-blue.mp4'), '-c', 'copy', '-metadata:s:v:0', 'rotate=270',
      at('rotated-cw.mp4')),
    ffmpeg('-i', at('red-blue.mp4'), '-c', 'copy', '-metadata:s:v:0', 'rotate=90',
      at('rotated-ccw.mp4')),
  ]);
  await Promise.all([
    ffmpeg(...lavfi('testsrc=size=64x48:rate=25'), '-t', '0.2', ...h264, at('short.mp4')),
    ffmpeg(...lavfi('testsrc=size=64x48:rate=25'), '-frames:v', '1', ...h264, at('one.mp4')),
  ]);
  await Promise.all([
    ffmpeg(...lavfi('sine=frequency=440:duration=0.5'), '-c:a', 'aac', at('audio-only.mp4')),
    ffmpeg(...lavfi('color=c=red@0.5:s=16x16:r=25:d=0.2,format=rgba'), '-c:v', 'png',
      at('alpha.mov')),
  ]);
  await ffmpeg(...lavfi('testsrc=size=128x96:rate=25'), '-t', '2', '-c:v', 'libx264', '-g', '5',
    '-bf', '0', '-pix_fmt', 'yuv420p', '-movflags', '+faststart', at('faststart.mp4'));
  await ffmpeg('-i', at('normal.mp4'), '-c', 'copy', '-f', 'mpegts', at('segment.ts'));
  await writeDerivedFixtures();
}

/** Fixtures made from bytes rather than by ffmpeg. */
async function writeDerivedFixtures(): Promise<void> {
  const normal = await readFile(at('normal.mp4'));
  const faststart = await readFile(at('faststart.mp4'));
  await writeFile(at('empty.mp4'), '');
  await writeFile(at('truncated.mp4'), normal.subarray(0, Math.floor(normal.length / 2)));
  await writeFile(at('cut-short.mp4'), faststart.subarray(0, Math.floor(faststart.length / 2)));
  await writeFile(at('notes.mp4'), 'These are meeting notes, not a video.\n'.repeat(20));
  await writeFile(at('list.mp4'), 'ffconcat version 1.0\nfile normal.mp4\n');
  await writeFile(at('list.ffconcat'), `ffconcat version 1.0\nfile '${at('normal.mp4')}'\n`);
  await writeFile(at('playlist.m3u8'),
    '#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2.0,\nsegment.ts\n#EXT-X-ENDLIST\n');
  await copyFile(at('normal.mp4'), at('-odd name \'"quoted" ünïcödé 🎬:1.mp4'));
  await symlink(at('missing.mp4'), at('dangling.mp4'));
  await writeImageFixtures();
}

async function writeImageFixtures(): Promise<void> {
  const raw = { width: 40, height: 20, channels: 4 as const };
  const halfRed = Buffer.alloc(40 * 20 * 4);
  for (let p = 0; p < 40 * 20; p++) halfRed.set([255, 0, 0, 128], p * 4);
  await sharp(halfRed, { raw }).png().toFile(at('alpha.png'));
  const grey = { width: 8, height: 8, channels: 1 as const };
  await sharp(Buffer.alloc(64, 77), { raw: grey }).png().toFile(at('grey.png'));
  await sharp(Buffer.alloc(40 * 20 * 3, 200), { raw: { ...raw, channels: 3 } })
    .jpeg()
    .withMetadata({ orientation: 6 })
    .toFile(at('exif-rotated.jpg'));
  const blue = lavfi('color=c=blue:s=24x12:d=0.04,format=bgr24');
  await ffmpeg(...blue, '-frames:v', '1', at('blue.bmp'));
}

/** The [r, g, b] of pixel (x, y). */
function pixel(frame: RgbFrame, x: number, y: number): number[] {
  const offset = (y * frame.width + x) * 3;
  return [...frame.data.subarray(offset, offset + 3)];
}

/** Asserts `actual` is within `tolerance` of `expected`, channel by channel. */
function assertColour(actual: number[], expected: number[], tolerance: number): void {
  const close = actual.every((v, i) => Math.abs(v - (expected[i] ?? 0)) <= tolerance);
  assert.ok(close, `expected about ${expected.join(',')}, got ${actual.join(',')}`);
}

/** Asserts `promise` rejects with MreError('CLIP') whose message is `<path>: <cause>`. */
async function assertClipError(promise: Promise<unknown>, path: string, cause: string | RegExp) {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof MreError, String(err));
    assert.equal(err.code, 'CLIP');
    assert.equal(err.file, path);
    const rest = err.message.slice(path.length + 2);
    if (typeof cause === 'string') assert.equal(rest, cause);
    else assert.match(rest, cause);
    return true;
  });
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mre-video-test-'));
  await buildFixtures();
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('probeClip on videos', () => {
  it('describes a normal clip', async () => {
    const info = await probeClip(at('normal.mp4'));
    assert.deepEqual(info, {
      path: at('normal.mp4'), kind: 'video', width: 64, height: 48, durationSec: 2, fps: 25,
      frameCount: 50, rotationDeg: 0, codec: 'h264', streamIndex: 0,
    });
  });

  it('reports a rotated clip upright, with the rotation clockwise', async () => {
    const cw = await probeClip(at('rotated-cw.mp4'));
    const ccw = await probeClip(at('rotated-ccw.mp4'));
    assert.deepEqual([cw.width, cw.height, cw.rotationDeg], [32, 64, 90]);
    assert.deepEqual([ccw.width, ccw.height, ccw.rotationDeg], [32, 64, 270]);
  });

  it('counts the frames of a 0.2 s clip and of a one-frame clip', async () => {
    assert.equal((await probeClip(at('short.mp4'))).frameCount, 5);
    const one = await probeClip(at('one.mp4'));
    assert.deepEqual([one.kind, one.frameCount], ['video', 1]);
  });

  it('estimates the frame count from duration x fps when the container has none', async () => {
    const info = await probeClip(at('grey.mkv'));
    assert.deepEqual([info.codec, info.frameCount, info.durationSec], ['ffv1', 40, 1.6]);
  });

  it('reads a file whose name has spaces, quotes, unicode, emoji, a colon and a leading dash',
    async () => {
      const name = at('-odd name \'"quoted" ünïcödé 🎬:1.mp4');
      const info = await probeClip(name);
      assert.deepEqual([info.width, info.height, info.frameCount], [64, 48, 50]);
      const frames = await decodeFrames(info, { maxSide: 64, maxFrames: 2 });
      assert.equal(frames.length, 2);
    });

  it('describes a clip of the shared validation set', async () => {
    const info = await probeClip(SHARED_CLIP);
    assert.deepEqual([info.width, info.height, info.fps, info.codec], [256, 256, 25, 'h264']);
  });
});

describe('probeClip failures', () => {
  const cases: Array<[string, string | RegExp]> = [
    ['empty.mp4', 'empty file (0 bytes)'],
    ['truncated.mp4', 'truncated file'],
    ['notes.mp4', 'not a media file'],
    ['audio-only.mp4', 'no video stream'],
    ['nowhere.mp4', 'file not found'],
    ['dangling.mp4', 'broken symbolic link'],
    ['list.mp4', /^refused container format/],
    ['list.ffconcat', /^refused container format/],
    ['playlist.m3u8', /^refused container format/],
  ];
  for (const [name, cause] of cases) {
    it(`says "${cause}" for ${name}`, async () => {
      await assertClipError(probeClip(at(name)), at(name), cause);
    });
  }
});

describe('decodeFrames', () => {
  it('spreads maxFrames frames evenly and keeps their original indices and times', async () => {
    const info = await probeClip(at('grey.mkv'));
    const frames = await decodeFrames(info, { maxSide: 16, maxFrames: 8 });
    assert.deepEqual(frames.map((f) => f.index), [2, 7, 12, 17, 22, 27, 32, 37]);
    const expected = [2, 7, 12, 17, 22, 27, 32, 37];
    assert.deepEqual(frames.map((f) => f.timeSec), expected.map((i) => i / 25));
    // each frame's grey level is 5 x its frame number, expanded to three equal channels
    for (const frame of frames) {
      assert.deepEqual(pixel(frame, 3, 5), [frame.index * 5, frame.index * 5, frame.index * 5]);
    }
  });

  it('decodes exactly the asked frame indices', async () => {
    const info = await probeClip(at('grey.mkv'));
    const frames = await decodeFrames(info, { maxSide: 16, maxFrames: 3, indices: [39, 0, 20] });
    const found = frames.map((f) => [f.index, pixel(f, 0, 0)[0]]);
    assert.deepEqual(found, [[0, 0], [20, 100], [39, 195]]);
  });

  it('decodes every frame of a clip shorter than maxFrames, scaled to maxSide', async () => {
    const frames = await decodeFrames(await probeClip(at('normal.mp4')), {
      maxSide: 32, maxFrames: 60,
    });
    assert.equal(frames.length, 50);
    assert.deepEqual(frames.map((f) => f.index), [...Array(50).keys()]);
    assert.deepEqual([frames[0]?.width, frames[0]?.height, frames[0]?.data.length], [32, 24, 2304]);
  });

  it('never scales up', async () => {
    const [frame] = await decodeFrames(await probeClip(at('one.mp4')), {
      maxSide: 1000, maxFrames: 5,
    });
    assert.deepEqual([frame?.index, frame?.width, frame?.height], [0, 64, 48]);
  });

  it('decodes all five frames of a 0.2 s clip', async () => {
    const frames = await decodeFrames(await probeClip(at('short.mp4')), {
      maxSide: 64, maxFrames: 10,
    });
    assert.deepEqual(frames.map((f) => f.index), [0, 1, 2, 3, 4]);
  });

  it('turns rotated clips upright exactly once', async () => {
    const cw = await decodeFrames(await probeClip(at('rotated-cw.mp4')), {
      maxSide: 64, maxFrames: 1,
    });
    const ccw = await decodeFrames(await probeClip(at('rotated-ccw.mp4')), {
      maxSide: 64, maxFrames: 1,
    });
    const red = [255, 0, 0];
    const blue = [0, 0, 255];
    for (const [frames, top, bottom] of [[cw, red, blue], [ccw, blue, red]] as const) {
      const frame = frames[0];
      assert.ok(frame);
      assert.deepEqual([frame.width, frame.height], [32, 64]);
      assertColour(pixel(frame, 16, 4), top, LOSSY_CHANNEL_TOLERANCE);
      assertColour(pixel(frame, 16, 60), bottom, LOSSY_CHANNEL_TOLERANCE);
    }
  });

  it('drops the alpha channel of a video with alpha', async () => {
    const info = await probeClip(at('alpha.mov'));
    const frames = await decodeFrames(info, { maxSide: 16, maxFrames: 10 });
    assert.equal(frames.length, 5);
    const first = frames[0] as RgbFrame;
    assert.deepEqual([first.data.length, pixel(first, 8, 8)], [768, [255, 0, 0]]);
  });

  it('returns the frames decoded before a file is cut short', async () => {
    const info = await probeClip(at('cut-short.mp4'));
    const frames = await decodeFrames(info, { maxSide: 128, maxFrames: 50 });
    assert.ok(frames.length >= 1 && frames.length < 50, `${frames.length} frames`);
  });

  it('refuses a file list even when handed a ClipInfo that skipped the probe', async () => {
    const forged: ClipInfo = {
      path: at('list.mp4'), kind: 'video', width: 64, height: 48, durationSec: 2, fps: 25,
      frameCount: 50, rotationDeg: 0,
    };
    await assertClipError(decodeFrames(forged, { maxSide: 64, maxFrames: 5 }), at('list.mp4'),
      /^refused container format/);
  });

  it('decodes ten frames of a shared clip at 128 pixels', async () => {
    const info = await probeClip(SHARED_CLIP);
    const frames = await decodeFrames(info, { maxSide: 128, maxFrames: 10 });
    assert.equal(frames.length, 10);
    assert.deepEqual([frames[0]?.width, frames[0]?.height], [128, 128]);
  });
});

describe('images', () => {
  it('probes an image as one upright frame', async () => {
    const info = await probeClip(at('exif-rotated.jpg'));
    assert.deepEqual(
      [info.kind, info.width, info.height, info.frameCount, info.rotationDeg],
      ['image', 20, 40, 1, 90],
    );
    const [frame] = await decodeFrames(info, { maxSide: 100, maxFrames: 5 });
    assert.deepEqual([frame?.width, frame?.height, frame?.index], [20, 40, 0]);
  });

  it('drops alpha and expands grey to three channels', async () => {
    const [alpha] = await decodeFrames(await probeClip(at('alpha.png')), {
      maxSide: 20, maxFrames: 1,
    });
    assert.deepEqual([alpha?.width, alpha?.height, alpha?.data.length], [20, 10, 600]);
    assert.deepEqual(pixel(alpha as RgbFrame, 5, 5), [255, 0, 0]);
    const [grey] = await decodeFrames(await probeClip(at('grey.png')), {
      maxSide: 8, maxFrames: 1,
    });
    assert.deepEqual([grey?.data.length, pixel(grey as RgbFrame, 1, 1)], [192, [77, 77, 77]]);
  });

  it('reads a BMP, which sharp cannot, with ffmpeg', async () => {
    const info = await probeClip(at('blue.bmp'));
    assert.deepEqual([info.kind, info.width, info.height], ['image', 24, 12]);
    const [frame] = await decodeFrames(info, { maxSide: 24, maxFrames: 1 });
    assert.deepEqual(pixel(frame as RgbFrame, 3, 3), [0, 0, 255]);
  });
});

describe('runTool', () => {
  it('kills a child that outlives its timeout', async () => {
    const started = Date.now();
    const args = ['-e', 'setTimeout(() => {}, 30000)'];
    const result = await runTool(process.execPath, args, { timeoutMs: 200 });
    assert.deepEqual([result.timedOut, result.exitCode], [true, null]);
    assert.ok(Date.now() - started < 10_000);
  });
});
