/**
 * Deterministic A/B assignment: a user's arm in an experiment is a function
 * of the two ids alone (no stored assignment, the same answer in every
 * isolate and every day), so a shopper sees one arm for the whole test.
 */

export interface Arm {
  name: string;
  algorithm: string;
  /** Relative share of users; positive. */
  weight: number;
}

/**
 * FNV-1a over the text, then MurmurHash3's 32-bit finaliser: FNV alone
 * mixes its early characters poorly into the high bits, which would make
 * two experiments' splits of the same users correlated. Fast, synchronous,
 * and the same in every runtime.
 */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The user's position in [0, 1) for this experiment; independent between experiments. */
export function bucketOf(experimentId: string, userId: string): number {
  return hash32(`${experimentId}\u0000${userId}`) / 2 ** 32;
}

/** The arm a user is in: the arms' weights cut [0, 1) into consecutive slices. */
export function assignArm<A extends Arm>(experimentId: string, userId: string, arms: readonly A[]): A {
  const total = arms.reduce((s, a) => s + a.weight, 0);
  let point = bucketOf(experimentId, userId) * total;
  for (const arm of arms) {
    if (point < arm.weight) return arm;
    point -= arm.weight;
  }
  return arms[arms.length - 1]!;
}
