import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { MreError } from '../../../src/errors.js';
import { validateTrainOptions } from '../../../src/train/train-options.js';

describe('train options', () => {
  it('fills in the paper defaults for alexnet and vgg16', () => {
    const alex = validateTrainOptions({ data: ['d'], out: 'o' });
    assert.equal(alex.batchSize, 64);
    assert.equal(alex.lr, 0.001);
    assert.equal(alex.iterations, 30000);
    assert.equal(alex.momentum, 0.9);
    assert.equal(alex.weightDecay, 1e-4);
    assert.equal(alex.cache, 'o/.cache/mre-video');
    assert.equal(alex.classBalance, 0);
    const vgg = validateTrainOptions({ data: ['d'], out: 'o', arch: 'vgg16' });
    assert.equal(vgg.batchSize, 16);
    assert.equal(vgg.lr, 1e-4);
    assert.equal(vgg.iterations, 20000);
  });

  it('returns a frozen copy and keeps explicit values', () => {
    const o = validateTrainOptions({ data: ['d'], out: 'o', lr: 0.5, iterations: 7 });
    assert.ok(Object.isFrozen(o));
    assert.equal(o.lr, 0.5);
    assert.equal(o.iterations, 7);
  });

  for (const [name, bad] of [
    ['data', { data: [] }], ['lr', { lr: 0 }], ['iterations', { iterations: 1.5 }],
    ['batch-size', { batchSize: 0 }], ['input-size', { inputSize: 8 }], ['width', { width: 5 }],
    ['eval-every', { evalEvery: -1 }], ['momentum', { momentum: 1 }],
    ['arch', { arch: 'resnet' }], ['regions', { regions: ['ear'] }],
    ['class-balance', { classBalance: 1.5 }], ['class-balance', { classBalance: Number.NaN }],
  ] as [string, object][]) {
    it(`names --${name} when it is invalid`, () => {
      assert.throws(() => validateTrainOptions({ data: ['d'], out: 'o', ...bad }),
        (err: unknown) => err instanceof MreError && err.code === 'USAGE'
          && err.message.startsWith(`--${name} `));
    });
  }
});
