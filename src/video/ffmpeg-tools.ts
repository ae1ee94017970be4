/**
 * The one place that starts ffmpeg and ffprobe processes.
 *
 * Every call runs the binary directly (never through a shell), has a timeout after which the child
 * is killed with SIGKILL, caps the output it keeps in memory, and reads its input only through
 * {@link buildSafeInputArgs}, which pins the input to one local file.
 *
 * The fluent-ffmpeg package is not used: its ffprobe wrapper has no timeout and drops the JSON
 * side data we need for rotation, and each command it builds first spawns `ffmpeg -formats` and
 * `ffmpeg -encoders` without a timeout. Spawning directly keeps this module the only thing to
 * replace if the binaries change.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';

/** Time allowed for one ffprobe run, in milliseconds. */
export const PROBE_TIMEOUT_MS = 20_000;

/** Time allowed for one decoding pass over a clip, in milliseconds. */
export const DECODE_TIMEOUT_MS = 180_000;

/** Time allowed for asking ffmpeg which decoders it has, in milliseconds. */
export const CAPABILITY_TIMEOUT_MS = 10_000;

/** Most stdout kept when it is buffered (ffprobe JSON, decoder lists), in bytes. */
export const MAX_BUFFERED_STDOUT_BYTES = 8 * 1024 * 1024;

/** Most stderr kept (the tail), in bytes; enough for ffmpeg's error lines. */
export const MAX_STDERR_BYTES = 64 * 1024;

/**
 * Demuxers ffmpeg may use on an input. Each reads a single file: playlists and lists (hls, dash,
 * concat), image-sequence patterns (image2) and other formats that open further files are left
 * out, so a crafted input cannot make ffmpeg read another local file. The mov demuxer's external
 * track references stay off (its `enable_drefs` default is false).
 */
export const SAFE_DEMUXERS: readonly string[] = [
  'mov', 'matroska', 'avi', 'flv', 'mpegts', 'mpeg', 'asf', 'ogg', 'nut', 'ivf', 'obu',
  'h264', 'hevc', 'm4v', 'mjpeg', 'gif', 'yuv4mpegpipe', 'image2pipe',
  'png_pipe', 'jpeg_pipe', 'bmp_pipe', 'tiff_pipe', 'webp_pipe', 'gif_pipe',
];

/** How a finished (or killed) child process ended. */
export interface ToolResult {
  /** Exit code, or null when the process was killed by a signal. */
  exitCode: number | null;
  /** True when the timeout fired and the process was killed. */
  timedOut: boolean;
  /** Buffered stdout (empty when an `onStdout` handler consumed it). */
  stdout: Buffer;
  /** The last {@link MAX_STDERR_BYTES} of stderr, as text. */
  stderr: string;
}

/** Options for {@link runTool}. */
export interface RunToolOptions {
  /** Kill the process with SIGKILL after this many milliseconds. */
  timeoutMs: number;
  /** Receives stdout as it arrives; when absent stdout is buffered up to a cap. */
  onStdout?: (chunk: Buffer) => void;
}

/** The ffmpeg binary: env FFMPEG_PATH, else the one from @ffmpeg-installer/ffmpeg. */
export function resolveFfmpegPath(): string {
  return process.env['FFMPEG_PATH'] || loadInstallerPath('@ffmpeg-installer/ffmpeg');
}

/** The ffprobe binary: env FFPROBE_PATH, else the one from @ffprobe-installer/ffprobe. */
export function resolveFfprobePath(): string {
  return process.env['FFPROBE_PATH'] || loadInstallerPath('@ffprobe-installer/ffprobe');
}

/** Reads the `path` export of an installer package (CommonJS), only when it is needed. */
function loadInstallerPath(name: string): string {
  const require = createRequire(import.meta.url);
  const installer = require(name) as { path: string };
  return installer.path;
}

/** Options for {@link buildSafeInputArgs}. */
export interface SafeInputOptions {
  /** Force this demuxer instead of probing (must be one of {@link SAFE_DEMUXERS}). */
  format?: string;
}

/**
 * Input arguments that make ffmpeg/ffprobe read only `path`: the `file:` prefix stops a name
 * starting with `-` being an option or one containing `:` being a protocol, the protocol
 * whitelist stops any other protocol, and the demuxer whitelist stops playlist-like formats.
 */
