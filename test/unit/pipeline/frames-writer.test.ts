import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';

import { parseCsv } from '../../../src/pipeline/csv.js';
import {
  formatFrameFields,
  openFramesWriter,
  type FrameRow,
} from '../../../src/pipeline/frames-writer.js';

const HEADER =
  'clip,time,frame,x,y,w,h,faces,clarity,angry,disgust,fear,happy,sad,surprise,neutral,used\n';

let dir = '';

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'mre-frames-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A scored frame of `clip` at `index` (25 fps). */
function scoredFrame(clip: string, index: number): FrameRow {
  return {
    clip,
    timeSec: index / 25,
    index,
    face: { box: { x: 10.123, y: 20, width: 100.5, height: 120 }, faceCount: 2 },
    clarity: 0.8765432,
    scores: [0.1, 0.1, 0.1, 0.4, 0.1, 0.1, 0.1],
    used: true,
  };
}

const EMPTY_FRAME: FrameRow = {
  clip: 'z.mp4', timeSec: 0.5, index: 12, face: null, clarity: null, scores: null, used: false,
};

test('a frame row has the time, box, faces, clarity, seven scores and used flag', () => {
  assert.deepEqual(formatFrameFields(scoredFrame('a.mp4', 3)), [
    'a.mp4', '0.12', '3', '10.12', '20', '100.5', '120', '2', '0.876543',
    '0.1', '0.1', '0.1', '0.4', '0.1', '0.1', '0.1', 'true',
  ]);
  assert.deepEqual(formatFrameFields(EMPTY_FRAME), [
    'z.mp4', '0.5', '12', '', '', '', '', '0', '', '', '', '', '', '', '', '', 'false',
  ]);
});

test('clips come out sorted by path with their frames in the order given', async () => {
  const file = path.join(dir, 'frames.csv');
  const writer = await openFramesWriter({ path: file, inputs: [] });
  await writer.writeClip('b.mp4', [scoredFrame('b.mp4', 5), scoredFrame('b.mp4', 1)]);
  await writer.writeClip('a,1.mp4', [scoredFrame('a,1.mp4', 0)]);
  await writer.writeClip('none.mp4', []);
  await writer.finish();
  const text = await readFile(file, 'utf8');
  assert.ok(text.startsWith(HEADER));
  assert.deepEqual(
    parseCsv(text).slice(1).map((r) => r.fields.slice(0, 4)),
    [
      ['a,1.mp4', '0', '0', '10.12'],
      ['b.mp4', '0.2', '5', '10.12'],
      ['b.mp4', '0.04', '1', '10.12'],
    ],
  );
  assert.deepEqual(await readdir(dir), ['frames.csv']);
});

test('resuming keeps frames of clips from the old file and the journal', async () => {
  const file = path.join(dir, 'frames.csv');
  const first = await openFramesWriter({ path: file, inputs: [] });
  await first.writeClip('a.mp4', [scoredFrame('a.mp4', 0)]);
  await first.finish();
  const second = await openFramesWriter({ path: file, inputs: [], resume: true });
  await second.writeClip('c.mp4', [EMPTY_FRAME]);
  await second.abandon();
  await writeFile(`${file}.journal`, '{"clip":"d.mp4","ro', { flag: 'a' });
  const third = await openFramesWriter({ path: file, inputs: [], resume: true });
  await third.writeClip('b.mp4', [scoredFrame('b.mp4', 2)]);
  await third.finish();
  const clips = (await readFile(file, 'utf8')).split('\n').slice(1, -1).map((l) => l.split(',')[0]);
  assert.deepEqual(clips, ['a.mp4', 'b.mp4', 'c.mp4']);
});

test('the frames file may not be an input clip', async () => {
  const clip = path.join(dir, 'clip.mp4');
  await writeFile(clip, 'video');
  await assert.rejects(openFramesWriter({ path: clip, inputs: [clip] }), /refusing to write over/);
  assert.equal(await readFile(clip, 'utf8'), 'video');
});
