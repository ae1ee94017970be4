import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';

import { MreError } from '../errors.js';
import { cropFaceRegions, planFaceCrops } from '../face/crop-regions.js';
import { detectFace, fitLandmarks, isPlausibleLandmarks } from '../face/detect-face.js';
import type { FaceNets } from '../face/face-api-nets.js';
import { ALIGNED_FACE_BOX } from '../face/template.js';
import type { Box, Point } from '../face/types.js';
import type { Logger } from '../log.js';
import { writeFileAtomic } from '../pipeline/write-file-atomic.js';
import type { RgbFrame } from '../video/types.js';
import type { CachedFace, FaceSet } from './cached-face.js';
import type { TrainItem } from './image-dataset.js';

/** Version of the cache file layout; a change makes old caches be rebuilt. */
export const CACHE_FORMAT_VERSION = 1;

/** Side of the cached aligned face relative to the model input (2x: detail for augmenting). */
export const CACHE_FACE_SCALE = 2;

/**
 * Images with a smaller side than this skip the detector and go straight to the whole-image
 * box: SSD MobileNet found no face in 30 of FER2013's 48 x 48 images and
 * trying cost ~340 ms each on wasm (fitting landmarks to the whole image: ~24 ms).
 */
export const DETECT_MIN_SIDE_PX = 64;

/** Landmarks per face. */
const LANDMARKS = 68;

/** How a face was found. */
export type FaceStatus = 'detected' | 'whole-image' | 'dropped';

/** What preprocessing a set did. */
export interface PreprocessCounts {
  detected: number;
  wholeImage: number;
  dropped: number;
  /** Of all of the above, how many came from the cache. */
  fromCache: number;
  /** Mean time per newly processed image, ms (0 when all came from the cache). */
  msPerImage: number;
}

/** Settings that change the cached result (mixed into every key). */
export interface PreprocessSettings {
  /** Model input side in px; the cached face is CACHE_FACE_SCALE times this. */
  inputSize: number;
  channels: 1 | 3;
}

/** One cache entry, kept or dropped. */
export interface CacheEntry {
  key: string;
  source: string;
  label: number;
  status: FaceStatus;
  face?: CachedFace;
}

/** The JSON header of a cache file. */
interface CacheHeader {
  version: number;
  faceSize: number;
  channels: 1 | 3;
  entries: { key: string; source: string; label: number; status: FaceStatus }[];
}

/** File of the cache of one dataset root under these settings. */
export function cacheFileFor(cacheDir: string, root: string, settings: PreprocessSettings): string {
  const id = createHash('sha256').update(`${resolve(root)}|${settingsKey(settings)}`).digest('hex');
  return join(cacheDir, `${basename(resolve(root))}-${id.slice(0, 16)}.bin`);
}

function settingsKey(s: PreprocessSettings): string {
  return JSON.stringify({ v: CACHE_FORMAT_VERSION, size: s.inputSize * CACHE_FACE_SCALE,
    channels: s.channels, detectMin: DETECT_MIN_SIDE_PX });
}

/** Maps landmarks from template coordinates into pixels of the cached face image. */
function toFacePixels(points: readonly Point[], size: number): Point[] {
  const box = ALIGNED_FACE_BOX;
  return points.map(([x, y]) => [((x - box.x) / box.width) * size,
    ((y - box.y) / box.height) * size] as const);
}

/** Converts a [0, 1] RGB crop into bytes, grey (mean of R, G, B) when channels is 1. */
function toBytes(rgb: Float32Array, channels: 1 | 3): Uint8Array {
  const pixels = rgb.length / 3;
  const out = new Uint8Array(pixels * channels);
  const byte = (v: number): number => Math.round(Math.min(Math.max(v, 0), 1) * 255);
  for (let i = 0; i < pixels; i++) {
    if (channels === 3) {
      for (let c = 0; c < 3; c++) out[3 * i + c] = byte(rgb[3 * i + c] as number);
    } else {
      const sum = (rgb[3 * i] as number) + (rgb[3 * i + 1] as number) + (rgb[3 * i + 2] as number);
      out[i] = byte(sum / 3);
    }
  }
  return out;
}

