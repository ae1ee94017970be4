/**
 * Speed benchmark of the main job against the face-api peer pipeline. Usage:
 *   node --import tsx scripts/bench.ts [--clips DIR] [--copies N] [--runs R] [--json]
 *     [--backend auto] [--detect-every K] [--workers W] [--compare] [--skip-peer]
 *     [--skip-workers]
 *
 * Every figure is a median over R runs (default 3) of the clips in DIR (default
 * /work/shared/data/clips/val), each listed N times (default 1):
 * - ours in this thread, clip after clip, with per-stage times taken by timers wrapped around
 *   the engine's functions (library code has none); probe and decode are timed by calling them
 *   once more per clip outside the end-to-end timer;
 * - ours on a worker pool of 1 and of W workers (default 2): clips/s and cores busy;
 * - the peer: ffmpeg writes each clip at 5 fps as PNG files to a temp dir, then face-api's
 *   detector, landmarks and bundled expression net run on 8 evenly spread frames;
 * - the model's FLOPs per face and achieved GFLOP/s against this machine's one-core peak, taken
 *   as the GFLOP/s of a large 3x3 convolution in onnxruntime-node with one thread;
 * - the model stage alone on each engine (tf.js on the active backend, and onnxruntime) on the
 *   same random crops: ms per face, GFLOP/s, share of peak, and the engines' largest difference.
 * `--backend wasm` runs the whole pipeline on tf.js WebAssembly (the engine before onnx).
 * `--detect-every 1` turns face tracking off (the pipeline before tracking); `--compare` also
 * runs full detection once and reports how far the tracked landmarks of the chosen frames are
 * from the detected ones.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import * as ort from 'onnxruntime-node';
import sharp from 'sharp';

import { scorePeerFrame } from '../src/eval/peer-baseline.js';
import { loadFaceNets, type FaceNets } from '../src/face/face-api-nets.js';
import type { Point } from '../src/face/types.js';
import {
  chooseModelEngine, initBackend, type BackendChoice, type ModelEngine,
} from '../src/model/backend.js';
import { encodeOnnxModel } from '../src/model/onnx/onnx-proto.js';
import { loadModel, type MreModel } from '../src/model/load-model.js';
import { planSubNetwork, describeSubNetwork } from '../src/model/sub-network-plan.js';
import {
  classifyClip,
  DETECT_MAX_SIDE_PX,
  MAX_DECODED_FRAMES,
  type ClipEngine,
  type ClipOutcome,
  type ClipSettings,
} from '../src/pipeline/classify-clip.js';
import { createEngine, startTrackedClip } from '../src/pipeline/create-engine.js';
import { resolveDefaultModelDir } from '../src/pipeline/default-model.js';
import { openFramesWriter } from '../src/pipeline/frames-writer.js';
import { collectInputs } from '../src/pipeline/inputs.js';
import { openOutputWriter } from '../src/pipeline/output-writer.js';
import { DETECT_EVERY_CANDIDATES } from '../src/pipeline/track-face.js';
import { createWorkerPool } from '../src/pipeline/worker-pool.js';
import { decodeFrames } from '../src/video/decode-frames.js';
import { buildSafeInputArgs, DECODE_TIMEOUT_MS, runFfmpeg } from '../src/video/ffmpeg-tools.js';
import { probeClip } from '../src/video/probe-clip.js';
import { planInitialCandidates } from '../src/video/sampling-schedule.js';
import type { RgbFrame } from '../src/video/types.js';
import { DEFAULT_MAX_FRAMES, DEFAULT_MIN_FRAMES } from '../src/config/main-options.js';
import { PEER_FRAMES_PER_CLIP } from '../src/eval/peer-baseline.js';
import { SHARED_DATA } from './shared-data.js';

/** Frame rate at which the peer pipeline extracts PNG frames, frames per second. */
const PEER_EXTRACT_FPS = 5;

/** The peak-measuring convolution: channels in and out, map side (px), 3x3, 'same' padding. */
const PEAK_CONV = { channels: 128, side: 56, kernel: 3 } as const;

/** Timed repetitions of the peak convolution (the fastest counts), after warm-up ones. */
const PEAK_REPEATS = 8;
const PEAK_WARMUPS = 2;

/** Stage names, in pipeline order. */
const STAGES = ['probe', 'decode', 'detect+landmarks', 'clarity', 'align+crop', 'model', 'write',
  'other'] as const;
