import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';

import type * as tf from '@tensorflow/tfjs';

import { CLASSES } from '../classes.js';
import { MreError } from '../errors.js';
import { type FaceNets, loadFaceNets } from '../face/face-api-nets.js';
import type { Logger } from '../log.js';
import { initBackend } from '../model/backend.js';
import { REGIONS, type RegionName } from '../model/model-config.js';
import { createSubNetwork } from '../model/mre-cnn.js';
import { saveModel } from '../model/save-model.js';
import { registerWasmTrainingKernels } from '../model/wasm-conv2d-backprop-filter.js';
import { writeFileAtomic } from '../pipeline/write-file-atomic.js';
import type { FaceSet } from './cached-face.js';
import { readCheckpoint } from './checkpoint.js';
import { classDrawProbabilities, countLabels, formatClassShares } from './class-balance.js';
import { type EnsembleChoice, searchEnsembleWeights } from './ensemble-search.js';
import { type ClipFrameChooser, listImageDataset, loadClipSamples } from './image-dataset.js';
import { type PreprocessCounts, preprocessDataset } from './preprocess-cache.js';
import { runTrainingWorkers } from './run-workers.js';
import { type SubNetworkResult, type TrainProgress, writeWeights } from './train-subnetwork.js';
import { type ResolvedTrainOptions, type TrainOptions, validateTrainOptions }
  from './train-options.js';
import { type WorkerJob, loadJobData } from './worker-protocol.js';

/** Optional behaviour the CLI supplies. */
export interface TrainHooks {
  /** Picks the frames of AFEW-style clips in the data folders; clips are skipped without it. */
  chooseClipFrames?: ClipFrameChooser;
  /** The command line, recorded in the manifest's provenance. */
  command?: string;
  /** Called as the sub-networks train (every few steps), e.g. for a progress bar. */
  onProgress?: (progress: TrainProgress) => void;
}

/** One row of the paper's Table 3: a sub-network's or the ensemble's validation accuracy. */
export interface Table3Row {
  model: RegionName | 'ensemble';
  valAccuracy: number;
  valMeanPerClass: number;
  /** Iteration of the kept weights (sub-networks), or null for the ensemble. */
  bestIteration: number | null;
}

/** What `runTraining` did. */
export interface TrainingReport {
  options: Readonly<ResolvedTrainOptions>;
  /** Preprocessing counts per data root (training and validation). */
  preprocessing: Record<string, PreprocessCounts>;
  trainFaces: number;
  valFaces: number;
  subNetworks: SubNetworkResult[];
  /** Set when all three regions were trained. */
  ensemble: EnsembleChoice | null;
  table3: Table3Row[];
  /** The saved model folder, or null when not all regions were trained. */
  modelDir: string | null;
}

/** Preprocesses every root into its cache file; returns the files and counts. */
async function prepareRoots(
  roots: readonly string[], o: Readonly<ResolvedTrainOptions>, hooks: TrainHooks, log: Logger,
  counts: Record<string, PreprocessCounts>,
): Promise<string[]> {
  let nets: Promise<FaceNets> | undefined;
  const getNets = (): Promise<FaceNets> => (nets ??= loadFaceNets());
  const files: string[] = [];
  for (const root of roots) {
    const listing = await listImageDataset(root, log);
    const clipItems = hooks.chooseClipFrames === undefined ? []
      : await loadClipSamples(listing.clips, hooks.chooseClipFrames);
    if (hooks.chooseClipFrames === undefined && listing.clips.length > 0) {
      log.warn(`${root}: ${listing.clips.length} clip(s) skipped (no frame chooser given)`);
    }
    const items = [...listing.items, ...clipItems];
    const settings = { inputSize: o.inputSize, channels: o.channels };
    const target = { root, items, cacheDir: o.cache };
    const done = await preprocessDataset(target, settings, getNets, log);
    const c = done.counts;
    counts[root] = c;
    log.info(`${root}: ${c.detected} detected, ${c.wholeImage} whole-image, ${c.dropped} ` +
      `dropped (${c.fromCache} from cache, ${c.msPerImage.toFixed(1)} ms per new image)`);
    files.push(done.cacheFile);
  }
  return files;
}

