import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, before, test } from 'node:test';

import { collectInputs, isMediaFile } from '../../../src/pipeline/inputs.js';

let root = '';

/** Creates an empty file, making its folders. */
async function touch(file: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, '');
}

before(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'mre-inputs-'));
  const set = path.join(root, 'set');
  await touch(path.join(set, 'Happy', 'b.MP4'));
  await touch(path.join(set, 'Happy', 'a.avi'));
  await touch(path.join(set, 'Angry', 'c.jpeg'));
  await touch(path.join(set, 'Angry', 'notes.txt'));
  await touch(path.join(set, 'Angry', '.hidden.mp4'));
  await touch(path.join(set, '.cache', 'x.mp4'));
  await touch(path.join(set, 'z.gif'));
  await touch(path.join(root, 'outside', 'o.webm'));
  await touch(path.join(root, 'readme.md'));
  await symlink(path.join(root, 'outside', 'o.webm'), path.join(set, 'Happy', 'link.webm'));
  await symlink(path.join(root, 'missing.mp4'), path.join(set, 'Happy', 'dead.mp4'));
  await symlink(path.join(root, 'missing.txt'), path.join(set, 'Happy', 'dead.txt'));
  await symlink('..', path.join(set, 'Angry', 'loop'));
  await mkdir(path.join(root, 'folder.mp4'));
  await touch(path.join(root, 'folder.mp4', 'inner.mov'));
});

after(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Paths relative to the temp root, for readable assertions. */
function relative(clips: string[]): string[] {
  return clips.map((clip) => path.relative(root, clip));
}

test('a folder is walked in name order for media files, hidden ones skipped', async () => {
  const { clips, problems } = await collectInputs([path.join(root, 'set')]);
  assert.deepEqual(problems, []);
  assert.deepEqual(relative(clips), [
    'set/Angry/c.jpeg',
    'set/Happy/a.avi',
    'set/Happy/b.MP4',
    'set/Happy/dead.mp4',
    'set/Happy/link.webm',
    'set/z.gif',
  ]);
});

test('a folder symlink loop ends and links are kept as paths, not resolved', async () => {
  const { clips } = await collectInputs([path.join(root, 'set', 'Angry')]);
  assert.deepEqual(relative(clips), [
    'set/Angry/c.jpeg',
    'set/Angry/loop/Happy/a.avi',
    'set/Angry/loop/Happy/b.MP4',
    'set/Angry/loop/Happy/dead.mp4',
    'set/Angry/loop/Happy/link.webm',
    'set/Angry/loop/z.gif',
  ]);
});

test('a named file is a clip whatever its extension, a folder whatever its name', async () => {
  const args = [path.join(root, 'readme.md'), path.join(root, 'folder.mp4')];
  const { clips } = await collectInputs(args);
  assert.deepEqual(relative(clips), ['readme.md', 'folder.mp4/inner.mov']);
});

test('a broken link named directly is kept as a clip for the pipeline to report', async () => {
  const dead = path.join(root, 'set', 'Happy', 'dead.txt');
  const { clips, problems } = await collectInputs([dead]);
  assert.deepEqual(clips, [dead]);
  assert.deepEqual(problems, []);
});

test('a missing named path is a problem, not a clip', async () => {
  const missing = path.join(root, 'nope.mp4');
  const { clips, problems } = await collectInputs([missing]);
  assert.deepEqual(clips, []);
  assert.deepEqual(problems, [{ path: missing, error: 'file not found' }]);
});

test('the same path twice, named or walked, gives one clip', async () => {
  const a = path.join(root, 'set', 'Happy', 'a.avi');
  const { clips } = await collectInputs([a, path.join(root, 'set', 'Happy'), a]);
  assert.equal(clips.filter((c) => c === a).length, 1);
  assert.equal(clips[0], a);
});

test('- reads paths from stdin, CRLF and blank lines tolerated', async () => {
  const a = path.join(root, 'set', 'Happy', 'a.avi');
  const stdin = Readable.from([`${a}\r\n\r\n   \n`, `${path.join(root, 'outside')}\n`]);
  const { clips } = await collectInputs(['-'], { stdin });
  assert.deepEqual(relative(clips), ['set/Happy/a.avi', 'outside/o.webm']);
});

test('media extensions are matched case-insensitively', () => {
  assert.ok(isMediaFile('X.MKV'));
  assert.ok(isMediaFile('a.TiFf'));
  assert.ok(isMediaFile('stream.ts'));
  assert.ok(!isMediaFile('a.txt'));
  assert.ok(!isMediaFile('mp4'));
});
