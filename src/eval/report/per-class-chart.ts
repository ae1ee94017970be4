import type { TopLevelSpec } from 'vega-lite';

import { chartConfig } from './chart-config.js';
import { ACCURACY_DECIMALS } from './constants.js';
import { renderVegaLiteSvg } from './render-vega.js';
import type { ReportMetrics } from './types.js';

/** Width of one class's bar slot in SVG pixels. */
const BAR_SLOT_PX = 64;

/** Height of the plot area in SVG pixels. */
const PLOT_HEIGHT_PX = 260;

/** Bar fill and mean-rule stroke colours. */
const BAR_COLOUR = '#4c78a8';
const MEAN_COLOUR = '#e45756';

/** One bar of the per-class chart. */
export interface PerClassBar {
  name: string;
  /** correct / n, or null when the class has no labelled clip. */
  accuracy: number | null;
  /** Text above the bar, e.g. "0.67 (2/3)" or "n=0". */
  caption: string;
}

/** Lists the classes in matrix order with their accuracy and a caption. */
export function buildPerClassBars(metrics: ReportMetrics): PerClassBar[] {
  return metrics.classes.map((name) => {
    const tally = metrics.perClass[name];
    if (tally === undefined || tally.n === 0) return { name, accuracy: null, caption: 'n=0' };
    const accuracy = tally.correct / tally.n;
    return { name, accuracy, caption: `${accuracy.toFixed(2)} (${tally.correct}/${tally.n})` };
  });
}

/** Builds the Vega-Lite bar chart of per-class accuracy with the class mean as a rule. */
export function buildPerClassSpec(metrics: ReportMetrics): TopLevelSpec {
  const mean = metrics.meanClassAccuracy;
  const hasMean = mean !== null && Number.isFinite(mean);
  const bars = buildPerClassBars(metrics).map((bar) => ({ ...bar, value: bar.accuracy ?? 0 }));
  return {
    title: { text: 'Per-class accuracy', subtitle: describeMean(mean) },
    width: BAR_SLOT_PX * metrics.classes.length,
    height: PLOT_HEIGHT_PX,
    encoding: {
      y: { field: 'value', type: 'quantitative', title: 'accuracy', scale: { domain: [0, 1] } },
    },
    layer: [
      { data: { values: bars }, mark: { type: 'bar', color: BAR_COLOUR },
        encoding: { x: classAxis(metrics) } },
      { data: { values: bars }, mark: { type: 'text', dy: -8, fontSize: 11 },
        encoding: { x: classAxis(metrics), text: { field: 'caption', type: 'nominal' } } },
      ...(hasMean ? [{ data: { values: [{ value: mean }] },
        mark: { type: 'rule' as const, color: MEAN_COLOUR, strokeDash: [6, 4], strokeWidth: 2 } }]
        : []),
    ],
    config: chartConfig(),
  };
}

/** Renders the per-class accuracy chart of a run to SVG. */
export async function renderPerClassSvg(metrics: ReportMetrics): Promise<string> {
  return renderVegaLiteSvg(buildPerClassSpec(metrics));
}

function classAxis(metrics: ReportMetrics): {
  field: string; type: 'nominal'; sort: string[]; title: string; axis: { labelAngle: number };
} {
  return { field: 'name', type: 'nominal', sort: [...metrics.classes], title: 'class',
    axis: { labelAngle: 0 } };
}

function describeMean(mean: number | null): string {
  if (mean === null || !Number.isFinite(mean)) return 'no labelled clips';
  return `dashed line: mean per-class accuracy ${mean.toFixed(ACCURACY_DECIMALS)}`;
}
