import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MreError } from '../../../src/errors.js';
import { chooseAlexNetStem, planAlexNetStream } from '../../../src/model/alexnet-plan.js';
import { traceStream } from '../../../src/model/layer-plan.js';
import type { ModelConfig } from '../../../src/model/model-config.js';
import { validateModelConfig } from '../../../src/model/model-config.js';
import { describeSubNetwork } from '../../../src/model/sub-network-plan.js';
import { planVgg16Stream } from '../../../src/model/vgg16-plan.js';

/** Convolution parameters of Keras' VGG16 without its top (a published figure). */
const VGG16_CONV_PARAMS = 14_714_688;

/** Convolution parameters of single-tower AlexNet at width 1 and 3 channels. */
const ALEXNET_CONV_PARAMS = 3_747_200;

const shapesOf = (config: ModelConfig, plan = planAlexNetStream(config)): string[] =>
  traceStream(plan, config.inputSize, config.channels).map((l) => `${l.name} ${l.shape.join('x')}`);

describe('AlexNet-style stream plan', () => {
  it('keeps AlexNet at 224 px: 11x11 stride 4, maps 56, 27, 13 and a last 6x6x256', () => {
    const config: ModelConfig = { arch: 'alexnet', inputSize: 224, width: 1, channels: 3 };
    assert.deepEqual(shapesOf(config), [
      'conv1 56x56x96',
      'pool1 27x27x96',
      'conv2 27x27x256',
      'pool2 13x13x256',
      'conv3 13x13x384',
      'conv4 13x13x384',
      'conv5 13x13x256',
      'pool5 6x6x256',
    ]);
  });

  it('scales the first layer with the input: 224 -> 11/4, 112 -> 7/2, 64 -> 5/2, 32 -> 3/1', () => {
    assert.deepEqual(chooseAlexNetStem(224), { kernel: 11, stride: 4 });
    assert.deepEqual(chooseAlexNetStem(112), { kernel: 7, stride: 2 });
    assert.deepEqual(chooseAlexNetStem(111), { kernel: 5, stride: 2 });
    assert.deepEqual(chooseAlexNetStem(64), { kernel: 5, stride: 2 });
    assert.deepEqual(chooseAlexNetStem(32), { kernel: 3, stride: 1 });
  });

  it('leaves a 3x3 last map at 64 px and a 2x2 one at 48 px, width 0.5', () => {
    const at64 = shapesOf({ arch: 'alexnet', inputSize: 64, width: 0.5, channels: 1 });
    const at48 = shapesOf({ arch: 'alexnet', inputSize: 48, width: 0.5, channels: 1 });
    assert.equal(at64.at(-1), 'pool5 3x3x128');
    assert.equal(at64[0], 'conv1 32x32x48');
    assert.equal(at48.at(-1), 'pool5 2x2x128');
  });

  it('switches to padded pooling at 16 px so the last map stays 2x2', () => {
    const config: ModelConfig = { arch: 'alexnet', inputSize: 16, width: 0.5, channels: 1 };
    assert.equal(shapesOf(config).at(-1), 'pool5 2x2x128');
  });

  it('counts the convolution parameters of AlexNet at width 1', () => {
    const summary = describeSubNetwork({ arch: 'alexnet', inputSize: 224, width: 1, channels: 3 });
    const conv = summary.stream.reduce((sum, layer) => sum + layer.params, 0);
    assert.equal(conv, ALEXNET_CONV_PARAMS);
    assert.equal(summary.concatLength, 2 * 6 * 6 * 256);
    assert.deepEqual(
      summary.head.map((h) => [h.name, h.units]),
      [['fc1', 64], ['predictions', 7]],
    );
  });
});

describe('VGG-16 stream plan', () => {
  it('matches VGG-16 at 224 px: 13 convolutions, 5 pools, a last 7x7x512 map', () => {
    const config: ModelConfig = { arch: 'vgg16', inputSize: 224, width: 1, channels: 3 };
    const shapes = shapesOf(config, planVgg16Stream(config));
    assert.equal(shapes.filter((s) => s.includes('_conv')).length, 13);
    assert.equal(shapes.filter((s) => s.includes('_pool')).length, 5);
    assert.equal(shapes[0], 'block1_conv1 224x224x64');
    assert.equal(shapes.at(-1), 'block5_pool 7x7x512');
  });

  it('has Keras VGG16 convolution parameters and 4096-4096 dense layers at width 1', () => {
    const summary = describeSubNetwork({ arch: 'vgg16', inputSize: 224, width: 1, channels: 3 });
    const conv = summary.stream.reduce((sum, layer) => sum + layer.params, 0);
    assert.equal(conv, VGG16_CONV_PARAMS);
    assert.equal(summary.concatLength, 2 * 7 * 7 * 512);
    assert.deepEqual(
      summary.head.map((h) => [h.name, h.units, h.params]),
      [
        ['fc1', 4096, 50176 * 4096 + 4096],
        ['fc2', 4096, 4096 * 4096 + 4096],
        ['predictions', 7, 4096 * 7 + 7],
      ],
    );
  });

  it('leaves out the last pool at 48 px so the last map stays 3x3', () => {
    const config: ModelConfig = { arch: 'vgg16', inputSize: 48, width: 0.25, channels: 1 };
    const shapes = shapesOf(config, planVgg16Stream(config));
    assert.equal(shapes.filter((s) => s.includes('_pool')).length, 4);
    assert.equal(shapes.at(-1), 'block5_conv3 3x3x128');
  });
});

describe('validateModelConfig', () => {
  it('refuses sizes, widths and channel counts outside the supported range', () => {
    const base: ModelConfig = { arch: 'alexnet', inputSize: 64, width: 0.5, channels: 1 };
    const bad: ModelConfig[] = [
      { ...base, inputSize: 15 },
      { ...base, inputSize: 64.5 },
      { ...base, width: 0 },
      { ...base, channels: 2 as 1 },
      { ...base, arch: 'resnet' as 'alexnet' },
    ];
    for (const config of bad) {
      assert.throws(() => validateModelConfig(config), (err: unknown) => {
        return err instanceof MreError && err.code === 'USAGE';
      });
    }
  });

  it('returns a copy, leaving the given config untouched', () => {
    const config: ModelConfig = { arch: 'vgg16', inputSize: 224, width: 1, channels: 3 };
    const checked = validateModelConfig(config);
    assert.deepEqual(checked, config);
    assert.notEqual(checked, config);
  });
});
