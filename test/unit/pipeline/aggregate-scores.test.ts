import assert from 'node:assert/strict';
import { test } from 'node:test';

import { aggregateFrameScores, argMax } from '../../../src/pipeline/aggregate-scores.js';

test('the clip label is the class with the highest mean frame score', () => {
  const verdict = aggregateFrameScores([
    [0.5, 0, 0, 0.5, 0, 0, 0],
    [0.1, 0, 0, 0.7, 0, 0, 0.2],
  ]);
  assert.ok(verdict);
  assert.equal(verdict.label, 'happy');
  assert.equal(verdict.confidence, 0.6);
  assert.deepEqual(verdict.scores, [0.3, 0, 0, 0.6, 0, 0, 0.1]);
});

test('no frames give no verdict rather than NaN scores', () => {
  assert.equal(aggregateFrameScores([]), null);
});

test('a score vector of the wrong length is refused', () => {
  assert.throws(() => aggregateFrameScores([[1, 0]]), /expected 7 scores per frame, got 2/);
});

test('ties go to the first class in the fixed order', () => {
  assert.equal(argMax([0.2, 0.4, 0.4]), 1);
});
