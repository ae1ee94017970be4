import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  buildConfusionCells,
  renderConfusionSvg,
} from '../../../src/eval/report/confusion-chart.js';
import { buildPerClassBars, renderPerClassSvg } from '../../../src/eval/report/per-class-chart.js';
import { readPngSize } from '../../../src/eval/report/png-size.js';
import { svgToPng } from '../../../src/eval/report/svg-to-png.js';
import { makeFakeMetrics } from './fake-run.js';

const metrics = makeFakeMetrics();

/** The width and height attributes of an SVG root element. */
function readSvgSize(svg: string): { width: number; height: number } {
  const match = /<svg[^>]*\swidth="(\d+)"[^>]*\sheight="(\d+)"/.exec(svg);
  return { width: Number(match?.[1]), height: Number(match?.[2]) };
}

describe('confusion matrix chart', () => {
  it('normalises each row by the clips of its true class and keeps the counts', () => {
    const cells = buildConfusionCells(metrics);
    assert.equal(cells.length, 7 * 8);
    const fear = cells.filter((c) => c.truth === 'fear' && c.count > 0);
    assert.deepEqual(fear.map((c) => [c.predicted, c.count, c.share]),
      [['fear', 1, 1 / 3], ['sad', 1, 1 / 3], ['surprise', 1, 1 / 3]]);
    const neutralNone = cells.find((c) => c.truth === 'neutral' && c.predicted === 'none');
    assert.deepEqual([neutralNone?.count, neutralNone?.share], [1, 1 / 3]);
  });

  it('gives an empty row shares of 0 instead of NaN', () => {
    const empty = { ...metrics, confusion: metrics.confusion.map((row) => row.map(() => 0)) };
    assert.ok(buildConfusionCells(empty).every((c) => c.share === 0));
  });

  it('rejects a matrix that is not 7 x 8', () => {
    const bad = { ...metrics, confusion: metrics.confusion.map((row) => row.slice(0, 7)) };
    assert.throws(() => buildConfusionCells(bad), /must be 7 x 8, got 7 rows \(row 0 has 7\)/);
  });

  it('renders an SVG with the class names on both axes and the none column', async () => {
    const svg = await renderConfusionSvg(metrics);
    assert.match(svg, /^<svg /);
    for (const name of [...metrics.classes, 'none', 'truth', 'predicted']) {
      assert.match(svg, new RegExp(`>${name}</text>`));
    }
    assert.ok(!/https?:\/\/(?!www\.w3\.org)/.test(svg), 'no external URL in the SVG');
  });
});

describe('per-class accuracy chart', () => {
  it('captions each class with accuracy and counts, and marks empty classes n=0', () => {
    const bars = buildPerClassBars(metrics);
    assert.deepEqual(bars.slice(0, 3).map((b) => b.caption), ['0.67 (2/3)', '0.33 (1/3)',
      '0.33 (1/3)']);
    const noSad = { ...metrics, perClass: { ...metrics.perClass,
      sad: { n: 0, correct: 0, accuracy: null } } };
    assert.deepEqual(buildPerClassBars(noSad)[4], { name: 'sad', accuracy: null, caption: 'n=0' });
  });

  it('renders an SVG naming every class and the mean', async () => {
    const svg = await renderPerClassSvg(metrics);
    for (const name of metrics.classes) assert.match(svg, new RegExp(`>${name}</text>`));
    assert.match(svg, /mean per-class accuracy 0\.6190/);
  });
});

describe('svgToPng', () => {
  it('rasterises at twice the SVG size', async () => {
    const svg = await renderConfusionSvg(metrics);
    const size = readSvgSize(svg);
    const png = await svgToPng(svg);
    assert.deepEqual(readPngSize(png), { width: size.width * 2, height: size.height * 2 });
  });

  it('rejects input that is not SVG', async () => {
    await assert.rejects(svgToPng('not an svg'), /could not rasterise/);
  });
});
