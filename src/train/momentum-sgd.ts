import * as tf from '@tensorflow/tfjs';

/**
 * SGD with momentum and coupled L2 weight decay, as in Caffe (the paper's framework):
 * v <- momentum * v + g + decay * w (decay on kernels only), w <- w - lr * v.
 * Adding decay * w to the gradient equals adding decay/2 * |w|^2 to the loss.
 */
export interface MomentumSgd {
  /** Applies one update with learning rate `lr`; disposes nothing of the caller's. */
  step(grads: tf.NamedTensorMap, lr: number): void;
  /** Current velocities, in the order of the variables. */
  readVelocities(): Float32Array[];
  /** Replaces the velocities (from a checkpoint). */
  writeVelocities(values: readonly Float32Array[]): void;
  /** Frees the velocity variables. */
  dispose(): void;
}

/** Whether a weight is a kernel (decayed) rather than a bias. */
export function isKernel(name: string): boolean {
  return /kernel/.test(name);
}

/** Creates the optimiser for `vars` (tf.Variables keyed by their name in grads). */
export function createMomentumSgd(
  vars: readonly tf.Variable[], momentum: number, weightDecay: number,
): MomentumSgd {
  const velocities = tf.tidy(() => vars.map((v) => tf.variable(tf.zerosLike(v), false)));
  return {
    step: (grads, lr) => tf.tidy(() => {
      vars.forEach((w, i) => {
        const g = grads[w.name];
        if (g === undefined) return;
        const decayed = weightDecay > 0 && isKernel(w.name) ? g.add(w.mul(weightDecay)) : g;
        const v = velocities[i] as tf.Variable;
        v.assign(v.mul(momentum).add(decayed));
        w.assign(w.sub(v.mul(lr)));
      });
    }),
    readVelocities: () => velocities.map((v) => v.dataSync() as Float32Array),
    writeVelocities: (values) => tf.tidy(() => velocities.forEach((v, i) => {
      v.assign(tf.tensor(values[i] as Float32Array, v.shape));
    })),
    dispose: () => velocities.forEach((v) => v.dispose()),
  };
}
