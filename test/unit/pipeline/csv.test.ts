import assert from 'node:assert/strict';
import { test } from 'node:test';

import { formatCsvField, formatCsvLine, parseCsv } from '../../../src/pipeline/csv.js';

test('plain fields are written bare and awkward ones quoted with doubled quotes', () => {
  assert.equal(formatCsvField('clips/a.mp4'), 'clips/a.mp4');
  assert.equal(formatCsvField('a,b'), '"a,b"');
  assert.equal(formatCsvField('say "hi"'), '"say ""hi"""');
  assert.equal(formatCsvField('two\nlines'), '"two\nlines"');
  assert.equal(formatCsvField(' padded'), '" padded"');
  assert.equal(formatCsvLine(['a', '', 'b,c']), 'a,,"b,c"\n');
});

test('parsing undoes formatting for commas, quotes, line breaks and unicode', () => {
  const fields = ['a,b', '"q"', 'x\r\ny', 'émotion 😀', '', ' lead'];
  const [record] = parseCsv(formatCsvLine(fields));
  assert.deepEqual(record?.fields, fields);
});

test('records carry the line they start on, across quoted line breaks and CRLF', () => {
  const records = parseCsv('h1,h2\r\n"a\nb",1\r\n\r\nc,2');
  assert.deepEqual(
    records.map((r) => [r.line, r.fields]),
    [
      [1, ['h1', 'h2']],
      [2, ['a\nb', '1']],
      [5, ['c', '2']],
    ],
  );
});

test('a leading byte-order mark is dropped', () => {
  assert.deepEqual(parseCsv('\uFEFFpath,label\n')[0]?.fields, ['path', 'label']);
});

test('an unterminated quote is an error naming the file and line', () => {
  assert.throws(() => parseCsv('a\n"b,c\n', 'x.csv'), /x\.csv line 2: unterminated quoted field/);
  assert.throws(() => parseCsv('"a"b\n', 'x.csv'), /x\.csv line 1: unexpected character/);
});
