import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { evaluateGate } from '../../../src/eval/report/gate.js';
import { formatSummaryLine } from '../../../src/eval/report/summary-line.js';
import type { ReportMetrics } from '../../../src/eval/report/types.js';
import { makeFakeMetrics } from './fake-run.js';

/** The fake run: 13 of 21 labelled clips right, 1 error among 22 clips. */
const metrics = makeFakeMetrics();

function withCounts(errors: number, clips: number): ReportMetrics {
  return { ...metrics, counts: { ...metrics.counts, error: errors, clips } };
}

describe('evaluateGate', () => {
  it('passes a run with no accuracy threshold and one error in 22 clips', () => {
    const gate = evaluateGate(metrics);
    assert.deepEqual(gate, {
      pass: true, reasons: [], accuracy: 0.619, failureRate: 1 / 22, failures: 1, clips: 22,
      correct: 13, labelled: 21,
    });
  });

  it('fails when accuracy is under --fail-under and says by how much', () => {
    const gate = evaluateGate(metrics, { failUnder: 0.7 });
    assert.equal(gate.pass, false);
    assert.deepEqual(gate.reasons, ['accuracy 0.6190 < 0.7000']);
  });

  it('passes when accuracy equals --fail-under exactly', () => {
    assert.equal(evaluateGate(metrics, { failUnder: 0.619 }).pass, true);
  });

  it('fails when the error share is over the default 5%', () => {
    const gate = evaluateGate(withCounts(2, 22));
    assert.deepEqual(gate.reasons, ['failure rate 0.0909 > 0.0500']);
  });

  it('passes when the error share equals --max-failure-rate exactly', () => {
    assert.equal(evaluateGate(withCounts(1, 20), { maxFailureRate: 0.05 }).pass, true);
  });

  it('does not count clips without a face as failures', () => {
    const many = { ...metrics, counts: { ...metrics.counts, no_face: 10, error: 0 } };
    assert.equal(evaluateGate(many).pass, true);
  });

  it('lists both reasons when both thresholds are broken', () => {
    const gate = evaluateGate(withCounts(3, 22), { failUnder: 0.9, maxFailureRate: 0.1 });
    assert.deepEqual(gate.reasons, ['accuracy 0.6190 < 0.9000', 'failure rate 0.1364 > 0.1000']);
  });

  it('fails an accuracy gate when no clip is labelled', () => {
    const none = { ...metrics, accuracy: null };
    assert.deepEqual(evaluateGate(none, { failUnder: 0.5 }).reasons,
      ['accuracy n/a (no labelled clips)']);
  });

  it('treats a run without clips as having no failures', () => {
    assert.equal(evaluateGate(withCounts(0, 0)).failureRate, 0);
  });
});

describe('formatSummaryLine', () => {
  it('prints the PASS line the scheduler logs', () => {
    const line = formatSummaryLine(evaluateGate(metrics), metrics, 'results/2026-12-04T170102Z');
    assert.equal(line, 'validate: PASS accuracy 0.6190 (13/21) mean-class 0.6190 failures 1/22 ' +
      '-> results/2026-12-04T170102Z');
  });

  it('adds the broken thresholds to a FAIL line', () => {
    const gate = evaluateGate(metrics, { failUnder: 0.75 });
    assert.equal(formatSummaryLine(gate, metrics, 'r/x'), 'validate: FAIL accuracy 0.6190 ' +
      '(13/21) mean-class 0.6190 failures 1/22 -> r/x (accuracy 0.6190 < 0.7500)');
  });
});
