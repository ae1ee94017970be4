import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';

import type { BackendChoice } from '../../src/model/backend.js';
import type { ClipOutcome } from '../../src/pipeline/classify-clip.js';
import { UNTRAINED_MODEL_DIR } from '../../src/pipeline/default-model.js';
import {
  createWorkerPool,
  resolveWorkerEntry,
  type WorkerPoolOptions,
} from '../../src/pipeline/worker-pool.js';
import { SHARED_DATA } from '../support/shared-data.js';

/** Largest difference allowed between scores computed by different workers. */
const SCORE_TOLERANCE = 1e-6;

const VAL = `${SHARED_DATA}/clips/val`;

/** Four shared clips of four people-emotion pairs. */
const CLIPS = [
  `${VAL}/Angry/M030_front_angry_level3_001.mp4`,
  `${VAL}/Happy/W009_front_happy_level3_001.mp4`,
  `${VAL}/Sad/W011_front_sad_level3_001.mp4`,
  `${VAL}/Surprise/M030_front_surprised_level3_001.mp4`,
];

const BASE: Omit<WorkerPoolOptions, 'workers'> = {
  modelDir: UNTRAINED_MODEL_DIR,
  backend: 'wasm',
  settings: { minFrames: 3, maxFrames: 10, keepCrops: false },
};

/** A worker that answers every clip with an ok row, and dies on the clip named `crash`. */
const FAKE_WORKER = `
const { parentPort } = require('node:worker_threads');
parentPort.postMessage({ type: 'ready',
  model: { name: 'fake', sha256: '', backend: 'none', untrained: true } });
parentPort.on('message', (request) => {
  if (request.clip === 'crash') throw new Error('boom');
  const row = { clip: request.clip, label: 'happy', confidence: 1, scores: [0, 0, 0, 1, 0, 0, 0],
    frames: 1, faces: 1, status: 'ok', error: null, truth: null, correct: null };
  parentPort.postMessage({ type: 'done', id: request.id,
    outcome: { row, frames: [], crops: [] } });
});
`;

async function classifyAll(
  workers: number, clips: string[], backend: BackendChoice = BASE.backend,
): Promise<ClipOutcome[]> {
  const pool = await createWorkerPool({ ...BASE, workers, backend });
  try {
    assert.equal(pool.model.backend, backend);
    return await Promise.all(clips.map((clip) => pool.classify(clip)));
  } finally {
    await pool.close();
  }
}

describe('worker pool', () => {
  it('finds the worker file next to its module, .ts under tsx and .js when compiled', () => {
    assert.equal(resolveWorkerEntry('file:///a/src/pipeline/worker-pool.ts').href,
      'file:///a/src/pipeline/worker-entry.ts');
    assert.equal(resolveWorkerEntry('file:///a/dist/pipeline/worker-pool.js').href,
      'file:///a/dist/pipeline/worker-entry.js');
  });

  for (const backend of ['wasm', 'onnx'] as const) {
    it(`gives the same labels and scores with one and with two workers (${backend})`, async () => {
      const one = await classifyAll(1, CLIPS, backend);
      const two = await classifyAll(2, CLIPS, backend);
      assert.equal(one.length, CLIPS.length);
      for (const [i, a] of one.entries()) {
        const b = two[i]!;
        assert.equal(a.row.status, 'ok', a.row.error ?? '');
        assert.equal(b.row.clip, a.row.clip);
        assert.equal(b.row.label, a.row.label);
        assert.equal(b.row.frames, a.row.frames);
        assert.equal(b.row.faces, a.row.faces);
        a.row.scores!.forEach((s, k) => {
          assert.ok(Math.abs(s - b.row.scores![k]!) <= SCORE_TOLERANCE,
            `${a.row.clip} class ${k}`);
        });
      }
    });
  }

  it('turns a missing clip into an error row and keeps the worker serving', async () => {
    const [missing, good] = await classifyAll(1, [`${VAL}/no-such-clip.mp4`, CLIPS[0]!]);
    assert.equal(missing?.row.status, 'error');
    assert.equal(good?.row.status, 'ok');
  });

  it('refuses to start when the workers cannot load the model', async () => {
    await assert.rejects(createWorkerPool({ ...BASE, workers: 1, modelDir: '/nonexistent' }),
      /a clip worker could not start: .*manifest\.json: missing/);
  });

  it('gives a crashed worker\'s clip an error row and replaces the worker', async () => {
    const pool = await createWorkerPool({
      ...BASE,
      workers: 1,
      spawn: () => new Worker(FAKE_WORKER, { eval: true }),
    });
    try {
      const [a, crash, b] = await Promise.all(['a', 'crash', 'b'].map((c) => pool.classify(c)));
      assert.equal(a?.row.status, 'ok');
      assert.equal(crash?.row.status, 'error');
      assert.equal(crash?.row.error, 'worker crashed: boom');
      assert.equal(b?.row.status, 'ok');
      assert.equal(pool.model.name, 'fake');
    } finally {
      await pool.close();
    }
  });

  it('rejects clips given after it was closed', async () => {
    const pool = await createWorkerPool({
      ...BASE,
      workers: 1,
      spawn: () => new Worker(FAKE_WORKER, { eval: true }),
    });
    await pool.close();
    await assert.rejects(pool.classify('a'), /worker pool is closed/);
  });
});
