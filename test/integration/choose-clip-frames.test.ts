import assert from 'node:assert/strict';
import { test } from 'node:test';

import { initBackend } from '../../src/model/backend.js';
import { chooseClipFrames } from '../../src/pipeline/choose-clip-frames.js';
import { SHARED_DATA } from '../support/shared-data.js';

const CLIP = `${SHARED_DATA}/clips/val/Sad/W011_front_sad_level3_001.mp4`;

test('a shared clip gives 3 to 10 distinct face frames for training, in time order', async () => {
  await initBackend('wasm');
  const frames = await chooseClipFrames(CLIP, { minFrames: 3, maxFrames: 10 });
  assert.ok(frames.length >= 3 && frames.length <= 10, `${frames.length} frames`);
  const indices = frames.map((f) => f.index);
  assert.deepEqual(indices, [...new Set(indices)].sort((a, b) => a - b));
  assert.equal(frames[0]!.data.length, frames[0]!.width * frames[0]!.height * 3);
});
