import type { RegionName } from '../model/model-config.js';
import type { FaceSet } from './cached-face.js';
import { joinFaceSets, splitHoldout } from './holdout-split.js';
import { loadCachedFaces } from './preprocess-cache.js';
import type { SubNetworkResult, TrainProgress } from './train-subnetwork.js';
import type { ResolvedTrainOptions } from './train-options.js';

/** What the parent sends a training worker: one sub-network's job, data by cache file. */
export interface WorkerJob {
  region: RegionName;
  options: ResolvedTrainOptions;
  /** Preprocessing cache files of the training roots. */
  trainCaches: string[];
  /** Cache files of the validation roots; empty: hold out part of the training faces. */
  valCaches: string[];
}

/** Messages a worker sends back. */
export type WorkerMessage =
  | { type: 'log'; level: 'error' | 'warn' | 'info' | 'debug'; message: string }
  | { type: 'progress'; progress: TrainProgress }
  | { type: 'done'; result: SubNetworkResult }
  | { type: 'failed'; message: string; code: string };

/** The training and validation faces of a job. */
export async function loadJobData(trainCaches: readonly string[], valCaches: readonly string[]):
  Promise<{ train: FaceSet; val: FaceSet }> {
  const all = joinFaceSets(await Promise.all(trainCaches.map(loadCachedFaces)));
  if (valCaches.length === 0) return splitHoldout(all);
  return { train: all, val: joinFaceSets(await Promise.all(valCaches.map(loadCachedFaces))) };
}
