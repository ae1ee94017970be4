import assert from 'node:assert/strict';
import type { Dirent } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
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
  await touch(path.join(root, 'guarded', 'open', 'o.mp4'));
  await touch(path.join(root, 'guarded', 'shut', 's.mp4'));
  await touch(path.join(root, 'guarded', 'z.mp4'));
  await mkdir(path.join(root, 'loops'));
  await symlink('b.mp4', path.join(root, 'loops', 'a.mp4'));
  await symlink('a.mp4', path.join(root, 'loops', 'b.mp4'));
  await symlink('self', path.join(root, 'loops', 'self'));
});

after(async () => {
  await chmod(path.join(root, 'guarded', 'shut'), 0o755).catch(() => undefined);
  await rm(root, { recursive: true, force: true });
});

/** The error readdir rejects with for a folder the user may not read. */
function permissionDenied(folder: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`EACCES: permission denied, scandir '${folder}'`), {
    errno: -13, code: 'EACCES', syscall: 'scandir', path: folder,
  });
}

/** A folder lister that fails for `shut` as a folder of mode 000 does, and reads the rest. */
function listDenying(shut: string): (folder: string) => Promise<Dirent[]> {
  return async (folder) => {
    if (folder === shut) throw permissionDenied(folder);
    return readdir(folder, { withFileTypes: true });
  };
}

/** Whether this process is root, which reads any folder whatever its mode. */
const RUNS_AS_ROOT = process.getuid?.() === 0;

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

test('a folder symlink loop ends, is reported, and links are kept as paths', async () => {
  const { clips, repeats } = await collectInputs([path.join(root, 'set', 'Angry')]);
  assert.deepEqual(repeats.map((r) => relative([r.path, r.walkedAs])),
    [['set/Angry/loop/Angry', 'set/Angry']]);
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

test('an unreadable folder is a problem saying permission denied; the walk goes on', async () => {
  const guarded = path.join(root, 'guarded');
  const shut = path.join(guarded, 'shut');
  const { clips, problems } = await collectInputs([guarded], { listFolder: listDenying(shut) });
  assert.deepEqual(problems, [{ path: shut, error: 'permission denied' }]);
  assert.deepEqual(relative(clips), ['guarded/open/o.mp4', 'guarded/z.mp4']);
});

test('an unreadable folder named among the inputs leaves the other inputs collected',
  async () => {
    const shut = path.join(root, 'guarded', 'shut');
    const open = path.join(root, 'guarded', 'open');
    const { clips, problems } = await collectInputs([shut, open],
      { listFolder: listDenying(shut) });
    assert.deepEqual(problems, [{ path: shut, error: 'permission denied' }]);
    assert.deepEqual(relative(clips), ['guarded/open/o.mp4']);
  });

test('a folder of mode 000 is reported as permission denied',
  { skip: RUNS_AS_ROOT && 'root reads a folder of mode 000; the tests above inject its EACCES' },
  async () => {
    const shut = path.join(root, 'guarded', 'shut');
    await chmod(shut, 0o000);
    try {
      const { clips, problems } = await collectInputs([path.join(root, 'guarded')]);
      assert.deepEqual(problems, [{ path: shut, error: 'permission denied' }]);
      assert.deepEqual(relative(clips), ['guarded/open/o.mp4', 'guarded/z.mp4']);
    } finally {
      await chmod(shut, 0o755);
    }
  });

test('links in a loop found in a folder are clips, for the pipeline to report', async () => {
  const { clips, problems } = await collectInputs([path.join(root, 'loops')]);
  assert.deepEqual(problems, []);
  assert.deepEqual(relative(clips), ['loops/a.mp4', 'loops/b.mp4']);
});

test('a named path that goes through a looping link is a symbolic link loop', async () => {
  const inside = path.join(root, 'loops', 'self', 'x.mp4');
  const { clips, problems } = await collectInputs([inside]);
  assert.deepEqual(clips, []);
  assert.deepEqual(problems, [{ path: inside, error: 'symbolic link loop' }]);
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
