/**
 * Nothing is lost: killed and interrupted runs leave a journal that --resume finishes, outputs
 * never land on inputs, inputs are never changed, and --strict fails a run with a bad clip.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';

import { parseResultsFile, type ResultRow } from '../../src/pipeline/rows.js';
import { cliFromSourceArgs } from '../support/cli-from-source.js';
import { SHARED_DATA } from '../support/shared-data.js';

/** The CLI's entry, run from source through tsx so no build is needed. */
/** Time allowed for one CLI run, in milliseconds. */
const CLI_TIMEOUT_MS = 240_000;
/** How often the journal is polled while waiting for rows, in milliseconds. */
const POLL_INTERVAL_MS = 100;
/** Clips under way at once (the default --concurrency). */
const CONCURRENCY = 2;
/** Few frames a clip: these tests are about rows and files, not about the scores. */
const FAST_FLAGS = ['--max-frames', '3', '--min-frames', '1'];
/** The shared validation clips copied as inputs: three happy, three sad (truth from folders). */
const SHARED_VAL = `${SHARED_DATA}/clips/val`;
const CLIP_NAMES = {
  Happy: ['M030_front_happy_level3_001.mp4', 'W009_front_happy_level3_001.mp4',
    'W011_front_happy_level3_001.mp4'],
  Sad: ['M030_front_sad_level3_001.mp4', 'W009_front_sad_level3_001.mp4',
    'W011_front_sad_level3_001.mp4'],
} as const;

let root = '';
let inputs = '';
let clips: string[] = [];
let hashesBefore: string[] = [];

/** A started CLI process with its collected stderr and exit. */
interface CliRun {
  child: ChildProcess;
  stderr: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts the CLI from source in its own process group (as a shell job would be). */
function startCli(args: string[]): CliRun {
  const child = spawn(process.execPath, cliFromSourceArgs([...args, ...FAST_FLAGS]),
    { stdio: ['ignore', 'ignore', 'pipe'], detached: true,
    timeout: CLI_TIMEOUT_MS });
  let err = '';
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })));
  return { child, stderr: () => err, exit };
}

/** Runs the CLI to its end. */
async function runCli(args: string[]): Promise<{ code: number | null; stderr: string }> {
  const run = startCli(args);
  const { code } = await run.exit;
  return { code, stderr: run.stderr() };
}

/** Complete lines of a journal (0 when it does not exist yet). */
async function countJournalRows(file: string): Promise<number> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.split('\n').length - 1;
}

/** Waits until the journal holds at least `rows` rows; fails if the run ends first. */
async function waitForJournal(run: CliRun, file: string, rows: number): Promise<void> {
  let ended = false;
  void run.exit.then(() => (ended = true));
  while ((await countJournalRows(file)) < rows) {
    assert.ok(!ended, `the run ended before ${rows} rows: ${run.stderr()}`);
    await sleep(POLL_INTERVAL_MS);
  }
}

/** SHA-256 of a file, hex. */
async function hashFile(file: string): Promise<string> {
  return createHash('sha256').update(await readFile(file)).digest('hex');
}

/** Rows of a CSV output file. */
async function readRows(file: string): Promise<ResultRow[]> {
  return parseResultsFile(await readFile(file, 'utf8'), 'csv', { file });
}

/** Asserts the output holds exactly one ok row per input clip, sorted, and full metrics. */
async function assertComplete(out: string): Promise<void> {
  const rows = await readRows(out);
  assert.deepEqual(rows.map((row) => row.clip), [...clips].sort());
  for (const row of rows) assert.equal(row.status, 'ok', `${row.clip}: ${row.error ?? ''}`);
  const metrics = JSON.parse(await readFile(`${out}.metrics.json`, 'utf8')) as {
    counts: { clips: number; labelled: number; ok: number };
  };
  assert.deepEqual(
    { clips: metrics.counts.clips, labelled: metrics.counts.labelled, ok: metrics.counts.ok },
    { clips: clips.length, labelled: clips.length, ok: clips.length },
  );
  await assert.rejects(stat(`${out}.journal`), { code: 'ENOENT' });
}

/** Stops a run with `signal` (to its whole process group, like Ctrl-C) after `rows` rows. */
async function interruptAfter(out: string, signal: NodeJS.Signals, rows: number) {
  const run = startCli([inputs, '--out', out, '--quiet']);
  await waitForJournal(run, `${out}.journal`, rows);
  const atSignal = await countJournalRows(`${out}.journal`);
  process.kill(-run.child.pid!, signal);
  const ended = await run.exit;
  return { ...ended, atSignal, stderr: run.stderr() };
}

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'mre-resume-'));
  inputs = join(root, 'clips');
  for (const [folder, names] of Object.entries(CLIP_NAMES)) {
    await mkdir(join(inputs, folder), { recursive: true });
    for (const name of names) {
      await copyFile(join(SHARED_VAL, folder, name), join(inputs, folder, name));
      clips.push(join(inputs, folder, name));
    }
  }
  clips = clips.sort();
  hashesBefore = await Promise.all(clips.map(hashFile));
});

