import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { MreError } from '../../../src/errors.js';
import { tempPathBeside, writeFileAtomic } from '../../../src/pipeline/write-file-atomic.js';

let dir = '';

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'mre-atomic-'));
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('the temp file is hidden and in the same folder as the target', () => {
  const temp = tempPathBeside('/a/b/metrics.json');
  assert.equal(path.dirname(temp), '/a/b');
  assert.match(path.basename(temp), /^\.metrics\.json\.\d+\.[0-9a-f]{12}\.tmp$/);
});

test('a file is replaced whole and no temp file is left behind', async () => {
  const file = path.join(dir, 'metrics.json');
  await writeFile(file, 'old');
  await writeFileAtomic(file, '{"accuracy":0.5}\n');
  assert.equal(await readFile(file, 'utf8'), '{"accuracy":0.5}\n');
  assert.deepEqual(await readdir(dir), ['metrics.json']);
});

test('a write into a missing folder fails as an OUTPUT error naming the file', async () => {
  const file = path.join(dir, 'missing', 'x.json');
  await assert.rejects(
    writeFileAtomic(file, 'x'),
    (err: unknown) => err instanceof MreError && err.code === 'OUTPUT' && err.file === file,
  );
});
