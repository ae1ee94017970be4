import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { MreError } from '../../../src/errors.js';
import {
  appendHistory,
  buildHistoryEntry,
  formatHistoryLine,
  parseHistory,
  readHistory,
  type HistoryEntry,
} from '../../../src/eval/report/history.js';
import { makeFakeMetrics } from './fake-run.js';

const HEADER = 'time,run,model_sha256,accuracy,mean_class_accuracy,clips,failures,seconds';

const FIRST: HistoryEntry = {
  time: '2026-12-04T17:01:02.000Z', run: '2026-12-04T170102Z', modelSha256: 'ab12',
  accuracy: 0.619, meanClassAccuracy: 0.5714, clips: 22, failures: 1, seconds: 83.25,
};

let dir = '';
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mre-history-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('history lines', () => {
  it('formats an entry as one CSV line with four decimals and seconds to 0.1', () => {
    assert.equal(formatHistoryLine(FIRST),
      '2026-12-04T17:01:02.000Z,2026-12-04T170102Z,ab12,0.6190,0.5714,22,1,83.3');
  });

  it('writes unknown accuracies as empty fields and reads them back as null', () => {
    const line = formatHistoryLine({ ...FIRST, accuracy: null, meanClassAccuracy: null });
    assert.equal(line, '2026-12-04T17:01:02.000Z,2026-12-04T170102Z,ab12,,,22,1,83.3');
    const [entry] = parseHistory(`${HEADER}\n${line}\n`, 'h.csv');
    assert.equal(entry?.accuracy, null);
    assert.equal(entry?.meanClassAccuracy, null);
  });

  it('builds an entry from the metrics of a run, counting only errors as failures', () => {
    const entry = buildHistoryEntry({ time: new Date(Date.UTC(2026, 11, 4, 17, 1, 2)),
      run: 'r1', metrics: makeFakeMetrics(), seconds: 12 });
    assert.deepEqual(entry, { time: '2026-12-04T17:01:02.000Z', run: 'r1',
      modelSha256: 'ab'.repeat(32), accuracy: 0.619, meanClassAccuracy: 0.619, clips: 22,
      failures: 1, seconds: 12 });
  });

  it('rejects a file whose header is not the history header, naming the file', () => {
    assert.throws(() => parseHistory('time,run\n', 'results/history.csv'),
      (err: unknown) => err instanceof MreError && err.code === 'DATA' &&
        err.message.startsWith('results/history.csv: first line must be'));
  });

  it('names the line of a malformed entry', () => {
    const text = `${HEADER}\n${formatHistoryLine(FIRST)}\nx,y,z,0.5,0.5,many,0,1\n`;
    assert.throws(() => parseHistory(text, 'h.csv'), /h\.csv:3: bad clips "many"/);
  });
});

describe('appendHistory and readHistory', () => {
  it('reads a missing history as empty', async () => {
    assert.deepEqual(await readHistory(join(dir, 'none.csv')), []);
  });

  it('creates the file with a header, then appends one line per run', async () => {
    const file = join(dir, 'history.csv');
    const second = { ...FIRST, run: '2026-12-05T170102Z', accuracy: 0.6667, seconds: 90 };
    await appendHistory(file, FIRST);
    await appendHistory(file, second);
    assert.equal(await readFile(file, 'utf8'), `${HEADER}\n` +
      '2026-12-04T17:01:02.000Z,2026-12-04T170102Z,ab12,0.6190,0.5714,22,1,83.3\n' +
      '2026-12-04T17:01:02.000Z,2026-12-05T170102Z,ab12,0.6667,0.5714,22,1,90.0\n');
    const read = await readHistory(file);
    assert.deepEqual(read.map((e) => [e.run, e.accuracy, e.seconds]),
      [['2026-12-04T170102Z', 0.619, 83.3], ['2026-12-05T170102Z', 0.6667, 90]]);
  });

  it('adds a missing final newline before appending', async () => {
    const file = join(dir, 'no-newline.csv');
    await writeFile(file, `${HEADER}\n${formatHistoryLine(FIRST)}`);
    await appendHistory(file, FIRST);
    assert.equal((await readHistory(file)).length, 2);
  });

  it('refuses to append to a file that is not a history', async () => {
    const file = join(dir, 'other.csv');
    await writeFile(file, 'a,b\n1,2\n');
    await assert.rejects(appendHistory(file, FIRST), /first line must be/);
    assert.equal(await readFile(file, 'utf8'), 'a,b\n1,2\n');
  });
});