/** The val scores and weights of each sub-network's best checkpoint. */
async function readBest(results: readonly SubNetworkResult[]): Promise<Map<RegionName,
  { weights: Float32Array[]; scores: Float32Array }>> {
  const out = new Map<RegionName, { weights: Float32Array[]; scores: Float32Array }>();
  for (const r of results) {
    const cp = await readCheckpoint<unknown>(r.bestDir);
    if (cp === null || cp.velocities[0] === undefined) {
      throw new MreError('DATA', `${r.bestDir}: no best checkpoint`, { file: r.bestDir });
    }
    out.set(r.region, { weights: cp.weights, scores: cp.velocities[0] });
  }
  return out;
}

/** Rebuilds the best sub-networks and saves the model folder with the ensemble weights. */
async function saveFinalModel(
  o: Readonly<ResolvedTrainOptions>, best: Map<RegionName, { weights: Float32Array[] }>,
  ensemble: EnsembleChoice, table3: Table3Row[], hooks: TrainHooks, trainFaces: number,
): Promise<string> {
  const config = { arch: o.arch, inputSize: o.inputSize, width: o.width, channels: o.channels };
  const nets = {} as Record<RegionName, tf.LayersModel>;
  for (const region of REGIONS) {
    nets[region] = createSubNetwork(config, region);
    writeWeights(nets[region], best.get(region)?.weights ?? []);
  }
  const modelDir = join(o.out, 'model');
  try {
    await saveModel(modelDir, nets, {
      name: `mre-${o.arch}-${o.inputSize}px`, architecture: o.arch, inputSize: o.inputSize,
      width: o.width, channels: o.channels, ensembleWeights: ensemble.weights,
      provenance: { data: `${o.data.join(', ')} (${trainFaces} faces)`,
        command: hooks.command ?? 'mre-video train', seed: o.seed,
        date: new Date().toISOString(), notes: 'trained with mre-video train' },
      metrics: { table3, valAccuracy: ensemble.report.accuracy,
        valMeanPerClass: ensemble.report.meanPerClass },
    });
  } finally {
    REGIONS.forEach((r) => nets[r].dispose());
  }
  return modelDir;
}

/** Table-3 rows: each sub-network's own validation accuracy, then the ensemble's. */
function buildTable3(results: readonly SubNetworkResult[], ensemble: EnsembleChoice | null):
  Table3Row[] {
  const rows: Table3Row[] = results.map((r) => ({ model: r.region,
    valAccuracy: r.best?.valAccuracy ?? 0, valMeanPerClass: r.best?.valMeanPerClass ?? 0,
    bestIteration: r.best?.iteration ?? null }));
  if (ensemble !== null) {
    rows.push({ model: 'ensemble', valAccuracy: ensemble.report.accuracy,
      valMeanPerClass: ensemble.report.meanPerClass, bestIteration: null });
  }
  return rows;
}

/** Formats Table 3 as aligned text for the CLI. */
export function formatTable3(rows: readonly Table3Row[]): string {
  const lines = ['model     val_accuracy  val_mean_per_class  best_iteration'];
  for (const r of rows) {
    lines.push(`${r.model.padEnd(10)}${r.valAccuracy.toFixed(4).padStart(12)}  ` +
      `${r.valMeanPerClass.toFixed(4).padStart(18)}  ${String(r.bestIteration ?? '-')
        .padStart(14)}`);
  }
  return lines.join('\n');
}

