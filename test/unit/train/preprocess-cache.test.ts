import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';

import { silentLogger } from '../../../src/log.js';
import {
  decodeCache,
  encodeCache,
  loadCachedFaces,
  preprocessDataset,
  type CacheEntry,
} from '../../../src/train/preprocess-cache.js';

describe('preprocessing cache file', () => {
  it('round-trips kept and dropped entries exactly', () => {
    const settings = { inputSize: 2, channels: 1 } as const;
    const landmarks = Array.from({ length: 68 }, (_, i) => [i * 0.5, 68 - i * 0.25] as const);
    const entries: CacheEntry[] = [
      { key: 'a', source: 'x/happy/1.png', label: 3, status: 'whole-image',
        face: { size: 4, channels: 1, pixels: Uint8Array.from({ length: 16 }, (_, i) => i),
          landmarks, label: 3 } },
      { key: 'b', source: 'x/sad/2.png', label: 4, status: 'dropped' },
      { key: 'c', source: 'x/fear/3.png', label: 2, status: 'detected',
        face: { size: 4, channels: 1, pixels: new Uint8Array(16).fill(200), landmarks, label: 2 } },
    ];
    const decoded = decodeCache(encodeCache(entries, settings), 'mem');
    assert.equal(decoded.length, 3);
    assert.equal(decoded[1]?.face, undefined);
    assert.deepEqual([...(decoded[0]?.face?.pixels ?? [])], [...(entries[0]?.face?.pixels ?? [])]);
    assert.deepEqual(decoded[2]?.face?.landmarks, landmarks);
    assert.equal(decoded[2]?.status, 'detected');
  });

  it('is written even for a root without items, so loading it gives no faces', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'mre-cache-'));
    try {
      const target = { root: path.join(dir, 'data'), items: [], cacheDir: path.join(dir, 'c') };
      const noNets = () => Promise.reject(new Error('nothing should need the face nets'));
      const settings = { inputSize: 2, channels: 1 } as const;
      const done = await preprocessDataset(target, settings, noNets, silentLogger);
      assert.deepEqual(done.set, { faces: [], sources: [] });
      assert.deepEqual(await loadCachedFaces(done.cacheFile), { faces: [], sources: [] });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
