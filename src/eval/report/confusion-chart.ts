import type { TopLevelSpec } from 'vega-lite';

import { MreError } from '../../errors.js';
import { chartConfig } from './chart-config.js';
import { NO_PREDICTION_LABEL } from './constants.js';
import { renderVegaLiteSvg } from './render-vega.js';
import type { ReportMetrics } from './types.js';

/** Side of one matrix cell in SVG pixels. */
const CELL_SIZE_PX = 56;

/** Row share above which a cell is dark enough to need white text. */
const DARK_CELL_SHARE = 0.5;

/** Cell colours from share 0 (white) to share 1 (dark blue). */
const SHARE_COLOUR_RANGE = ['#ffffff', '#08519c'] as const;

/** Thin grid between the cells. */
const CELL_BORDER_COLOUR = '#dddddd';

/** Text colour of cells with no clip, so the non-empty cells stand out. */
const ZERO_COUNT_COLOUR = '#b0b0b0';

/** One cell of the confusion matrix as chart data. */
export interface ConfusionCell {
  truth: string;
  predicted: string;
  count: number;
  /** count / (clips of this true class); 0 for an empty row. */
  share: number;
}

/** Turns the 7 x 8 count matrix into cells with row-normalised shares. */
export function buildConfusionCells(metrics: ReportMetrics): ConfusionCell[] {
  const columns = listConfusionColumns(metrics);
  assertConfusionShape(metrics, columns.length);
  return metrics.classes.flatMap((truth, row) => {
    const counts = metrics.confusion[row] ?? [];
    const total = counts.reduce((sum, count) => sum + count, 0);
    return columns.map((predicted, col) => {
      const count = counts[col] ?? 0;
      return { truth, predicted, count, share: total > 0 ? count / total : 0 };
    });
  });
}

/** Builds the Vega-Lite heat map: truth down, prediction across, counts in the cells. */
export function buildConfusionSpec(metrics: ReportMetrics): TopLevelSpec {
  const columns = listConfusionColumns(metrics);
  return {
    title: {
      text: 'Confusion matrix',
      subtitle: 'colour: share of the true class (rows normalised); number: clips',
    },
    data: { values: buildConfusionCells(metrics) },
    width: CELL_SIZE_PX * columns.length,
    height: CELL_SIZE_PX * metrics.classes.length,
    encoding: {
      x: { field: 'predicted', type: 'nominal', sort: columns, title: 'predicted',
        axis: { labelAngle: -30 } },
      y: { field: 'truth', type: 'nominal', sort: [...metrics.classes], title: 'truth' },
    },
    layer: buildCellLayers(),
    config: chartConfig(),
  };
}

/** Coloured cells with their counts on top, white text on dark cells, grey zeros. */
function buildCellLayers(): Extract<TopLevelSpec, { layer: unknown }>['layer'] {
  return [
    { mark: { type: 'rect', stroke: CELL_BORDER_COLOUR, strokeWidth: 1 }, encoding: { color: {
      field: 'share', type: 'quantitative', title: 'row share',
      scale: { domain: [0, 1], range: [...SHARE_COLOUR_RANGE], interpolate: 'rgb' },
      legend: { format: '.0%' },
    } } },
    { mark: { type: 'text', fontSize: 14 }, encoding: {
      text: { field: 'count', type: 'quantitative' },
      color: {
        condition: [
          { test: `datum.share > ${DARK_CELL_SHARE}`, value: 'white' },
          { test: 'datum.count === 0', value: ZERO_COUNT_COLOUR },
        ],
        value: 'black',
      },
    } },
  ];
}

/** Renders the confusion matrix of a run to SVG. */
export async function renderConfusionSvg(metrics: ReportMetrics): Promise<string> {
  return renderVegaLiteSvg(buildConfusionSpec(metrics));
}

function listConfusionColumns(metrics: ReportMetrics): string[] {
  return [...metrics.classes, NO_PREDICTION_LABEL];
}

function assertConfusionShape(metrics: ReportMetrics, columnCount: number): void {
  const rows = metrics.confusion;
  const badRow = rows.findIndex((row) => row.length !== columnCount);
  if (rows.length !== metrics.classes.length || badRow >= 0) {
    throw new MreError(
      'DATA',
      `confusion matrix must be ${metrics.classes.length} x ${columnCount}, got ` +
        `${rows.length} rows${badRow >= 0 ? ` (row ${badRow} has ${rows[badRow]?.length})` : ''}`,
    );
  }
}
