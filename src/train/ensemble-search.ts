import { NUM_CLASSES } from '../classes.js';
import { REGIONS, type RegionName } from '../model/model-config.js';
import { measureAccuracy, type AccuracyReport } from './accuracy.js';

/** Grid resolution of the ensemble search: weights are multiples of 1/ENSEMBLE_GRID_STEPS. */
export const ENSEMBLE_GRID_STEPS = 10;

/** The chosen ensemble weights and how they score. */
export interface EnsembleChoice {
  weights: Record<RegionName, number>;
  report: AccuracyReport;
}

/** Every weight triple on the simplex with step 1/steps, in a fixed order. */
export function listSimplexWeights(steps = ENSEMBLE_GRID_STEPS): Record<RegionName, number>[] {
  const out: Record<RegionName, number>[] = [];
  for (let eye = 0; eye <= steps; eye++) {
    for (let nose = 0; nose <= steps - eye; nose++) {
      out.push({ eye: eye / steps, nose: nose / steps, mouth: (steps - eye - nose) / steps });
    }
  }
  return out;
}

/** Weighted sum of the sub-networks' scores, row-major [n, NUM_CLASSES]. */
export function combineRegionScores(
  scores: Record<RegionName, Float32Array>, weights: Record<RegionName, number>,
): Float32Array {
  const n = (scores.eye.length / NUM_CLASSES) * NUM_CLASSES;
  const out = new Float32Array(n);
  for (const region of REGIONS) {
    const s = scores[region];
    const w = weights[region];
    for (let i = 0; i < n; i++) out[i] = (out[i] as number) + w * (s[i] as number);
  }
  return out;
}

/** Largest single weight: smaller means a more even ensemble (the last tie-break). */
function spread(w: Record<RegionName, number>): number {
  return Math.max(w.eye, w.nose, w.mouth);
}

/** Whether candidate `a` beats `b`: accuracy, then mean per-class accuracy, then evenness. */
function isBetter(a: EnsembleChoice, b: EnsembleChoice): boolean {
  if (a.report.accuracy !== b.report.accuracy) return a.report.accuracy > b.report.accuracy;
  if (a.report.meanPerClass !== b.report.meanPerClass) {
    return a.report.meanPerClass > b.report.meanPerClass;
  }
  return spread(a.weights) < spread(b.weights);
}

/**
 * Grid search of the ensemble weights over the simplex (step 1/ENSEMBLE_GRID_STEPS) on
 * validation scores, maximising accuracy as the paper reports it (Fan et al. 2018, Table 3).
 */
export function searchEnsembleWeights(
  scores: Record<RegionName, Float32Array>, labels: readonly number[],
): EnsembleChoice {
  let best: EnsembleChoice | undefined;
  for (const weights of listSimplexWeights()) {
    const candidate = { weights, report: measureAccuracy(combineRegionScores(scores, weights),
      labels) };
    if (best === undefined || isBetter(candidate, best)) best = candidate;
  }
  return best as EnsembleChoice;
}
