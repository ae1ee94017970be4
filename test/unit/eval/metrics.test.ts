import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { EmotionClass } from '../../../src/classes.js';
import {
  computeMetrics,
  formatConfusionTable,
  formatMetricsSummary,
  formatPerClassTable,
} from '../../../src/eval/metrics.js';
import { createFailedRow, type ResultRow } from '../../../src/pipeline/rows.js';

const INFO = {
  model: { name: 'mre-test', sha256: 'ab12', backend: 'cpu' },
  toolVersion: '0.1.0',
};

/** A classified row; the scores do not matter to the metrics. */
function okRow(clip: string, label: EmotionClass, truth: EmotionClass | null): ResultRow {
  return {
    clip,
    label,
    confidence: 0.9,
    scores: [0.1, 0, 0, 0.9, 0, 0, 0],
    frames: 3,
    faces: 1,
    status: 'ok',
    error: null,
    truth,
    correct: truth === null ? null : label === truth,
  };
}

/**
 * By hand: angry 3 clips (angry, angry, sad), happy 2 (happy, no face), sad 1 (error),
 * neutral 1 (surprise), plus two unlabelled clips. Correct 3 of 7 labelled, 3 of 5 predicted;
 * per-class 2/3, 1/2, 0, 0 → mean 0.291667.
 */
const ROWS: ResultRow[] = [
  okRow('a1.mp4', 'angry', 'angry'),
  okRow('a2.mp4', 'angry', 'angry'),
  okRow('a3.mp4', 'sad', 'angry'),
  okRow('h1.mp4', 'happy', 'happy'),
  createFailedRow('h2.mp4', 'no_face', 'no face found', { truth: 'happy' }),
  createFailedRow('s1.mp4', 'error', 'cannot decode', { truth: 'sad' }),
  okRow('n1.mp4', 'surprise', 'neutral'),
  okRow('u1.mp4', 'happy', null),
  createFailedRow('u2.mp4', 'no_face', 'no face found'),
];

test('accuracy counts a labelled clip without a prediction as wrong', () => {
  const m = computeMetrics(ROWS, INFO);
  assert.equal(m.accuracy, 0.4286);
  assert.equal(m.accuracyOnFaces, 0.6);
  assert.equal(m.meanClassAccuracy, 0.2917);
});

test('the confusion matrix has a none column for labelled clips without a prediction', () => {
  const m = computeMetrics(ROWS, INFO);
  assert.deepEqual(m.confusion, [
    [2, 0, 0, 0, 1, 0, 0, 0],
    [0, 0, 0, 0, 0, 0, 0, 0],
    [0, 0, 0, 0, 0, 0, 0, 0],
    [0, 0, 0, 1, 0, 0, 0, 1],
    [0, 0, 0, 0, 0, 0, 0, 1],
    [0, 0, 0, 0, 0, 0, 0, 0],
    [0, 0, 0, 0, 0, 1, 0, 0],
  ]);
});

test('per-class tallies give null accuracy for classes without clips', () => {
  const m = computeMetrics(ROWS, INFO);
  assert.deepEqual(m.perClass.angry, { n: 3, correct: 2, accuracy: 0.6667 });
  assert.deepEqual(m.perClass.happy, { n: 2, correct: 1, accuracy: 0.5 });
  assert.deepEqual(m.perClass.sad, { n: 1, correct: 0, accuracy: 0 });
  assert.deepEqual(m.perClass.fear, { n: 0, correct: 0, accuracy: null });
  assert.deepEqual(Object.keys(m.perClass), m.classes);
});

test('the metrics object has exactly the documented keys, counts, model and tool', () => {
  const m = computeMetrics(ROWS, INFO);
  assert.deepEqual(Object.keys(m), [
    'accuracy', 'accuracyOnFaces', 'meanClassAccuracy', 'classes', 'perClass', 'confusion',
    'counts', 'model', 'tool',
  ]);
  assert.deepEqual(m.classes, ['angry', 'disgust', 'fear', 'happy', 'sad', 'surprise', 'neutral']);
  assert.deepEqual(m.counts, { clips: 9, labelled: 7, ok: 6, no_face: 2, error: 1 });
  assert.deepEqual(m.model, INFO.model);
  assert.deepEqual(m.tool, { version: '0.1.0' });
});

test('without labelled clips every ratio is null', () => {
  const m = computeMetrics([okRow('x.mp4', 'happy', null)], INFO);
  assert.equal(m.accuracy, null);
  assert.equal(m.accuracyOnFaces, null);
  assert.equal(m.meanClassAccuracy, null);
  assert.equal(m.counts.labelled, 0);
});

test('the correct flag of a row is not trusted: label and truth decide', () => {
  const lying = { ...okRow('x.mp4', 'sad', 'happy'), correct: true };
  assert.equal(computeMetrics([lying], INFO).accuracy, 0);
});

test('the summary prints accuracy with four decimals and the counts', () => {
  const rows = Array.from({ length: 21 }, (_, i) =>
    okRow(`c${i}.mp4`, i < 13 ? 'happy' : 'sad', 'happy'),
  );
  const summary = formatMetricsSummary(computeMetrics(rows, INFO));
  assert.equal(
    summary,
    'accuracy: 0.6190 (13/21)\n' +
      'accuracy on clips with a face: 0.6190 (13/21)\n' +
      'mean per-class accuracy: 0.6190',
  );
});

test('the summary of the hand-computed run names both denominators', () => {
  assert.equal(
    formatMetricsSummary(computeMetrics(ROWS, INFO)),
    'accuracy: 0.4286 (3/7)\n' +
      'accuracy on clips with a face: 0.6000 (3/5)\n' +
      'mean per-class accuracy: 0.2917',
  );
});

test('the summary says n/a when nothing is labelled', () => {
  const summary = formatMetricsSummary(computeMetrics([], INFO));
  assert.match(summary, /^accuracy: n\/a \(0\/0\)$/m);
});

test('the confusion table has a header and one aligned line per true class', () => {
  const lines = formatConfusionTable(computeMetrics(ROWS, INFO)).split('\n');
  assert.equal(lines.length, 8);
  assert.match(lines[0] ?? '', /^truth \\ predicted\s+angry\s+disgust.*neutral\s+none$/);
  assert.match(lines[1] ?? '', /^angry\s+2\s+0\s+0\s+0\s+1\s+0\s+0\s+0$/);
  assert.match(lines[4] ?? '', /^happy\s+0\s+0\s+0\s+1\s+0\s+0\s+0\s+1$/);
  const widths = new Set(lines.map((l) => l.length));
  assert.equal(widths.size, 1);
});

test('the per-class table lists n, correct and accuracy of every class', () => {
  const lines = formatPerClassTable(computeMetrics(ROWS, INFO)).split('\n');
  assert.equal(lines.length, 8);
  assert.match(lines[1] ?? '', /^angry\s+3\s+2\s+0\.6667$/);
  assert.match(lines[3] ?? '', /^fear\s+0\s+0\s+n\/a$/);
});