type Stage = (typeof STAGES)[number];

const { values: args } = parseArgs({
  options: {
    clips: { type: 'string', default: `${SHARED_DATA}/clips/val` },
    copies: { type: 'string', default: '1' },
    runs: { type: 'string', default: '3' },
    backend: { type: 'string', default: 'auto' },
    'detect-every': { type: 'string', default: String(DETECT_EVERY_CANDIDATES) },
    workers: { type: 'string', default: '2' },
    json: { type: 'boolean', default: false },
    compare: { type: 'boolean', default: false },
    'skip-peer': { type: 'boolean', default: false },
    'skip-workers': { type: 'boolean', default: false },
  },
});

const SETTINGS: ClipSettings = {
  minFrames: DEFAULT_MIN_FRAMES,
  maxFrames: DEFAULT_MAX_FRAMES,
  keepCrops: false,
};

/** Seconds since `start` (a performance.now() value). */
const since = (start: number): number => (performance.now() - start) / 1000;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Times an async call into `times[stage]`. */
async function timed<T>(times: Record<Stage, number>, stage: Stage, fn: () => Promise<T>) {
  const start = performance.now();
  try {
    return await fn();
  } finally {
    times[stage] += since(start);
  }
}

function timedSync<T>(times: Record<Stage, number>, stage: Stage, fn: () => T): T {
  const start = performance.now();
  try {
    return fn();
  } finally {
    times[stage] += since(start);
  }
}

const zeroTimes = (): Record<Stage, number> =>
  Object.fromEntries(STAGES.map((s) => [s, 0])) as Record<Stage, number>;

/** Counts of the face steps in one run. */
interface FaceCounts {
  candidates: number;
  detections: number;
}

/** The engine with a timer on each function; `detect` is the full detector path. */
function wrapEngine(engine: ClipEngine, times: Record<Stage, number>, counts: FaceCounts) {
  const wrapped: ClipEngine = {
    detect: (frame, still) => {
      counts.detections += 1;
      return engine.detect(frame, still);
    },
    clarity: (frame, face) => timedSync(times, 'clarity', () => engine.clarity(frame, face)),
    crop: (frame, face) => timedSync(times, 'align+crop', () => engine.crop(frame, face)),
    score: (crops) => timed(times, 'model', () => engine.score(crops)),
  };
  return wrapped;
}

/** A per-clip engine: tracking over the timed engine, `detect` timed as one stage. */
function startTimedClip(base: ClipEngine, nets: FaceNets, detectEvery: number,
  times: Record<Stage, number>, counts: FaceCounts): ClipEngine {
  const clip = detectEvery > 1 ? startTrackedClip(base, nets, detectEvery) : base;
  return {
    ...clip,
    detect: (frame, still) => {
      counts.candidates += 1;
      return timed(times, 'detect+landmarks', () => clip.detect(frame, still));
    },
  };
}

/** What one in-thread run measured. */
interface OursRun {
  seconds: number;
  clips: number;
  faces: number;
  times: Record<Stage, number>;
  counts: FaceCounts;
  outcomes: ClipOutcome[];
}

/** One in-thread run over every clip, rows and frames written to a temp dir. */
async function runOurs(clips: string[], nets: FaceNets, model: MreModel,
  detectEvery: number): Promise<OursRun> {
  const times = zeroTimes();
  const counts: FaceCounts = { candidates: 0, detections: 0 };
  const base = wrapEngine(createEngine(nets, model, { tracking: false }), times, counts);
  const dir = await mkdtemp(join(tmpdir(), 'mre-bench-'));
  const output = await openOutputWriter({ out: join(dir, 'r.csv'), format: 'csv', inputs: clips });
  const frames = await openFramesWriter({ path: join(dir, 'f.csv'), inputs: clips });
  const outcomes: ClipOutcome[] = [];
  let seconds = 0;
  for (const clip of clips) {
    await timed(times, 'probe', () => probeClip(clip)).then((info) => timed(times, 'decode',
      () => decodeFrames(info, { maxSide: DETECT_MAX_SIDE_PX, maxFrames: MAX_DECODED_FRAMES })));
    const start = performance.now();
    const engine = startTimedClip(base, nets, detectEvery, times, counts);
    const outcome = await classifyClip(clip, engine, SETTINGS);
    await timed(times, 'write', async () => {
      await frames.writeClip(clip, outcome.frames);
      await output.write(outcome.row);
    });
    seconds += since(start);
    outcomes.push(outcome);
  }
  await timed(times, 'write', async () => {
    await output.finish();
    await frames.finish();
  });
  await rm(dir, { recursive: true, force: true });
  const staged = STAGES.filter((s) => s !== 'other' && s !== 'probe' && s !== 'decode');
  const probeDecode = times.probe + times.decode;
  times.other = seconds - probeDecode - staged.reduce((sum, s) => sum + times[s], 0);
  const faces = outcomes.reduce((sum, o) => sum + (o.row.status === 'ok' ? o.row.frames : 0), 0);
  return { seconds, clips: clips.length, faces, times, counts, outcomes };
}

