/**
 * The seven emotion classes, in the fixed order used for every score vector,
 * confusion matrix and model output. Indices never come from folder order.
 */
export const CLASSES = [
  'angry',
  'disgust',
  'fear',
  'happy',
  'sad',
  'surprise',
  'neutral',
] as const;

/** One of the seven class names. */
export type EmotionClass = (typeof CLASSES)[number];

/** Number of classes (7). */
export const NUM_CLASSES = CLASSES.length;

/** Other spellings of each class seen in AFEW, FER2013, MEAD and face-api. */
const CLASS_ALIASES: Readonly<Record<string, EmotionClass>> = {
  anger: 'angry',
  angry: 'angry',
  disgust: 'disgust',
  disgusted: 'disgust',
  fear: 'fear',
  fearful: 'fear',
  happy: 'happy',
  happiness: 'happy',
  sad: 'sad',
  sadness: 'sad',
  surprise: 'surprise',
  surprised: 'surprise',
  neutral: 'neutral',
};

/** Maps a folder or label name to a class, case-insensitively; undefined when it names none. */
export function parseClassName(name: string): EmotionClass | undefined {
  return CLASS_ALIASES[name.trim().toLowerCase()];
}

/** Index 0..6 of a class in {@link CLASSES}. */
export function classIndex(name: EmotionClass): number {
  return CLASSES.indexOf(name);
}