/** Finds the face and its landmarks: the detector first, else the whole image as the box. */
async function locateFace(
  nets: FaceNets, frame: RgbFrame,
): Promise<{ status: FaceStatus; box: Box; landmarks: Point[] }> {
  if (Math.min(frame.width, frame.height) >= DETECT_MIN_SIDE_PX) {
    const found = await detectFace(nets, frame);
    if (found !== null) return { status: 'detected', box: found.box, landmarks: found.landmarks };
  }
  const box = { x: 0, y: 0, width: frame.width, height: frame.height };
  return { status: 'whole-image', box, landmarks: await fitLandmarks(nets, frame, box) };
}

/** Preprocesses one item into a cache entry (dropped when the landmarks are implausible). */
async function preprocessItem(
  nets: FaceNets, item: TrainItem, key: string, settings: PreprocessSettings,
): Promise<CacheEntry> {
  const frame = await item.decode();
  const { status, box, landmarks } = await locateFace(nets, frame);
  const entry: CacheEntry = { key, source: item.source, label: item.label, status };
  if (!isPlausibleLandmarks(landmarks, box)) return { ...entry, status: 'dropped' };
  const size = settings.inputSize * CACHE_FACE_SCALE;
  const crops = cropFaceRegions(frame, landmarks, size);
  const aligned = toFacePixels(planFaceCrops(landmarks).landmarks, size);
  const face: CachedFace = { size, channels: settings.channels,
    pixels: toBytes(crops.face, settings.channels), landmarks: aligned, label: item.label };
  return { ...entry, face };
}

/** Serialises entries: u32 header length, JSON header, landmarks (f32), pixels (u8). */
export function encodeCache(entries: CacheEntry[], settings: PreprocessSettings): Uint8Array {
  const size = settings.inputSize * CACHE_FACE_SCALE;
  const header: CacheHeader = { version: CACHE_FORMAT_VERSION, faceSize: size,
    channels: settings.channels, entries: entries.map(({ key, source, label, status }) =>
      ({ key, source, label, status })) };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const kept = entries.filter((e) => e.face !== undefined);
  const faceBytes = size * size * settings.channels;
  const out = new Uint8Array(4 + json.length + kept.length * (LANDMARKS * 8 + faceBytes));
  new DataView(out.buffer).setUint32(0, json.length, true);
  out.set(json, 4);
  const marks = new Float32Array(kept.length * LANDMARKS * 2);
  kept.forEach((e, i) => e.face?.landmarks.forEach(([x, y], j) => {
    marks[(i * LANDMARKS + j) * 2] = x;
    marks[(i * LANDMARKS + j) * 2 + 1] = y;
  }));
  const marksStart = 4 + json.length;
  out.set(new Uint8Array(marks.buffer), marksStart);
  const pixelStart = marksStart + marks.byteLength;
  kept.forEach((e, i) => out.set(e.face?.pixels ?? [], pixelStart + i * faceBytes));
  return out;
}

/** Parses a cache file; entries come back with their faces. */
export function decodeCache(bytes: Uint8Array, file: string): CacheEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = view.getUint32(0, true);
  const header = JSON.parse(Buffer.from(bytes.subarray(4, 4 + length)).toString('utf8')) as
    CacheHeader;
  if (header.version !== CACHE_FORMAT_VERSION) {
    throw new MreError('DATA', `${file}: cache version ${header.version}, expected ` +
      `${CACHE_FORMAT_VERSION}`, { file });
  }
  const { faceSize: size, channels } = header;
  const faceBytes = size * size * channels;
  const keptCount = header.entries.filter((e) => e.status !== 'dropped').length;
  const marksStart = 4 + length;
  const marks = new Float32Array(keptCount * LANDMARKS * 2);
  new Uint8Array(marks.buffer).set(bytes.subarray(marksStart, marksStart + marks.byteLength));
  const pixelStart = marksStart + marks.byteLength;
  let k = 0;
  return header.entries.map((e) => {
    if (e.status === 'dropped') return { ...e };
    const landmarks: Point[] = Array.from({ length: LANDMARKS }, (_, j) =>
      [marks[(k * LANDMARKS + j) * 2] as number, marks[(k * LANDMARKS + j) * 2 + 1] as number]);
    const pixels = bytes.subarray(pixelStart + k * faceBytes, pixelStart + (k + 1) * faceBytes);
    k++;
    return { ...e, face: { size, channels, pixels, landmarks, label: e.label } };
  });
}

