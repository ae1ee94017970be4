import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  chooseFrames,
  planDenserCandidates,
  planInitialCandidates,
  type ScoredFrame,
} from '../../../src/video/sampling-schedule.js';

describe('planInitialCandidates', () => {
  it('puts each candidate at the centre of one of count equal segments', () => {
    assert.deepEqual(planInitialCandidates(100, 10), [5, 15, 25, 35, 45, 55, 65, 75, 85, 95]);
    assert.deepEqual(planInitialCandidates(98, 4), [12, 36, 61, 85]);
  });

  it('returns every frame when count is at least the frame count', () => {
    assert.deepEqual(planInitialCandidates(5, 5), [0, 1, 2, 3, 4]);
    assert.deepEqual(planInitialCandidates(3, 20), [0, 1, 2]);
  });

  it('returns the middle frame for a single candidate', () => {
    assert.deepEqual(planInitialCandidates(7, 1), [3]);
  });

  it('returns nothing for an empty clip or a count below one', () => {
    assert.deepEqual(planInitialCandidates(0, 10), []);
    assert.deepEqual(planInitialCandidates(10, 0), []);
    assert.deepEqual(planInitialCandidates(Number.NaN, 3), []);
  });
});

describe('planDenserCandidates', () => {
  it('adds the frames halfway between seen frames and towards both ends', () => {
    const seen = [5, 15, 25, 35, 45, 55, 65, 75, 85, 95];
    assert.deepEqual(
      planDenserCandidates(seen, 100),
      [2, 10, 20, 30, 40, 50, 60, 70, 80, 90, 97],
    );
  });

  it('skips gaps with no unseen frame and takes the earlier of two middles', () => {
    assert.deepEqual(planDenserCandidates([0, 1, 3, 6, 9], 10), [2, 4, 7]);
  });

  it('halves the interval again on the next round', () => {
    const first = [2, 7];
    const second = planDenserCandidates(first, 10);
    assert.deepEqual(second, [0, 4, 8]);
    assert.deepEqual(planDenserCandidates([...first, ...second], 10), [1, 3, 5, 9]);
  });

  it('is empty once every frame has been seen', () => {
    assert.deepEqual(planDenserCandidates([4, 0, 2, 1, 3], 5), []);
  });

  it('starts from the middle frame when nothing has been seen', () => {
    assert.deepEqual(planDenserCandidates([], 9), [4]);
  });

  it('ignores seen indices outside the clip or not whole', () => {
    assert.deepEqual(planDenserCandidates([-3, 2.5, 4, 12], 9), [1, 6]);
  });
});

describe('chooseFrames', () => {
  const scored: ScoredFrame[] = [
    { index: 5, clarity: 0.9 },
    { index: 15, clarity: null },
    { index: 25, clarity: 0.4 },
    { index: 35, clarity: 0.7 },
    { index: 45, clarity: 0.95 },
    { index: 55, clarity: 0.5 },
  ];

  it('keeps the clearest frames up to maxFrames and returns them in index order', () => {
    const choice = chooseFrames(scored, { minFrames: 2, maxFrames: 3, minClarity: 0.5 });
    assert.deepEqual(choice, { chosen: [5, 35, 45], needMore: false });
  });

  it('keeps a frame whose clarity equals minClarity', () => {
    const choice = chooseFrames(scored, { minFrames: 1, maxFrames: 10, minClarity: 0.5 });
    assert.deepEqual(choice, { chosen: [5, 35, 45, 55], needMore: false });
  });

  it('asks for more when fewer than minFrames frames are clear enough', () => {
    const choice = chooseFrames(scored, { minFrames: 3, maxFrames: 5, minClarity: 0.8 });
    assert.deepEqual(choice, { chosen: [5, 45], needMore: true });
  });

  it('never chooses a frame without a face', () => {
    const none: ScoredFrame[] = [{ index: 1, clarity: null }, { index: 2, clarity: null }];
    const choice = chooseFrames(none, { minFrames: 1, maxFrames: 5, minClarity: 0 });
    assert.deepEqual(choice, { chosen: [], needMore: true });
  });

  it('breaks clarity ties by taking the earlier frame', () => {
    const tied: ScoredFrame[] = [
      { index: 9, clarity: 0.6 },
      { index: 3, clarity: 0.6 },
      { index: 6, clarity: 0.6 },
    ];
    const choice = chooseFrames(tied, { minFrames: 1, maxFrames: 2, minClarity: 0.1 });
    assert.deepEqual(choice, { chosen: [3, 6], needMore: false });
  });

  it('counts a frame scored twice once, with its higher clarity', () => {
    const twice: ScoredFrame[] = [
      { index: 4, clarity: 0.2 },
      { index: 4, clarity: 0.8 },
      { index: 7, clarity: 0.6 },
    ];
    const choice = chooseFrames(twice, { minFrames: 2, maxFrames: 1, minClarity: 0.5 });
    assert.deepEqual(choice, { chosen: [4], needMore: false });
  });

  it('densifies until enough clear frames are found in a simulated clip', () => {
    // frames 0-59 have a clear face, 60-99 none
    const clarityOf = (i: number): number | null => (i < 60 ? 0.5 + i / 200 : null);
    const opts = { minFrames: 8, maxFrames: 4, minClarity: 0.5 };
    let seen = planInitialCandidates(100, 4);
    let choice = chooseFrames(seen.map((index) => ({ index, clarity: clarityOf(index) })), opts);
    assert.deepEqual(seen, [12, 37, 62, 87]);
    assert.equal(choice.needMore, true);

    seen = [...seen, ...planDenserCandidates(seen, 100)].sort((a, b) => a - b);
    choice = chooseFrames(seen.map((index) => ({ index, clarity: clarityOf(index) })), opts);
    assert.deepEqual(seen, [5, 12, 24, 37, 49, 62, 74, 87, 93]);
    assert.equal(choice.needMore, true);

    seen = [...seen, ...planDenserCandidates(seen, 100)].sort((a, b) => a - b);
    choice = chooseFrames(seen.map((index) => ({ index, clarity: clarityOf(index) })), opts);
    assert.deepEqual(choice, { chosen: [37, 43, 49, 55], needMore: false });
  });
});