export function buildSafeInputArgs(path: string, options: SafeInputOptions = {}): string[] {
  const args = ['-protocol_whitelist', 'file', '-format_whitelist', SAFE_DEMUXERS.join(',')];
  if (options.format !== undefined) {
    args.push('-f', options.format);
  }
  args.push('-i', toFileUrl(path));
  return args;
}

/** `file:<absolute path>`, the form every input is given in. */
export function toFileUrl(path: string): string {
  return `file:${resolve(path)}`;
}

/** Runs ffprobe with `args`; see {@link runTool}. */
export function runFfprobe(args: readonly string[], options: RunToolOptions): Promise<ToolResult> {
  return runTool(resolveFfprobePath(), args, options);
}

/** Runs ffmpeg with `args`; see {@link runTool}. */
export function runFfmpeg(args: readonly string[], options: RunToolOptions): Promise<ToolResult> {
  return runTool(resolveFfmpegPath(), args, options);
}

/**
 * Runs `binary` with `args` (no shell, stdin closed) and resolves when it exits, however it
 * exits; rejects only when it cannot be started. Kills it with SIGKILL after `timeoutMs`.
 */
export function runTool(
  binary: string,
  args: readonly string[],
  options: RunToolOptions,
): Promise<ToolResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'], shell: false });
    const stdout = createCappedBuffer(MAX_BUFFERED_STDOUT_BYTES, 'head');
    const stderr = createCappedBuffer(MAX_STDERR_BYTES, 'tail');
    let timedOut = false;

    // kill on timeout
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs);

    // collect output
    child.stdout.on('data', (chunk: Buffer) => {
      if (options.onStdout) options.onStdout(chunk);
      else stdout.append(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => stderr.append(chunk));

    // settle
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const text = stderr.read().toString('utf8');
      resolvePromise({ exitCode: code, timedOut, stdout: stdout.read(), stderr: text });
    });
  });
}

/** A byte buffer that keeps at most `limit` bytes: the first ones ('head') or last ('tail'). */
function createCappedBuffer(limit: number, keep: 'head' | 'tail') {
  let chunks: Buffer[] = [];
  let size = 0;
  return {
    append(chunk: Buffer): void {
      if (keep === 'head' && size >= limit) return;
      chunks.push(chunk);
      size += chunk.length;
      if (keep === 'tail' && size > 2 * limit) {
        chunks = [Buffer.concat(chunks).subarray(size - limit)];
        size = limit;
      }
    },
    read(): Buffer {
      const all = Buffer.concat(chunks);
      return keep === 'head' ? all.subarray(0, limit) : all.subarray(Math.max(0, size - limit));
    },
  };
}

let decoderListPromise: Promise<ReadonlySet<string>> | undefined;

/**
 * The codec names the ffmpeg binary can decode (from `ffmpeg -decoders`), asked once per process.
 * A failed query yields an empty set and is retried on the next call.
 */
export function listFfmpegDecoders(): Promise<ReadonlySet<string>> {
  if (decoderListPromise === undefined) {
    decoderListPromise = queryDecoders();
    decoderListPromise.then((set) => {
      if (set.size === 0) decoderListPromise = undefined;
    });
  }
  return decoderListPromise;
}

async function queryDecoders(): Promise<ReadonlySet<string>> {
  try {
    const args = ['-hide_banner', '-nostdin', '-decoders'];
    const result = await runFfmpeg(args, { timeoutMs: CAPABILITY_TIMEOUT_MS });
    return result.exitCode === 0 ? parseDecoderList(result.stdout.toString('utf8')) : new Set();
  } catch {
    return new Set();
  }
}

/**
 * Codec names in the output of `ffmpeg -decoders`. A line is ` V..... name  description`, with
 * `(codec x)` at the end when the decoder's name differs from its codec's (e.g. libdav1d → av1);
 * both the decoder name and the codec name are returned.
 */
export function parseDecoderList(text: string): Set<string> {
  const names = new Set<string>();
  for (const line of text.split('\n')) {
    const match = /^\s*[VAS][A-Z.]{5}\s+(\S+)\s+(.*)$/.exec(line);
    if (!match || match[1] === '=') continue;
    names.add(match[1] ?? '');
    const codec = /\(codec (\S+)\)\s*$/.exec(match[2] ?? '');
    if (codec?.[1]) names.add(codec[1]);
  }
  return names;
}
