import type { RunComparison } from './compare-runs.js';
import { PNG_SCALE } from './constants.js';
import { escapeHtml } from './escape-html.js';
import { formatFraction, type GateResult } from './gate.js';
import type { HistoryEntry } from './history.js';
import { renderHtmlTable, type Cell } from './html-table.js';
import { renderMarkdownLite } from './markdown-lite.js';
import type { ModelCard } from './model-card.js';
import { readPngSize } from './png-size.js';
import type { ReportMetrics, ReportRow } from './types.js';

/** Runs shown in the trend table, newest last. */
const TREND_RUNS_SHOWN = 15;

/** Clips listed as added or removed before the list is cut. */
const MAX_CLIPS_LISTED = 20;

/** Hex digits of a model hash shown in tables. */
const SHORT_HASH_CHARS = 12;

/** A chart as the report embeds it. */
export interface ReportChart {
  title: string;
  png: Uint8Array;
  /** File name of the SVG beside report.html. */
  svgFile: string;
}

/** The gate verdict, with the thresholds it used. */
export function renderVerdict(
  gate: GateResult,
  failUnder: number | undefined,
  maxFailureRate: number,
): string {
  const verdict = gate.pass ? 'PASS' : 'FAIL';
  const reasons = gate.pass ? 'all thresholds met' : gate.reasons.join('; ');
  const accuracyRule = failUnder === undefined ? 'no accuracy threshold'
    : `accuracy ≥ ${formatFraction(failUnder)}`;
  return `<p class="verdict ${verdict.toLowerCase()}"><strong>${verdict}</strong> — ` +
    `${escapeHtml(reasons)}<br><span class="rule">gate: ${escapeHtml(accuracyRule)}; ` +
    `failure rate ≤ ${escapeHtml(formatFraction(maxFailureRate))}</span></p>`;
}

/** The headline figures of the run. */
export function renderFigures(metrics: ReportMetrics, gate: GateResult): string {
  const c = metrics.counts;
  const rows: Cell[][] = [
    ['accuracy', `${formatFraction(metrics.accuracy)} (${gate.correct}/${gate.labelled})`],
    ['accuracy on clips with a face', formatFraction(metrics.accuracyOnFaces)],
    ['mean per-class accuracy', formatFraction(metrics.meanClassAccuracy)],
    ['clips', c.clips],
    ['labelled clips', c.labelled],
    ['ok / no face / error', `${c.ok} / ${c.no_face} / ${c.error}`],
    ['failure rate (error)', formatFraction(gate.failureRate)],
  ];
  return renderHtmlTable(['figure', 'value'], rows, { numeric: [1], className: 'figures' });
}

/** A chart as an inline PNG shown at its SVG size, with a link to the SVG file. */
export function renderChart(chart: ReportChart): string {
  const { width, height } = readPngSize(chart.png);
  const src = `data:image/png;base64,${Buffer.from(chart.png).toString('base64')}`;
  const shown = { width: Math.round(width / PNG_SCALE), height: Math.round(height / PNG_SCALE) };
  const size = `width="${shown.width}" height="${shown.height}"`;
  return `<figure><img src="${src}" ${size} alt="${escapeHtml(chart.title)}">` +
    `<figcaption>${escapeHtml(chart.title)} · <a href="${escapeHtml(chart.svgFile)}">SVG</a>` +
    '</figcaption></figure>';
}

/** Per-class n, correct and accuracy. */
export function renderPerClassTable(metrics: ReportMetrics): string {
  const rows = metrics.classes.map((name): Cell[] => {
    const tally = metrics.perClass[name];
    return [name, tally?.n ?? 0, tally?.correct ?? 0, formatFraction(tally?.accuracy ?? null)];
  });
  return renderHtmlTable(['class', 'n', 'correct', 'accuracy'], rows, { numeric: [1, 2, 3] });
}

