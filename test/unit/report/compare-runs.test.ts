import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { compareRuns, computeRowAccuracy } from '../../../src/eval/report/compare-runs.js';
import { createFailedRow } from '../../../src/pipeline/rows.js';
import { makeFakeRows, makeOkRow } from './fake-run.js';

/** Tolerance for accuracy deltas computed from fractions. */
const DELTA_TOLERANCE = 1e-12;

describe('compareRuns', () => {
  it('finds no change between a run and itself', () => {
    const rows = makeFakeRows();
    const result = compareRuns(rows, rows);
    assert.deepEqual(result.changed, []);
    assert.deepEqual([result.added, result.removed, result.common], [[], [], 22]);
    assert.equal(result.accuracyDelta, 0);
  });

  it('lists clips whose label changed with truth, before, after and the effect', () => {
    const before = [
      makeOkRow('a.mp4', 'sad', 'happy'),
      makeOkRow('b.mp4', 'fear', 'fear'),
      makeOkRow('c.mp4', 'sad', 'angry'),
      makeOkRow('d.mp4', 'happy', 'happy'),
    ];
    const now = [
      makeOkRow('a.mp4', 'happy', 'happy'),
      makeOkRow('b.mp4', 'surprise', 'fear'),
      makeOkRow('c.mp4', 'neutral', 'angry'),
      makeOkRow('d.mp4', 'happy', 'happy'),
    ];
    assert.deepEqual(compareRuns(before, now).changed, [
      { clip: 'a.mp4', truth: 'happy', before: 'sad', after: 'happy', effect: 1 },
      { clip: 'b.mp4', truth: 'fear', before: 'fear', after: 'surprise', effect: -1 },
      { clip: 'c.mp4', truth: 'angry', before: 'sad', after: 'neutral', effect: 0 },
    ]);
  });

  it('reports a clip that lost its prediction as changed to none', () => {
    const before = [makeOkRow('a.mp4', 'sad', 'sad')];
    const now = [createFailedRow('a.mp4', 'error', 'decode failed', { truth: 'sad' })];
    assert.deepEqual(compareRuns(before, now).changed,
      [{ clip: 'a.mp4', truth: 'sad', before: 'sad', after: 'none', effect: -1 }]);
  });

  it('lists added and removed clips apart from changed ones', () => {
    const before = [makeOkRow('a.mp4', 'sad', 'sad'), makeOkRow('gone.mp4', 'sad', 'sad')];
    const now = [makeOkRow('a.mp4', 'sad', 'sad'), makeOkRow('new.mp4', 'fear', 'sad')];
    const result = compareRuns(before, now);
    assert.deepEqual([result.added, result.removed, result.common, result.changed.length],
      [['new.mp4'], ['gone.mp4'], 1, 0]);
  });

  it('computes the accuracy delta over labelled clips only', () => {
    const before = [makeOkRow('a.mp4', 'sad', 'happy'), makeOkRow('b.mp4', 'fear', 'fear'),
      makeOkRow('x.mp4', 'fear', null)];
    const now = [makeOkRow('a.mp4', 'happy', 'happy'), makeOkRow('b.mp4', 'fear', 'fear'),
      makeOkRow('x.mp4', 'sad', null)];
    const result = compareRuns(before, now);
    assert.deepEqual([result.previousAccuracy, result.accuracy], [0.5, 1]);
    assert.ok(Math.abs((result.accuracyDelta ?? Number.NaN) - 0.5) < DELTA_TOLERANCE);
    assert.equal(result.changed.length, 2);
  });

  it('has no accuracy delta when the earlier run had no labelled clip', () => {
    const result = compareRuns([makeOkRow('x.mp4', 'sad', null)], makeFakeRows());
    assert.deepEqual([result.previousAccuracy, result.accuracyDelta], [null, null]);
  });
});

describe('computeRowAccuracy', () => {
  it('counts failed labelled clips as wrong: 13 of 21 in the fake run', () => {
    assert.equal(computeRowAccuracy(makeFakeRows()), 13 / 21);
  });
});
