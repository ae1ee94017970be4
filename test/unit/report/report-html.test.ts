import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { compareRuns } from '../../../src/eval/report/compare-runs.js';
import { evaluateGate } from '../../../src/eval/report/gate.js';
import { renderReportHtml, type ReportInput } from '../../../src/eval/report/report-html.js';
import { makeFakeMetrics, makeFakeRows, makeOkRow } from './fake-run.js';

/** The smallest valid PNG header: signature and an IHDR of 100 x 50 pixels. */
const TINY_PNG = Uint8Array.from([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52,
  0, 0, 0, 100, 0, 0, 0, 50, 8, 2, 0, 0, 0,
]);

function makeInput(overrides: Partial<ReportInput> = {}): ReportInput {
  const rows = makeFakeRows();
  const metrics = makeFakeMetrics(rows);
  const previous = rows.map((r) => (r.clip === 'val/Happy/M030.mp4'
    ? makeOkRow(r.clip, 'neutral', 'happy') : r));
  return {
    runName: '2026-12-04T170102Z', time: new Date(Date.UTC(2026, 11, 4, 17, 1, 2)),
    root: 'data/val', seconds: 42, metrics, rows, gate: evaluateGate(metrics), gateOptions: {},
    charts: { confusionPng: TINY_PNG, perClassPng: TINY_PNG },
    comparison: { against: 'results/2026-12-03T170102Z', result: compareRuns(previous, rows) },
    history: [],
    modelCard: { dir: 'models/default', readme: '# MRE-CNN\n<b>bold?</b>', manifest: [
      { key: 'arch', value: 'vgg16' }], notes: [] },
    ...overrides,
  };
}

describe('renderReportHtml', () => {
  it('embeds both charts as data: PNGs shown at half their pixel size', () => {
    const html = renderReportHtml(makeInput());
    const images = html.match(/<img src="data:image\/png;base64,[^"]+" width="50" height="25"/g);
    assert.equal(images?.length, 2);
  });

  it('refers to nothing outside the page but the SVGs beside it', () => {
    const html = renderReportHtml(makeInput());
    const refs = [...html.matchAll(/(?:src|href)="([^"]*)"/g)].map((m) => m[1] ?? '');
    const outside = refs.filter((ref) => !ref.startsWith('data:'));
    assert.deepEqual(outside, ['confusion-matrix.svg', 'per-class-accuracy.svg']);
    assert.match(html, /Content-Security-Policy" content="default-src 'none'; img-src data:;/);
  });

  it('lists failed clips with their causes, errors first', () => {
    const html = renderReportHtml(makeInput());
    const error = html.indexOf('moov atom not found');
    const noFace = html.indexOf('no face in 12 frames');
    assert.ok(error > 0 && noFace > error);
  });

  it('shows the accuracy delta and the clip whose label changed', () => {
    const html = renderReportHtml(makeInput());
    assert.match(html, /accuracy 0\.5714 → 0\.6190 \(<strong>\+0\.0476<\/strong>\)/);
    assert.match(html, /<td>val\/Happy\/M030\.mp4<\/td><td>happy<\/td><td>neutral<\/td>/);
  });

  it('says so when there is no earlier run', () => {
    assert.match(renderReportHtml(makeInput({ comparison: null })),
      /No earlier run to compare with\./);
  });

  it('escapes the model card and shows the manifest summary', () => {
    const html = renderReportHtml(makeInput());
    assert.match(html, /<h3>MRE-CNN<\/h3>\n<p>&lt;b&gt;bold\?&lt;\/b&gt;<\/p>/);
    assert.match(html, /<td>arch<\/td><td>vgg16<\/td>/);
  });

  it('shows a failing verdict with its reasons', () => {
    const input = makeInput();
    const html = renderReportHtml({ ...input, gate: evaluateGate(input.metrics,
      { failUnder: 0.7 }), gateOptions: { failUnder: 0.7 } });
    assert.match(html, /<strong>FAIL<\/strong> — accuracy 0\.6190 &lt; 0\.7000/);
    assert.match(html, /gate: accuracy ≥ 0\.7000; failure rate ≤ 0\.0500/);
  });
});
