import type { Box, Point } from './types.js';

/**
 * The canonical frontal 68-point face (iBUG order, 0-based) in template coordinates: the unit
 * square, x to the image right, y down; the points' bounding box spans x 0..1 and is centred
 * vertically (y 0.104..0.896).
 *
 * How it was made: face-api's SSD detector and 68-point net were run on 154 images of
 * /work/shared/data/images/taiwanese/train (every n-th image of each expression folder, about 22
 * a folder; all 154 fits were plausible). `estimateMeanShape` (mean-shape.ts) averaged them:
 * 5 Procrustes rounds, similarity fitted on the nose and eyes (points 27–47). The mean was then
 * made exactly left-right symmetric (averaged with its mirror image about x = 0.5, re-indexed by
 * `MIRROR_MAP`) and refitted to the unit square. Values rounded to 4 decimals; each right-side
 * x is 1 minus its left counterpart, so the symmetry survives the rounding.
 */
export const FACE_TEMPLATE: readonly Point[] = [
  [0.0000, 0.2465], [0.0089, 0.3725], [0.0305, 0.4879], [0.0542, 0.5898],
  [0.0995, 0.6938], [0.1689, 0.7724], [0.2510, 0.8191], [0.3545, 0.8653],
  [0.5000, 0.8956], [0.6455, 0.8653], [0.7490, 0.8191], [0.8311, 0.7724],
  [0.9005, 0.6938], [0.9458, 0.5898], [0.9695, 0.4879], [0.9911, 0.3725],
  [1.0000, 0.2465], [0.1096, 0.1497], [0.1698, 0.1148], [0.2475, 0.1044],
  [0.3173, 0.1121], [0.3794, 0.1335], [0.6206, 0.1335], [0.6827, 0.1121],
  [0.7525, 0.1044], [0.8302, 0.1148], [0.8904, 0.1497], [0.5000, 0.2549],
  [0.5000, 0.3283], [0.5000, 0.3964], [0.5000, 0.4618], [0.4200, 0.5024],
  [0.4551, 0.5128], [0.5000, 0.5229], [0.5449, 0.5128], [0.5800, 0.5024],
  [0.2066, 0.2435], [0.2511, 0.2267], [0.3135, 0.2257], [0.3690, 0.2534],
  [0.3195, 0.2695], [0.2542, 0.2699], [0.6310, 0.2534], [0.6865, 0.2257],
  [0.7489, 0.2267], [0.7934, 0.2435], [0.7458, 0.2699], [0.6805, 0.2695],
  [0.3201, 0.6400], [0.3826, 0.6115], [0.4622, 0.5882], [0.5000, 0.5969],
  [0.5378, 0.5882], [0.6174, 0.6115], [0.6799, 0.6400], [0.6147, 0.6843],
  [0.5570, 0.7060], [0.5000, 0.7120], [0.4430, 0.7060], [0.3853, 0.6843],
  [0.3323, 0.6394], [0.4443, 0.6276], [0.5000, 0.6273], [0.5557, 0.6276],
  [0.6677, 0.6394], [0.5533, 0.6543], [0.5000, 0.6576], [0.4467, 0.6543],
];

/**
 * Landmarks the alignment is fitted on: nose (27–35) and both eyes (36–47). Brows, mouth and
 * jaw move with the expression, so fitting on them would shift and scale an open-mouthed or
 * surprised face; the eyes and the nose barely move.
 */
export const ALIGNMENT_INDICES: readonly number[] = Array.from({ length: 21 }, (_, i) => 27 + i);

/**
 * The whole-face crop in template coordinates: a square 1.25 template units wide, centred on the
 * template horizontally (0.125 beyond the jaw points on each side), reaching 0.3 above the brows
 * for the forehead and 0.15 below the template chin, because the alignment ignores the jaw and a
 * wide-open mouth lowers the chin by about 0.1 (seen on MEAD surprise and happy clips).
 */
export const ALIGNED_FACE_BOX: Readonly<Box> = { x: -0.125, y: -0.2, width: 1.25, height: 1.25 };
