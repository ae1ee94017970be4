import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { MreError } from '../../../src/errors.js';
import type { Logger } from '../../../src/log.js';
import { initBackend } from '../../../src/model/backend.js';
import { createSubNetwork } from '../../../src/model/mre-cnn.js';
import { TINY_CONFIG } from './fixtures.js';

/** Largest score difference allowed between the wasm and cpu backends. */
const BACKEND_TOLERANCE = 1e-4;

/** A logger that keeps its debug lines. */
function createMemoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const keep = (m: string): void => {
    lines.push(m);
  };
  return { lines, error: keep, warn: keep, info: keep, debug: keep };
}

describe('initBackend', () => {
  it('falls back from the missing native packages to wasm without fetching anything', async () => {
    const realFetch = globalThis.fetch;
    let fetched = 0;
    globalThis.fetch = (() => {
      fetched += 1;
      throw new Error('no network in this test');
    }) as typeof fetch;
    const log = createMemoryLogger();
    try {
      assert.equal(await initBackend('auto', log), 'wasm');
    } finally {
      globalThis.fetch = realFetch;
    }
    assert.equal(fetched, 0);
    assert.ok(log.lines.some((l) => l.includes('@tensorflow/tfjs-node not available')));
    assert.equal(await initBackend('auto'), 'wasm');
  });

  it('refuses tensorflow when no native package loads', async () => {
    await assert.rejects(initBackend('tensorflow'), (err: unknown) => {
      return err instanceof MreError && err.code === 'BACKEND' && /tfjs-node/.test(err.message);
    });
  });

  it('gives the same scores on wasm and cpu within 1e-4', async () => {
    await initBackend('cpu');
    const net = createSubNetwork(TINY_CONFIG, 'eye', { seed: 5 });
    const shape = [4, TINY_CONFIG.inputSize, TINY_CONFIG.inputSize, 1];
    const values = Float32Array.from({ length: 4 * 24 * 24 }, (_, i) => (i % 13) / 13);
    const run = (): number[] =>
      tf.tidy(() => {
        const input = tf.tensor(values, shape);
        return Array.from((net.predict([input, input]) as tf.Tensor).dataSync());
      });
    const onCpu = run();
    assert.equal(await initBackend('wasm'), 'wasm');
    const onWasm = run();
    onCpu.forEach((v, i) => assert.ok(Math.abs(v - (onWasm[i] ?? NaN)) < BACKEND_TOLERANCE));
    assert.equal(await initBackend('cpu'), 'cpu');
    net.dispose();
  });
});
