import type { TopLevelSpec } from 'vega-lite';

import { CHART_FONT_FAMILY } from './constants.js';

/** Font, sizes and background shared by the report's charts. */
export function chartConfig(): NonNullable<TopLevelSpec['config']> {
  return {
    font: CHART_FONT_FAMILY,
    background: 'white',
    padding: 12,
    axis: { labelFontSize: 12, titleFontSize: 13 },
    legend: { labelFontSize: 11, titleFontSize: 12 },
    title: { fontSize: 16, subtitleFontSize: 12, offset: 14 },
  };
}