after(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('a run killed part way', () => {
  it('is finished by --resume without losing or repeating a row', async () => {
    const out = join(root, 'killed.csv');
    const run = startCli([inputs, '--out', out, '--quiet']);
    await waitForJournal(run, `${out}.journal`, 2);
    run.child.kill('SIGKILL');
    assert.equal((await run.exit).signal, 'SIGKILL');
    await assert.rejects(stat(out), { code: 'ENOENT' });
    const journaled = await countJournalRows(`${out}.journal`);
    assert.ok(journaled >= 2 && journaled < clips.length, `${journaled} rows journaled`);

    const resumed = await runCli([inputs, '--out', out, '--resume']);
    assert.equal(resumed.code, 0, resumed.stderr);
    const todo = clips.length - journaled;
    assert.match(resumed.stderr, new RegExp(`resume: ${journaled} clips done, ${todo} to do`));
    await assertComplete(out);
  });
});

/** Clips that may start between counting the journal and the signal taking effect. */
const SIGNAL_RACE_CLIPS = 1;

describe('a run stopped by a signal', () => {
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    it(`starts no new clip after ${signal}, keeps its rows, exits ${code}`, async () => {
      const out = join(root, `${signal}.csv`);
      const stopped = await interruptAfter(out, signal, 1);
      assert.equal(stopped.code, code, stopped.stderr);
      const kept = await countJournalRows(`${out}.journal`);
      // the rows under way may finish, and one more clip may start while the signal is in
      // flight (the journal is counted just before it is sent, on a loaded machine)
      const allowed = stopped.atSignal + CONCURRENCY + SIGNAL_RACE_CLIPS;
      assert.ok(kept >= stopped.atSignal && kept <= allowed,
        `${kept} rows kept, ${stopped.atSignal} at the signal`);
      assert.ok(kept < clips.length, 'every clip was done before the signal took effect');
      await assert.rejects(stat(out), { code: 'ENOENT' });

      const resumed = await runCli([inputs, '--out', out, '--resume', '--quiet']);
      assert.equal(resumed.code, 0, resumed.stderr);
      await assertComplete(out);
    });
  }
});

describe('outputs that would overwrite something', () => {
  const first = (): string => clips[0]!;

  it('refuses --out naming an input clip, exiting 1 before any work', async () => {
    const result = await runCli([inputs, '--out', first()]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /refusing to write over the input clip/);
  });

  it('refuses --frames naming an input clip', async () => {
    const result = await runCli([inputs, '--out', join(root, 'x.csv'), '--frames', first()]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /refusing to write over the input clip/);
  });

  it('refuses --frames naming the output or its metrics file', async () => {
    const out = join(root, 'same.csv');
    for (const frames of [out, `${out}.metrics.json`]) {
      const result = await runCli([inputs, '--out', out, '--frames', frames]);
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, /--frames .* is the same file as --out/);
    }
  });

  it('refuses --out naming the --labels file', async () => {
    const labels = join(root, 'labels.csv');
    await writeFile(labels, `path,label\n${first()},happy\n`);
    const result = await runCli([inputs, '--out', labels, '--labels', labels]);
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /--out .*labels\.csv is the same file as --labels/);
    assert.equal(await readFile(labels, 'utf8'), `path,label\n${first()},happy\n`);
  });

  it('left every input byte for byte as it was', async () => {
    assert.deepEqual(await Promise.all(clips.map(hashFile)), hashesBefore);
  });
});

describe('a clip that ended in error', () => {
  it('makes --strict exit 1, saying why, and leaves exit 0 without it', async () => {
    const folder = join(root, 'with-bad');
    await mkdir(folder);
    await writeFile(join(folder, 'empty.mp4'), '');
    const out = join(root, 'strict.csv');
    assert.equal((await runCli([folder, '--out', out, '--quiet'])).code, 0);
    const strict = await runCli([folder, '--out', out, '--quiet', '--strict']);
    assert.equal(strict.code, 1);
    assert.match(strict.stderr, /--strict: exit 1 because 1 of 1 clip failed/);
    assert.equal((await readRows(out))[0]?.error, 'empty file (0 bytes)');
  });

  it('stays as it is under --resume, which says so and flags rows of other inputs', async () => {
    const folder = join(root, 'with-bad');
    const out = join(root, 'strict.csv');
    const again = await runCli([folder, '--out', out, '--resume']);
    assert.equal(again.code, 0);
    assert.match(again.stderr, new RegExp('resume: 1 clip done \\(1 error row kept; delete it ' +
      'from .*strict\\.csv to retry\\), 0 to do'));
    const other = await runCli([clips[0] as string, '--out', out, '--resume']);
    assert.equal(other.code, 0);
    assert.match(other.stderr, /resume: 1 row of .*strict\.csv is for clips not among the inputs/);
    assert.equal((await readRows(out)).length, 2);
  });
});
