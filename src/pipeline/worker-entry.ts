/**
 * The body of one clip worker (node:worker_threads): its own tf.js backend, face-api nets and
 * model, classifying whole clips one at a time. A bad clip gives an error row (classifyClip
 * never throws for one); a failure to load is reported once and the worker ends.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';

import { describeError, MreError } from '../errors.js';
import { loadFaceNets } from '../face/face-api-nets.js';
import { chooseModelEngine, initBackend } from '../model/backend.js';
import { loadModel } from '../model/load-model.js';
import { classifyClip } from './classify-clip.js';
import { createEngine, type TrackingEngine } from './create-engine.js';
import type { ClipRequest, WorkerReply, WorkerSetup } from './worker-messages.js';

/** Loads backend, model and nets; answers `ready` with the model's identity. */
async function prepareWorker(setup: WorkerSetup, port: MessagePort): Promise<TrackingEngine> {
  const tfBackend = await initBackend(setup.backend);
  const engine = await chooseModelEngine(setup.backend, tfBackend);
  const model = await loadModel(setup.modelDir, { engine });
  const nets = await loadFaceNets();
  const info = { name: model.name, sha256: model.sha256, backend: model.backend,
    untrained: model.untrained };
  post(port, { type: 'ready', model: info });
  return createEngine(nets, model, { tracking: setup.tracking });
}

function post(port: MessagePort, reply: WorkerReply): void {
  port.postMessage(reply);
}

/** Serves clip requests until the pool terminates the worker. */
async function serveClips(port: MessagePort, setup: WorkerSetup): Promise<void> {
  let engine: TrackingEngine;
  try {
    engine = await prepareWorker(setup, port);
  } catch (err) {
    post(port, { type: 'failed', error: describeError(err) });
    return;
  }
  port.on('message', (request: ClipRequest) => {
    void classifyClip(request.clip, engine.startClip(), setup.settings).then((outcome) => {
      post(port, { type: 'done', id: request.id, outcome });
    });
  });
}

if (parentPort === null) {
  throw new MreError('INTERNAL', 'worker-entry must run in a worker thread');
}
await serveClips(parentPort, workerData as WorkerSetup);
