import { escapeHtml } from './escape-html.js';

/** Heading levels are shifted by this much so a model card's `#` sits under the report's h2. */
const HEADING_SHIFT = 2;

/** Deepest HTML heading level. */
const MAX_HEADING_LEVEL = 6;

type Block =
  | { kind: 'code'; lines: string[] }
  | { kind: 'heading'; level: number; text: string }
  | { kind: 'list'; ordered: boolean; items: string[] }
  | { kind: 'table'; lines: string[] }
  | { kind: 'paragraph'; lines: string[] };

/**
 * Renders a small, safe subset of Markdown to HTML: headings, paragraphs, bullet and numbered
 * lists, fenced code, tables (kept as preformatted text), and inline `code`, **bold** and links.
 * All text is escaped; no raw HTML passes through, and links become plain text with the address
 * in brackets, so nothing in a model card can load or run anything.
 */
export function renderMarkdownLite(markdown: string): string {
  return parseBlocks(markdown.replace(/\r\n?/g, '\n').split('\n')).map(renderBlock).join('\n');
}

/** Renders inline `code`, **bold** and [text](address) in one line of escaped text. */
export function renderInline(text: string): string {
  return text
    .split(/(`[^`]+`)/)
    .map((part, i) => (i % 2 === 1 ? renderCode(part.slice(1, -1)) : renderSpan(part)))
    .join('');
}

function renderCode(text: string): string {
  return `<code>${escapeHtml(text)}</code>`;
}

function renderSpan(text: string): string {
  return escapeHtml(text)
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
    .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, '$1 ($2)');
}

function parseBlocks(lines: string[]): Block[] {
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] ?? '';
    if (line.trim() === '') i += 1;
    else if (line.trimStart().startsWith('```')) i = takeFence(lines, i, blocks);
    else if (/^#{1,6}\s/.test(line)) i = takeHeading(line, i, blocks);
    else if (listMarker(line) !== undefined) i = takeList(lines, i, blocks);
    else if (line.trimStart().startsWith('|')) i = takeRun(lines, i, blocks, 'table');
    else i = takeRun(lines, i, blocks, 'paragraph');
  }
  return blocks;
}

function takeFence(lines: string[], start: number, blocks: Block[]): number {
  const end = lines.findIndex((line, j) => j > start && line.trimStart().startsWith('```'));
  const stop = end < 0 ? lines.length : end;
  blocks.push({ kind: 'code', lines: lines.slice(start + 1, stop) });
  return stop + 1;
}

function takeHeading(line: string, index: number, blocks: Block[]): number {
  const hashes = /^#+/.exec(line)?.[0].length ?? 1;
  const level = Math.min(hashes + HEADING_SHIFT, MAX_HEADING_LEVEL);
  blocks.push({ kind: 'heading', level, text: line.slice(hashes).trim() });
  return index + 1;
}

function takeList(lines: string[], start: number, blocks: Block[]): number {
  const ordered = listMarker(lines[start] ?? '') === 'ordered';
  const items: string[] = [];
  let i = start;
  for (; i < lines.length; i += 1) {
    const line = lines[i] ?? '';
    const marker = listMarker(line);
    if (marker === (ordered ? 'ordered' : 'bullet')) items.push(stripMarker(line));
    else if (marker === undefined && /^\s+\S/.test(line) && items.length > 0) {
      items[items.length - 1] += ` ${line.trim()}`;
    } else break;
  }
  blocks.push({ kind: 'list', ordered, items });
  return i;
}

function takeRun(
  lines: string[],
  start: number,
  blocks: Block[],
  kind: 'table' | 'paragraph',
): number {
  let i = start;
  while (i < lines.length && belongsToRun(lines[i] ?? '', kind)) i += 1;
  blocks.push({ kind, lines: lines.slice(start, Math.max(i, start + 1)) });
  return Math.max(i, start + 1);
}

function belongsToRun(line: string, kind: 'table' | 'paragraph'): boolean {
  if (kind === 'table') return line.trimStart().startsWith('|');
  const startsBlock = /^#{1,6}\s/.test(line) || line.trimStart().startsWith('```') ||
    listMarker(line) !== undefined || line.trimStart().startsWith('|');
  return line.trim() !== '' && !startsBlock;
}

function listMarker(line: string): 'bullet' | 'ordered' | undefined {
  if (/^\s{0,3}[-*+]\s+\S/.test(line)) return 'bullet';
  if (/^\s{0,3}\d{1,9}[.)]\s+\S/.test(line)) return 'ordered';
  return undefined;
}

function stripMarker(line: string): string {
  return line.replace(/^\s{0,3}(?:[-*+]|\d{1,9}[.)])\s+/, '');
}

function renderBlock(block: Block): string {
  switch (block.kind) {
    case 'code':
    case 'table':
      return `<pre><code>${escapeHtml(block.lines.join('\n'))}</code></pre>`;
    case 'heading':
      return `<h${block.level}>${renderInline(block.text)}</h${block.level}>`;
    case 'list': {
      const tag = block.ordered ? 'ol' : 'ul';
      const items = block.items.map((item) => `<li>${renderInline(item)}</li>`).join('');
      return `<${tag}>${items}</${tag}>`;
    }
    case 'paragraph':
      return `<p>${block.lines.map((line) => renderInline(line.trim())).join('\n')}</p>`;
  }
}
