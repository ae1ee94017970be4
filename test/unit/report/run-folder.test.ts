import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { createRunFolder, formatRunStamp } from '../../../src/eval/report/run-folder.js';

/** 2026-12-04 17:01:02.345 UTC. */
const NOW = new Date(Date.UTC(2026, 11, 4, 17, 1, 2, 345));

let root = '';
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'mre-runs-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('formatRunStamp', () => {
  it('formats UTC time without colons or milliseconds', () => {
    assert.equal(formatRunStamp(NOW), '2026-12-04T170102Z');
  });

  it('pads single-digit fields and uses UTC, not local time', () => {
    assert.equal(formatRunStamp(new Date('2027-01-02T03:04:05+02:00')), '2027-01-02T010405Z');
  });

  it('rejects an invalid date', () => {
    assert.throws(() => formatRunStamp(new Date(Number.NaN)), /not a valid date/);
  });
});

describe('createRunFolder', () => {
  it('creates the results folder and the stamp folder inside it', async () => {
    const results = join(root, 'a', 'results');
    const folder = await createRunFolder(results, NOW);
    assert.deepEqual(folder, { name: '2026-12-04T170102Z', dir: join(results,
      '2026-12-04T170102Z') });
    assert.deepEqual(await readdir(folder.dir), []);
  });

  it('adds -2, then -3, when the stamp is taken, leaving existing runs untouched', async () => {
    const results = join(root, 'b');
    await mkdir(join(results, '2026-12-04T170102Z'), { recursive: true });
    await writeFile(join(results, '2026-12-04T170102Z', 'results.csv'), 'old');
    const second = await createRunFolder(results, NOW);
    const third = await createRunFolder(results, NOW);
    assert.equal(second.name, '2026-12-04T170102Z-2');
    assert.equal(third.name, '2026-12-04T170102Z-3');
    assert.deepEqual(await readdir(join(results, '2026-12-04T170102Z')), ['results.csv']);
  });

  it('skips a name taken by a file as well as by a folder', async () => {
    const results = join(root, 'c');
    await mkdir(results);
    await writeFile(join(results, '2026-12-04T170102Z'), '');
    assert.equal((await createRunFolder(results, NOW)).name, '2026-12-04T170102Z-2');
  });

  it('gives two concurrent runs in the same second different folders', async () => {
    const results = join(root, 'd');
    const names = (await Promise.all([1, 2, 3].map(() => createRunFolder(results, NOW))))
      .map((f) => f.name).sort();
    assert.deepEqual(names, ['2026-12-04T170102Z', '2026-12-04T170102Z-2',
      '2026-12-04T170102Z-3']);
  });
});
