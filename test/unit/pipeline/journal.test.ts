import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { journalPathFor, openJournal, readJournalText } from '../../../src/pipeline/journal.js';

let dir = '';

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'mre-journal-'));
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('the journal of an output sits beside it with a .journal suffix', () => {
  assert.equal(journalPathFor('out/results.csv'), 'out/results.csv.journal');
});

test('concurrent appends land whole and in call order', async () => {
  const file = path.join(dir, 'order.journal');
  const journal = await openJournal(file, { fsyncIntervalMs: 0 });
  const lines = Array.from({ length: 50 }, (_, i) => `{"i":${i}}\n`);
  await Promise.all(lines.map((line) => journal.append(line)));
  await journal.close();
  assert.equal(await readFile(file, 'utf8'), lines.join(''));
});

test('an entry that is not exactly one line is refused', async () => {
  const journal = await openJournal(path.join(dir, 'bad.journal'));
  await assert.rejects(journal.append('{"a":1}'), /one line ending in a line break/);
  await assert.rejects(journal.append('{}\n{}\n'), /one line ending in a line break/);
  await journal.append('{"ok":true}\n');
  await journal.close();
});

test('reading leaves out a torn last line and a missing journal reads as empty', async () => {
  const file = path.join(dir, 'torn.journal');
  await writeFile(file, '{"a":1}\n{"b":2}\n{"c":');
  assert.equal(await readJournalText(file), '{"a":1}\n{"b":2}\n');
  assert.equal(await readJournalText(path.join(dir, 'absent.journal')), '');
});

test('reopening to keep lines cuts the torn tail before appending', async () => {
  const file = path.join(dir, 'resume.journal');
  await writeFile(file, '{"a":1}\n{"b":');
  const journal = await openJournal(file, { keepExisting: true });
  await journal.append('{"c":3}\n');
  await journal.close();
  assert.equal(await readFile(file, 'utf8'), '{"a":1}\n{"c":3}\n');
});

test('opening without keeping empties an old journal, and remove deletes it', async () => {
  const file = path.join(dir, 'fresh.journal');
  await writeFile(file, '{"old":1}\n');
  const journal = await openJournal(file);
  await journal.append('{"new":1}\n');
  await journal.close();
  assert.equal(await readFile(file, 'utf8'), '{"new":1}\n');
  const again = await openJournal(file, { keepExisting: true });
  await again.remove();
  await assert.rejects(stat(file), { code: 'ENOENT' });
});
