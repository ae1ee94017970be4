import assert from 'node:assert/strict';
import { test } from 'node:test';

import { checkConfigValues, normalizeKeys, resolveMainOptions } from '../../../src/config/main-options.js';

test('flags override the config file, which overrides the defaults', () => {
  const options = resolveMainOptions({ inputs: ['a.mp4'], maxFrames: 6 }, {
    maxFrames: 4,
    minFrames: 2,
  });
  assert.equal(options.maxFrames, 6);
  assert.equal(options.minFrames, 2);
  assert.equal(options.concurrency, 2);
  assert.ok(Object.isFrozen(options));
});

test('the output format follows the --out extension unless --format is given', () => {
  assert.equal(resolveMainOptions({ inputs: ['a'], out: 'r.jsonl' }).format, 'jsonl');
  assert.equal(resolveMainOptions({ inputs: ['a'], out: 'r.ndjson' }).format, 'jsonl');
  assert.equal(resolveMainOptions({ inputs: ['a'], out: 'r.txt' }).format, 'csv');
  assert.equal(resolveMainOptions({ inputs: ['a'], out: 'r.jsonl', format: 'csv' }).format, 'csv');
});

test('a config key naming no option, or one option spelt twice, is a usage error', () => {
  assert.deepEqual(normalizeKeys({ 'max-frames': 3, saveCrops: 'c' }), {
    maxFrames: 3,
    saveCrops: 'c',
  });
  assert.throws(() => normalizeKeys({ maxframes: 3 }, 'c.json'),
    /--config c\.json: unknown option "maxframes"/);
  assert.throws(() => normalizeKeys({ 'max-frames': 3, maxFrames: 4 }, 'c.json'),
    /option "maxFrames" is given twice/);
});

test('bad values name the option and show what was given', () => {
  assert.throws(() => resolveMainOptions({ inputs: ['a'], maxFrames: Number.NaN }),
    /--max-frames: expected an integer from 1 to 100, got NaN/);
  assert.throws(() => resolveMainOptions({ inputs: ['a'], minFrames: 5, maxFrames: 4 }),
    /--min-frames \(5\) must not exceed --max-frames \(4\)/);
  assert.throws(() => resolveMainOptions({ inputs: ['a'], backend: 'gpu' }),
    /--backend: expected one of auto, tensorflow, wasm, cpu, onnx, got "gpu"/);
  assert.throws(() => resolveMainOptions({ inputs: ['a'], maxFrames: true }),
    /--max-frames: expected an integer from 1 to 100, got no value$/);
  assert.throws(() => resolveMainOptions({ inputs: [] }), /no inputs/);
});

test('a bad value from the config file names the file; a flag overriding it is not blamed', () => {
  assert.throws(() => checkConfigValues({ workers: 'abc' }, { inputs: ['a'] }, 'nightly.json'),
    /^MreError: --config nightly\.json: --workers: expected an integer from 1 to 16, got "abc"$/);
  assert.throws(() => checkConfigValues({ minFrames: 5, maxFrames: 4 }, {}, 'c.json'),
    /--config c\.json: --min-frames \(5\) must not exceed --max-frames \(4\)/);
  assert.doesNotThrow(() => checkConfigValues({ workers: 'abc', maxFrames: 8 },
    { inputs: ['a'], workers: 2 }, 'c.json'));
  assert.doesNotThrow(() => checkConfigValues({}, {}, 'empty.json'));
});
