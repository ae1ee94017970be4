import { formatFraction, type GateResult } from './gate.js';
import type { ReportMetrics } from './types.js';

/**
 * The one line `validate` prints on stdout for the scheduler's log, e.g.
 * `validate: PASS accuracy 0.6190 (13/21) mean-class 0.6190 failures 0/21 -> results/<run>`;
 * a failing run adds the broken thresholds in brackets.
 */
export function formatSummaryLine(
  gate: GateResult,
  metrics: ReportMetrics,
  runDir: string,
): string {
  const verdict = gate.pass ? 'PASS' : 'FAIL';
  const parts = [
    `validate: ${verdict}`,
    `accuracy ${formatFraction(gate.accuracy)} (${gate.correct}/${gate.labelled})`,
    `mean-class ${formatFraction(metrics.meanClassAccuracy)}`,
    `failures ${gate.failures}/${gate.clips}`,
    `-> ${runDir}`,
  ];
  const reasons = gate.pass ? '' : ` (${gate.reasons.join('; ')})`;
  return `${parts.join(' ')}${reasons}`;
}
