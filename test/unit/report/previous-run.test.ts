import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { MreError } from '../../../src/errors.js';
import { resolveCompareDir } from '../../../src/eval/report/previous-run.js';

describe('--compare folder', () => {
  let results: string;
  before(async () => {
    results = await mkdtemp(join(tmpdir(), 'mre-compare-'));
    await mkdir(join(results, 'run-a'));
    await writeFile(join(results, 'run-a', 'results.csv'), 'clip\n');
  });
  after(async () => rm(results, { recursive: true, force: true }));

  it('takes a run name inside the results folder, or an absolute run folder', async () => {
    assert.equal(await resolveCompareDir('run-a', results), join(results, 'run-a'));
    assert.equal(await resolveCompareDir(join(results, 'run-a'), '/elsewhere'),
      join(results, 'run-a'));
  });

  it('names only the folder it looked in for a missing absolute path', async () => {
    const missing = join(results, 'gone');
    await assert.rejects(resolveCompareDir(missing, results), (err: unknown) =>
      err instanceof MreError && err.code === 'USAGE'
      && err.message === `--compare ${missing}: no results.csv there`);
    await assert.rejects(resolveCompareDir('gone', results), (err: unknown) =>
      err instanceof MreError
      && err.message === `--compare gone: no results.csv there or in ${join(results, 'gone')}`);
  });
});
