/**
 * Soak test of the main job: a folder of many symbolic links to a few real clips (each link is
 * its own clip) goes through runMainJob in this process, and every SAMPLE_EVERY clips the
 * script prints resident memory, the tf.js tensor count, open file descriptors and child
 * processes. At the end it checks they stayed bounded and exits 1 when one did not.
 *
 *   node --import tsx scripts/soak.ts [--clips 2000] [--concurrency 2] [--max-frames 10]
 *     [--min-frames 3] [--source FILE]... [--keep]
 */
import { mkdir, mkdtemp, readdir, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

import * as tf from '@tensorflow/tfjs';

import { resolveMainOptions } from '../src/config/main-options.js';
import { createLogger } from '../src/log.js';
import { runMainJob } from '../src/pipeline/run-job.js';
import { SHARED_DATA } from './shared-data.js';

/** Default number of clips (links). */
const DEFAULT_CLIPS = 2000;

/** Clips between two samples. */
const SAMPLE_EVERY = 100;

/** Real clips the links point at by default. */
const DEFAULT_SOURCES = [
  `${SHARED_DATA}/clips/val/Happy/M030_front_happy_level3_001.mp4`,
  `${SHARED_DATA}/clips/val/Sad/W009_front_sad_level3_001.mp4`,
  `${SHARED_DATA}/clips/val/Surprise/W011_front_surprised_level3_001.mp4`,
];

/** Most open descriptors the last sample may have beyond the first one. */
const FD_SLACK = 8;

/** Most resident memory may grow from the first sample to the last, in MiB. */
const RSS_GROWTH_LIMIT_MIB = 150;

/** Child processes allowed per clip under way (one ffprobe or ffmpeg at a time). */
const CHILDREN_PER_CLIP = 1;

const MIB = 1024 * 1024;

/** One measurement. */
interface Sample {
  clips: number;
  seconds: number;
  rssMiB: number;
  peakRssMiB: number;
  tensors: number;
  fds: number;
  children: number;
}

/** The soak settings from the command line. */
interface SoakArgs {
  clips: number;
  concurrency: number;
  maxFrames: number;
  minFrames: number;
  sources: string[];
  keep: boolean;
}

function readArgs(): SoakArgs {
  const { values } = parseArgs({
    options: {
      clips: { type: 'string', default: String(DEFAULT_CLIPS) },
      concurrency: { type: 'string', default: '2' },
      'max-frames': { type: 'string', default: '10' },
      'min-frames': { type: 'string', default: '3' },
      source: { type: 'string', multiple: true },
      keep: { type: 'boolean', default: false },
    },
  });
  return {
    clips: Number(values.clips),
    concurrency: Number(values.concurrency),
    maxFrames: Number(values['max-frames']),
    minFrames: Number(values['min-frames']),
    sources: values.source ?? DEFAULT_SOURCES,
    keep: values.keep === true,
  };
}

/** Makes `count` links named clip-00001.mp4 … in `folder`, cycling over the sources. */
async function makeLinks(folder: string, sources: readonly string[], count: number) {
  await mkdir(folder, { recursive: true });
  for (let i = 0; i < count; i++) {
    const name = `clip-${String(i + 1).padStart(5, '0')}.mp4`;
    await symlink(path.resolve(sources[i % sources.length]!), path.join(folder, name));
  }
}

/** Processes whose parent is this one (ffprobe / ffmpeg children), from /proc. */
async function countChildren(): Promise<number> {
  let count = 0;
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[1]) === process.pid) count += 1;
  }
  return count;
}

async function takeSample(clips: number, started: number): Promise<Sample> {
  return {
    clips,
    seconds: (performance.now() - started) / 1000,
    rssMiB: process.memoryUsage().rss / MIB,
    peakRssMiB: (process.resourceUsage().maxRSS * 1024) / MIB,
    tensors: tf.memory().numTensors,
    fds: (await readdir('/proc/self/fd')).length,
    children: await countChildren(),
  };
}

function formatSample(s: Sample): string {
  return [
    `clips ${String(s.clips).padStart(5)}`,
    `${s.seconds.toFixed(0).padStart(6)} s`,
    `rss ${s.rssMiB.toFixed(0).padStart(5)} MiB`,
    `peak ${s.peakRssMiB.toFixed(0).padStart(5)} MiB`,
    `tensors ${s.tensors}`,
    `fds ${s.fds}`,
    `children ${s.children}`,
  ].join('  ');
}

/** The bounds the run broke, as sentences; empty when it stayed bounded. */
function checkBounds(first: Sample, last: Sample, all: Sample[], concurrency: number): string[] {
  const broken: string[] = [];
  if (last.tensors !== first.tensors) {
    broken.push(`tensor count changed from ${first.tensors} to ${last.tensors}`);
  }
  if (last.fds > first.fds + FD_SLACK) {
    broken.push(`open files grew from ${first.fds} to ${last.fds}`);
  }
  if (last.rssMiB - first.rssMiB > RSS_GROWTH_LIMIT_MIB) {
    broken.push(`RSS grew ${(last.rssMiB - first.rssMiB).toFixed(0)} MiB`);
  }
  const mostChildren = Math.max(...all.map((s) => s.children));
  if (mostChildren > concurrency * CHILDREN_PER_CLIP) {
    broken.push(`${mostChildren} child processes at once (concurrency ${concurrency})`);
  }
  return broken;
}

async function main(): Promise<number> {
  const args = readArgs();
  const root = await mkdtemp(path.join(tmpdir(), 'mre-soak-'));
  const folder = path.join(root, 'clips');
  await makeLinks(folder, args.sources, args.clips);
  const options = resolveMainOptions({
    inputs: [folder], out: path.join(root, 'rows.csv'), concurrency: args.concurrency,
    maxFrames: args.maxFrames, minFrames: args.minFrames, quiet: true,
  });

  // Run, sampling and printing in the per-clip hook (while later clips run).
  const started = performance.now();
  const samples: Sample[] = [];
  let printed = Promise.resolve();
  const onClip = (done: number, total: number): void => {
    if (done % SAMPLE_EVERY !== 0 && done !== total) return;
    printed = printed.then(async () => {
      const sample = await takeSample(done, started);
      samples.push(sample);
      process.stdout.write(`${formatSample(sample)}\n`);
    });
  };
  process.stdout.write(`${args.clips} links to ${args.sources.length} clips in ${folder}\n`);
  const result = await runMainJob(options, { log: createLogger('quiet'), onClip });
  await printed;

  // Report and judge.
  const failed = result.rows.filter((row) => row.status !== 'ok').length;
  const perClip = result.seconds / Math.max(1, result.rows.length);
  process.stdout.write(`${result.rows.length} clips, ${failed} not ok, ` +
    `${result.seconds.toFixed(0)} s (${perClip.toFixed(2)} s a clip)\n`);
  const broken = checkBounds(samples[0]!, samples.at(-1)!, samples, args.concurrency);
  for (const line of broken) process.stdout.write(`NOT BOUNDED: ${line}\n`);
  if (args.keep) process.stdout.write(`kept ${root}\n`);
  else await rm(root, { recursive: true, force: true });
  return broken.length === 0 && failed === 0 ? 0 : 1;
}

process.exitCode = await main();
