import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { batchIndices, learningRateAt } from '../../../src/train/train-subnetwork.js';

describe('training schedule', () => {
  it('decays the learning rate linearly from its start to 0 over the iterations', () => {
    assert.equal(learningRateAt(0.001, 0, 100), 0.001);
    assert.equal(learningRateAt(0.01, 50, 100), 0.005);
    assert.equal(learningRateAt(0.01, 100, 100), 0);
  });

  it('visits every sample once per epoch and is the same when recomputed', () => {
    const count = 10;
    const epoch = [0, 1, 2, 3, 4].flatMap((it) => batchIndices(9, count, it, 2));
    assert.deepEqual([...epoch].sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.deepEqual(batchIndices(9, count, 3, 2), epoch.slice(6, 8));
  });

  it('fills a batch that crosses an epoch boundary from the next epoch', () => {
    const batch = batchIndices(5, 3, 1, 2);
    assert.equal(batch.length, 2);
    batch.forEach((i) => assert.ok(i >= 0 && i < 3));
  });
});
