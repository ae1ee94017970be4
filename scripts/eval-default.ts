/**
 * Measures the shipped default model and the peer pipeline (face-api's detector, landmarks and
 * bundled expression net) on the three report sets, in one run, and writes the figures under
 * results/default-model/. Usage:
 *   npm run eval:default [-- --model DIR] [--data ../shared/data] [--out results/default-model]
 *     [--limit N]   (N files per class folder, for a quick check)
 */
import { mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { CLASSES } from '../src/classes.js';
import { classifyClips } from '../src/index.js';
import { classFromFolder } from '../src/eval/labels.js';
import { computeMetrics, type Metrics } from '../src/eval/metrics.js';
import { scorePeerClip, scorePeerImage } from '../src/eval/peer-baseline.js';
import { loadFaceNets, type FaceNets } from '../src/face/face-api-nets.js';
import { createLogger } from '../src/log.js';
import { initBackend } from '../src/model/backend.js';
import { aggregateFrameScores } from '../src/pipeline/aggregate-scores.js';
import { resolveDefaultModelDir } from '../src/pipeline/default-model.js';
import { createFailedRow, judgeCorrect, type ResultRow } from '../src/pipeline/rows.js';
import { writeFileAtomic } from '../src/pipeline/write-file-atomic.js';
import { SHARED_DATA } from './shared-data.js';
import { decodeFrames } from '../src/video/decode-frames.js';
import { probeClip } from '../src/video/probe-clip.js';
import { VERSION } from '../src/version.js';

const { values } = parseArgs({
  options: {
    model: { type: 'string' },
    data: { type: 'string', default: SHARED_DATA },
    out: { type: 'string', default: 'results/default-model' },
    limit: { type: 'string' },
  },
});
const log = createLogger('info');
const data = values.data!;
const SETS = [
  { name: 'clips-val', dir: path.join(data, 'clips/val') },
  { name: 'taiwanese-test', dir: path.join(data, 'images/taiwanese/test') },
  { name: 'fer2013-test', dir: path.join(data, 'images/fer2013/test') },
];
const limit = values.limit === undefined ? Infinity : Number(values.limit);

/** Files of `<root>/<class>/*`, at most `limit` per class folder, sorted. */
async function listFiles(root: string): Promise<string[]> {
  const files: string[] = [];
  for (const folder of (await readdir(root)).sort()) {
    const names = (await readdir(path.join(root, folder))).sort().slice(0, limit);
    files.push(...names.map((n) => path.join(root, folder, n)));
  }
  return files;
}

/** The peer's row for one clip or image. */
async function classifyWithPeer(nets: FaceNets, file: string): Promise<ResultRow> {
  const truth = classFromFolder(file);
  try {
    const info = await probeClip(file);
    const frames = await decodeFrames(info, { maxSide: 480, maxFrames: 64 });
    const perFrame = info.kind === 'image'
      ? [await scorePeerImage(nets, frames[0]!)].filter((s): s is number[] => s !== null)
      : await scorePeerClip(nets, frames);
    const verdict = aggregateFrameScores(perFrame);
    if (verdict === null) return createFailedRow(file, 'no_face', 'no face', { truth });
    return {
      clip: file, label: verdict.label, confidence: verdict.confidence, scores: verdict.scores,
      frames: perFrame.length, faces: 1, status: 'ok', error: null, truth,
      correct: judgeCorrect(verdict.label, truth),
    };
  } catch (err) {
    return createFailedRow(file, 'error', String(err), { truth });
  }
}

/** One line of the summary table. */
function describe(m: Metrics): string {
  const labelled = m.counts.labelled;
  const correct = Math.round((m.accuracy ?? 0) * labelled);
  return `${(m.accuracy ?? 0).toFixed(4)} (${correct}/${labelled}), mean per-class ` +
    `${(m.meanClassAccuracy ?? 0).toFixed(4)}`;
}

const backend = await initBackend('auto', log);
const nets = await loadFaceNets();
const modelDir = values.model ?? resolveDefaultModelDir();
const summary: Record<string, unknown> = { model: modelDir, backend, classes: CLASSES, sets: {} };
const lines: string[] = [];
for (const set of SETS) {
  const files = await listFiles(set.dir);

  // ours: the main job on the same files
  const t0 = performance.now();
  const ours = await classifyClips(files, { model: modelDir, concurrency: 1 });
  const oursSeconds = (performance.now() - t0) / 1000;

  // the peer on the same files
  const t1 = performance.now();
  const peerRows: ResultRow[] = [];
  for (const file of files) peerRows.push(await classifyWithPeer(nets, file));
  const peerSeconds = (performance.now() - t1) / 1000;
  const peer = computeMetrics(peerRows, {
    model: { name: 'face-api expression net', sha256: '', backend },
    toolVersion: VERSION,
  });

  (summary.sets as Record<string, unknown>)[set.name] = {
    files: files.length,
    ours: { ...ours.metrics, seconds: oursSeconds },
    peer: { ...peer, seconds: peerSeconds },
  };
  const line = `${set.name}: ours ${describe(ours.metrics!)}; peer ${describe(peer)}`;
  lines.push(line);
  log.info(line);
}
await mkdir(values.out!, { recursive: true });
const summaryJson = `${JSON.stringify(summary, null, 2)}\n`;
await writeFileAtomic(path.join(values.out!, 'summary.json'), summaryJson);
await writeFileAtomic(path.join(values.out!, 'summary.txt'), `${lines.join('\n')}\n`);
log.info(`wrote ${values.out}/summary.json`);
