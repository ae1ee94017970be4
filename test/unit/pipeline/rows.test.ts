import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  compareClipPaths,
  createFailedRow,
  formatCsvHeader,
  formatCsvRow,
  formatJsonlRow,
  parseResultsFile,
  pickResultFormat,
  RESULT_COLUMNS,
  type ResultRow,
} from '../../../src/pipeline/rows.js';

const OK_ROW: ResultRow = {
  clip: 'clips/val/Happy/W009 "take, 2"\nä.mp4',
  label: 'happy',
  confidence: 0.81234567,
  scores: [0.01, 0.0000004, 0.02, 0.81234567, 0.05, 0.1, 0.00765433],
  frames: 10,
  faces: 1,
  status: 'ok',
  error: null,
  truth: 'happy',
  correct: true,
};

const FAILED_ROW = createFailedRow('b.avi', 'error', 'cannot decode: moov atom not found', {
  truth: 'sad',
});

test('the header is the contract columns, in order', () => {
  assert.equal(
    formatCsvHeader(),
    'clip,label,confidence,angry,disgust,fear,happy,sad,surprise,neutral,frames,faces,status,' +
      'error,truth,correct\n',
  );
});

test('a CSV row quotes the path and rounds numbers to six decimals', () => {
  assert.equal(
    formatCsvRow(OK_ROW),
    '"clips/val/Happy/W009 ""take, 2""\nä.mp4",happy,0.812346,0.01,0,0.02,0.812346,0.05,0.1,' +
      '0.007654,10,1,ok,,happy,true\n',
  );
});

test('a failed row has empty label, confidence and scores, zero frames, correct false', () => {
  assert.equal(
    formatCsvRow(FAILED_ROW),
    'b.avi,,,,,,,,,,0,0,error,cannot decode: moov atom not found,sad,false\n',
  );
  assert.equal(createFailedRow('c.avi', 'no_face', 'no face').correct, null);
});

test('a JSONL row has the column keys in order, numbers as numbers and nulls', () => {
  const line = formatJsonlRow(FAILED_ROW);
  assert.ok(line.endsWith('\n'));
  const value = JSON.parse(line) as Record<string, unknown>;
  assert.deepEqual(Object.keys(value), [...RESULT_COLUMNS]);
  assert.equal(value.frames, 0);
  assert.equal(value.label, null);
  assert.equal(value.angry, null);
  assert.equal(value.correct, false);
  const ok = JSON.parse(formatJsonlRow(OK_ROW)) as Record<string, unknown>;
  assert.equal(ok.confidence, 0.812346);
  assert.equal(ok.disgust, 0);
});

test('rows read back from CSV and JSONL equal the rounded rows written', () => {
  const rounded: ResultRow = {
    ...OK_ROW,
    confidence: 0.812346,
    scores: [0.01, 0, 0.02, 0.812346, 0.05, 0.1, 0.007654],
  };
  const csv = formatCsvHeader() + formatCsvRow(OK_ROW) + formatCsvRow(FAILED_ROW);
  assert.deepEqual(parseResultsFile(csv, 'csv'), [rounded, FAILED_ROW]);
  const jsonl = formatJsonlRow(OK_ROW) + '\n' + formatJsonlRow(FAILED_ROW);
  assert.deepEqual(parseResultsFile(jsonl, 'jsonl'), [rounded, FAILED_ROW]);
});

test('a clip path that looks like a number or boolean stays text', () => {
  const row = createFailedRow('true', 'no_face', '42');
  const [back] = parseResultsFile(formatCsvHeader() + formatCsvRow(row), 'csv');
  assert.equal(back?.clip, 'true');
  assert.equal(back?.error, '42');
});

test('a malformed row is an error naming the file and line', () => {
  const bad = formatCsvHeader() + formatCsvRow(FAILED_ROW).replace(',error,', ',broken,');
  assert.throws(
    () => parseResultsFile(bad, 'csv', { file: 'out.csv' }),
    /out\.csv line 2: status must be ok, no_face or error, got "broken"/,
  );
  assert.throws(
    () => parseResultsFile('clip,label\n', 'csv'),
    /header lacks column\(s\) confidence/,
  );
  assert.throws(() => parseResultsFile('{"clip":\n', 'jsonl'), /line 1: not a JSON object/);
});

test('a torn last JSONL line is ignored only when asked', () => {
  const text = formatJsonlRow(FAILED_ROW) + '{"clip":"c.avi","lab';
  assert.equal(parseResultsFile(text, 'jsonl', { allowTornLastLine: true }).length, 1);
  assert.throws(() => parseResultsFile(text, 'jsonl'), /line 2: not a JSON object/);
});

test('the format comes from --format, else from a .jsonl or .ndjson extension', () => {
  assert.equal(pickResultFormat('out.JSONL'), 'jsonl');
  assert.equal(pickResultFormat('out.ndjson'), 'jsonl');
  assert.equal(pickResultFormat('out.txt'), 'csv');
  assert.equal(pickResultFormat('-'), 'csv');
  assert.equal(pickResultFormat('out.jsonl', 'csv'), 'csv');
  assert.throws(() => pickResultFormat('x', 'xml'), /--format must be csv or jsonl/);
});

test('clip paths sort by code unit, not by locale', () => {
  const sorted = ['b.mp4', 'B.mp4', 'a/z.mp4', 'a.mp4', 'é.mp4'].sort(compareClipPaths);
  assert.deepEqual(sorted, ['B.mp4', 'a.mp4', 'a/z.mp4', 'b.mp4', 'é.mp4']);
});
