import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';

import sharp from 'sharp';

import { compareRuns } from '../../src/eval/report/compare-runs.js';
import { REPORT_CSP } from '../../src/eval/report/report-html.js';
import { evaluateGate } from '../../src/eval/report/gate.js';
import { buildHistoryEntry } from '../../src/eval/report/history.js';
import { readModelCard } from '../../src/eval/report/model-card.js';
import { readPngSize } from '../../src/eval/report/png-size.js';
import { formatResultsCsv } from '../../src/eval/report/validate-run.js';
import { writeRunReport } from '../../src/eval/report/write-run-report.js';
import { makeFakeMetrics, makeFakeRows, makeOkRow } from '../unit/report/fake-run.js';

const run = promisify(execFile);

/** Chromium binary; the Debian package `chromium` puts it here. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Longest a Chromium run may take before the test fails, in milliseconds. */
const CHROMIUM_TIMEOUT_MS = 60_000;

/** Browser window of the screenshot, in CSS pixels. */
const WINDOW = { width: 1200, height: 2000 };

/** Colours that only the charts contain: the darkest matrix cell and the per-class bars. */
const CHART_COLOURS = { darkCell: [8, 81, 156], bar: [76, 120, 168] } as const;

/** Largest per-channel difference for a pixel to count as a chart colour. */
const COLOUR_TOLERANCE = 12;

/** Fewest pixels of each chart colour for that chart to count as drawn (a cell is ~56x56). */
const MIN_CHART_PIXELS = 500;

/** A small model card with the Markdown the report understands. */
const MODEL_README = '# MRE-CNN (VGG-16)\n\nTrained on **FER2013** train, checked on `val`.\n\n' +
  '- input: 224 x 224 RGB crops\n- regions: whole face, eyes, nose, mouth\n\n<script>x</script>\n';

/** A manifest with nested fields, as shipped models carry. */
const MODEL_MANIFEST = {
  name: 'mre-cnn-vgg16', data: { train: 'fer2013/train', val: 'fer2013/val' },
  metrics: { valAccuracy: 0.6123 }, files: [{ path: 'model.json', bytes: 1234 }],
};

const SKIP = existsSync(CHROMIUM) ? false
  : `Chromium not found at ${CHROMIUM}: install the Debian package "chromium" ` +
    '(apt-get install -y chromium) or set CHROMIUM_PATH';

let dir = '';
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mre-report-html-'));
  await writeFakeReport(dir);
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function writeFakeReport(folder: string): Promise<void> {
  const rows = makeFakeRows();
  const metrics = makeFakeMetrics(rows);
  const previous = rows.map((r) => (r.clip === 'val/Happy/W009.mp4'
    ? makeOkRow(r.clip, 'surprise', 'happy') : r));
  const time = new Date(Date.UTC(2026, 11, 4, 17, 1, 2));
  const modelDir = join(folder, 'model');
  await mkdir(modelDir);
  await writeFile(join(modelDir, 'README.md'), MODEL_README);
  await writeFile(join(modelDir, 'manifest.json'), JSON.stringify(MODEL_MANIFEST));
  const entry = buildHistoryEntry({ time, run: '2026-12-04T170102Z', metrics, seconds: 42 });
  await writeRunReport(folder, {
    runName: entry.run, time, root: 'data/clips/val', seconds: 42, metrics, rows,
    gate: evaluateGate(metrics), gateOptions: {}, history: [entry],
    comparison: { against: 'results/2026-12-03T170102Z', result: compareRuns(previous, rows) },
    modelCard: await readModelCard(modelDir), resultsCsv: formatResultsCsv(rows),
  });
}

function chromiumArgs(profile: string): string[] {
  return ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    `--user-data-dir=${profile}`, `--window-size=${WINDOW.width},${WINDOW.height}`];
}

/** A copy of report.html whose inline script writes what the browser made of each image. */
async function writeImageProbe(folder: string): Promise<string> {
  const html = await readFile(join(folder, 'report.html'), 'utf8');
  const probe = "<pre id=\"image-probe\">pending</pre><script>addEventListener('load', () => {" +
    "document.getElementById('image-probe').textContent = JSON.stringify([...document.images]" +
    '.map((i) => ({ alt: i.alt, complete: i.complete, width: i.naturalWidth, ' +
    'height: i.naturalHeight })));});</script></body>';
  const file = join(folder, 'report-probe.html');
  await writeFile(file, html.replace(REPORT_CSP, `${REPORT_CSP}; script-src 'unsafe-inline'`)
    .replace('</body>', probe));
  return file;
}

/** Pixels of a screenshot within COLOUR_TOLERANCE of `rgb`. */
async function countColour(png: string, rgb: readonly number[]): Promise<number> {
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  let count = 0;
  for (let i = 0; i < data.length; i += info.channels) {
    const near = rgb.every((v, c) => Math.abs((data[i + c] ?? 0) - v) <= COLOUR_TOLERANCE);
    if (near) count += 1;
  }
  return count;
}

describe('report.html in headless Chromium', { skip: SKIP }, () => {
  it('loads both chart images with their natural size', async () => {
    const probe = await writeImageProbe(dir);
    const { stdout } = await run(CHROMIUM, [...chromiumArgs(join(dir, 'profile-dom')),
      '--dump-dom', pathToFileURL(probe).href], { timeout: CHROMIUM_TIMEOUT_MS });
    const json = /<pre id="image-probe">([^<]*)<\/pre>/.exec(stdout)?.[1] ?? 'missing';
    const images = JSON.parse(json.replace(/&quot;/g, '"')) as unknown;
    const confusion = readPngSize(await readFile(join(dir, 'confusion-matrix.png')));
    const perClass = readPngSize(await readFile(join(dir, 'per-class-accuracy.png')));
    assert.deepEqual(images, [
      { alt: 'Confusion matrix', complete: true, ...confusion },
      { alt: 'Per-class accuracy', complete: true, ...perClass },
    ]);
    assert.ok(confusion.width > 0 && perClass.width > 0);
  });

  it('draws the charts in a screenshot of the page', async () => {
    const shot = join(dir, 'screenshot.png');
    await run(CHROMIUM, [...chromiumArgs(join(dir, 'profile-shot')), `--screenshot=${shot}`,
      pathToFileURL(join(dir, 'report.html')).href], { timeout: CHROMIUM_TIMEOUT_MS });
    const keep = process.env.MRE_REPORT_SCREENSHOT;
    if (keep !== undefined) await copyFile(shot, keep);
    const size = await sharp(shot).metadata();
    assert.deepEqual([size.width, size.height], [WINDOW.width, WINDOW.height]);
    assert.ok(await countColour(shot, CHART_COLOURS.darkCell) >= MIN_CHART_PIXELS,
      'the confusion matrix is visible');
    assert.ok(await countColour(shot, CHART_COLOURS.bar) >= MIN_CHART_PIXELS,
      'the per-class bars are visible');
  });
});
