/** The validation report layer: charts, report.html, history, comparison and the gate. */
export { compareRuns, computeRowAccuracy, type LabelChange, type RunComparison } from
  './compare-runs.js';
export { buildConfusionCells, buildConfusionSpec, renderConfusionSvg } from
  './confusion-chart.js';
export * from './constants.js';
export { evaluateGate, formatFraction, type GateOptions, type GateResult } from './gate.js';
export {
  appendHistory,
  buildHistoryEntry,
  formatHistoryLine,
  HISTORY_COLUMNS,
  parseHistory,
  readHistory,
  type HistoryEntry,
} from './history.js';
export { renderMarkdownLite } from './markdown-lite.js';
export { readModelCard, summariseManifest, type ModelCard } from './model-card.js';
export { buildPerClassBars, buildPerClassSpec, renderPerClassSvg } from './per-class-chart.js';
export { renderReportHtml, REPORT_CSP, type ReportInput } from './report-html.js';
export { createRunFolder, formatRunStamp, type RunFolder } from './run-folder.js';
export { formatSummaryLine } from './summary-line.js';
export { svgToPng } from './svg-to-png.js';
export type { ReportMetrics, ReportRow } from './types.js';
export { resolveValidateOptions, type ValidateOptions } from './validate-options.js';
export {
  runValidation,
  type MainJobRequest,
  type MainJobResult,
  type ValidationDeps,
} from './validate-run.js';
export { writeRunReport } from './write-run-report.js';
