/**
 * Listing `<root>/<class>/*` training folders: what is taken, and the errors for roots that
 * hold nothing to train on. Only file names matter here; no image is decoded.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { MreError } from '../../../src/errors.js';
import { silentLogger, type Logger } from '../../../src/log.js';
import { listImageDataset } from '../../../src/train/image-dataset.js';

let root = '';

/** Creates an empty file, making its folders. */
async function touch(...parts: string[]): Promise<void> {
  const file = path.join(root, ...parts);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, '');
}

/** A logger that keeps its warnings. */
function keepWarnings(): { log: Logger; warnings: string[] } {
  const warnings: string[] = [];
  return { log: { ...silentLogger, warn: (m) => warnings.push(m) }, warnings };
}

/** Matches the MreError 'DATA' of a root with nothing to train on, by its message. */
function isDataError(message: RegExp): (err: unknown) => boolean {
  return (err) => {
    assert.ok(err instanceof MreError);
    assert.equal(err.code, 'DATA');
    assert.match(err.message, message);
    return true;
  };
}

before(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'mre-dataset-'));
  await touch('set', 'Happy', 'b.png');
  await touch('set', 'Happy', 'a.jpg');
  await touch('set', 'sadness', 'c.avi');
  await touch('set', 'contempt', 'd.png');
  await touch('flat', '0301a01.jpg');
  await touch('flat', 'misc', 'e.jpg');
  await touch('hollow', 'angry', 'notes.txt');
  await mkdir(path.join(root, 'hollow', 'fear'));
});

after(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('listImageDataset', () => {
  it('takes images and clips from class folders and warns about other folders', async () => {
    const { log, warnings } = keepWarnings();
    const listing = await listImageDataset(path.join(root, 'set'), log);
    const names = listing.items.map((item) => [path.relative(root, item.source), item.label]);
    assert.deepEqual(names, [['set/Happy/a.jpg', 3], ['set/Happy/b.png', 3]]);
    assert.deepEqual(listing.clips.map((clip) => clip.label), [4]);
    assert.deepEqual(listing.skippedFolders, ['contempt']);
    assert.equal(warnings.length, 1);
  });

  it('says a root without class folders holds none, naming it and the expected layout',
    async () => {
      const flat = path.join(root, 'flat');
      const expected = `${flat}: holds no class folders (expected <root>/<class>/* with class ` +
        'names such as angry, disgust, fear, happy, sad, surprise, neutral); its folders name ' +
        'no class: misc';
      await assert.rejects(listImageDataset(flat, silentLogger), (err: unknown) => {
        assert.ok(err instanceof MreError);
        assert.equal(err.code, 'DATA');
        assert.equal(err.file, flat);
        assert.equal(err.message, expected);
        return true;
      });
    });

  it('says an empty root holds no class folders', async () => {
    const empty = path.join(root, 'empty');
    await mkdir(empty);
    await assert.rejects(listImageDataset(empty, silentLogger),
      isDataError(/: holds no class folders \(expected <root>\/<class>\/\* /));
  });

  it('says class folders without images or clips hold none, naming them', async () => {
    const hollow = path.join(root, 'hollow');
    const cause = /hollow: its class folders \(angry, fear\) hold no images \(\.png .*\) or clips/;
    await assert.rejects(listImageDataset(hollow, silentLogger), isDataError(cause));
  });
});
