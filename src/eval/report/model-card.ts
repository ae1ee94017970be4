import { join } from 'node:path';

import { describeError } from '../../errors.js';
import { readTextIfExists } from './read-text-if-exists.js';

/** Model card file in a model folder. */
export const MODEL_README_FILE = 'README.md';

/** Manifest file in a model folder (sizes, hashes, data, metrics of the shipped weights). */
export const MODEL_MANIFEST_FILE = 'manifest.json';

/** Longest README text shown in the report, in characters; the rest is cut. */
const MAX_README_CHARS = 100_000;

/** Most manifest lines shown in the report. */
const MAX_MANIFEST_ENTRIES = 60;

/** Longest manifest value shown, in characters. */
const MAX_MANIFEST_VALUE_CHARS = 160;

/** One line of the manifest summary, e.g. `{ key: 'data.train', value: 'fer2013' }`. */
export interface ManifestEntry {
  key: string;
  value: string;
}

/** What the report shows about the model folder. */
export interface ModelCard {
  /** The model folder; null when the job used the shipped default and none was named. */
  dir: string | null;
  /** README.md text (possibly cut); null when absent. */
  readme: string | null;
  /** Flattened manifest; null when absent or unreadable. */
  manifest: ManifestEntry[] | null;
  /** Problems met while reading the folder, for the report (e.g. invalid manifest JSON). */
  notes: string[];
}

/** Reads the model card and the manifest summary of a model folder; missing files are fine. */
export async function readModelCard(dir: string | null): Promise<ModelCard> {
  if (dir === null) return { dir, readme: null, manifest: null, notes: [] };
  const notes: string[] = [];
  const readme = await readOptional(join(dir, MODEL_README_FILE), notes);
  const manifestText = await readOptional(join(dir, MODEL_MANIFEST_FILE), notes);
  let manifest: ManifestEntry[] | null = null;
  if (manifestText !== undefined) {
    try {
      manifest = summariseManifest(JSON.parse(manifestText));
    } catch (err) {
      notes.push(`${MODEL_MANIFEST_FILE} is not valid JSON: ${describeError(err)}`);
    }
  }
  return { dir, readme: readme === undefined ? null : cutText(readme), manifest, notes };
}

/**
 * Flattens a manifest into key/value lines: scalars as they are, nested objects as dotted keys,
 * arrays as their length (or their items when they are a few short scalars).
 */
export function summariseManifest(manifest: unknown): ManifestEntry[] {
  const entries: ManifestEntry[] = [];
  flattenInto(entries, '', manifest);
  if (entries.length <= MAX_MANIFEST_ENTRIES) return entries;
  const more = entries.length - MAX_MANIFEST_ENTRIES;
  return [...entries.slice(0, MAX_MANIFEST_ENTRIES), { key: '…', value: `${more} more` }];
}

function flattenInto(entries: ManifestEntry[], key: string, value: unknown): void {
  if (Array.isArray(value)) {
    entries.push({ key: key || '(root)', value: describeArray(value) });
  } else if (value !== null && typeof value === 'object') {
    for (const [name, child] of Object.entries(value)) {
      flattenInto(entries, key === '' ? name : `${key}.${name}`, child);
    }
  } else {
    entries.push({ key: key || '(root)', value: clip(String(value)) });
  }
}

function describeArray(items: readonly unknown[]): string {
  const scalars = items.every((item) => item === null || typeof item !== 'object');
  const joined = items.map(String).join(', ');
  if (scalars && joined.length <= MAX_MANIFEST_VALUE_CHARS) return `[${joined}]`;
  return `${items.length} ${items.length === 1 ? 'item' : 'items'}`;
}

function clip(text: string): string {
  return text.length <= MAX_MANIFEST_VALUE_CHARS
    ? text
    : `${text.slice(0, MAX_MANIFEST_VALUE_CHARS - 1)}…`;
}

function cutText(text: string): string {
  return text.length <= MAX_README_CHARS ? text : `${text.slice(0, MAX_README_CHARS)}\n\n…`;
}

async function readOptional(file: string, notes: string[]): Promise<string | undefined> {
  try {
    return await readTextIfExists(file);
  } catch (err) {
    const cause = err instanceof Error && err.cause !== undefined ? err.cause : err;
    notes.push(`cannot read ${file}: ${describeError(cause)}`);
    return undefined;
  }
}
