/**
 * Awkward and hostile inputs through the real CLI: every input is built in a temp folder, the
 * CLI runs once over all of them, and each test checks one row (or the frames of one clip).
 */
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';

import { CLASSES } from '../../src/classes.js';
import { parseCsv } from '../../src/pipeline/csv.js';
import { parseResultsFile, type ResultRow } from '../../src/pipeline/rows.js';
import { cliFromSourceArgs } from '../support/cli-from-source.js';
import { SHARED_DATA } from '../support/shared-data.js';

const run = promisify(execFile);
const ffmpegPath = (createRequire(import.meta.url)('@ffmpeg-installer/ffmpeg') as {
  path: string;
}).path;

/** The CLI's entry, run from source through tsx so no build is needed. */
/** Time allowed to build one fixture with ffmpeg, in milliseconds. */
const FIXTURE_TIMEOUT_MS = 60_000;
/** Time allowed for the one CLI run over every input, in milliseconds. */
const CLI_TIMEOUT_MS = 300_000;
/** A face clip of the shared validation set (256x256, 25 fps, about 4 s). */
const FACE_CLIP = `${SHARED_DATA}/clips/val/Happy/M030_front_happy_level3_001.mp4`;
/** A second actor, for the two-faces clip. */
const OTHER_FACE_CLIP = `${SHARED_DATA}/clips/val/Sad/W009_front_sad_level3_001.mp4`;
/** Most the mean face-box centre of the rotated clip may differ from the upright one, in px. */
const BOX_CENTRE_TOLERANCE_PX = 12;
/** Most a clip score may differ from the mean of its used frame scores (6-decimal rounding). */
const MEAN_SCORE_TOLERANCE = 2e-6;

/** An input named on the command line: a playlist, which walking a folder would skip. */
const NAMED_INPUT = 'playlist.m3u8';

/** Odd file names, each a copy of the short face clip. */
const ODD_NAMES = ['with space.mp4', 'it\'s "quoted".mp4', 'ünïcödé 日本.mp4', 'emoji 😀🎬.mp4'];

let root = '';
let inputs = '';
let rows = new Map<string, ResultRow>();
let frames: string[][] = [];
let outText = '';
let exitCode: number | null = null;
let stderr = '';

/** Runs ffmpeg (quiet, overwriting) to build one fixture. */
async function ffmpeg(...args: string[]): Promise<void> {
  const base = ['-hide_banner', '-loglevel', 'error', '-nostdin', '-y'];
  await run(ffmpegPath, [...base, ...args], { timeout: FIXTURE_TIMEOUT_MS });
}

const at = (name: string): string => join(inputs, name);
const h264 = ['-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-preset', 'veryfast'];

/** Videos made from the shared face clip by ffmpeg. */
async function buildFaceVideos(): Promise<void> {
  await Promise.all([
    copyFile(FACE_CLIP, at('plain.mp4')),
    ffmpeg('-i', FACE_CLIP, '-t', '0.2', ...h264, at('short.mp4')),
    ffmpeg('-i', FACE_CLIP, '-frames:v', '1', ...h264, at('one-frame.mp4')),
  ]);
  // Pixels turned a quarter clockwise (face on the left before turning), then tagged
  // rotate=90, which this ffmpeg stores as a quarter turn back, so players show it upright.
  const turned = join(root, 'turned.mp4');
  await ffmpeg('-i', FACE_CLIP, '-vf', 'pad=384:256:0:0,transpose=1', ...h264, turned);
  await ffmpeg('-i', turned, '-c', 'copy', '-metadata:s:v:0', 'rotate=90', at('rotated.mp4'));
  await Promise.all([
    ffmpeg('-i', FACE_CLIP, '-t', '1.5', '-vf', 'format=rgba', '-c:v', 'png', at('alpha.mov')),
    ffmpeg('-i', FACE_CLIP, '-t', '1.5', '-vf', 'format=gray', '-c:v', 'ffv1', at('grey.mkv')),
    ffmpeg('-i', FACE_CLIP, '-i', OTHER_FACE_CLIP, '-filter_complex', 'hstack', '-t', '2',
      ...h264, at('two-faces.mp4')),
  ]);
  const graph = '[0:v]format=yuv420p,setsar=1[b];[1:v]format=yuv420p,setsar=1[f];' +
    '[b][f]concat=n=2:v=1:a=0';
  await ffmpeg('-f', 'lavfi', '-i', 'color=black:s=256x256:r=25:d=1.6', '-t', '3.2',
    '-i', FACE_CLIP, '-filter_complex', graph, ...h264, at('black-then-face.mp4'));
}

