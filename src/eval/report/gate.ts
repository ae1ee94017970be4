import { ACCURACY_DECIMALS, DEFAULT_MAX_FAILURE_RATE } from './constants.js';
import type { ReportMetrics } from './types.js';

/** Thresholds of the nightly gate. */
export interface GateOptions {
  /** Fail when accuracy is below this (0..1); no accuracy gate when undefined. */
  failUnder?: number;
  /** Fail when the share of clips with status `error` is above this (0..1); default 0.05. */
  maxFailureRate?: number;
}

/** The verdict of the gate and the numbers it was taken on. */
export interface GateResult {
  pass: boolean;
  /** One phrase per broken threshold, e.g. "accuracy 0.6190 < 0.7000"; empty when passing. */
  reasons: string[];
  /** Accuracy over labelled clips; null when none was labelled. */
  accuracy: number | null;
  /** Clips with status `error` divided by all clips; 0 when there are no clips. */
  failureRate: number;
  failures: number;
  clips: number;
  /** Labelled clips predicted right (sum over classes). */
  correct: number;
  labelled: number;
}

/**
 * Applies the gate: a run fails when its accuracy is under `failUnder` (a run without labelled
 * clips fails too, since it cannot show it is good enough), or when more than `maxFailureRate` of
 * its clips ended in an error. Thresholds are compared exactly, so equal values pass.
 */
export function evaluateGate(metrics: ReportMetrics, opts: GateOptions = {}): GateResult {
  const maxFailureRate = opts.maxFailureRate ?? DEFAULT_MAX_FAILURE_RATE;
  const { clips, error: failures, labelled } = metrics.counts;
  const failureRate = clips > 0 ? failures / clips : 0;
  const accuracy = finiteOrNull(metrics.accuracy);
  const reasons: string[] = [];
  if (opts.failUnder !== undefined) {
    if (accuracy === null) reasons.push('accuracy n/a (no labelled clips)');
    else if (accuracy < opts.failUnder) {
      reasons.push(`accuracy ${formatFraction(accuracy)} < ${formatFraction(opts.failUnder)}`);
    }
  }
  if (failureRate > maxFailureRate) {
    reasons.push(`failure rate ${formatFraction(failureRate)} > ${formatFraction(maxFailureRate)}`);
  }
  const correct = sumCorrect(metrics);
  return { pass: reasons.length === 0, reasons, accuracy, failureRate, failures, clips, correct,
    labelled };
}

/** Formats a 0..1 value with {@link ACCURACY_DECIMALS} places, or "n/a" for null. */
export function formatFraction(value: number | null): string {
  return value === null || !Number.isFinite(value) ? 'n/a' : value.toFixed(ACCURACY_DECIMALS);
}

function sumCorrect(metrics: ReportMetrics): number {
  return metrics.classes.reduce((sum, name) => sum + (metrics.perClass[name]?.correct ?? 0), 0);
}

function finiteOrNull(value: number | null): number | null {
  return value !== null && Number.isFinite(value) ? value : null;
}
