/**
 * The checks probeClip makes before it runs ffprobe: they need no ffmpeg, only links and files
 * in a temp folder.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { MreError } from '../../../src/errors.js';
import { probeClip } from '../../../src/video/probe-clip.js';

let root = '';

const at = (name: string): string => path.join(root, name);

before(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'mre-probe-'));
  await symlink('self.mp4', at('self.mp4'));
  await symlink('pong.mp4', at('ping.mp4'));
  await symlink('ping.mp4', at('pong.mp4'));
  await symlink('gone.mp4', at('dangling.mp4'));
});

after(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Asserts that probing `name` fails with a clip error naming the file and `cause`. */
async function assertProbeFails(name: string, cause: string): Promise<void> {
  await assert.rejects(probeClip(at(name)), (err: unknown) => {
    assert.ok(err instanceof MreError);
    assert.equal(err.code, 'CLIP');
    assert.equal(err.file, at(name));
    assert.equal(err.message, `${at(name)}: ${cause}`);
    return true;
  });
}

describe('probeClip on links that lead nowhere', () => {
  it('says symbolic link loop for a link to itself', async () => {
    await assertProbeFails('self.mp4', 'symbolic link loop');
  });

  it('says symbolic link loop for two links pointing at each other', async () => {
    await assertProbeFails('ping.mp4', 'symbolic link loop');
    await assertProbeFails('pong.mp4', 'symbolic link loop');
  });

  it('still says broken symbolic link for a link whose target is missing', async () => {
    await assertProbeFails('dangling.mp4', 'broken symbolic link');
  });

  it('says symbolic link loop for a path that goes through a looping folder link', async () => {
    await assertProbeFails(path.join('self.mp4', 'inner.mp4'), 'symbolic link loop');
  });
});
