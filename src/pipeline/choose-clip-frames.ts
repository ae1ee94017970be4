import { scoreClarity } from '../face/clarity.js';
import { loadFaceNets } from '../face/face-api-nets.js';
import { decodeFrames } from '../video/decode-frames.js';
import { probeClip } from '../video/probe-clip.js';
import type { RgbFrame } from '../video/types.js';
import { DETECT_MAX_SIDE_PX, MAX_DECODED_FRAMES, MIN_CLARITY } from './classify-clip.js';
import { detectOrFitWhole } from './create-engine.js';
import { sampleClearFaces, type ExaminedFrame } from './sample-clear-faces.js';

/**
 * The frames of a clip the main job would score, for training on AFEW-style clip folders (each
 * chosen face frame becomes a sample with the clip's label). Runs the detector on every candidate
 * (no tracking). Set the tfjs backend first.
 */
export async function chooseClipFrames(
  clip: string,
  settings: { minFrames: number; maxFrames: number },
): Promise<RgbFrame[]> {
  const nets = await loadFaceNets();
  const info = await probeClip(clip);
  const frames = await decodeFrames(info, {
    maxSide: DETECT_MAX_SIDE_PX,
    maxFrames: MAX_DECODED_FRAMES,
  });
  const still = info.kind === 'image';
  const examine = async (frame: RgbFrame): Promise<ExaminedFrame> => {
    const face = await detectOrFitWhole(nets, frame, still);
    return { frame, face, clarity: face === null ? null : scoreClarity(frame, face).total };
  };
  const sample = await sampleClearFaces(frames, examine, { ...settings, minClarity: MIN_CLARITY });
  return sample.chosen.map((e) => e.frame);
}
