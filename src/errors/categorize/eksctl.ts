/** eksctl's log markers (`[✖]`, `[ℹ]`, `[!]`, `[✔]`) and its own preflight wording. */
export const EKSCTL_SIGNAL =
  /\beksctl\b|\[✖\]|\[ℹ\]|\[!\] |\[✔\]|checking AWS STS access|unable to describe (?:cluster )?control plane|supported values: auto, default, latest\b|\bloading config file "[^"\n]{1,300}": (?:error unmarshaling|couldn't|while decoding)/;

export function detectEksctl(t: string): boolean {
  return EKSCTL_SIGNAL.test(t);
}
