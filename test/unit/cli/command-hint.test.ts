import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { editDistance, suggestCommand } from '../../../src/cli/command-hint.js';

const COMMANDS = ['train', 'eval', 'validate'];

describe('sub-command typo hint', () => {
  it('counts insertions, deletions and substitutions', () => {
    assert.equal(editDistance('evl', 'eval'), 1);
    assert.equal(editDistance('kitten', 'sitting'), 3);
    assert.equal(editDistance('', 'train'), 5);
    assert.equal(editDistance('eval', 'eval'), 0);
  });

  it('suggests the nearest command within two edits', () => {
    assert.equal(suggestCommand('evl', COMMANDS), 'eval');
    assert.equal(suggestCommand('trian', COMMANDS), 'train');
    assert.equal(suggestCommand('validat', COMMANDS), 'validate');
  });

  it('leaves paths, exact commands and far words alone', () => {
    assert.equal(suggestCommand('clips', COMMANDS), null);
    assert.equal(suggestCommand('eval', COMMANDS), null);
    assert.equal(suggestCommand('./evl', COMMANDS), null);
    assert.equal(suggestCommand('eval.mp4', COMMANDS), null);
    assert.equal(suggestCommand('Val', COMMANDS), null);
  });
});
