import type { FaceCrops } from '../../src/face/types.js';
import type { ClipEngine } from '../../src/pipeline/classify-clip.js';

/**
 * A stand-in engine for tests of the job around the pipeline: it finds one face in every frame
 * and always says "happy", so no weights or face nets are needed.
 */
export const HAPPY_ENGINE: ClipEngine = {
  detect: async () => ({
    box: { x: 0, y: 0, width: 8, height: 8 },
    score: 1,
    landmarks: [],
    faceCount: 1,
  }),
  clarity: () => 1,
  crop: (): FaceCrops => {
    const blank = new Float32Array(2 * 2 * 3);
    return { size: 2, face: blank, eye: blank, nose: blank, mouth: blank };
  },
  score: async (crops) => crops.map(() => Float32Array.from([0, 0, 0, 1, 0, 0, 0])),
};