/** Mean landmark distance (px) and box corner distance over frames chosen in both runs. */
function compareLandmarks(a: readonly ClipOutcome[], b: readonly ClipOutcome[]) {
  let pointSum = 0;
  let points = 0;
  let boxSum = 0;
  let frames = 0;
  let chosenA = 0;
  a.forEach((outcome, i) => {
    const other = new Map(b[i]!.frames.filter((f) => f.used).map((f) => [f.index, f]));
    for (const f of outcome.frames.filter((r) => r.used)) {
      chosenA += 1;
      const g = other.get(f.index);
      if (f.face === null || g?.face == null) continue;
      frames += 1;
      f.face.landmarks.forEach((p: Point, k) => {
        const q = g.face!.landmarks[k]!;
        pointSum += Math.hypot(p[0] - q[0], p[1] - q[1]);
        points += 1;
      });
      const [bf, bg] = [f.face.box, g.face.box];
      const right = Math.abs(bf.x + bf.width - bg.x - bg.width);
      const bottom = Math.abs(bf.y + bf.height - bg.y - bg.height);
      boxSum += (Math.abs(bf.x - bg.x) + Math.abs(bf.y - bg.y) + right + bottom) / 4;
    }
  });
  return { commonFrames: frames, chosenFrames: chosenA, meanLandmarkPx: pointSum / points,
    meanBoxEdgePx: boxSum / frames };
}

/** One pool run: clips/s and the cores kept busy (process CPU time / wall time). */
async function runPool(clips: string[], workers: number, modelDir: string,
  backend: BackendChoice, detectEvery: number) {
  const pool = await createWorkerPool({ workers, modelDir, backend, settings: SETTINGS,
    tracking: detectEvery > 1 });
  try {
    const cpu = process.cpuUsage();
    const start = performance.now();
    const outcomes = await Promise.all(clips.map((clip) => pool.classify(clip)));
    const seconds = since(start);
    const used = process.cpuUsage(cpu);
    const failed = outcomes.filter((o) => o.row.status !== 'ok').length;
    return { seconds, clipsPerSec: clips.length / seconds, failed,
      coresBusy: (used.user + used.system) / 1e6 / seconds };
  } finally {
    await pool.close();
  }
}

