import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { runValidate, type ValidateDeps } from '../../../src/cli/validate-command.js';
import type { MainJobRequest, MainJobResult } from '../../../src/eval/report/validate-run.js';
import type { Logger } from '../../../src/log.js';
import type { ResultRow } from '../../../src/pipeline/rows.js';
import { makeFakeMetrics, makeFakeRows, makeOkRow } from './fake-run.js';

/** First run: 2026-12-04 17:01:02 UTC; the next runs are a day apart. */
const DAY_MS = 24 * 60 * 60 * 1000;
const FIRST_RUN = Date.UTC(2026, 11, 4, 17, 1, 2);

const RUN_FILES = [
  'confusion-matrix.png', 'confusion-matrix.svg', 'metrics.json', 'per-class-accuracy.png',
  'per-class-accuracy.svg', 'report.html', 'results.csv',
];

interface Harness {
  deps: ValidateDeps;
  stdout: string[];
  errors: string[];
  jobs: MainJobRequest[];
}

interface HarnessOptions {
  rows?: ResultRow[];
  at?: number;
  fail?: Error;
  result?: Partial<MainJobResult>;
}

function makeHarness(options: HarnessOptions = {}): Harness {
  const stdout: string[] = [];
  const errors: string[] = [];
  const jobs: MainJobRequest[] = [];
  const logger: Logger = { error: (m) => errors.push(m), warn: (m) => errors.push(m),
    info: () => undefined, debug: () => undefined };
  const rows = options.rows ?? makeFakeRows();
  const deps: ValidateDeps = {
    runMainJob: async (request) => {
      jobs.push(request);
      if (options.fail !== undefined) throw options.fail;
      return { rows, metrics: makeFakeMetrics(rows), seconds: 12.5, ...options.result };
    },
    now: () => new Date(options.at ?? FIRST_RUN),
    writeStdout: (text) => stdout.push(text),
    logger,
  };
  return { deps, stdout, errors, jobs };
}

let root = '';
let data = '';
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'mre-validate-'));
  data = join(root, 'val');
  await mkdir(data);
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

async function readHistoryLines(results: string): Promise<string[]> {
  return (await readFile(join(results, 'history.csv'), 'utf8')).trimEnd().split('\n');
}

