/** Kubernetes memory quantities: parse (`256Mi`, `1Gi`, `500M`, `1.5Gi`, `268435456`) and propose a raise. */
const UNITS: Record<string, number> = {
  '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4, Pi: 1024 ** 5, Ei: 1024 ** 6,
};

/** Bytes, or null when the quantity is not a memory quantity we can read. */
export function parseMemory(q: unknown): number | null {
  if (typeof q === 'number' && Number.isFinite(q) && q >= 0) return q;
  if (typeof q !== 'string') return null;
  const m = /^\s*(\d+(?:\.\d+)?|\.\d+)(?:e(\d+))?\s*(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?\s*$/.exec(q);
  if (!m) return null;
  const base = Number(m[1]) * (m[2] ? 10 ** Number(m[2]) : 1);
  return base * (UNITS[m[3] ?? '']!);
}

const MI = 1024 ** 2;
const GI = 1024 ** 3;

/** `Mi` under 1 Gi, `Gi` when whole, else `Mi`. */
export function formatMemory(bytes: number): string {
  if (bytes >= GI && bytes % GI === 0) return `${bytes / GI}Gi`;
  return `${Math.ceil(bytes / MI)}Mi`;
}

/** Twice the limit, rounded up to a multiple of 64 Mi (whole Gi above 4 Gi); 512Mi when there was none. */
export function raisedMemory(limitBytes: number | null): string {
  if (limitBytes === null || limitBytes <= 0) return '512Mi';
  const doubled = limitBytes * 2;
  const step = doubled > 4 * GI ? GI : 64 * MI;
  return formatMemory(Math.ceil(doubled / step) * step);
}
