/**
 * Lower bound of the Wilson score interval for a success rate: how high the rate is, at least,
 * given the evidence. 1 success out of 1 gives ~0.21; 95 out of 100 gives ~0.89, so thin
 * evidence never outranks a long record.
 */
export function wilsonLowerBound(successes: number, trials: number, z = 1.96): number {
  if (trials <= 0) return 0;
  const p = Math.min(1, Math.max(0, successes / trials));
  const z2 = z * z;
  const centre = p + z2 / (2 * trials);
  const margin = z * Math.sqrt((p * (1 - p) + z2 / (4 * trials)) / trials);
  return Math.max(0, (centre - margin) / (1 + z2 / trials));
}
