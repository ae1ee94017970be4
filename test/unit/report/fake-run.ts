import { CLASSES, type EmotionClass } from '../../../src/classes.js';
import { computeMetrics, type Metrics } from '../../../src/eval/metrics.js';
import { createFailedRow, judgeCorrect, type ResultRow } from '../../../src/pipeline/rows.js';

/** Actors of the fake validation set, as in the MEAD clips of /work/shared/data. */
const ACTORS = ['M030', 'W009', 'W011'] as const;

/** Predictions that differ from the truth, by clip path. */
const WRONG: Readonly<Record<string, EmotionClass>> = {
  'val/Angry/M030.mp4': 'disgust',
  'val/Disgust/W009.mp4': 'angry',
  'val/Disgust/W011.mp4': 'angry',
  'val/Fear/M030.mp4': 'surprise',
  'val/Fear/W011.mp4': 'sad',
  'val/Sad/W009.mp4': 'neutral',
};

/** Clips that fail, by path. */
const NO_FACE_CLIP = 'val/Neutral/W011.mp4';
const ERROR_CLIP = 'val/Surprise/W009.mp4';

/** A scored row predicting `label` with a fixed confidence. */
export function makeOkRow(
  clip: string,
  label: EmotionClass,
  truth: EmotionClass | null,
): ResultRow {
  const scores = CLASSES.map((name) => (name === label ? 0.64 : 0.06));
  return {
    clip, label, confidence: 0.64, scores, frames: 10, faces: 1, status: 'ok', error: null,
    truth, correct: judgeCorrect(label, truth),
  };
}

/**
 * 21 labelled clips (3 actors x 7 classes) plus one Contempt clip of unknown truth:
 * 13 correct, 6 wrong, one without a face and one error.
 */
export function makeFakeRows(): ResultRow[] {
  const rows = CLASSES.flatMap((truth) => ACTORS.map((actor) => {
    const folder = truth.charAt(0).toUpperCase() + truth.slice(1);
    const clip = `val/${folder}/${actor}.mp4`;
    if (clip === NO_FACE_CLIP) return createFailedRow(clip, 'no_face', 'no face in 12 frames',
      { truth });
    if (clip === ERROR_CLIP) return createFailedRow(clip, 'error',
      'ffmpeg exited with code 1: moov atom not found', { truth });
    return makeOkRow(clip, WRONG[clip] ?? truth, truth);
  }));
  return [...rows, makeOkRow('extra/Contempt/M030.mp4', 'disgust', null)];
}

/** The metrics of {@link makeFakeRows} as the main job computes them. */
export function makeFakeMetrics(rows: readonly ResultRow[] = makeFakeRows()): Metrics {
  return computeMetrics(rows, {
    model: { name: 'mre-cnn-vgg16', sha256: 'ab'.repeat(32), backend: 'wasm' },
    toolVersion: '0.1.0',
  });
}
