import type { TrainProgress } from '../train/train-subnetwork.js';

/** One status line for all sub-networks on stderr, redrawn in place; only on a terminal. */
export function createTrainProgress(enabled: boolean): {
  update: (p: TrainProgress) => void;
  end: () => void;
} {
  const tty = enabled && process.stderr.isTTY === true;
  const latest = new Map<string, TrainProgress>();
  let drawn = false;
  return {
    update(p) {
      if (!tty) return;
      latest.set(p.region, p);
      const parts = [...latest.values()].map((q) =>
        `${q.region} ${q.iteration}/${q.iterations} loss ${q.loss.toFixed(3)} ` +
        `${q.samplesPerSec.toFixed(0)}/s`);
      process.stderr.write(`\r\x1b[K${parts.join(' | ')}`);
      drawn = true;
    },
    end() {
      if (drawn) process.stderr.write('\r\x1b[K');
    },
  };
}
