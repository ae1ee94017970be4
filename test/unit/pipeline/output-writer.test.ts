import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, test } from 'node:test';

import { MreError } from '../../../src/errors.js';
import {
  loadFinishedRows,
  openOutputWriter,
} from '../../../src/pipeline/output-writer.js';
import {
  createFailedRow,
  formatCsvHeader,
  formatCsvRow,
  formatJsonlRow,
  type ResultRow,
} from '../../../src/pipeline/rows.js';

let dir = '';

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'mre-out-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A classified row of `clip` predicted happy. */
function okRow(clip: string): ResultRow {
  return {
    clip,
    label: 'happy',
    confidence: 0.7,
    scores: [0.05, 0.05, 0.05, 0.7, 0.05, 0.05, 0.05],
    frames: 4,
    faces: 1,
    status: 'ok',
    error: null,
    truth: null,
    correct: null,
  };
}

const ROW_B = okRow('b.mp4');
const ROW_A = createFailedRow('a, "odd".mp4', 'no_face', 'no face in 12 frames');
const ROW_C = okRow('c.mp4');

/** Collects what a writer sends to a fake stdout. */
function fakeStdout(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
  return { stream, text: () => chunks.join('') };
}

test('to stdout rows stream in completion order after the CSV header', async () => {
  const out = fakeStdout();
  const writer = await openOutputWriter({
    out: '-', format: 'csv', inputs: [], stdout: out.stream,
  });
  await writer.write(ROW_B);
  assert.equal(out.text(), formatCsvHeader() + formatCsvRow(ROW_B));
  await writer.write(ROW_A);
  await writer.finish();
  assert.equal(out.text(), formatCsvHeader() + formatCsvRow(ROW_B) + formatCsvRow(ROW_A));
});

test('JSONL to stdout has no header', async () => {
  const out = fakeStdout();
  const writer = await openOutputWriter({
    out: '-', format: 'jsonl', inputs: [], stdout: out.stream,
  });
  await writer.write(ROW_A);
  await writer.finish();
  assert.equal(out.text(), formatJsonlRow(ROW_A));
});

test('to a file rows go to the journal, then sorted over the output at the end', async () => {
  const file = path.join(dir, 'results.csv');
  const writer = await openOutputWriter({ out: file, format: 'csv', inputs: [] });
  await writer.write(ROW_C);
  await writer.write(ROW_A);
  await writer.write(ROW_B);
  const journal = await readFile(`${file}.journal`, 'utf8');
  assert.equal(journal, formatJsonlRow(ROW_C) + formatJsonlRow(ROW_A) + formatJsonlRow(ROW_B));
  await assert.rejects(stat(file), { code: 'ENOENT' });
  await writer.finish();
  const expected = formatCsvHeader() + [ROW_A, ROW_B, ROW_C].map(formatCsvRow).join('');
  assert.equal(await readFile(file, 'utf8'), expected);
  assert.deepEqual(await readdir(dir), ['results.csv']);
});

test('a JSONL output file holds one sorted object a line', async () => {
  const file = path.join(dir, 'results.jsonl');
  const writer = await openOutputWriter({ out: file, format: 'jsonl', inputs: [] });
  await writer.write(ROW_B);
  await writer.write(ROW_A);
  await writer.finish();
  assert.equal(await readFile(file, 'utf8'), formatJsonlRow(ROW_A) + formatJsonlRow(ROW_B));
});

test('an interrupted run leaves the old output intact and its rows resumable', async () => {
  const file = path.join(dir, 'results.csv');
  const old = formatCsvHeader() + formatCsvRow(ROW_C);
  await writeFile(file, old);
  const writer = await openOutputWriter({ out: file, format: 'csv', inputs: [] });
  await writer.write(ROW_B);
  await writer.abandon();
  assert.equal(await readFile(file, 'utf8'), old);
  const finished = await loadFinishedRows(file);
  assert.deepEqual(finished.map((r) => r.clip), ['b.mp4', 'c.mp4']);
});