/** Searches the ensemble weights and saves the model when all three regions were trained. */
async function finishEnsemble(
  o: Readonly<ResolvedTrainOptions>, results: readonly SubNetworkResult[], data: PreparedData,
  hooks: TrainHooks,
): Promise<{ ensemble: EnsembleChoice | null; table3: Table3Row[]; modelDir: string | null }> {
  const best = await readBest(results);
  if (!REGIONS.every((r) => best.has(r))) {
    return { ensemble: null, table3: buildTable3(results, null), modelDir: null };
  }
  const scores = Object.fromEntries(REGIONS.map((r) => [r, best.get(r)?.scores])) as
    Record<RegionName, Float32Array>;
  const ensemble = searchEnsembleWeights(scores, data.val.faces.map((f) => f.label));
  const table3 = buildTable3(results, ensemble);
  const trainFaces = data.train.faces.length;
  const modelDir = await saveFinalModel(o, best, ensemble, table3, hooks, trainFaces);
  return { ensemble, table3, modelDir };
}

/** The preprocessed data of a run. */
interface PreparedData {
  trainCaches: string[];
  valCaches: string[];
  train: FaceSet;
  val: FaceSet;
  preprocessing: Record<string, PreprocessCounts>;
}

/** Preprocesses (or reuses the cache of) every root and loads the faces. */
async function prepareData(o: Readonly<ResolvedTrainOptions>, hooks: TrainHooks, log: Logger):
  Promise<PreparedData> {
  const preprocessing: Record<string, PreprocessCounts> = {};
  const trainCaches = await prepareRoots(o.data, o, hooks, log, preprocessing);
  const valCaches = await prepareRoots(o.val, o, hooks, log, preprocessing);
  const { train, val } = await loadJobData(trainCaches, valCaches);
  if (train.faces.length === 0 || val.faces.length === 0) {
    throw new MreError('DATA', `no usable faces: ${train.faces.length} for training, ` +
      `${val.faces.length} for validation`);
  }
  return { trainCaches, valCaches, train, val, preprocessing };
}

/** Logs the class counts of the training faces and each class's share of the draws. */
function logClassShares(o: Readonly<ResolvedTrainOptions>, train: FaceSet, log: Logger): void {
  const counts = countLabels(train.faces.map((f) => f.label), CLASSES.length);
  log.info(`training faces per class: ${CLASSES.map((c, i) => `${c} ${counts[i]}`).join(', ')}`);
  log.info(`class shares of the draws (--class-balance ${o.classBalance}): ` +
    formatClassShares(classDrawProbabilities(counts, o.classBalance)));
}

/**
 * Trains an MRE-CNN: preprocesses (cached) the training and validation folders, trains each
 * region's sub-network in its own worker process (at most maxParallel at once), searches the
 * ensemble weights on the validation set, and saves the model folder with the weights and the
 * Table-3 figures in its manifest. Writes options.json (resolved options and seed) first, and
 * report.json at the end.
 */
export async function runTraining(options: TrainOptions, log: Logger, hooks: TrainHooks = {}):
  Promise<TrainingReport> {
  const o = validateTrainOptions(options);
  await mkdir(o.out, { recursive: true });
  await writeFileAtomic(join(o.out, 'options.json'), `${JSON.stringify(o, null, 2)}\n`);
  registerWasmTrainingKernels();
  await initBackend(o.backend, log);
  const data = await prepareData(o, hooks, log);
  logClassShares(o, data.train, log);

  // one worker process per region, then the ensemble
  const jobs: WorkerJob[] = o.regions.map((region) => ({ region, options: o,
    trainCaches: data.trainCaches, valCaches: data.valCaches }));
  const results = await runTrainingWorkers(jobs, o.maxParallel, log, hooks.onProgress);
  const { ensemble, table3, modelDir } = await finishEnsemble(o, results, data, hooks);

  const report: TrainingReport = { options: o, preprocessing: data.preprocessing,
    trainFaces: data.train.faces.length, valFaces: data.val.faces.length, subNetworks: results,
    ensemble, table3, modelDir };
  await writeFileAtomic(join(o.out, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
  log.info(formatTable3(table3));
  return report;
}
