/**
 * Inputs that cannot be used, through the main job in process with a stand-in engine: each
 * gives a row (or, for a resume that cannot work, a fatal error) that names the real cause,
 * and the rest of the inputs are still classified.
 */
import assert from 'node:assert/strict';
import type { Dirent } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import sharp from 'sharp';

import { resolveMainOptions } from '../../src/config/main-options.js';
import { MreError } from '../../src/errors.js';
import { silentLogger, type Logger } from '../../src/log.js';
import type { FolderLister } from '../../src/pipeline/inputs.js';
import { formatCsvHeader } from '../../src/pipeline/rows.js';
import { runMainJob, type JobResult } from '../../src/pipeline/run-job.js';
import { HAPPY_ENGINE } from '../support/happy-engine.js';

let root = '';

const at = (...parts: string[]): string => path.join(root, ...parts);

/** Writes a small grey PNG, the one usable input of each run. */
async function writeImage(file: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const pixels = { create: { width: 16, height: 16, channels: 3 as const, background: '#888' } };
  await sharp(pixels).png().toFile(file);
}

/** The error readdir rejects with for a folder the user may not read. */
function permissionDenied(folder: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`EACCES: permission denied, scandir '${folder}'`), {
    errno: -13, code: 'EACCES', syscall: 'scandir', path: folder,
  });
}

/**
 * Lists folders as readdir does but fails for `shut` as a folder of mode 000 does for anyone
 * but root (the tests run as root, which chmod does not stop).
 */
function listDenying(shut: string): FolderLister {
  return async (folder): Promise<Dirent[]> => {
    if (folder === shut) throw permissionDenied(folder);
    return readdir(folder, { withFileTypes: true });
  };
}

/** Runs the main job over `inputs` with the stand-in engine. */
function run(
  inputs: string[],
  flags: Record<string, unknown>,
  deps: { log?: Logger; listFolder?: FolderLister } = {},
): Promise<JobResult> {
  const options = resolveMainOptions({ inputs, ...flags });
  return runMainJob(options, { engine: HAPPY_ENGINE, log: silentLogger, ...deps });
}

/** A logger that keeps its warnings. */
function keepWarnings(): { log: Logger; warnings: string[] } {
  const warnings: string[] = [];
  return { log: { ...silentLogger, warn: (m) => warnings.push(m) }, warnings };
}

/** The row cells that matter here, by clip. */
function statusByClip(result: JobResult): Record<string, [string, string | null]> {
  return Object.fromEntries(result.rows.map((row) => [row.clip, [row.status, row.error]]));
}

before(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'mre-input-problems-'));
  await writeImage(at('loops', 'face.png'));
  await symlink('pong.mp4', at('loops', 'ping.mp4'));
  await symlink('ping.mp4', at('loops', 'pong.mp4'));
  await symlink('self.mp4', at('loops', 'self.mp4'));
  await writeImage(at('guarded', 'open', 'face.png'));
  await writeImage(at('guarded', 'shut', 'hidden-face.png'));
  await mkdir(at('out'));
});

after(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('a folder holding symbolic-link loops', () => {
  it('gives each looping link an error row saying symbolic link loop', async () => {
    const result = await run([at('loops')], { out: at('out', 'loops.csv') });
    assert.deepEqual(statusByClip(result), {
      [at('loops', 'face.png')]: ['ok', null],
      [at('loops', 'ping.mp4')]: ['error', 'symbolic link loop'],
      [at('loops', 'pong.mp4')]: ['error', 'symbolic link loop'],
      [at('loops', 'self.mp4')]: ['error', 'symbolic link loop'],
    });
  });
});

describe('a folder that cannot be read among the inputs', () => {
  it('gives the folder an error row saying permission denied and classifies the rest',
    async () => {
      const shut = at('guarded', 'shut');
      const { log, warnings } = keepWarnings();
      const result = await run([at('guarded')], { out: at('out', 'guarded.csv') },
        { log, listFolder: listDenying(shut) });
      assert.deepEqual(statusByClip(result), {
        [at('guarded', 'open', 'face.png')]: ['ok', null],
        [shut]: ['error', 'permission denied'],
      });
      assert.deepEqual(warnings, [`${shut}: permission denied`]);
      assert.match(await readFile(at('out', 'guarded.csv'), 'utf8'), /,error,permission denied,/);
    });
});

describe('--resume over an output of the other format', () => {
  /** Checks the fatal error of resuming `out` (holding `holds` rows) with `format`. */
  async function assertRefused(out: string, holds: string, format: 'csv' | 'jsonl'):
    Promise<void> {
    const earlier = await readFile(out, 'utf8');
    const writes = format === 'csv' ? 'CSV' : 'JSONL';
    const cause = `${out}: holds ${holds} rows, but this run writes ${writes}; ` +
      `resume it with --format ${holds.toLowerCase()}`;
    await assert.rejects(run([at('loops')], { out, format, resume: true }), (err) => {
      assert.ok(err instanceof MreError);
      assert.equal(err.code, 'OUTPUT');
      assert.ok(err.message.startsWith(cause), err.message);
      return true;
    });
    assert.equal(await readFile(out, 'utf8'), earlier, 'the earlier output was changed');
    assert.deepEqual((await readdir(at('out'))).filter((n) => n.includes('journal')), []);
  }

  it('refuses to resume a JSONL file as CSV, before any clip is classified', async () => {
    const out = at('out', 'earlier.jsonl');
    await writeFile(out, '{"clip":"x.mp4","frames":0,"faces":0,"status":"error","error":"e"}\n');
    await assertRefused(out, 'JSONL', 'csv');
  });

  it('refuses to resume a CSV file as JSONL, before any clip is classified', async () => {
    const out = at('out', 'earlier.csv');
    await writeFile(out, formatCsvHeader());
    await assertRefused(out, 'CSV', 'jsonl');
  });
});
