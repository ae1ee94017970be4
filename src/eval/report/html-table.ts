import { escapeHtml } from './escape-html.js';

/** A table cell: plain text (escaped on output) or trusted markup built by the report. */
export type Cell = string | number | { html: string };

/** Options of {@link renderHtmlTable}. */
export interface HtmlTableOptions {
  /** 0-based columns aligned right (numbers). */
  numeric?: readonly number[];
  /** Class attribute of the table. */
  className?: string;
}

/** Renders a table with a header row; text cells are escaped, `{ html }` cells are not. */
export function renderHtmlTable(
  headers: readonly string[],
  rows: readonly (readonly Cell[])[],
  options: HtmlTableOptions = {},
): string {
  const numeric = new Set(options.numeric ?? []);
  const align = (i: number): string => (numeric.has(i) ? ' class="num"' : '');
  const head = headers.map((h, i) => `<th${align(i)}>${escapeHtml(h)}</th>`).join('');
  const renderRow = (row: readonly Cell[]): string =>
    `<tr>${row.map((cell, i) => `<td${align(i)}>${renderCell(cell)}</td>`).join('')}</tr>`;
  const body = rows.map(renderRow).join('\n');
  const cls = options.className === undefined ? '' : ` class="${escapeHtml(options.className)}"`;
  return `<table${cls}>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

function renderCell(cell: Cell): string {
  if (typeof cell === 'number') return escapeHtml(String(cell));
  return typeof cell === 'string' ? escapeHtml(cell) : cell.html;
}