/** Videos without a face and files that are not usable videos. */
async function buildBadFiles(): Promise<void> {
  await Promise.all([
    ffmpeg('-f', 'lavfi', '-i', 'color=black:s=128x128:r=25:d=1', ...h264, at('no-face.mp4')),
    ffmpeg('-f', 'lavfi', '-i', 'sine=frequency=440:duration=1', '-c:a', 'aac',
      at('audio-only.mp4')),
  ]);
  const whole = await readFile(FACE_CLIP);
  await writeFile(at('empty.mp4'), '');
  await writeFile(at('truncated.mp4'), whole.subarray(0, Math.floor(whole.length / 2)));
  await writeFile(at('notes.mp4'), 'Minutes of the meeting, not a video.\n'.repeat(40));
  await symlink(join(root, 'gone.mp4'), at('broken-link.mp4'));
}

/** Inputs that would make ffmpeg read another file, and odd names. */
async function buildUntrustedFiles(): Promise<void> {
  const secret = join(root, 'elsewhere', 'secret.mp4');
  await mkdir(join(root, 'elsewhere'));
  await copyFile(FACE_CLIP, secret);
  await writeFile(at('list.mp4'), `ffconcat version 1.0\nfile '${secret}'\n`);
  const playlist = `#EXTM3U\n#EXT-X-TARGETDURATION:5\n#EXTINF:5.0,\nfile:${secret}\n` +
    '#EXT-X-ENDLIST\n';
  await writeFile(at('playlist.m3u8'), playlist);
  await writeFile(at('playlist-named.mp4'), playlist);
  for (const name of [...ODD_NAMES, '-i.mp4']) await copyFile(at('short.mp4'), at(name));
}

/** Runs the CLI from source; resolves with its exit code and stderr. */
function runCli(args: string[], cwd: string): Promise<[number | null, string]> {
  const child = spawn(process.execPath, cliFromSourceArgs(args),
    { cwd, stdio: ['ignore', 'ignore', 'pipe'], timeout: CLI_TIMEOUT_MS });
  let err = '';
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  return new Promise((resolve) => child.on('close', (code) => resolve([code, err])));
}

/** The row of a clip named relative to the input folder. */
function rowOf(name: string): ResultRow {
  const row = rows.get(name);
  assert.ok(row, `no row for ${name}; rows: ${[...rows.keys()].join(' | ')}`);
  return row;
}

/** The frame records (CSV fields) of one clip. */
function framesOf(name: string): string[][] {
  return frames.filter((fields) => fields[0] === name);
}

/** Asserts a failure row: the status, the cause, and no label, scores or frames. */
function assertFailed(name: string, status: 'error' | 'no_face', cause: string | RegExp): void {
  const row = rowOf(name);
  assert.equal(row.status, status, `${name}: ${row.error ?? ''}`);
  if (typeof cause === 'string') assert.equal(row.error, cause);
  else assert.match(row.error ?? '', cause);
  assert.equal(row.label, null);
  assert.equal(row.confidence, null);
  assert.equal(row.scores, null);
  assert.equal(row.frames, 0);
}

/** Asserts a classified row with one face. */
function assertFaceFound(name: string): ResultRow {
  const row = rowOf(name);
  assert.equal(row.status, 'ok', `${name}: ${row.error ?? ''}`);
  assert.equal(row.faces, 1);
  assert.ok(row.frames >= 1, `${name}: ${row.frames} frames`);
  assert.ok(row.scores?.every(Number.isFinite), `${name}: scores ${String(row.scores)}`);
  return row;
}

/** Mean face-box centre [x, y] over a clip's frames that have a face. */
function meanBoxCentre(name: string): [number, number] {
  const boxes = framesOf(name).filter((f) => f[3] !== '').map((f) => f.slice(3, 7).map(Number));
  assert.ok(boxes.length > 0, `${name}: no face boxes`);
  const sum = boxes.reduce((s, [x, y, w, h]) => [s[0]! + x! + w! / 2, s[1]! + y! + h! / 2], [0, 0]);
  return [sum[0]! / boxes.length, sum[1]! / boxes.length];
}

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'mre-bad-inputs-'));
  inputs = join(root, 'inputs');
  await mkdir(inputs);
  await buildFaceVideos();
  await buildBadFiles();
  await buildUntrustedFiles();

  // One run over the folder, walked as "." so "-i.mp4" reaches ffmpeg as it is named.
  const out = join(root, 'out', 'rows.csv');
  await mkdir(join(root, 'out'));
  const args = ['.', NAMED_INPUT, '--out', out, '--frames', join(root, 'out', 'frames.csv'),
    '--quiet'];
  [exitCode, stderr] = await runCli(args, inputs);
  outText = await readFile(out, 'utf8').catch((err: unknown) => {
    throw new Error(`the CLI exited ${exitCode} without output: ${stderr}`, { cause: err });
  });
  rows = new Map(parseResultsFile(outText, 'csv').map((row) => [row.clip, row]));
  frames = parseCsv(await readFile(join(root, 'out', 'frames.csv'), 'utf8')).slice(1)
    .map((record) => record.fields);
});