/** Reads a cache file into a map by key; undefined when it is missing or unreadable. */
async function readCache(file: string, log: Logger):
  Promise<Map<string, CacheEntry> | undefined> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch {
    return undefined;
  }
  try {
    return new Map(decodeCache(bytes, file).map((e) => [e.key, e]));
  } catch (err) {
    log.warn(`${file}: unreadable preprocessing cache, rebuilding it (${String(err)})`);
    return undefined;
  }
}

/** Tallies the statuses of entries. */
function countStatuses(entries: CacheEntry[], fromCache: number, ms: number, fresh: number):
  PreprocessCounts {
  const count = (s: FaceStatus): number => entries.filter((e) => e.status === s).length;
  return { detected: count('detected'), wholeImage: count('whole-image'),
    dropped: count('dropped'), fromCache, msPerImage: fresh === 0 ? 0 : ms / fresh };
}

/** Where preprocessing reads and writes. */
export interface PreprocessTarget {
  /** The dataset root (names the cache file). */
  root: string;
  items: TrainItem[];
  /** Folder of the cache files. */
  cacheDir: string;
}

/** Cache key of an item: its content hash mixed with the settings. */
async function keyOf(item: TrainItem, settings: PreprocessSettings): Promise<string> {
  const content = await item.hashContent();
  return createHash('sha256').update(`${content}|${settingsKey(settings)}`).digest('hex');
}

/** A cached entry relabelled from the current listing (a moved file keeps its face). */
function reuseEntry(hit: CacheEntry, item: TrainItem): CacheEntry {
  const face = hit.face === undefined ? {} : { face: { ...hit.face, label: item.label } };
  return { ...hit, source: item.source, label: item.label, ...face };
}

/**
 * Preprocesses the items of one dataset root: for each picture not yet cached under its
 * content hash and `settings`, detects the face (skipped below DETECT_MIN_SIDE_PX), falls back
 * to the whole image as the box, fits landmarks, drops implausible ones, and stores the aligned
 * face at CACHE_FACE_SCALE x the model size with its landmarks. The cache file is rewritten
 * atomically when anything changed, and written even for no items, so that
 * {@link loadCachedFaces} can always read it. `getNets` is called only when something needs
 * detecting.
 */
export async function preprocessDataset(
  target: PreprocessTarget, settings: PreprocessSettings, getNets: () => Promise<FaceNets>,
  log: Logger,
): Promise<{ set: FaceSet; counts: PreprocessCounts; cacheFile: string }> {
  const file = cacheFileFor(target.cacheDir, target.root, settings);
  const cached = await readCache(file, log);
  const entries: CacheEntry[] = [];
  const tally = { fromCache: 0, fresh: 0, ms: 0 };
  for (const item of target.items) {
    const key = await keyOf(item, settings);
    const hit = cached?.get(key);
    const start = performance.now();
    entries.push(hit !== undefined ? reuseEntry(hit, item)
      : await preprocessItem(await getNets(), item, key, settings));
    if (hit !== undefined) tally.fromCache++;
    else tally.ms += performance.now() - start;
    if (hit === undefined) tally.fresh++;
  }
  if (cached === undefined || tally.fresh > 0 || cached.size !== entries.length) {
    await mkdir(target.cacheDir, { recursive: true });
    await writeFileAtomic(file, encodeCache(entries, settings));
  }
  const kept = entries.filter((e) => e.face !== undefined);
  const set: FaceSet = { faces: kept.map((e) => e.face as CachedFace),
    sources: kept.map((e) => e.source) };
  const counts = countStatuses(entries, tally.fromCache, tally.ms, tally.fresh);
  return { set, counts, cacheFile: file };
}

/** Loads the kept faces of a cache file written by {@link preprocessDataset}. */
export async function loadCachedFaces(file: string): Promise<FaceSet> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (cause) {
    throw new MreError('DATA', `${file}: cannot read the preprocessing cache`, { file, cause });
  }
  const kept = decodeCache(bytes, file).filter((e) => e.face !== undefined);
  return { faces: kept.map((e) => e.face as CachedFace), sources: kept.map((e) => e.source) };
}
