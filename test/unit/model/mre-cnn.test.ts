import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../src/model/backend.js';
import { traceStream } from '../../../src/model/layer-plan.js';
import type { ModelConfig } from '../../../src/model/model-config.js';
import { createSubNetwork } from '../../../src/model/mre-cnn.js';
import { describeSubNetwork, planSubNetwork } from '../../../src/model/sub-network-plan.js';
import { TINY_CONFIG } from './fixtures.js';

/** How far a softmax row may be from summing to 1. */
const SOFTMAX_SUM_TOLERANCE = 1e-5;

/** Checks every stream layer of both streams against the plan's shapes. */
function assertStreamShapes(model: tf.LayersModel, config: ModelConfig): void {
  const plan = planSubNetwork(config);
  for (const traced of traceStream(plan.stream, config.inputSize, config.channels)) {
    for (const prefix of ['face', 'region']) {
      const layer = model.getLayer(`${prefix}_${traced.name}`);
      assert.deepEqual(layer.outputShape, [null, ...traced.shape], layer.name);
    }
  }
}

describe('createSubNetwork', () => {
  before(async () => {
    await initBackend('cpu');
  });

  it('builds AlexNet at 224 px, width 1, with the planned shapes and parameter count', () => {
    const config: ModelConfig = { arch: 'alexnet', inputSize: 224, width: 1, channels: 3 };
    const model = createSubNetwork(config, 'eye', { seed: 1 });
    assertStreamShapes(model, config);
    assert.deepEqual(model.inputs.map((i) => i.shape), [[null, 224, 224, 3], [null, 224, 224, 3]]);
    assert.deepEqual(model.outputs[0]?.shape, [null, 7]);
    assert.equal(model.countParams(), describeSubNetwork(config).totalParams);
    model.dispose();
  });

  it('builds AlexNet at 48 px, width 0.5, grey, with a 2x2 last map', () => {
    const config: ModelConfig = { arch: 'alexnet', inputSize: 48, width: 0.5, channels: 1 };
    const model = createSubNetwork(config, 'mouth', { seed: 1 });
    assertStreamShapes(model, config);
    assert.deepEqual(model.getLayer('region_pool5').outputShape, [null, 2, 2, 128]);
    assert.deepEqual(model.getLayer('fc1').outputShape, [null, 64]);
    model.dispose();
  });

  it('builds VGG-16 at 224 px (width 0.125) with a 7x7 last map and named blocks', () => {
    const config: ModelConfig = { arch: 'vgg16', inputSize: 224, width: 0.125, channels: 3 };
    const model = createSubNetwork(config, 'nose', { seed: 1 });
    assertStreamShapes(model, config);
    assert.deepEqual(model.getLayer('face_block5_pool').outputShape, [null, 7, 7, 64]);
    assert.deepEqual(model.getLayer('fc2').outputShape, [null, 512]);
    assert.equal(model.countParams(), describeSubNetwork(config).totalParams);
    model.dispose();
  });

  it('builds VGG-16 at 48 px, width 0.125, and runs it to a softmax row', () => {
    const config: ModelConfig = { arch: 'vgg16', inputSize: 48, width: 0.125, channels: 1 };
    const model = createSubNetwork(config, 'eye', { seed: 3 });
    assertStreamShapes(model, config);
    const input = tf.randomUniform([2, 48, 48, 1], 0, 1, 'float32', 5);
    const output = model.predict([input, input]) as tf.Tensor;
    assert.deepEqual(output.shape, [2, 7]);
    const sums = Array.from(output.sum(1).dataSync());
    sums.forEach((s) => assert.ok(Math.abs(s - 1) < SOFTMAX_SUM_TOLERANCE));
    tf.dispose([input, output]);
    model.dispose();
  });

  it('gives the face and region streams their own weights', () => {
    const model = createSubNetwork(TINY_CONFIG, 'eye', { seed: 1 });
    const face = model.getLayer('face_conv1').getWeights()[0]?.dataSync();
    const region = model.getLayer('region_conv1').getWeights()[0]?.dataSync();
    assert.ok(face && region && face.length === region.length);
    assert.notDeepEqual(Array.from(face), Array.from(region));
    model.dispose();
  });

  it('repeats its weights for the same seed and region, and differs between regions', () => {
    const weightsOf = (m: tf.LayersModel): number[] =>
      Array.from(m.getLayer('fc1').getWeights()[0]?.dataSync() ?? []);
    const a = createSubNetwork(TINY_CONFIG, 'eye', { seed: 9 });
    const b = createSubNetwork(TINY_CONFIG, 'eye', { seed: 9 });
    const c = createSubNetwork(TINY_CONFIG, 'nose', { seed: 9 });
    assert.deepEqual(weightsOf(a), weightsOf(b));
    assert.notDeepEqual(weightsOf(a), weightsOf(c));
    [a, b, c].forEach((m) => m.dispose());
  });
});
