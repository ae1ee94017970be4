/**
 * The command-line contract: exit codes, the config file under flags, JSONL on stdout from a
 * path list on stdin, and the library entry points (classifyClips, runMainJob).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { resolveMainOptions } from '../../src/config/main-options.js';
import { parseResultsFile } from '../../src/pipeline/rows.js';
import { runMainJob } from '../../src/pipeline/run-job.js';
import { cliFromSourceArgs } from '../support/cli-from-source.js';
import { SHARED_DATA } from '../support/shared-data.js';

/** The CLI's entry, run from source through tsx so no build is needed. */
/** Time allowed for one CLI run, in milliseconds. */
const CLI_TIMEOUT_MS = 120_000;
/** Two shared validation clips; truth comes from their folders. */
const HAPPY = `${SHARED_DATA}/clips/val/Happy/W011_front_happy_level3_001.mp4`;
const SAD = `${SHARED_DATA}/clips/val/Sad/W011_front_sad_level3_001.mp4`;

let root = '';

/** What one CLI run gave. */
interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI from source with `stdin` piped in. */
function runCli(args: string[], stdin = ''): Promise<CliResult> {
  const child = spawn(process.execPath, cliFromSourceArgs(args),
    { stdio: 'pipe', timeout: CLI_TIMEOUT_MS });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  child.stdin.end(stdin);
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

/** Asserts the exit code, showing stderr when it differs. */
function assertExit(result: CliResult, code: number): void {
  assert.equal(result.code, code, result.stderr);
}

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'mre-cli-'));
});

