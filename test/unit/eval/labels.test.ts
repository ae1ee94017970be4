import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import {
  classFromFolder,
  loadLabelTable,
  parseLabelTable,
  resolveTruth,
} from '../../../src/eval/labels.js';
import { MreError } from '../../../src/errors.js';

const LABELS = [
  'path,label',
  'clips/val/Angry/m030.mp4,Angry',
  '"clips/with, comma/""q"".mp4",happiness',
  'other/dup.mp4,sad',
  'more/dup.mp4,fear',
  'plain.mp4,SURPRISED',
  '',
].join('\r\n');

test('a clip matches its path as written, whatever the folder says', () => {
  const table = parseLabelTable(LABELS, 'labels.csv');
  assert.equal(resolveTruth('clips/val/Angry/m030.mp4', table), 'angry');
  assert.equal(resolveTruth('clips/with, comma/"q".mp4', table), 'happy');
  assert.equal(resolveTruth('./clips/val/Angry/m030.mp4', table), 'angry');
});

test('a clip elsewhere matches by file name when the name is unique in the table', () => {
  const table = parseLabelTable(LABELS, 'labels.csv');
  assert.equal(resolveTruth('/data/x/m030.mp4', table), 'angry');
  assert.equal(resolveTruth('somewhere/plain.mp4', table), 'surprise');
});

test('an ambiguous file name falls back to the parent folder, then to unknown', () => {
  const table = parseLabelTable(LABELS, 'labels.csv');
  assert.equal(resolveTruth('x/Disgust/dup.mp4', table), 'disgust');
  assert.equal(resolveTruth('x/y/dup.mp4', table), null);
  assert.equal(resolveTruth('other/dup.mp4', table), 'sad');
});

test('without a table the parent folder decides, AFEW and alias spellings included', () => {
  assert.equal(resolveTruth('Val/Angry/001.avi'), 'angry');
  assert.equal(resolveTruth('Val/surprised/001.avi'), 'surprise');
  assert.equal(resolveTruth('Val/FEARFUL/001.avi'), 'fear');
  assert.equal(resolveTruth('a/sadness/001.avi'), 'sad');
  assert.equal(resolveTruth('extra/Contempt/001.mp4'), null);
  assert.equal(resolveTruth('001.mp4'), null);
  assert.equal(classFromFolder('/x/Neutral/y.mp4'), 'neutral');
});

test('an unknown label is an error naming the file and line', () => {
  const text = 'path,label\na.mp4,happy\n"b\nc.mp4",contempt\n';
  assert.throws(
    () => parseLabelTable(text, 'my-labels.csv'),
    (err: unknown) =>
      err instanceof MreError &&
      err.code === 'INPUT' &&
      err.file === 'my-labels.csv' &&
      /^my-labels\.csv line 3: unknown label "contempt"/.test(err.message),
  );
});

test('a file without a path,label header is refused', () => {
  assert.throws(() => parseLabelTable('clip,emotion\na.mp4,happy\n', 'l.csv'), /l\.csv line 1/);
  assert.throws(() => parseLabelTable('', 'l.csv'), /empty labels file/);
});

test('header columns may come in any order, with extra columns ignored', () => {
  const table = parseLabelTable('\uFEFFLabel,notes,Path\nsad,x,a.mp4\n', 'l.csv');
  assert.equal(resolveTruth('a.mp4', table), 'sad');
});

test('the same path with two labels is refused, with the same label accepted', () => {
  assert.throws(
    () => parseLabelTable('path,label\na.mp4,sad\n./a.mp4,happy\n', 'l.csv'),
    /l\.csv line 3: "\.\/a\.mp4" is labelled both sad and happy/,
  );
  const table = parseLabelTable('path,label\na.mp4,sad\na.mp4,sadness\n', 'l.csv');
  assert.equal(resolveTruth('z/a.mp4', table), 'sad');
});

test('loading a labels file reads it from disk and reports a missing file', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'mre-labels-'));
  try {
    const file = path.join(dir, 'labels.csv');
    await writeFile(file, LABELS);
    assert.equal(resolveTruth('plain.mp4', await loadLabelTable(file)), 'surprise');
    await assert.rejects(loadLabelTable(path.join(dir, 'none.csv')), /cannot read/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
