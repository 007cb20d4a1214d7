/** eksctl's log markers (`[✖]`, `[ℹ]`, `[!]`, `[✔]`) and its own preflight wording. */
export const EKSCTL_SIGNAL =
  /\beksctl\b|\[✖\]|\[ℹ\]|\[!\] |\[✔\]|checking AWS STS access|unable to describe (?:cluster )?control plane/;

export function detectEksctl(t: string): boolean {
  return EKSCTL_SIGNAL.test(t);
}
