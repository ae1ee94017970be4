import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { NUM_CLASSES } from '../../../src/classes.js';
import { measureAccuracy } from '../../../src/train/accuracy.js';
import {
  combineRegionScores, listSimplexWeights, searchEnsembleWeights,
} from '../../../src/train/ensemble-search.js';

/** One-hot-ish score rows (0.9 on `predicted`) for each sample. */
function scoresFor(predicted: number[]): Float32Array {
  const out = new Float32Array(predicted.length * NUM_CLASSES).fill(0.1 / (NUM_CLASSES - 1));
  predicted.forEach((c, i) => { out[i * NUM_CLASSES + c] = 0.9; });
  return out;
}

describe('accuracy', () => {
  it('reports accuracy and the mean recall of the classes present', () => {
    const report = measureAccuracy(scoresFor([0, 0, 3, 1]), [0, 3, 3, 3]);
    assert.equal(report.accuracy, 0.5);
    assert.equal(report.meanPerClass, (1 + 1 / 3) / 2);
    assert.ok(Number.isNaN(report.perClass[6]));
  });
});

describe('ensemble search', () => {
  it('lists the 66 weight triples of the simplex with step 0.1', () => {
    const grid = listSimplexWeights();
    assert.equal(grid.length, 66);
    grid.forEach((w) => assert.ok(Math.abs(w.eye + w.nose + w.mouth - 1) < 1e-9));
  });

  it('combines scores as the weighted sum of the sub-networks', () => {
    const eye = new Float32Array(NUM_CLASSES).fill(1);
    const nose = new Float32Array(NUM_CLASSES).fill(2);
    const mouth = new Float32Array(NUM_CLASSES).fill(4);
    const out = combineRegionScores({ eye, nose, mouth }, { eye: 0.5, nose: 0.25, mouth: 0.25 });
    assert.deepEqual([...out], new Array(NUM_CLASSES).fill(2));
  });

  it('weights the only sub-network that is right most, reaching full accuracy', () => {
    const labels = [0, 1, 2, 3];
    const choice = searchEnsembleWeights({
      eye: scoresFor([4, 4, 4, 4]), nose: scoresFor([0, 1, 2, 3]), mouth: scoresFor([5, 5, 5, 5]),
    }, labels);
    assert.equal(choice.report.accuracy, 1);
    assert.ok(choice.weights.nose > choice.weights.eye);
    assert.ok(choice.weights.nose > choice.weights.mouth);
  });
});