/** Clips that did not end `ok` (errors first, then clips without a face), with the cause. */
export function renderFailures(rows: readonly ReportRow[]): string {
  const failed = [
    ...rows.filter((row) => row.status === 'error'),
    ...rows.filter((row) => row.status !== 'ok' && row.status !== 'error'),
  ];
  if (failed.length === 0) return '<p>No clip failed.</p>';
  const body = failed.map((row): Cell[] => [
    row.clip, row.status, row.error ?? '', row.truth ?? '',
  ]);
  return renderHtmlTable(['clip', 'status', 'cause', 'truth'], body, { className: 'failures' });
}

/** The comparison with an earlier run: accuracy delta and clips whose label changed. */
export function renderComparison(
  against: string | null,
  comparison: RunComparison | null,
): string {
  if (against === null || comparison === null) return '<p>No earlier run to compare with.</p>';
  const delta = comparison.accuracyDelta;
  const sign = delta !== null && delta > 0 ? '+' : '';
  const head = `<p>Compared with <code>${escapeHtml(against)}</code>: accuracy ` +
    `${formatFraction(comparison.previousAccuracy)} → ${formatFraction(comparison.accuracy)} ` +
    `(<strong>${delta === null ? 'n/a' : sign + formatFraction(delta)}</strong>); ` +
    `${comparison.common} clips in both runs, ${comparison.changed.length} changed label.</p>`;
  return [head, renderChanges(comparison), renderClipList('New clips', comparison.added),
    renderClipList('Clips no longer present', comparison.removed)].join('\n');
}

/** The last runs of history.csv, newest last. */
export function renderTrend(history: readonly HistoryEntry[]): string {
  if (history.length === 0) return '<p>No runs recorded yet.</p>';
  const rows = history.slice(-TREND_RUNS_SHOWN).map((e): Cell[] => [
    e.time, e.run, formatFraction(e.accuracy), formatFraction(e.meanClassAccuracy), e.clips,
    e.failures, e.seconds.toFixed(1), e.modelSha256.slice(0, SHORT_HASH_CHARS),
  ]);
  const headers = ['time', 'run', 'accuracy', 'mean-class', 'clips', 'failures', 'seconds',
    'model'];
  return renderHtmlTable(headers, rows, { numeric: [2, 3, 4, 5, 6] });
}

/** The model: what the metrics say, the manifest summary and the README as Markdown-lite. */
export function renderModelCard(metrics: ReportMetrics, card: ModelCard): string {
  const m = metrics.model;
  const facts = renderHtmlTable(['field', 'value'], [
    ['name', m.name], ['sha256', m.sha256], ['backend', m.backend],
    ['folder', card.dir ?? '(shipped default)'], ['tool version', metrics.tool.version],
  ], { className: 'model-facts' });
  const manifest = card.manifest === null ? '<p>No manifest.json in the model folder.</p>'
    : renderHtmlTable(['manifest', 'value'], card.manifest.map((e) => [e.key, e.value]));
  const notes = card.notes.map((note) => `<p class="note">${escapeHtml(note)}</p>`).join('\n');
  const readme = card.readme === null ? '<p>No README.md in the model folder.</p>'
    : `<div class="readme">${renderMarkdownLite(card.readme)}</div>`;
  return [facts, manifest, notes, readme].filter((part) => part !== '').join('\n');
}

function renderChanges(comparison: RunComparison): string {
  if (comparison.changed.length === 0) return '<p>No clip changed label.</p>';
  const effect = (e: -1 | 0 | 1): string => (e > 0 ? 'fixed' : e < 0 ? 'broken' : '');
  const rows = comparison.changed.map((c): Cell[] => [
    c.clip, c.truth ?? '', c.before, c.after, effect(c.effect),
  ]);
  return renderHtmlTable(['clip', 'truth', 'before', 'after', 'effect'], rows,
    { className: 'changes' });
}

function renderClipList(title: string, clips: readonly string[]): string {
  if (clips.length === 0) return '';
  const shown = clips.slice(0, MAX_CLIPS_LISTED).map((clip) => `<li>${escapeHtml(clip)}</li>`);
  const hidden = clips.length - shown.length;
  const more = hidden > 0 ? `<li>… ${hidden} more</li>` : '';
  return `<p>${escapeHtml(title)} (${clips.length}):</p><ul>${shown.join('')}${more}</ul>`;
}
