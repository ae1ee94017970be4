import type { RunComparison } from './compare-runs.js';
import { DEFAULT_MAX_FAILURE_RATE, REPORT_FILES } from './constants.js';
import { escapeHtml } from './escape-html.js';
import type { GateOptions, GateResult } from './gate.js';
import type { HistoryEntry } from './history.js';
import type { ModelCard } from './model-card.js';
import {
  renderChart,
  renderComparison,
  renderFailures,
  renderFigures,
  renderModelCard,
  renderPerClassTable,
  renderTrend,
  renderVerdict,
} from './report-sections.js';
import type { ReportMetrics, ReportRow } from './types.js';

/**
 * Content Security Policy of the report: nothing may be fetched or run, only inline styles and
 * data: images, so the page works offline and a model card cannot reach the network.
 */
export const REPORT_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'";

/** Everything report.html shows about one run. */
export interface ReportInput {
  /** Run folder name, e.g. "2026-12-04T170102Z". */
  runName: string;
  /** Start of the run. */
  time: Date;
  /** Dataset root that was validated. */
  root: string;
  /** Wall time of the main job in seconds. */
  seconds: number;
  metrics: ReportMetrics;
  rows: readonly ReportRow[];
  gate: GateResult;
  gateOptions: GateOptions;
  /** The two charts as PNG bytes (rendered at PNG_SCALE); shown inline. */
  charts: { confusionPng: Uint8Array; perClassPng: Uint8Array };
  /** Earlier run compared with (folder path or name) and the comparison; null when none. */
  comparison: { against: string; result: RunComparison } | null;
  /** history.csv including this run, oldest first. */
  history: readonly HistoryEntry[];
  modelCard: ModelCard;
}

/** Renders the self-contained report.html of a run: inline images and styles, no URLs. */
export function renderReportHtml(input: ReportInput): string {
  const { metrics, gate } = input;
  const maxFailureRate = input.gateOptions.maxFailureRate ?? DEFAULT_MAX_FAILURE_RATE;
  const title = `Validation report ${input.runName}`;
  const sections = [
    `<h1>${escapeHtml(title)}</h1>`,
    renderRunFacts(input),
    renderVerdict(gate, input.gateOptions.failUnder, maxFailureRate),
    section('Figures', renderFigures(metrics, gate)),
    section('Charts', renderCharts(input)),
    section('Per-class accuracy', renderPerClassTable(metrics)),
    section('Changes since the earlier run',
      renderComparison(input.comparison?.against ?? null, input.comparison?.result ?? null)),
    section('Failed clips', renderFailures(input.rows)),
    section('Trend', renderTrend(input.history)),
    section('Model card', renderModelCard(metrics, input.modelCard)),
  ];
  return renderPage(title, sections.join('\n'));
}

function renderRunFacts(input: ReportInput): string {
  const model = input.metrics.model;
  return `<p class="facts">${escapeHtml(input.time.toISOString())} · data ` +
    `<code>${escapeHtml(input.root)}</code> · model ${escapeHtml(model.name)} ` +
    `(${escapeHtml(model.backend)}) · ${input.seconds.toFixed(1)} s · ` +
    `mre-video ${escapeHtml(input.metrics.tool.version)}</p>`;
}

function renderCharts(input: ReportInput): string {
  return [
    renderChart({ title: 'Confusion matrix', png: input.charts.confusionPng,
      svgFile: REPORT_FILES.confusionSvg }),
    renderChart({ title: 'Per-class accuracy', png: input.charts.perClassPng,
      svgFile: REPORT_FILES.perClassSvg }),
  ].join('\n');
}

function section(title: string, body: string): string {
  return `<section>\n<h2>${escapeHtml(title)}</h2>\n${body}\n</section>`;
}

function renderPage(title: string, body: string): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${REPORT_STYLE}</style>`,
    '</head>',
    '<body>',
    body,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

const REPORT_STYLE = `
body { font-family: sans-serif; margin: 24px auto; max-width: 1100px; color: #222;
  padding: 0 16px; }
h1 { font-size: 24px; margin-bottom: 4px; }
h2 { font-size: 19px; border-bottom: 1px solid #ddd; padding-bottom: 4px; margin-top: 28px; }
table { border-collapse: collapse; margin: 8px 0; font-size: 14px; }
th, td { border: 1px solid #ddd; padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #f4f4f4; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
figure { display: inline-block; margin: 8px 24px 8px 0; vertical-align: top; }
figcaption { font-size: 13px; color: #555; }
img { max-width: 100%; height: auto; }
.facts { color: #555; font-size: 14px; }
.verdict { font-size: 17px; padding: 8px 12px; border-radius: 4px; }
.verdict.pass { background: #e3f4e1; border: 1px solid #7bbf72; }
.verdict.fail { background: #fbe3e1; border: 1px solid #d9776d; }
.verdict .rule { font-size: 13px; color: #555; }
.note { color: #a33; }
.readme { border: 1px solid #ddd; padding: 4px 16px; background: #fafafa; }
pre { background: #f4f4f4; padding: 8px; overflow-x: auto; }
`;
