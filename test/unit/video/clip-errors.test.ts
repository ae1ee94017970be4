import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { MreError } from '../../../src/errors.js';
import {
  createClipError,
  describeFileError,
  describeToolFailure,
  looksLikeIsoMedia,
} from '../../../src/video/clip-errors.js';

/** An error shaped like the ones node:fs rejects with. */
function fsError(code: string, message: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${message}, stat '/x/a.mp4'`), {
    code, syscall: 'stat', path: '/x/a.mp4',
  });
}

describe('describeToolFailure', () => {
  it('maps a missing moov atom to a truncated file', () => {
    const stderr = '[mov,mp4 @ 0x1] moov atom not found\nfile:/a/b.mp4: Invalid data found when ' +
      'processing input\n';
    assert.equal(describeToolFailure(stderr), 'truncated file');
  });

  it('maps unrecognised data to not a media file', () => {
    const stderr = 'file:/a/notes.mp4: Invalid data found when processing input\n';
    assert.equal(describeToolFailure(stderr), 'not a media file');
  });

  it('maps a missing decoder to no decoder for the codec', () => {
    const stderr = 'Decoder (codec av1) not found for input stream #0:0\n';
    assert.equal(describeToolFailure(stderr), 'no decoder for av1');
  });

  it('maps a demuxer off the whitelist to a refused container format', () => {
    const stderr = "[concat @ 0x2] Format not on whitelist 'mov,matroska'\n";
    assert.match(describeToolFailure(stderr) ?? '', /^refused container format/);
  });

  it('falls back to the last line without the file prefix', () => {
    assert.equal(describeToolFailure('file:/x/y.mp4: Permission denied\n'), 'Permission denied');
    assert.equal(describeToolFailure('  \n'), undefined);
  });
});

describe('describeFileError', () => {
  it('says symbolic link loop for ELOOP, not a broken link', () => {
    const loop = fsError('ELOOP', 'too many symbolic links encountered');
    assert.equal(describeFileError(loop), 'symbolic link loop');
    assert.equal(describeFileError(loop, 'broken symbolic link'), 'symbolic link loop');
  });

  it('says permission denied for EACCES, without the code or the system call', () => {
    assert.equal(describeFileError(fsError('EACCES', 'permission denied')), 'permission denied');
  });

  it('gives the caller\'s wording for a missing file, file not found by default', () => {
    const missing = fsError('ENOENT', 'no such file or directory');
    assert.equal(describeFileError(missing), 'file not found');
    assert.equal(describeFileError(missing, 'broken symbolic link'), 'broken symbolic link');
  });

  it('falls back to the error\'s message on one line for other codes', () => {
    const failed = fsError('EIO', 'i/o\nerror');
    assert.equal(describeFileError(failed), "EIO: i/o error, stat '/x/a.mp4'");
  });
});

describe('createClipError', () => {
  it('names the file and the cause and keeps the code CLIP', () => {
    const err = createClipError('clips/a.mp4', 'empty file (0 bytes)');
    assert.ok(err instanceof MreError);
    assert.equal(err.code, 'CLIP');
    assert.equal(err.file, 'clips/a.mp4');
    assert.equal(err.message, 'clips/a.mp4: empty file (0 bytes)');
  });
});

describe('looksLikeIsoMedia', () => {
  it('accepts a file starting with an ftyp box and rejects text', () => {
    const mp4 = Uint8Array.of(0, 0, 0, 32, 0x66, 0x74, 0x79, 0x70, 0x69, 0x73, 0x6f, 0x6d);
    assert.equal(looksLikeIsoMedia(mp4), true);
    assert.equal(looksLikeIsoMedia(new TextEncoder().encode('These are notes')), false);
    assert.equal(looksLikeIsoMedia(Uint8Array.of(0, 0, 0)), false);
  });
});
