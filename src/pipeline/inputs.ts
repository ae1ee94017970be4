import type { Dirent } from 'node:fs';
import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';

import { describeFileError } from '../video/clip-errors.js';

/** File extensions taken as video clips when walking folders (compared lower-case). */
export const VIDEO_EXTENSIONS: ReadonlySet<string> = new Set([
  '.avi', '.mp4', '.m4v', '.mkv', '.mov', '.webm', '.flv', '.mpg', '.mpeg', '.wmv', '.3gp',
  '.ts', '.gif',
]);

/** File extensions taken as still images (one-frame clips) when walking folders. */
export const IMAGE_EXTENSIONS: ReadonlySet<string> = new Set([
  '.jpg', '.jpeg', '.png', '.bmp', '.tif', '.tiff', '.webp',
]);

/** The argument that means "read newline-separated paths from stdin". */
export const STDIN_ARGUMENT = '-';

/** A named input that could not be used. */
export interface InputProblem {
  path: string;
  error: string;
}

/** What {@link collectInputs} found. */
export interface CollectedInputs {
  /** Clip paths in argument order, folder contents sorted; each path once. */
  clips: string[];
  /** Named paths that do not exist, and folders that could not be read. */
  problems: InputProblem[];
  /**
   * Folders not walked because their real folder already was (a symbolic link back to a parent,
   * or a second link to the same folder): the path reached and the one walked first.
   */
  repeats: { path: string; walkedAs: string }[];
}

/** Lists a folder's entries with their types. */
export type FolderLister = (folder: string) => Promise<Dirent[]>;

/** Options of {@link collectInputs}. */
export interface CollectOptions {
  /** Where `-` reads paths from. Default process.stdin. */
  stdin?: NodeJS.ReadableStream;
  /**
   * Lists each folder walked. Default fs readdir with file types; tests replace it to make a
   * folder fail as an unreadable one does (root may read any folder).
   */
  listFolder?: FolderLister;
}

/** State shared by one collection run. */
interface Collector {
  clips: string[];
  problems: InputProblem[];
  /** Normalised clip paths already taken, so the same path twice gives one clip. */
  seenClips: Set<string>;
  /** Real paths of folders already walked (to the path walked), so symlink loops end. */
  seenFolders: Map<string, string>;
  repeats: { path: string; walkedAs: string }[];
  listFolder: FolderLister;
}

/** The default {@link FolderLister}. */
function readFolderEntries(folder: string): Promise<Dirent[]> {
  return readdir(folder, { withFileTypes: true });
}

/** Whether a file found in a folder is a video or an image, by extension. */
export function isMediaFile(name: string): boolean {
  const ext = path.extname(name).toLowerCase();
  return VIDEO_EXTENSIONS.has(ext) || IMAGE_EXTENSIONS.has(ext);
}

/** Orders names by UTF-16 code units, independent of locale. */
function compareNames(a: Dirent, b: Dirent): number {
  if (a.name === b.name) return 0;
  return a.name < b.name ? -1 : 1;
}

/** Adds a clip unless the same (normalised) path was already taken. */
function addClip(collector: Collector, clip: string): void {
  const key = path.normalize(clip);
  if (collector.seenClips.has(key)) return;
  collector.seenClips.add(key);
  collector.clips.push(clip);
}

/** What a path is, following symlinks; 'broken' for a link whose target is missing. */
async function classifyPath(file: string): Promise<'folder' | 'file' | 'broken'> {
  try {
    return (await stat(file)).isDirectory() ? 'folder' : 'file';
  } catch {
    return 'broken';
  }
}

/**
 * Walks a folder recursively, hidden entries skipped, entries sorted by name. A folder that
 * cannot be read is a problem with a one-line cause (e.g. "permission denied"); the walk goes on.
 */
async function walkFolder(collector: Collector, folder: string): Promise<void> {
  let entries: Dirent[];
  try {
    const real = await realpath(folder);
    const walkedAs = collector.seenFolders.get(real);
    if (walkedAs !== undefined) {
      collector.repeats.push({ path: folder, walkedAs });
      return;
    }
    collector.seenFolders.set(real, folder);
    entries = await collector.listFolder(folder);
  } catch (err) {
    collector.problems.push({ path: folder, error: describeFileError(err) });
    return;
  }
  for (const entry of entries.sort(compareNames)) {
    if (entry.name.startsWith('.')) continue;
    await visitEntry(collector, path.join(folder, entry.name), entry);
  }
}

/** One folder entry: recurse into folders (also through links), keep media files. */
async function visitEntry(collector: Collector, file: string, entry: Dirent): Promise<void> {
  const kind = entry.isSymbolicLink()
    ? await classifyPath(file)
    : entry.isDirectory() ? 'folder' : 'file';
  if (kind === 'folder') await walkFolder(collector, file);
  else if (isMediaFile(entry.name)) addClip(collector, file);
}

/** A path named on the command line or stdin: any file is a clip, a folder is walked. */
async function visitNamed(collector: Collector, named: string): Promise<void> {
  try {
    await lstat(named);
  } catch (err) {
    collector.problems.push({ path: named, error: describeFileError(err) });
    return;
  }
  if ((await classifyPath(named)) === 'folder') await walkFolder(collector, named);
  else addClip(collector, named);
}

/** Reads newline-separated paths (LF or CRLF, blank lines skipped) from a stream. */
export async function readPathList(stream: NodeJS.ReadableStream): Promise<string[]> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  }
  return Buffer.concat(chunks)
    .toString('utf8')
    .split('\n')
    .map((line) => line.replace(/\r$/, ''))
    .filter((line) => line.trim() !== '');
}

/**
 * Expands command-line inputs into clip paths. A named file is a clip whatever its extension
 * (a broken symbolic link too: the pipeline reports it); a folder is walked recursively for
 * video and image files, hidden entries skipped, sorted by name, links followed but each real
 * folder walked once; `-` reads paths from stdin. Clip paths are kept as written or joined
 * from the folder path, never resolved. Missing named paths and folders that cannot be read
 * go to `problems`, each with a one-line cause ("file not found", "permission denied").
 */
export async function collectInputs(
  args: readonly string[],
  opts: CollectOptions = {},
): Promise<CollectedInputs> {
  const collector: Collector = {
    clips: [],
    problems: [],
    seenClips: new Set(),
    seenFolders: new Map(),
    repeats: [],
    listFolder: opts.listFolder ?? readFolderEntries,
  };
  for (const arg of args) {
    const named = arg === STDIN_ARGUMENT ? await readPathList(opts.stdin ?? process.stdin) : [arg];
    for (const item of named) await visitNamed(collector, item);
  }
  return { clips: collector.clips, problems: collector.problems, repeats: collector.repeats };
}
