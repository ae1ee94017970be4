import assert from 'node:assert/strict';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';

import { classifyClips, loadModel } from '../../src/index.js';
import { initBackend } from '../../src/model/backend.js';
import { DEFAULT_MODEL_DIR, resolveDefaultModelDir } from '../../src/pipeline/default-model.js';
import { SHARED_DATA } from '../support/shared-data.js';

/** The project's limit on committed weights. */
const MAX_WEIGHT_BYTES = 30 * 1024 * 1024;

test('the shipped default model is the one used without --model, and is trained', async () => {
  assert.equal(resolveDefaultModelDir(), DEFAULT_MODEL_DIR);
  await initBackend('wasm');
  const model = await loadModel(DEFAULT_MODEL_DIR);
  assert.equal(model.name, 'default');
  assert.equal(model.untrained, false);
  assert.equal(model.manifest.inputSize, 48);
  model.dispose();
});

test('the default model keeps its weights within 30 MB', async () => {
  let bytes = 0;
  for (const region of ['eye', 'nose', 'mouth']) {
    for (const name of await readdir(path.join(DEFAULT_MODEL_DIR, region))) {
      bytes += (await stat(path.join(DEFAULT_MODEL_DIR, region, name))).size;
    }
  }
  assert.ok(bytes <= MAX_WEIGHT_BYTES, `${bytes} bytes`);
});

test('the default model labels the three happy validation clips happy', async () => {
  const { rows, metrics } = await classifyClips([`${SHARED_DATA}/clips/val/Happy`]);
  assert.deepEqual(rows.map((r) => r.label), ['happy', 'happy', 'happy']);
  assert.equal(metrics?.perClass.happy?.accuracy, 1);
});