after(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('one CLI run over awkward inputs', () => {
  it('exits 0 and writes one row for each input', () => {
    assert.equal(exitCode, 0, stderr);
    const names = [
      'alpha.mov', 'audio-only.mp4', 'black-then-face.mp4', 'broken-link.mp4', 'empty.mp4',
      'grey.mkv', 'list.mp4', 'no-face.mp4', 'notes.mp4', 'one-frame.mp4', 'plain.mp4',
      'playlist-named.mp4', 'rotated.mp4', 'short.mp4', 'truncated.mp4', 'two-faces.mp4',
      ...ODD_NAMES, '-i.mp4', NAMED_INPUT,
    ];
    assert.deepEqual([...rows.keys()].sort(), names.sort());
  });

  it('never writes NaN or Infinity anywhere in the output', () => {
    assert.doesNotMatch(outText, /NaN|Infinity/);
  });
});

describe('videos whose face must still be found', () => {
  it('decodes a phone clip with rotation metadata upright, the face where it is unrotated', () => {
    assertFaceFound('rotated.mp4');
    const [x, y] = meanBoxCentre('rotated.mp4');
    const [x0, y0] = meanBoxCentre('plain.mp4');
    assert.ok(Math.abs(x - x0) <= BOX_CENTRE_TOLERANCE_PX, `centre x ${x} vs ${x0}`);
    assert.ok(Math.abs(y - y0) <= BOX_CENTRE_TOLERANCE_PX, `centre y ${y} vs ${y0}`);
  });

  it('classifies a clip of 0.2 s (5 frames)', () => {
    assertFaceFound('short.mp4');
    assert.equal(framesOf('short.mp4').length, 5);
  });

  it('classifies a clip of a single frame from its one frame', () => {
    assert.equal(assertFaceFound('one-frame.mp4').frames, 1);
  });

  it('finds the face in a video with an alpha channel', () => {
    assertFaceFound('alpha.mov');
  });

  it('finds the face in a greyscale video', () => {
    assertFaceFound('grey.mkv');
  });

  it('averages a clip over its face frames only when some frames have no face', () => {
    const row = assertFaceFound('black-then-face.mp4');
    const records = framesOf('black-then-face.mp4');
    const used = records.filter((f) => f.at(-1) === 'true');
    assert.ok(records.some((f) => f[3] === '' && Number(f[1]) < 1.6), 'no black frame examined');
    assert.ok(used.every((f) => f[3] !== '' && Number(f[1]) >= 1.6), 'a faceless frame was used');
    assert.equal(row.frames, used.length);
    CLASSES.forEach((_, c) => {
      const mean = used.reduce((s, f) => s + Number(f[9 + c]), 0) / used.length;
      assert.ok(Math.abs(mean - row.scores![c]!) <= MEAN_SCORE_TOLERANCE, `class ${c}`);
    });
  });

  it('picks one face of two side by side and says it saw 2', () => {
    const row = rowOf('two-faces.mp4');
    assert.equal(row.status, 'ok', row.error ?? '');
    assert.equal(row.faces, 2);
  });

  it('classifies files whose names hold spaces, quotes, unicode, emoji or start with "-"', () => {
    for (const name of [...ODD_NAMES, '-i.mp4']) assertFaceFound(name);
  });
});

describe('inputs that fail, each naming its cause', () => {
  it('gives a clip without any face status no_face, no scores and 0 frames', () => {
    assertFailed('no-face.mp4', 'no_face', /^no clear face in \d+ examined frames$/);
  });

  it('reports a zero-byte file as an empty file', () => {
    assertFailed('empty.mp4', 'error', 'empty file (0 bytes)');
  });

  it('reports a file cut off in the middle as truncated', () => {
    assertFailed('truncated.mp4', 'error', 'truncated file');
  });

  it('reports a text file named .mp4 as not a media file', () => {
    assertFailed('notes.mp4', 'error', 'not a media file');
  });

  it('reports an audio-only file as having no video stream', () => {
    assertFailed('audio-only.mp4', 'error', 'no video stream');
  });

  it('reports a broken symbolic link as such', () => {
    assertFailed('broken-link.mp4', 'error', 'broken symbolic link');
  });
});

describe('files that point at other files', () => {
  /** The cause named for formats that open further files. */
  const REFUSED = /^refused container format/;

  it('does not follow a concat list named .mp4 to another local file', () => {
    assertFailed('list.mp4', 'error', REFUSED);
  });

  it('does not follow an m3u8 playlist to another local file', () => {
    assertFailed(NAMED_INPUT, 'error', REFUSED);
    // named .mp4, no allowed demuxer recognises it (the playlist one is not allowed)
    assertFailed('playlist-named.mp4', 'error', 'not a media file');
  });
});
