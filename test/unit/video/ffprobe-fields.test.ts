import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  findVideoStream,
  isStillImageFormat,
  parseRatio,
  readDisplaySize,
  readDuration,
  readFrameCount,
  readFrameRate,
  readRotation,
  snapRotation,
} from '../../../src/video/ffprobe-fields.js';

describe('readRotation', () => {
  it('reads display matrix side data as counter-clockwise, so -90 means turn 90 clockwise', () => {
    assert.equal(readRotation({ side_data_list: [{ rotation: -90 }] }), 90);
    assert.equal(readRotation({ side_data_list: [{ rotation: 90 }] }), 270);
    assert.equal(readRotation({ side_data_list: [{ rotation: 180 }] }), 180);
    assert.equal(readRotation({ side_data_list: [{ rotation: -180 }] }), 180);
  });

  it('reads the older clockwise rotate tag when there is no side data', () => {
    assert.equal(readRotation({ tags: { rotate: '90' } }), 90);
    assert.equal(readRotation({ tags: { rotate: '270' } }), 270);
  });

  it('prefers side data over the rotate tag', () => {
    const stream = { tags: { rotate: '90' }, side_data_list: [{ rotation: 0 }] };
    assert.equal(readRotation(stream), 0);
  });

  it('skips side data entries without a rotation', () => {
    const stream = { side_data_list: [{ side_data_type: 'CPB properties' }, { rotation: '-90' }] };
    assert.equal(readRotation(stream), 90);
  });

  it('counts a stream without rotation information as upright', () => {
    assert.equal(readRotation({}), 0);
  });
});

describe('snapRotation', () => {
  it('normalises to a quarter turn in [0, 360)', () => {
    assert.deepEqual([-270, -90, 0, 89.9, 360, 450, Number.NaN].map(snapRotation), [
      90, 270, 0, 90, 0, 90, 0,
    ]);
  });
});

describe('readDisplaySize', () => {
  it('stretches the width by the sample aspect ratio', () => {
    const stream = { width: 64, height: 32, sample_aspect_ratio: '2:1' };
    assert.deepEqual(readDisplaySize(stream, 0), { width: 128, height: 32 });
  });

  it('swaps width and height for a quarter turn', () => {
    const stream = { width: 720, height: 576, sample_aspect_ratio: '16:15' };
    assert.deepEqual(readDisplaySize(stream, 90), { width: 576, height: 768 });
    assert.deepEqual(readDisplaySize(stream, 180), { width: 768, height: 576 });
  });

  it('treats an unknown sample aspect ratio (0:1) as square', () => {
    const stream = { width: 64, height: 48, sample_aspect_ratio: '0:1' };
    assert.deepEqual(readDisplaySize(stream, 0), { width: 64, height: 48 });
  });
});

describe('frame rate, duration and frame count', () => {
  it('parses ratios and rejects zero or missing ones', () => {
    assert.equal(parseRatio('30000/1001'), 30000 / 1001);
    assert.equal(parseRatio('0/0'), undefined);
    assert.equal(parseRatio('N/A'), undefined);
    assert.equal(parseRatio(undefined), undefined);
  });

  it('falls back from avg_frame_rate to r_frame_rate', () => {
    assert.equal(readFrameRate({ avg_frame_rate: '25/1', r_frame_rate: '50/1' }), 25);
    assert.equal(readFrameRate({ avg_frame_rate: '0/0', r_frame_rate: '50/1' }), 50);
  });

  it('takes the stream duration, else the container duration, else 0', () => {
    assert.equal(readDuration({ duration: '3.6' }, { format: { duration: '4' } }), 3.6);
    assert.equal(readDuration({}, { format: { duration: '4.000000' } }), 4);
    assert.equal(readDuration({ duration: 'N/A' }, {}), 0);
  });

  it('uses nb_frames when stated, else duration times fps, at least one', () => {
    assert.equal(readFrameCount({ nb_frames: '98' }, 3.92, 25), 98);
    assert.equal(readFrameCount({}, 3.92, 25), 98);
    assert.equal(readFrameCount({ nb_frames: '0' }, 0.2, 25), 5);
    assert.equal(readFrameCount({}, 0, 25), 1);
  });
});

describe('stream and format kinds', () => {
  it('skips cover art when looking for the video stream', () => {
    const probe = {
      streams: [
        { index: 0, codec_type: 'audio' },
        { index: 1, codec_type: 'video', disposition: { attached_pic: 1 } },
        { index: 2, codec_type: 'video', disposition: { attached_pic: 0 } },
      ],
    };
    assert.equal(findVideoStream(probe)?.index, 2);
    assert.equal(findVideoStream({ streams: [probe.streams[1] ?? {}] }), undefined);
  });

  it('recognises single-image demuxers', () => {
    assert.equal(isStillImageFormat('png_pipe'), true);
    assert.equal(isStillImageFormat('image2'), true);
    assert.equal(isStillImageFormat('mov,mp4,m4a,3gp,3g2,mj2'), false);
    assert.equal(isStillImageFormat('matroska,webm'), false);
    assert.equal(isStillImageFormat(undefined), false);
  });
});
