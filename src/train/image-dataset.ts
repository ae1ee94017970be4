import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';

import sharp from 'sharp';

import { CLASSES, classIndex, parseClassName } from '../classes.js';
import { MreError } from '../errors.js';
import type { Logger } from '../log.js';
import type { RgbFrame } from '../video/types.js';

/** File extensions read as still images (what sharp decodes). */
export const IMAGE_EXTENSIONS: readonly string[] = ['.png', '.jpg', '.jpeg', '.webp', '.tif',
  '.tiff'];

/** File extensions read as clips (AFEW ships .avi, MEAD .mp4). */
export const CLIP_EXTENSIONS: readonly string[] = ['.avi', '.mp4', '.mkv', '.mov', '.webm'];

/** One labelled picture to preprocess: a still image or one chosen frame of a clip. */
export interface TrainItem {
  /** Shown in messages and stored in the cache: the file, plus `#frame` for a clip frame. */
  source: string;
  /** Class index 0..6 in CLASSES order, from the folder name (never folder order). */
  label: number;
  /** SHA-256 of the source content (hex), the cache key before the settings are mixed in. */
  hashContent(): Promise<string>;
  /** Decodes the picture. */
  decode(): Promise<RgbFrame>;
}

/** What listing one dataset root found. */
export interface DatasetListing {
  items: TrainItem[];
  /** Clip files found (used only through {@link loadClipSamples}). */
  clips: { path: string; label: number }[];
  /** Sub-folders whose name is no class (skipped). */
  skippedFolders: string[];
}

/** Chooses the frames of a clip used for training; the lead provides it (like the main job). */
export type ClipFrameChooser = (clipPath: string) => Promise<RgbFrame[]>;

/** SHA-256 of a file's bytes, hex. */
async function hashFile(path: string): Promise<string> {
  try {
    return createHash('sha256').update(await readFile(path)).digest('hex');
  } catch (cause) {
    throw new MreError('DATA', `${path}: cannot read the image`, { file: path, cause });
  }
}

/** Decodes any sharp-readable image into upright 8-bit RGB. */
export async function decodeImage(path: string): Promise<RgbFrame> {
  try {
    const { data, info } = await sharp(path).rotate().removeAlpha().toColourspace('srgb')
      .raw().toBuffer({ resolveWithObject: true });
    const rgb = info.channels === 3 ? data : expandToRgb(data, info.channels);
    return { index: 0, timeSec: 0, width: info.width, height: info.height,
      data: new Uint8Array(rgb.buffer, rgb.byteOffset, rgb.length) };
  } catch (cause) {
    throw new MreError('DATA', `${path}: cannot decode the image`, { file: path, cause });
  }
}

/** Repeats the first channel of each pixel on R, G and B. */
function expandToRgb(data: Buffer, channels: number): Buffer {
  const pixels = data.length / channels;
  const rgb = Buffer.alloc(pixels * 3);
  for (let i = 0; i < pixels; i++) rgb.fill(data[i * channels] as number, 3 * i, 3 * i + 3);
  return rgb;
}

/** Sorted entries of a folder, or an MreError naming it. */
async function listFolder(dir: string): Promise<import('node:fs').Dirent[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch (cause) {
    throw new MreError('DATA', `${dir}: cannot list the dataset folder`, { file: dir, cause });
  }
}

/** An item for one image file. */
function createImageItem(path: string, label: number): TrainItem {
  return {
    source: path, label, hashContent: () => hashFile(path), decode: () => decodeImage(path),
  };
}

/** Adds the images and clips of one class folder to the listing. */
async function listClassFolder(
  listing: DatasetListing, dir: string, label: number,
): Promise<void> {
  for (const file of await listFolder(dir)) {
    const ext = extname(file.name).toLowerCase();
    const path = join(dir, file.name);
    if (!file.isFile()) continue;
    if (IMAGE_EXTENSIONS.includes(ext)) listing.items.push(createImageItem(path, label));
    if (CLIP_EXTENSIONS.includes(ext)) listing.clips.push({ path, label });
  }
}

/**
 * Throws MreError 'DATA' naming the root when it has no class folder, or its class folders
 * hold no image or clip: training on it could only fail later, less clearly.
 */
function assertSomethingToTrainOn(
  root: string, listing: DatasetListing, classFolders: readonly string[],
): void {
  if (classFolders.length === 0) {
    const others = listing.skippedFolders.length === 0 ? ''
      : `; its folders name no class: ${listing.skippedFolders.join(', ')}`;
    const message = `${root}: holds no class folders (expected <root>/<class>/* with class ` +
      `names such as ${CLASSES.join(', ')})${others}`;
    throw new MreError('DATA', message, { file: root });
  }
  if (listing.items.length === 0 && listing.clips.length === 0) {
    const message = `${root}: its class folders (${classFolders.join(', ')}) hold no images ` +
      `(${IMAGE_EXTENSIONS.join(' ')}) or clips (${CLIP_EXTENSIONS.join(' ')})`;
    throw new MreError('DATA', message, { file: root });
  }
}

/**
 * Lists `<root>/<class>/*`: images become items, clips are listed apart. A class folder is
 * matched with parseClassName (any case, aliases like "Happiness"); other folders are skipped
 * and counted with one warning. Files are sorted by name, so the listing is reproducible.
 * Throws MreError 'DATA' when the root has no class folder or nothing in its class folders.
 */
export async function listImageDataset(root: string, log: Logger): Promise<DatasetListing> {
  const listing: DatasetListing = { items: [], clips: [], skippedFolders: [] };
  const classFolders: string[] = [];
  for (const entry of await listFolder(root)) {
    if (!entry.isDirectory()) continue;
    const name = parseClassName(entry.name);
    if (name === undefined) {
      listing.skippedFolders.push(entry.name);
      continue;
    }
    classFolders.push(entry.name);
    await listClassFolder(listing, join(root, entry.name), classIndex(name));
  }
  assertSomethingToTrainOn(root, listing, classFolders);
  if (listing.skippedFolders.length > 0) {
    const names = listing.skippedFolders.join(', ');
    const count = listing.skippedFolders.length;
    log.warn(`${root}: skipped ${count} folder(s) naming no class: ${names}`);
  }
  return listing;
}

/**
 * Items for the frames of AFEW-style clips (`<root>/<Emotion>/*.avi`): `chooseFrames` picks and
 * decodes the frames of each clip (the lead passes the main job's choice). Each frame's cache
 * key is the clip's hash plus the frame index. Runs the chooser once per clip.
 */
export async function loadClipSamples(
  clips: readonly { path: string; label: number }[], chooseFrames: ClipFrameChooser,
): Promise<TrainItem[]> {
  const items: TrainItem[] = [];
  for (const clip of clips) {
    const frames = await chooseFrames(clip.path);
    let clipHash: Promise<string> | undefined;
    for (const frame of frames) {
      items.push({
        source: `${clip.path}#${frame.index}`,
        label: clip.label,
        hashContent: async () => `${await (clipHash ??= hashFile(clip.path))}:${frame.index}`,
        decode: () => Promise.resolve(frame),
      });
    }
  }
  return items;
}
