/** A seeded pseudo-random source whose whole state is one 32-bit integer. */
export interface Prng {
  /** Next value, uniform in [0, 1). */
  next(): number;
  /** The current state; a new Prng made from it continues the same sequence. */
  state(): number;
}

/** Golden-ratio increment of mulberry32 (Tommy Ettinger's constant). */
const MULBERRY_INCREMENT = 0x6d2b79f5;

/** 2^32, to map a uint32 onto [0, 1). */
const UINT32_RANGE = 4294967296;

/** A mulberry32 generator starting from `seed` (any integer; only its low 32 bits count). */
export function createPrng(seed: number): Prng {
  let s = seed >>> 0;
  return {
    next: () => {
      s = (s + MULBERRY_INCREMENT) >>> 0;
      let t = s;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / UINT32_RANGE;
    },
    state: () => s,
  };
}

/**
 * Mixes integers into one well-spread 32-bit seed (e.g. run seed, region, iteration), so
 * streams for different keys are unrelated and each can be recreated without replaying others.
 */
export function mixSeed(...keys: number[]): number {
  let h = 0x811c9dc5;
  for (const key of keys) {
    h = Math.imul(h ^ (key >>> 0), 0x01000193) >>> 0;
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
    h = (h ^ (h >>> 16)) >>> 0;
  }
  return h;
}

/** A uniform integer in [0, n). */
export function nextInt(rng: Prng, n: number): number {
  return Math.min(n - 1, Math.floor(rng.next() * n));
}

/** A standard normal value (Box–Muller; uses two uniforms). */
export function nextGaussian(rng: Prng): number {
  const u = 1 - rng.next();
  const v = rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** A new array with the items of `items` in a random order (Fisher–Yates). */
export function shuffle<T>(items: readonly T[], rng: Prng): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = nextInt(rng, i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
