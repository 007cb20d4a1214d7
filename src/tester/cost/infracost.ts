/**
 * `infracost breakdown --format json` → the same {@link CostEstimate} shape. Totals are taken from
 * infracost's own decimal strings; resources with a null monthlyCost (usage-based, no usage given)
 * and the summary's unsupported / no-price counts are listed in `unpriced`.
 */
import { topDriversOf, type CostEstimate, type ResourceCost, type Unpriced } from './estimate.js';
import { CostInputError, decodeInput, isObject, parseJsonText, type JsonObject } from './text.js';

function dec(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return null;
}
const round = (n: number): number => Math.round(n * 1e4) / 1e4;

function componentBasis(r: JsonObject): string {
  const parts: string[] = [];
  const add = (c: JsonObject, prefix: string) => {
    const mc = dec(c.monthlyCost);
    if (mc === null || typeof c.name !== 'string') return;
    const q = dec(c.monthlyQuantity);
    parts.push(`${prefix}${c.name}${q !== null ? ` ${q} ${String(c.unit ?? '')}`.trimEnd() : ''} = ${mc}`);
  };
  const walk = (x: JsonObject, prefix: string) => {
    for (const c of Array.isArray(x.costComponents) ? x.costComponents.filter(isObject) : []) add(c, prefix);
    for (const s of Array.isArray(x.subresources) ? x.subresources.filter(isObject) : []) {
      walk(s, `${prefix}${typeof s.name === 'string' ? s.name : 'sub'}: `);
    }
  };
  walk(r, '');
  return parts.join(' + ') || 'infracost';
}

function usageComponents(r: JsonObject): string[] {
  const out: string[] = [];
  const walk = (x: JsonObject) => {
    for (const c of Array.isArray(x.costComponents) ? x.costComponents.filter(isObject) : []) {
      if (c.usageBased === true && dec(c.monthlyCost) === null && typeof c.name === 'string') out.push(c.name);
      if (c.priceNotFound === true && typeof c.name === 'string') out.push(`${c.name} (price not found)`);
    }
    for (const s of Array.isArray(x.subresources) ? x.subresources.filter(isObject) : []) walk(s);
  };
  walk(r);
  return out;
}

export function parseInfracostJson(input: string | Uint8Array, file = '<infracost>'): CostEstimate {
  const doc = parseJsonText(decodeInput(input, file), file);
  if (!isObject(doc) || !Array.isArray(doc.projects)) {
    throw new CostInputError(file, 'not an infracost breakdown JSON (no projects[]); run `infracost breakdown --format json`');
  }
  const resources: ResourceCost[] = [];
  const unpriced: Unpriced[] = [];
  for (const p of doc.projects.filter(isObject)) {
    const bd = isObject(p.breakdown) ? p.breakdown : {};
    for (const r of Array.isArray(bd.resources) ? bd.resources.filter(isObject) : []) {
      const address = typeof r.name === 'string' ? r.name : '<unnamed>';
      const type = typeof r.resourceType === 'string' ? r.resourceType : address.split('.').find((s) => s.includes('_')) ?? 'unknown';
      const monthly = dec(r.monthlyCost);
      const pending = usageComponents(r);
      if (monthly === null) {
        unpriced.push({
          address,
          type,
          reason: pending.length ? `usage-based, no usage given: ${pending.join(', ')}` : 'infracost reported no monthly cost',
        });
        continue;
      }
      resources.push({
        address,
        type,
        monthly: round(monthly),
        basis: componentBasis(r),
        assumptions: pending.length ? [`usage-based components without usage not counted: ${pending.join(', ')}`] : [],
      });
    }
  }
  const summary = isObject(doc.summary) ? doc.summary : {};
  const counts = (key: string, reason: string) => {
    const m = summary[key];
    if (!isObject(m)) return;
    for (const [type, n] of Object.entries(m)) {
      unpriced.push({ address: `${type} ×${String(n)}`, type, reason });
    }
  };
  counts('unsupportedResourceCounts', 'not supported by infracost (addresses not reported)');
  const total = dec(doc.totalMonthlyCost) ?? round(resources.reduce((s, r) => s + r.monthly, 0));
  const meta = isObject(doc.metadata) ? doc.metadata : {};
  const assumptions = ['figures from infracost (its own price data and usage file)'];
  if (typeof meta.usageFilePath === 'string') assumptions.push(`usage file: ${meta.usageFilePath}`);
  const noPrice = isObject(summary.noPriceResourceCounts) ? Object.values(summary.noPriceResourceCounts).reduce<number>((s, n) => s + (dec(n) ?? 0), 0) : 0;
  if (noPrice) assumptions.push(`${noPrice} resource(s) have no price of their own (free types)`);
  return {
    currency: typeof doc.currency === 'string' ? doc.currency : 'USD',
    monthlyTotal: total,
    resources,
    unpriced,
    topDrivers: topDriversOf(resources, total),
    assumptions,
    source: 'infracost',
  };
}