test('resuming tolerates a torn journal line and the final file has every clip', async () => {
  const file = path.join(dir, 'results.jsonl');
  await writeFile(`${file}.journal`, formatJsonlRow(ROW_B) + '{"clip":"c.mp4","lab');
  const finishedRows = await loadFinishedRows(file, 'jsonl');
  assert.deepEqual(finishedRows, [ROW_B]);
  const writer = await openOutputWriter({ out: file, format: 'jsonl', inputs: [], finishedRows });
  await writer.write(ROW_C);
  await writer.write(ROW_A);
  await writer.finish();
  const expected = [ROW_A, ROW_B, ROW_C].map(formatJsonlRow).join('');
  assert.equal(await readFile(file, 'utf8'), expected);
  await assert.rejects(stat(`${file}.journal`), { code: 'ENOENT' });
});

test('a journal row replaces the output row of the same clip on resume', async () => {
  const file = path.join(dir, 'results.csv');
  await writeFile(file, formatCsvHeader() + formatCsvRow(ROW_B));
  const redone = { ...ROW_B, confidence: 0.9 };
  await writeFile(`${file}.journal`, formatJsonlRow(redone));
  assert.deepEqual(await loadFinishedRows(file), [redone]);
  assert.deepEqual(await loadFinishedRows('-'), []);
});

test('the output may not be an input clip, not even through a link', async () => {
  const clip = path.join(dir, 'clip.mp4');
  await writeFile(clip, 'video');
  const link = path.join(dir, 'link.csv');
  await symlink(clip, link);
  const isOutputError = (err: unknown): boolean =>
    err instanceof MreError && err.code === 'OUTPUT' && /refusing to write over/.test(err.message);
  for (const out of [clip, link, path.join(dir, '.', 'clip.mp4')]) {
    await assert.rejects(openOutputWriter({ out, format: 'csv', inputs: [clip] }), isOutputError);
  }
  const journalClip = path.join(dir, 'r.csv.journal');
  await assert.rejects(
    openOutputWriter({ out: path.join(dir, 'r.csv'), format: 'csv', inputs: [journalClip] }),
    isOutputError,
  );
  assert.equal(await readFile(clip, 'utf8'), 'video');
});

/** Matches the MreError of resuming an output that holds rows of the other format. */
function isFormatMismatch(file: string, holds: string, writes: string): (err: unknown) => boolean {
  return (err) => {
    assert.ok(err instanceof MreError);
    assert.equal(err.code, 'OUTPUT');
    assert.equal(err.file, file);
    const hint = `resume it with --format ${holds.toLowerCase()}, or give another --out`;
    const cause = `holds ${holds} rows, but this run writes ${writes}`;
    assert.equal(err.message, `${file}: ${cause}; ${hint}`);
    return true;
  };
}

test('resuming a JSONL output as CSV is refused, naming the file and both formats',
  async () => {
    const file = path.join(dir, 'results.jsonl');
    await writeFile(file, formatJsonlRow(ROW_B));
    await assert.rejects(loadFinishedRows(file, 'csv'), isFormatMismatch(file, 'JSONL', 'CSV'));
  });

test('resuming a CSV output as JSONL is refused, naming the file and both formats', async () => {
  const file = path.join(dir, 'results.csv');
  await writeFile(file, `\uFEFF${formatCsvHeader()}${formatCsvRow(ROW_B)}`);
  await assert.rejects(loadFinishedRows(file, 'jsonl'), isFormatMismatch(file, 'CSV', 'JSONL'));
});

test('an empty earlier output resumes in either format', async () => {
  const file = path.join(dir, 'results.jsonl');
  await writeFile(file, '');
  assert.deepEqual(await loadFinishedRows(file, 'jsonl'), []);
  assert.deepEqual(await loadFinishedRows(file, 'csv'), []);
});
