import { createRequire } from 'node:module';
import path from 'node:path';

import { MreError } from '../errors.js';

/** Box of a face-api detection in input pixels. */
export interface FaceApiBox {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** The part of a face-api `FaceDetection` that mre-video reads. */
export interface FaceApiDetection {
  readonly score: number;
  readonly box: FaceApiBox;
}

/** The part of a face-api `FaceLandmarks68` that mre-video reads. */
export interface FaceApiLandmarks {
  /** Positions relative to the input crop, 0..1 on each axis. */
  readonly relativePositions: ReadonlyArray<{ readonly x: number; readonly y: number }>;
}

/**
 * A tensor as face-api accepts it. face-api bundles its own copy of the tfjs type declarations,
 * so tensors from `@tensorflow/tfjs` are passed through this opaque type.
 */
export type FaceApiInput = object;

/** SSD MobileNet v1 face detector. */
export interface SsdDetectorNet {
  loadFromDisk(dir: string): Promise<void>;
  locateFaces(input: FaceApiInput, options: object): Promise<FaceApiDetection[]>;
}

/** The 68-point landmark net (input resized to 112 x 112 with padding by face-api). */
export interface Landmark68Net {
  loadFromDisk(dir: string): Promise<void>;
  detectLandmarks(input: FaceApiInput): Promise<FaceApiLandmarks | FaceApiLandmarks[]>;
}

/** face-api's 7-way expression classifier (the peer baseline). */
export interface ExpressionNet {
  loadFromDisk(dir: string): Promise<void>;
  predictExpressions(input: FaceApiInput): Promise<Record<string, number> | object[]>;
}

/** Options of face-api's `SsdMobilenetv1Options`. */
export interface SsdOptions {
  /** Confidence threshold 0..1. */
  minConfidence: number;
  /** Most detections returned. */
  maxResults: number;
}

/** The subset of the face-api module used here. */
export interface FaceApiModule {
  readonly nets: {
    readonly ssdMobilenetv1: SsdDetectorNet;
    readonly faceLandmark68Net: Landmark68Net;
    readonly faceExpressionNet: ExpressionNet;
  };
  readonly SsdMobilenetv1Options: new (opts: SsdOptions) => object;
}

/** The loaded face-api networks. */
export interface FaceNets {
  /** The face-api module itself (node-wasm build). */
  readonly api: FaceApiModule;
  readonly detector: SsdDetectorNet;
  readonly landmarks: Landmark68Net;
  /** Folder the weights were read from. */
  readonly modelDir: string;
}

/** The face-api build that uses plain @tensorflow/tfjs (its main entry pulls in tfjs-node). */
const FACE_API_BUILD = 'dist/face-api.node-wasm.js';

const require = createRequire(import.meta.url);

let facePromise: Promise<FaceNets> | undefined;
let expressionPromise: Promise<ExpressionNet> | undefined;

/** Folder of the face-api package. */
function resolveFaceApiDir(): string {
  return path.dirname(require.resolve('@vladmandic/face-api/package.json'));
}

/** The weights folder shipped inside the face-api package. */
export function resolveFaceModelDir(): string {
  return path.join(resolveFaceApiDir(), 'model');
}

/** Requires the face-api node-wasm build (shares the tfjs engine of `@tensorflow/tfjs`). */
function requireFaceApi(): FaceApiModule {
  const file = path.join(resolveFaceApiDir(), FACE_API_BUILD);
  try {
    return require(file) as FaceApiModule;
  } catch (cause) {
    throw new MreError('MODEL', `cannot load face-api from ${file}`, { file, cause });
  }
}

/** Loads one net's weights, naming the folder on failure. */
async function loadNet(
  net: { loadFromDisk(dir: string): Promise<void> },
  dir: string,
  name: string,
): Promise<void> {
  try {
    await net.loadFromDisk(dir);
  } catch (cause) {
    throw new MreError('MODEL', `cannot load the face-api ${name} weights from ${dir}`, {
      file: dir,
      cause,
    });
  }
}

/** Loads detector and landmark weights on the tfjs backend the caller has set. */
async function loadNetsOnce(): Promise<FaceNets> {
  const api = requireFaceApi();
  const modelDir = resolveFaceModelDir();
  await loadNet(api.nets.ssdMobilenetv1, modelDir, 'SSD MobileNet v1');
  await loadNet(api.nets.faceLandmark68Net, modelDir, '68-point landmark');
  return {
    api,
    detector: api.nets.ssdMobilenetv1,
    landmarks: api.nets.faceLandmark68Net,
    modelDir,
  };
}

/**
 * Loads face-api's SSD MobileNet v1 detector and 68-point landmark net from the package's own
 * `model/` folder, once per process; later calls share the first load. Set the tfjs backend
 * before the first call: the weights live on that backend. A failed load is not cached.
 */
export function loadFaceNets(): Promise<FaceNets> {
  facePromise ??= loadNetsOnce().catch((err: unknown) => {
    facePromise = undefined;
    throw err;
  });
  return facePromise;
}

/**
 * Loads face-api's expression net (used only by the peer baseline), once per process; kept apart
 * from {@link loadFaceNets} so that normal runs do not pay for it.
 */
export function loadExpressionNet(nets: FaceNets): Promise<ExpressionNet> {
  expressionPromise ??= (async () => {
    const net = nets.api.nets.faceExpressionNet;
    await loadNet(net, nets.modelDir, 'expression');
    return net;
  })().catch((err: unknown) => {
    expressionPromise = undefined;
    throw err;
  });
  return expressionPromise;
}
