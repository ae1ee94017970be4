import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { describeError, MreError } from '../errors.js';
import type { Logger } from '../log.js';
import { silentLogger } from '../log.js';
import { importOnnxRuntime } from './onnx/onnx-scorer.js';

/**
 * Which backend to use; 'auto' takes the fastest that loads. 'onnx' runs the model stage in
 * onnxruntime-node and everything else (face-api) on tf.js WebAssembly.
 */
export type BackendChoice = 'auto' | 'tensorflow' | 'wasm' | 'cpu' | 'onnx';

/** Every accepted backend choice, for option validation. */
export const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', 'tensorflow', 'wasm', 'cpu',
  'onnx'];

/** What runs the three sub-networks (see loadModel). */
export type ModelEngine = 'tfjs' | 'onnx';

/** Native TensorFlow bindings, tried in this order; neither is a hard dependency. */
const NATIVE_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const;

/** Backend name the native packages register. */
const NATIVE_BACKEND = 'tensorflow';

let wasmPathsSet = false;

/**
 * Selects and initialises a tf.js backend and returns the name of the one in use. 'auto' tries
 * the native packages (GPU, then CPU), then WebAssembly (its .wasm files come from the installed
 * package, nothing is fetched), then plain JS 'cpu'. An explicit choice that cannot load throws
 * MreError('BACKEND'). Safe to call more than once. Also turns off tf.js's console banners, as
 * library code logs only through `log`.
 */
export async function initBackend(
  choice: BackendChoice,
  log: Logger = silentLogger,
): Promise<string> {
  tf.env().set('PROD', true);
  if (choice === 'onnx') {
    return (await tryWasm(log)) ? switchTo('wasm', log) : switchTo('cpu', log);
  }
  if (choice === 'cpu') {
    return switchTo('cpu', log);
  }
  if (choice === 'tensorflow' || choice === 'auto') {
    const native = await tryNative(log);
    if (native) {
      return switchTo(NATIVE_BACKEND, log);
    }
    if (choice === 'tensorflow') {
      const names = NATIVE_PACKAGES.join(' or ');
      throw new MreError('BACKEND', `backend tensorflow: install ${names} (neither loads here)`);
    }
  }
  if (await tryWasm(log)) {
    return switchTo('wasm', log);
  }
  if (choice === 'wasm') {
    throw new MreError('BACKEND', 'backend wasm: the WebAssembly backend failed to initialise');
  }
  log.debug('backend: wasm unavailable, using cpu');
  return switchTo('cpu', log);
}

/** Imports a native package; true once the 'tensorflow' backend is registered. */
async function tryNative(log: Logger): Promise<boolean> {
  if (tf.findBackendFactory(NATIVE_BACKEND) !== null) {
    return true;
  }
  for (const name of NATIVE_PACKAGES) {
    try {
      const specifier: string = name;
      await import(specifier);
      if (tf.findBackendFactory(NATIVE_BACKEND) !== null) {
        log.debug(`backend: loaded ${name}`);
        return true;
      }
    } catch (err) {
      log.debug(`backend: ${name} not available (${describeError(err)})`);
    }
  }
  return false;
}

/** Points the wasm backend at the package's own dist folder and initialises it. */
async function tryWasm(log: Logger): Promise<boolean> {
  try {
    if (!wasmPathsSet) {
      const require = createRequire(import.meta.url);
      const distDir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
      setWasmPaths(`${distDir}/`);
      wasmPathsSet = true;
    }
    return await tf.setBackend('wasm');
  } catch (err) {
    log.debug(`backend: wasm failed (${describeError(err)})`);
    return false;
  }
}

async function switchTo(name: string, log: Logger): Promise<string> {
  const ok = await tf.setBackend(name);
  if (!ok) {
    throw new MreError('BACKEND', `backend ${name}: failed to initialise`);
  }
  await tf.ready();
  log.debug(`backend: using ${tf.getBackend()}`);
  return tf.getBackend();
}

/**
 * The engine of the model stage for a backend choice, given the tf.js backend initBackend
 * chose: 'onnx' when asked for; under 'auto', onnx when onnxruntime-node loads and tf.js has no
 * native backend (onnxruntime ran the shipped model about 3x faster than tf.js WebAssembly);
 * tf.js otherwise.
 */
export async function chooseModelEngine(
  choice: BackendChoice,
  tfBackend: string,
  log: Logger = silentLogger,
): Promise<ModelEngine> {
  if (choice === 'onnx') return 'onnx';
  if (choice !== 'auto' || tfBackend === NATIVE_BACKEND) return 'tfjs';
  const ort = await importOnnxRuntime();
  if (ort instanceof Error) {
    log.debug(`backend: ${ort.message}; the model runs on tf.js ${tfBackend}`);
    return 'tfjs';
  }
  return 'onnx';
}