/** Reads a PNG as an RGB frame. */
async function readPngFrame(file: string, index: number): Promise<RgbFrame> {
  const image = sharp(file).removeAlpha().raw();
  const { data, info } = await image.toBuffer({ resolveWithObject: true });
  return { index, timeSec: index / PEER_EXTRACT_FPS, width: info.width, height: info.height,
    data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
}

/** The peer on one clip: PNG extraction at 5 fps, then face-api on 8 spread frames. */
async function runPeerClip(clip: string, nets: FaceNets): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), 'mre-peer-'));
  try {
    const out = ['-vf', `fps=${PEER_EXTRACT_FPS}`, join(dir, '%04d.png')];
    const result = await runFfmpeg(['-hide_banner', '-nostdin', '-v', 'error',
      ...buildSafeInputArgs(clip), ...out], { timeoutMs: DECODE_TIMEOUT_MS });
    if (result.exitCode !== 0) throw new Error(`ffmpeg failed on ${clip}: ${result.stderr}`);
    const files = (await readdir(dir)).sort();
    let faces = 0;
    for (const k of planInitialCandidates(files.length, PEER_FRAMES_PER_CLIP)) {
      const frame = await readPngFrame(join(dir, files[k]!), k);
      if ((await scorePeerFrame(nets, frame)) !== null) faces += 1;
    }
    return faces;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function runPeer(clips: string[], nets: FaceNets) {
  const start = performance.now();
  let faces = 0;
  for (const clip of clips) faces += await runPeerClip(clip, nets);
  const seconds = since(start);
  return { seconds, secPerClip: seconds / clips.length, faces };
}

/** Multiply-adds of one face through the three sub-networks (convolutions and dense layers). */
function countModelMacs(model: MreModel): number {
  const m = model.manifest;
  const config = { arch: m.architecture, inputSize: m.inputSize, width: m.width,
    channels: m.channels };
  const plan = planSubNetwork(config);
  const summary = describeSubNetwork(config);
  let channels: number = m.channels;
  let streamMacs = 0;
  plan.stream.forEach((spec, i) => {
    const [h, w, c] = summary.stream[i]!.shape;
    if (spec.kind === 'conv') streamMacs += h * w * c * spec.kernel * spec.kernel * channels;
    channels = c;
  });
  const headMacs = summary.head.reduce((sum, layer) => sum + layer.params - layer.units, 0);
  return m.regions.length * (2 * streamMacs + headMacs);
}

/** An ONNX model of one 3x3 'same' Conv of PEAK_CONV with random weights. */
function buildConvModel(): Uint8Array {
  const { channels: c, side, kernel: k } = PEAK_CONV;
  const values = Float32Array.from({ length: c * c * k * k }, () => Math.random() - 0.5);
  const pad = (k - 1) / 2;
  return encodeOnnxModel({
    name: 'peak',
    nodes: [{ op: 'Conv', name: 'conv', inputs: ['X', 'W'], outputs: ['Y'],
      attributes: { kernel_shape: [k, k], pads: [pad, pad, pad, pad] } }],
    initializers: [{ name: 'W', dims: [c, c, k, k], values }],
    inputs: [{ name: 'X', dims: [1, c, side, side] }],
    outputs: [{ name: 'Y', dims: [1, c, side, side] }],
  }, 'mre-bench');
}

/** Faces per call of the model-only timing: about one clip's scored frames. */
const MODEL_BATCH = 10;

/** Timed calls per engine in the model-only timing (after one warm-up call). */
const MODEL_CALLS = 30;

/**
 * The model stage alone on identical random crops, once per engine (tf.js on the active
 * backend, and onnxruntime when it loads): median milliseconds per face over MODEL_CALLS calls
 * of MODEL_BATCH faces, and the largest score difference between the engines.
 */
async function timeModelEngines(modelDir: string, side: number) {
  const crop = () => Float32Array.from({ length: side * side * 3 }, () => Math.random());
  const crops = Array.from({ length: MODEL_BATCH }, () => ({ size: side, face: crop(),
    eye: crop(), nose: crop(), mouth: crop() }));
  const engines: ModelEngine[] = ['tfjs', 'onnx'];
  const msPerFace: Partial<Record<string, number>> = {};
  const scores: Float32Array[][] = [];
  for (const engine of engines) {
    const model = await loadModel(modelDir, { engine }).catch(() => null);
    if (model === null) continue;
    scores.push((await model.scoreFaces(crops)).ensemble);
    const times: number[] = [];
    for (let i = 0; i < MODEL_CALLS; i += 1) {
      const start = performance.now();
      await model.scoreFaces(crops);
      times.push((performance.now() - start) / MODEL_BATCH);
    }
    msPerFace[model.backend] = median(times);
    model.dispose();
  }
  const [a, b] = scores;
  const maxScoreDiff = a === undefined || b === undefined ? null
    : Math.max(...a.flatMap((row, i) => [...row].map((v, k) => Math.abs(v - (b[i]?.[k] ?? 0)))));
  return { msPerFace, maxScoreDiff };
}

/** One-core peak: GFLOP/s of the fastest of PEAK_REPEATS runs of the big convolution. */
async function measurePeakGflops(): Promise<number> {
  const session = await ort.InferenceSession.create(buildConvModel(), {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  });
  const { channels: c, side, kernel: k } = PEAK_CONV;
  const input = new ort.Tensor('float32', Float32Array.from({ length: c * side * side },
    () => Math.random()), [1, c, side, side]);
  let best = Infinity;
  for (let i = 0; i < PEAK_WARMUPS + PEAK_REPEATS; i += 1) {
    const start = performance.now();
    await session.run({ X: input });
    if (i >= PEAK_WARMUPS) best = Math.min(best, since(start));
  }
  await session.release();
  return (2 * c * c * k * k * side * side) / best / 1e9;
}

/** Medians of the in-thread runs, per clip where it makes sense. */
function summariseOurs(runs: readonly OursRun[]) {
  const perClip = (r: OursRun): number => r.seconds / r.clips;
  const stageMs = Object.fromEntries(STAGES.map((s) =>
    [s, median(runs.map((r) => (r.times[s] / r.clips) * 1000))])) as Record<Stage, number>;
  return {
    clipsPerSec: median(runs.map((r) => r.clips / r.seconds)),
    facesPerSec: median(runs.map((r) => r.faces / r.seconds)),
    secPerClip: median(runs.map(perClip)),
    stageMsPerClip: stageMs,
    modelMsPerFace: median(runs.map((r) => (r.times.model / r.faces) * 1000)),
    candidatesPerClip: median(runs.map((r) => r.counts.candidates / r.clips)),
    detectionsPerClip: median(runs.map((r) => r.counts.detections / r.clips)),
    failed: runs[0]!.outcomes.filter((o) => o.row.status !== 'ok').length,
  };
}

/** Collects the clips of the folder, each listed `copies` times. */
async function listClips(dir: string, copies: number): Promise<string[]> {
  const { clips } = await collectInputs([dir]);
  return Array.from({ length: copies }, () => clips).flat();
}

async function main(): Promise<void> {
  const runs = Number(args.runs);
  const detectEvery = Number(args['detect-every']);
  const workers = Number(args.workers);
  const clips = await listClips(args.clips!, Number(args.copies));
  const choice = args.backend as BackendChoice;
  const tfBackend = await initBackend(choice);
  const modelDir = resolveDefaultModelDir();
  const model = await loadModel(modelDir, { engine: await chooseModelEngine(choice, tfBackend) });
  const backend = model.backend === tfBackend ? tfBackend
    : `${tfBackend} (faces), ${model.backend} (model)`;
  const nets = await loadFaceNets();

  // ours in this thread, R runs; warm-up on one clip first
  await runOurs(clips.slice(0, 1), nets, model, detectEvery);
  const ours: OursRun[] = [];
  for (let r = 0; r < runs; r += 1) ours.push(await runOurs(clips, nets, model, detectEvery));
  const summary = summariseOurs(ours);

  // tracked against full detection
  let compare = null;
  if (args.compare) {
    const full = await runOurs(clips, nets, model, 1);
    compare = { ...compareLandmarks(ours[0]!.outcomes, full.outcomes),
      fullSecPerClip: full.seconds / full.clips, fullDetectionsPerClip: full.counts.detections /
        full.clips };
  }

  // worker pools of 1 and W
  const pools: Record<string, ReturnType<typeof medianPool>> = {};
  if (!args['skip-workers']) {
    for (const w of [...new Set([1, workers])]) {
      const results = [];
      for (let r = 0; r < runs; r += 1) {
        results.push(await runPool(clips, w, modelDir, args.backend as BackendChoice,
          detectEvery));
      }
      pools[String(w)] = medianPool(results);
    }
  }

  // the peer, R runs
  let peer = null;
  if (!args['skip-peer']) {
    const peerRuns = [];
    for (let r = 0; r < runs; r += 1) peerRuns.push(await runPeer(clips, nets));
    peer = { secPerClip: median(peerRuns.map((p) => p.secPerClip)),
      faces: peerRuns[0]!.faces };
  }

  // FLOPs and peak
  const flopsPerFace = 2 * countModelMacs(model);
  const peakGflops = await measurePeakGflops();
  const modelGflops = flopsPerFace / (summary.modelMsPerFace / 1000) / 1e9;
  const engines = await timeModelEngines(modelDir, model.manifest.inputSize);
  const engineGflops = Object.fromEntries(Object.entries(engines.msPerFace).map(([name, ms]) =>
    [name, flopsPerFace / ((ms ?? NaN) / 1000) / 1e9]));
  const report = {
    backend, model: model.name, clips: clips.length, runs, detectEvery, ...summary,
    compare, pools, peer,
    peerOverOurs: peer === null ? null : peer.secPerClip / summary.secPerClip,
    flopsPerFace, modelGflops, peakGflops, modelOfPeak: modelGflops / peakGflops,
    engines: { ...engines, gflops: engineGflops },
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
  printReport(report);
  if (args.json) process.stdout.write(`${JSON.stringify(report)}\n`);
  model.dispose();
}

function medianPool(results: Awaited<ReturnType<typeof runPool>>[]) {
  return {
    clipsPerSec: median(results.map((r) => r.clipsPerSec)),
    coresBusy: median(results.map((r) => r.coresBusy)),
    failed: results[0]!.failed,
  };
}

const fixed = (v: number, d = 2): string => (Number.isFinite(v) ? v.toFixed(d) : '-');

function printReport(r: Record<string, unknown> & ReturnType<typeof summariseOurs>): void {
  const lines = [
    `backend ${String(r['backend'])}, model ${String(r['model'])}, ${String(r['clips'])} clips, ` +
      `median of ${String(r['runs'])} runs, detector every ${String(r['detectEvery'])} candidates`,
    '',
    `ours (one thread)   ${fixed(r.clipsPerSec, 3)} clips/s   ${fixed(r.facesPerSec)} faces/s   ` +
      `${fixed(r.secPerClip, 3)} s/clip   failed ${r.failed}`,
    `candidates/clip     ${fixed(r.candidatesPerClip, 1)}   detector runs/clip ` +
      `${fixed(r.detectionsPerClip, 1)}`,
    '',
    'stage               ms per clip',
    ...STAGES.map((s) => `  ${s.padEnd(18)}${fixed(r.stageMsPerClip[s], 1).padStart(8)}`),
    `  (model per face)  ${fixed(r.modelMsPerFace, 2).padStart(8)}`,
    '',
  ];
  const compare = r['compare'] as ReturnType<typeof compareLandmarks> & { fullSecPerClip: number }
    | null;
  if (compare !== null) {
    lines.push(`tracked vs full detection: ${compare.commonFrames} of ${compare.chosenFrames} ` +
      `chosen frames in both; mean landmark difference ${fixed(compare.meanLandmarkPx)} px, ` +
      `box edge ${fixed(compare.meanBoxEdgePx)} px; full detection ` +
      `${fixed(compare.fullSecPerClip, 3)} s/clip`, '');
  }
  const pools = r['pools'] as Record<string, ReturnType<typeof medianPool>>;
  for (const [w, p] of Object.entries(pools)) {
    lines.push(`pool of ${w} worker(s)  ${fixed(p.clipsPerSec, 3)} clips/s   ` +
      `cores busy ${fixed(p.coresBusy)}   failed ${p.failed}`);
  }
  const peer = r['peer'] as { secPerClip: number } | null;
  if (peer !== null) {
    lines.push('',
      `peer (PNG at 5 fps + face-api on 8 frames)  ${fixed(peer.secPerClip, 3)} s/clip`,
      `peer / ours (s per clip)  ${fixed(r['peerOverOurs'] as number)}x`);
  }
  lines.push('', `model: ${fixed((r['flopsPerFace'] as number) / 1e6, 1)} MFLOP per face, ` +
    `${fixed(r['modelGflops'] as number)} GFLOP/s achieved; one-core peak (onnxruntime 3x3 conv) ` +
    `${fixed(r['peakGflops'] as number)} GFLOP/s; ` +
    `${fixed(100 * (r['modelOfPeak'] as number), 1)}% of peak`,
    ...formatEngines(r['engines'] as EngineReport, r['peakGflops'] as number),
    `peak RSS ${fixed(r['peakRssMb'] as number, 0)} MB`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

type EngineReport = Awaited<ReturnType<typeof timeModelEngines>> & {
  gflops: Record<string, number>;
};

/** Lines of the model-only timing: each engine's ms per face, GFLOP/s, share of peak. */
function formatEngines(e: EngineReport, peak: number): string[] {
  const lines = [`model stage alone, ${MODEL_BATCH} faces per call, median of ${MODEL_CALLS} ` +
    'calls:'];
  for (const [name, ms] of Object.entries(e.msPerFace)) {
    const gflops = e.gflops[name] ?? NaN;
    lines.push(`  ${name.padEnd(6)} ${fixed(ms ?? NaN, 2)} ms/face   ${fixed(gflops)} GFLOP/s   ` +
      `${fixed((100 * gflops) / peak, 1)}% of peak`);
  }
  const [a, b] = Object.values(e.msPerFace);
  if (a !== undefined && b !== undefined) {
    lines.push(`  ${Object.keys(e.msPerFace).join(' / ')} time ratio ${fixed(a / b)}x, ` +
      `largest ensemble score difference ${e.maxScoreDiff?.toExponential(1) ?? '-'}`);
  }
  return lines;
}

await main();
