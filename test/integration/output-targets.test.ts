import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import sharp from 'sharp';

import { resolveMainOptions } from '../../src/config/main-options.js';
import { cropFolderName, runMainJob } from '../../src/pipeline/run-job.js';
import { HAPPY_ENGINE } from '../support/happy-engine.js';

async function makeFolder(): Promise<{ dir: string; image: string }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'mre-targets-'));
  const image = path.join(dir, 'face.png');
  const pixels = { create: { width: 16, height: 16, channels: 3 as const, background: '#888' } };
  await sharp(pixels).png().toFile(image);
  return { dir, image };
}

function run(inputs: string[], flags: Record<string, unknown>) {
  const options = resolveMainOptions({ inputs, ...flags });
  return runMainJob(options, { engine: HAPPY_ENGINE });
}

test('an output that is a pipe or a symbolic link is refused, not replaced', async () => {
  const { dir, image } = await makeFolder();
  const fifo = path.join(dir, 'out.fifo');
  execFileSync('mkfifo', [fifo]);
  await assert.rejects(run([image], { out: fifo }), /not a regular file/);
  const link = path.join(dir, 'link.csv');
  await writeFile(path.join(dir, 'real.csv'), 'keep');
  await symlink(path.join(dir, 'real.csv'), link);
  await assert.rejects(run([image], { out: link }), /is a symbolic link/);
  assert.equal(await readFile(path.join(dir, 'real.csv'), 'utf8'), 'keep');
});

test('a --save-crops path that is a file fails before any clip is classified', async () => {
  const { dir, image } = await makeFolder();
  const out = path.join(dir, 'r.csv');
  await assert.rejects(run([image], { out, saveCrops: image }), /is a file, expected a folder/);
  assert.deepEqual((await readdir(dir)).sort(), ['face.png']);
});

test('crop folders of paths that flatten alike are different', () => {
  assert.notEqual(cropFolderName('x/a/b.mp4'), cropFolderName('x__a/b.mp4'));
  assert.match(cropFolderName('x/a/b.mp4'), /^x__a__b\.mp4-[0-9a-f]{8}$/);
});

test('a journal of an interrupted run is kept aside when a new run starts without --resume',
  async () => {
    const { dir, image } = await makeFolder();
    const out = path.join(dir, 'r.csv');
    await writeFile(`${out}.journal`, '{"clip":"old.mp4"}\n');
    const result = await run([image], { out });
    assert.equal(result.rows.length, 1);
    const names = await readdir(dir);
    const aside = names.filter((n) => n.startsWith('r.csv.journal.') && n.endsWith('.bak'));
    assert.equal(aside.length, 1);
    assert.equal(await readFile(path.join(dir, aside[0]!), 'utf8'), '{"clip":"old.mp4"}\n');
  });