after(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('exit code 2 for bad usage', () => {
  it('rejects an unknown flag', async () => {
    const result = await runCli([HAPPY, '--bogus']);
    assertExit(result, 2);
    assert.match(result.stderr, /Unknown argument: bogus/);
  });

  it('rejects --min-frames 0, naming the option', async () => {
    const result = await runCli([HAPPY, '--min-frames', '0']);
    assertExit(result, 2);
    assert.match(result.stderr, /--min-frames: expected an integer from 1 to 100, got 0$/m);
  });

  it('shows a non-numeric --concurrency as it was typed', async () => {
    const result = await runCli([HAPPY, '--concurrency', 'abc']);
    assertExit(result, 2);
    assert.match(result.stderr, /--concurrency: expected an integer from 1 to 64, got "abc"$/m);
  });

  it('shows non-numeric train flags as typed and checks --class-balance', async () => {
    const lr = await runCli(['train', '--data', 'd', '--out', 'o', '--lr', 'abc']);
    assertExit(lr, 2);
    assert.match(lr.stderr, /--lr must be a number > 0, got "abc"$/m);
    const balance = await runCli(['train', '--data', 'd', '--out', 'o', '--class-balance', '2']);
    assertExit(balance, 2);
    assert.match(balance.stderr, /--class-balance must be a number in 0\.\.1, got 2$/m);
  });

  it('rejects --min-frames above --max-frames', async () => {
    const result = await runCli([HAPPY, '--min-frames', '5', '--max-frames', '4']);
    assertExit(result, 2);
    assert.match(result.stderr, /--min-frames \(5\) must not exceed --max-frames \(4\)/);
  });

  it('rejects a config file that is not JSON', async () => {
    const config = join(root, 'broken.json');
    await writeFile(config, '{ "max-frames": ');
    const result = await runCli([HAPPY, '--config', config]);
    assertExit(result, 2);
    assert.match(result.stderr, /--config .*broken\.json: not valid JSON/);
  });
});

describe('exit code 1 for fatal problems', () => {
  it('fails without any input', async () => {
    const result = await runCli([]);
    assertExit(result, 1);
    assert.match(result.stderr, /no inputs/);
  });

  it('fails on a folder without clips', async () => {
    const empty = join(root, 'no-clips');
    await mkdir(empty);
    const result = await runCli([empty]);
    assertExit(result, 1);
    assert.match(result.stderr, /no clips found/);
  });

  it('fails on a model folder it cannot read', async () => {
    const result = await runCli([HAPPY, '--model', join(root, 'no-such-model')]);
    assertExit(result, 1);
    assert.match(result.stderr, /no-such-model/);
  });

  it('fails before any work when the output folder does not exist', async () => {
    const out = join(root, 'missing-folder', 'r.csv');
    const result = await runCli([HAPPY, '--out', out]);
    assertExit(result, 1);
    assert.match(result.stderr, /--out .*r\.csv: the folder .*missing-folder does not exist/);
  });

  it('fails before any work when the output folder is a file', async () => {
    const file = join(root, 'plain-file');
    await writeFile(file, 'not a folder');
    const result = await runCli([HAPPY, '--out', join(file, 'r.csv')]);
    assertExit(result, 1);
    assert.match(result.stderr, /--out .*r\.csv: the folder .*plain-file is not writable/);
  });

  it('fails before any work when --out is a folder', async () => {
    const result = await runCli([HAPPY, '--out', root]);
    assertExit(result, 1);
    assert.match(result.stderr, /--out .*: is a folder, expected a file/);
  });

  it('fails on --resume of a JSONL output with --format csv, naming the file and formats',
    async () => {
      const out = join(root, 'earlier.jsonl');
      await writeFile(out, '{"clip":"x.mp4","frames":0,"faces":0,"status":"error"}\n');
      const result = await runCli([HAPPY, '--out', out, '--format', 'csv', '--resume']);
      assertExit(result, 1);
      assert.ok(result.stderr.includes(`mre-video: ${out}: holds JSONL rows, but this run ` +
        'writes CSV; resume it with --format jsonl'), result.stderr);
    });

  it('fails on train data without class folders, naming the folder and the layout', async () => {
    const flat = join(root, 'flat-images');
    await mkdir(flat);
    await writeFile(join(flat, 'face.png'), '');
    const args = ['train', '--data', flat, '--val', flat, '--out', join(root, 'run')];
    const result = await runCli([...args, '--iterations', '1', '--quiet']);
    assertExit(result, 1);
    assert.ok(result.stderr.includes(`mre-video: ${flat}: holds no class folders (expected ` +
      '<root>/<class>/* with class names such as angry, disgust'), result.stderr);
  });
});

describe('a run that finishes', () => {
  it('takes options from --config under the flags', async () => {
    const config = join(root, 'config.json');
    await writeFile(config, JSON.stringify({ format: 'jsonl', 'max-frames': 5, minFrames: 1 }));
    const result = await runCli([HAPPY, '--config', config, '--max-frames', '2', '--quiet']);
    assertExit(result, 0);
    const rows = parseResultsFile(result.stdout, 'jsonl');
    assert.equal(rows.length, 1);
    assert.equal(rows[0]?.status, 'ok');
    assert.equal(rows[0]?.frames, 2);
  });

  it('reads paths from stdin for "-" and streams JSONL rows to --out -', async () => {
    const missing = join(root, 'not-there.mp4');
    const stdin = `${SAD}\n${missing}\n${HAPPY}\n`;
    const args = ['-', '--out', '-', '--format', 'jsonl', '--max-frames', '2', '--min-frames', '1'];
    const result = await runCli(args, stdin);
    assertExit(result, 0);
    const rows = parseResultsFile(result.stdout, 'jsonl');
    assert.deepEqual(rows.map((r) => r.clip).sort(), [HAPPY, SAD, missing].sort());
    assert.equal(rows.find((r) => r.clip === missing)?.error, 'file not found');
    assert.match(result.stderr, /accuracy: 0\.\d{4} \(\d\/2\)/);
    assert.match(result.stderr, /mean per-class accuracy: /);
  });
});

describe('a mistyped sub-command', () => {
  it('is still a missing input, with a hint naming the command meant (none under --quiet)',
    async () => {
      const out = join(root, 'typo.csv');
      const result = await runCli(['evl', '--out', out]);
      assertExit(result, 0);
      assert.match(result.stderr,
        /^warning: evl: no such file or folder; did you mean `mre-video eval`\?$/m);
      assert.equal((await readFile(out, 'utf8')).split('\n')[1]?.startsWith('evl,'), true);
      const quiet = await runCli(['evl', '--out', out, '--quiet']);
      assert.doesNotMatch(quiet.stderr, /did you mean/);
    });
});

describe('the library', () => {
  it('classifies clips through classifyClips from the package entry, writing nothing', async () => {
    const library = await import('../../src/index.js');
    const result = await library.classifyClips([SAD, HAPPY], { maxFrames: 2, minFrames: 1 });
    assert.deepEqual(result.rows.map((r) => [r.clip, r.status, r.frames, r.truth]),
      [[HAPPY, 'ok', 2, 'happy'], [SAD, 'ok', 2, 'sad']]);
    assert.equal(result.metrics?.counts.labelled, 2);
  });

  it('runs the main job in process and returns sorted rows with metrics', async () => {
    const out = join(root, 'lib.csv');
    const options = resolveMainOptions({ inputs: [SAD, HAPPY], out, maxFrames: 2, minFrames: 1 });
    const result = await runMainJob(options);
    assert.deepEqual(result.rows.map((r) => r.clip), [HAPPY, SAD]);
    assert.deepEqual(result.rows.map((r) => r.truth), ['happy', 'sad']);
    assert.equal(result.interrupted, false);
    assert.equal(result.metricsFile, `${out}.metrics.json`);
    assert.equal(result.metrics?.counts.labelled, 2);
    const written = parseResultsFile(await readFile(out, 'utf8'), 'csv');
    const brief = (rows: typeof written) => rows.map((r) => [r.clip, r.label, r.status]);
    assert.deepEqual(brief(written), brief(result.rows));
  });
});