describe('runValidate', () => {
  it('writes a run folder, one history line and a PASS summary, exiting 0', async () => {
    const results = join(root, 'r1');
    const h = makeHarness();
    const code = await runValidate({ root: data, results }, h.deps);
    assert.equal(code, 0);
    const dir = join(results, '2026-12-04T170102Z');
    assert.deepEqual(h.stdout, [`validate: PASS accuracy 0.6190 (13/21) mean-class 0.6190 ` +
      `failures 1/22 -> ${dir}\n`]);
    assert.deepEqual((await readdir(dir)).sort(), RUN_FILES);
    assert.deepEqual(await readHistoryLines(results), [
      'time,run,model_sha256,accuracy,mean_class_accuracy,clips,failures,seconds',
      `2026-12-04T17:01:02.000Z,2026-12-04T170102Z,${'ab'.repeat(32)},0.6190,0.6190,22,1,12.5`,
    ]);
    assert.deepEqual(h.jobs.map((j) => [j.root, j.model]), [[data, null]]);
    assert.match(await readFile(join(dir, 'report.html'), 'utf8'), /No earlier run/);
  });

  it('compares with the previous run in history and lists the changed clip', async () => {
    const results = join(root, 'r2');
    await runValidate({ root: data, results }, makeHarness().deps);
    const rows = makeFakeRows().map((r) => (r.clip === 'val/Fear/M030.mp4'
      ? makeOkRow(r.clip, 'fear', 'fear') : r));
    const code = await runValidate({ root: data, results },
      makeHarness({ rows, at: FIRST_RUN + DAY_MS }).deps);
    assert.equal(code, 0);
    const html = await readFile(join(results, '2026-12-05T170102Z', 'report.html'), 'utf8');
    assert.match(html, /accuracy 0\.6190 → 0\.6667 \(<strong>\+0\.0476<\/strong>\)/);
    assert.match(html, /<td>val\/Fear\/M030\.mp4<\/td><td>fear<\/td><td>surprise<\/td>/);
    assert.equal((await readHistoryLines(results)).length, 3);
  });

  it('adds -2 to a second run in the same second and never overwrites the first', async () => {
    const results = join(root, 'r3');
    await runValidate({ root: data, results }, makeHarness().deps);
    const h = makeHarness();
    await runValidate({ root: data, results }, h.deps);
    assert.match(h.stdout[0] ?? '', /-> .*2026-12-04T170102Z-2\n$/);
    assert.deepEqual((await readdir(results)).sort(),
      ['2026-12-04T170102Z', '2026-12-04T170102Z-2', 'history.csv']);
  });

  it('exits 3 with a FAIL summary under --fail-under, still recording the run', async () => {
    const results = join(root, 'r4');
    const h = makeHarness();
    const code = await runValidate({ root: data, results, failUnder: 0.7 }, h.deps);
    assert.equal(code, 3);
    assert.match(h.stdout[0] ?? '', /^validate: FAIL .* \(accuracy 0\.6190 < 0\.7000\)\n$/);
    assert.equal((await readHistoryLines(results)).length, 2);
  });

  it('exits 3 when the share of errors is over --max-failure-rate', async () => {
    const h = makeHarness();
    const code = await runValidate({ root: data, results: join(root, 'r5'),
      maxFailureRate: 0.01 }, h.deps);
    assert.equal(code, 3);
    assert.match(h.stdout[0] ?? '', /\(failure rate 0\.0455 > 0\.0100\)\n$/);
  });

  it('exits 2 on a bad flag without running the job or writing anything', async () => {
    const results = join(root, 'r6');
    const h = makeHarness();
    assert.equal(await runValidate({ root: data, results, failUnder: 'high' }, h.deps), 2);
    assert.deepEqual([h.jobs.length, h.stdout.length], [0, 0]);
    assert.match(h.errors[0] ?? '', /--fail-under must be a number from 0 to 1/);
    await assert.rejects(readdir(results), { code: 'ENOENT' });
  });

  it('exits 2 before the job when the root is not a folder', async () => {
    const h = makeHarness();
    assert.equal(await runValidate({ root: join(root, 'missing') }, h.deps), 2);
    assert.equal(h.jobs.length, 0);
  });

  it('exits 2 before the job when --compare names no run', async () => {
    const h = makeHarness();
    const code = await runValidate({ root: data, results: join(root, 'r7'), compare: 'nope' },
      h.deps);
    assert.equal(code, 2);
    assert.equal(h.jobs.length, 0);
    assert.match(h.errors[0] ?? '', /--compare nope: no results\.csv/);
  });

  it('accepts a run name inside the results folder as --compare', async () => {
    const results = join(root, 'r8');
    await runValidate({ root: data, results }, makeHarness().deps);
    await runValidate({ root: data, results }, makeHarness({ at: FIRST_RUN + DAY_MS }).deps);
    const code = await runValidate({ root: data, results, compare: '2026-12-04T170102Z' },
      makeHarness({ at: FIRST_RUN + 2 * DAY_MS }).deps);
    assert.equal(code, 0);
    const html = await readFile(join(results, '2026-12-06T170102Z', 'report.html'), 'utf8');
    assert.match(html, new RegExp(`Compared with <code>${join(results, '2026-12-04T170102Z')}`));
  });

  it('exits 1 when the job fails, leaving no run folder and no history line', async () => {
    const results = join(root, 'r9');
    const h = makeHarness({ fail: new Error('backend wasm failed to start') });
    assert.equal(await runValidate({ root: data, results }, h.deps), 1);
    assert.deepEqual(h.errors, ['validate: backend wasm failed to start']);
    await assert.rejects(readdir(results), { code: 'ENOENT' });
  });

  it('exits 1 without a run folder when no clip has a known class', async () => {
    const results = join(root, 'r10');
    const h = makeHarness({ result: { metrics: null } });
    assert.equal(await runValidate({ root: data, results }, h.deps), 1);
    assert.match(h.errors[0] ?? '', /no clip under .* has a known class/);
    await assert.rejects(readdir(results), { code: 'ENOENT' });
  });

  it('exits 1 without recording a run the job reports as interrupted', async () => {
    const results = join(root, 'r11');
    const h = makeHarness({ result: { interrupted: true } });
    assert.equal(await runValidate({ root: data, results }, h.deps), 1);
    assert.deepEqual(h.errors, ['validate: the main job was interrupted; no run was recorded']);
  });
});
