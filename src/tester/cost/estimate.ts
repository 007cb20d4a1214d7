/**
 * Rough monthly cost from resources (plan output or HCL-loader output: `{address, type, values}`)
 * and a dated price table. Every number carries its basis and the assumptions behind it; what we
 * cannot price is listed in `unpriced` with the reason, never silently counted as zero.
 */
import type { PriceTable } from './prices.js';
import { isObject, type JsonObject } from './text.js';

export interface CostResourceInput {
  address: string;
  type: string;
  values: JsonObject;
  /** Plan actions; resources planned only for deletion and data sources are not counted. */
  actions?: readonly string[];
  mode?: 'managed' | 'data';
}

/** Usage for one resource (keyed by address in {@link CostAssumptions.usage}). */
export interface ResourceUsage {
  /** Lambda: requests per month. */
  requests?: number;
  /** Lambda: GB-seconds per month (wins over durationMs). */
  gbSeconds?: number;
  /** Lambda: average duration per request, ms (with memory_size gives GB-seconds). */
  durationMs?: number;
  /** S3: GB stored (standard). */
  storageGB?: number;
  /** NAT gateway: GB processed per month. */
  dataProcessedGB?: number;
}

export interface CostAssumptions {
  hoursPerMonth?: number;
  lambdaRequests?: number;
  lambdaGbSeconds?: number;
  s3StorageGB?: number;
  natDataProcessedGB?: number;
  usage?: Record<string, ResourceUsage>;
}

export const DEFAULT_ASSUMPTIONS = {
  hoursPerMonth: 730,
  lambdaRequests: 1_000_000,
  lambdaGbSeconds: 400_000,
  s3StorageGB: 100,
  natDataProcessedGB: 100,
} as const;

export interface ResourceCost {
  address: string;
  type: string;
  monthly: number;
  basis: string;
  assumptions: string[];
}
export interface Unpriced {
  address: string;
  type: string;
  reason: string;
}
export interface TopDriver {
  address: string;
  type: string;
  monthly: number;
  /** Share of the monthly total, 0..100. */
  percent: number;
}
export interface CostEstimate {
  currency: string;
  monthlyTotal: number;
  resources: ResourceCost[];
  unpriced: Unpriced[];
  topDrivers: TopDriver[];
  /** Estimate-wide assumptions (price table date/region, hours per month…). */
  assumptions: string[];
  /** Where the numbers come from: `price-table` or `infracost`. */
  source: 'price-table' | 'infracost';
}

/** Types that have no direct charge of their own: not priced, not listed as unpriced. */
const FREE_TYPES = new Set([
  'aws_vpc', 'aws_subnet', 'aws_route_table', 'aws_route_table_association', 'aws_route', 'aws_internet_gateway',
  'aws_security_group', 'aws_security_group_rule', 'aws_vpc_security_group_ingress_rule', 'aws_vpc_security_group_egress_rule',
  'aws_network_acl', 'aws_network_acl_rule', 'aws_db_subnet_group', 'aws_db_parameter_group', 'aws_lb_listener',
  'aws_lb_listener_rule', 'aws_lb_target_group', 'aws_lb_target_group_attachment', 'aws_lambda_permission',
  'aws_kms_alias', 'aws_eks_addon', 'aws_key_pair', 'aws_launch_template', 'aws_launch_configuration',
]);
const FREE_PREFIXES = ['aws_iam_', 'aws_s3_bucket_', 'random_', 'null_', 'local_', 'tls_', 'time_', 'terraform_'];

export function isFreeType(type: string): boolean {
  return FREE_TYPES.has(type) || FREE_PREFIXES.some((p) => type.startsWith(p));
}

const round = (n: number, d = 4): number => Math.round(n * 10 ** d) / 10 ** d;
const money = (n: number): string => n.toFixed(2);

function num(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return null;
}
function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' && !v.includes('${') ? v : null;
}
/** Nested blocks come as a list in plan JSON and as an object or list from HCL loaders. */
function blocks(v: unknown): JsonObject[] {
  if (Array.isArray(v)) return v.filter(isObject);
  return isObject(v) ? [v] : [];
}

type Priced = { monthly: number; basis: string; assumptions: string[] };
type Result = Priced | { unpriced: string };

function ebsCost(p: PriceTable, vol: JsonObject, label: string, defaultSize: number | null, hasDefaultNote: string[]): Priced | null {
  const type = str(vol.volume_type) ?? str(vol.type) ?? 'gp2';
  let size = num(vol.volume_size) ?? num(vol.size);
  const notes: string[] = [];
  if (str(vol.volume_type) === null && str(vol.type) === null) notes.push(`${label}: volume type not set, assumed gp2`);
  if (size === null) {
    if (defaultSize === null) return null;
    size = defaultSize;
    notes.push(`${label}: size not set, assumed ${defaultSize} GB`);
  }
  const perGb = p.ebsPerGBMonth[type];
  if (perGb === undefined) {
    hasDefaultNote.push(`${label}: no price for volume type ${type}`);
    return null;
  }
  let monthly = size * perGb;
  let basis = `${label} ${size} GB ${type} × ${perGb}/GB-month`;
  const iopsPrice = p.ebsProvisionedIopsPerMonth[type];
  const iops = num(vol.iops);
  if (iopsPrice !== undefined && iops !== null) {
    monthly += iops * iopsPrice;
    basis += ` + ${iops} IOPS × ${iopsPrice}`;
  }
  return { monthly, basis, assumptions: notes };
}

/** Launch templates / configurations by address (`aws_launch_template.app`) and by `name:<name>`, for auto scaling groups. */
type Templates = Map<string, JsonObject>;

function templatesOf(resources: readonly CostResourceInput[]): Templates {
  const m: Templates = new Map();
  for (const r of resources) {
    if (r.type !== 'aws_launch_template' && r.type !== 'aws_launch_configuration') continue;
    m.set(r.address.replace(/\[[^\]]*\]$/, ''), r.values);
    const name = str(r.values.name);
    if (name) m.set(`name:${name}`, r.values);
  }
  return m;
}

/** The launch template an ASG uses: by reference expression (HCL) or by literal name (plan). */
function templateOf(v: JsonObject, templates: Templates, address: string): JsonObject | null {
  const lc = v.launch_configuration;
  const candidates: unknown[] = [lc, ...blocks(v.launch_template).flatMap((b) => [b.id, b.name])];
  for (const c of candidates) {
    if (typeof c !== 'string') continue;
    const ref = /^\$\{((?:module\.[\w-]+\.)*aws_launch_(?:template|configuration)\.[\w-]+)(?:\[[^\]]*\])?\.(?:id|name)\}$/.exec(c);
    const module = address.match(/^((?:module\.[\w-]+(?:\[[^\]]*\])?\.)*)/)?.[1]?.replace(/\[[^\]]*\]/g, '') ?? '';
    const hit = ref ? (templates.get(`${module}${ref[1]}`) ?? templates.get(ref[1]!)) : templates.get(`name:${c}`);
    if (hit) return hit;
  }
  return null;
}

function priceOne(
  r: CostResourceInput,
  p: PriceTable,
  a: Required<Omit<CostAssumptions, 'usage'>>,
  u: ResourceUsage,
  templates: Templates = new Map(),
): Result {
  const v = r.values;
  const H = a.hoursPerMonth;
  switch (r.type) {
    case 'aws_autoscaling_group': {
      if (blocks(v.mixed_instances_policy).length) return { unpriced: 'mixed_instances_policy: instance types and spot share not priced' };
      const desired = num(v.desired_capacity);
      const min = num(v.min_size);
      const n = desired ?? min;
      if (n === null) return { unpriced: 'desired_capacity / min_size not known' };
      const lt = templateOf(v, templates, r.address);
      if (!lt) return { unpriced: 'launch template not found or not known statically' };
      const it = str(lt.instance_type);
      if (!it) return { unpriced: 'instance_type of the launch template not known' };
      const hourly = p.ec2Hourly[it];
      if (hourly === undefined) return { unpriced: `no price for instance type ${it} in the ${p.region} table` };
      const notes = ['Linux on-demand, running all month', 'EBS volumes of the instances not included'];
      if (desired === null) notes.push(`desired_capacity not set, priced at min_size = ${n}`);
      return { monthly: n * hourly * H, basis: `${n} × ${it} × ${H} h`, assumptions: notes };
    }
    case 'aws_instance': {
      const it = str(v.instance_type);
      if (!it) return { unpriced: 'instance_type not known (unset or computed)' };
      const hourly = p.ec2Hourly[it];
      if (hourly === undefined) return { unpriced: `no price for instance type ${it} in the ${p.region} table` };
      const parts = [`${it} × ${H} h`];
      const notes: string[] = ['Linux on-demand, running all month'];
      let monthly = hourly * H;
      const roots = blocks(v.root_block_device);
      const root = roots[0] ?? {};
      const rc = ebsCost(p, root, 'root volume', 8, notes);
      if (rc) {
        monthly += rc.monthly;
        parts.push(rc.basis);
        notes.push(...rc.assumptions);
      }
      blocks(v.ebs_block_device).forEach((b, i) => {
        const c = ebsCost(p, b, `ebs_block_device[${i}]`, null, notes);
        if (c) {
          monthly += c.monthly;
          parts.push(c.basis);
          notes.push(...c.assumptions);
        } else if (num(b.volume_size) === null) notes.push(`ebs_block_device[${i}]: size unknown, not priced`);
      });
      return { monthly, basis: parts.join(' + '), assumptions: notes };
    }
    case 'aws_db_instance': {
      const cls = str(v.instance_class);
      if (!cls) return { unpriced: 'instance_class not known (unset or computed)' };
      const hourly = p.rdsHourlySingleAz[cls];
      if (hourly === undefined) return { unpriced: `no price for DB instance class ${cls} in the ${p.region} table` };
      const engine = str(v.engine) ?? 'unknown';
      const notes: string[] = [];
      if (/oracle|sqlserver/.test(engine)) notes.push(`engine ${engine} priced as MySQL/PostgreSQL; licence-included engines cost more`);
      if (/aurora/.test(engine)) return { unpriced: `Aurora engine ${engine} is not in the price table` };
      const multiAz = v.multi_az === true;
      const mult = multiAz ? p.rdsMultiAzMultiplier : 1;
      let monthly = hourly * H * mult;
      let basis = `${cls}${multiAz ? ` Multi-AZ (×${mult})` : ''} × ${H} h`;
      const st = str(v.storage_type) ?? 'gp2';
      const gb = num(v.allocated_storage);
      const sp = p.rdsStoragePerGBMonth[st];
      if (gb !== null && sp !== undefined) {
        monthly += gb * sp * mult;
        basis += ` + ${gb} GB ${st} storage`;
      } else notes.push('storage not priced (allocated_storage unknown)');
      return { monthly, basis, assumptions: notes };
    }
    case 'aws_ebs_volume': {
      const c = ebsCost(p, v, 'volume', null, []);
      return c ?? { unpriced: 'volume size or type unknown / not in the price table' };
    }
    case 'aws_nat_gateway': {
      const gb = u.dataProcessedGB ?? a.natDataProcessedGB;
      const monthly = p.natGateway.hourly * H + gb * p.natGateway.perGBProcessed;
      const notes = u.dataProcessedGB === undefined ? [`assumed ${gb} GB processed/month`] : [];
      return { monthly, basis: `NAT gateway × ${H} h + ${gb} GB processed × ${p.natGateway.perGBProcessed}`, assumptions: notes };
    }
    case 'aws_lb':
    case 'aws_alb': {
      const lbt = str(v.load_balancer_type) ?? 'application';
      const hourly = p.loadBalancerHourly[lbt];
      if (hourly === undefined) return { unpriced: `no price for ${lbt} load balancers` };
      return { monthly: hourly * H, basis: `${lbt} LB × ${H} h`, assumptions: ['LCU/NLCU usage charges not included'] };
    }
    case 'aws_eks_cluster':
      return { monthly: p.eksClusterHourly * H, basis: `EKS control plane × ${H} h`, assumptions: ['worker nodes priced separately'] };
    case 'aws_lambda_function': {
      const memMb = num(v.memory_size) ?? 128;
      const notes: string[] = [];
      if (num(v.memory_size) === null) notes.push('memory_size not set, assumed 128 MB');
      const requests = u.requests ?? a.lambdaRequests;
      if (u.requests === undefined) notes.push(`assumed ${requests.toLocaleString('en-US')} requests/month`);
      let gbs: number;
      if (u.gbSeconds !== undefined) gbs = u.gbSeconds;
      else if (u.durationMs !== undefined) gbs = (requests * u.durationMs * memMb) / 1000 / 1024;
      else {
        gbs = a.lambdaGbSeconds;
        notes.push(`assumed ${gbs.toLocaleString('en-US')} GB-seconds/month`);
      }
      notes.push('free tier not applied');
      const monthly = (requests / 1e6) * p.lambda.perMillionRequests + gbs * p.lambda.perGBSecond;
      return { monthly, basis: `${requests} requests + ${round(gbs, 2)} GB-s (${memMb} MB)`, assumptions: notes };
    }
    case 'aws_s3_bucket': {
      const gb = u.storageGB ?? a.s3StorageGB;
      const notes = u.storageGB === undefined ? [`assumed ${gb} GB stored (S3 Standard)`] : [];
      notes.push('requests and transfer not included');
      return { monthly: gb * p.s3StandardPerGBMonth, basis: `${gb} GB Standard × ${p.s3StandardPerGBMonth}/GB-month`, assumptions: notes };
    }
    default:
      return { unpriced: r.type.startsWith('aws_') ? 'resource type not in the price table' : 'not an AWS resource; only AWS is priced' };
  }
}

export function topDriversOf(resources: readonly ResourceCost[], total: number, n = 5): TopDriver[] {
  return [...resources]
    .filter((r) => r.monthly > 0)
    .sort((x, y) => y.monthly - x.monthly || x.address.localeCompare(y.address))
    .slice(0, n)
    .map((r) => ({ address: r.address, type: r.type, monthly: r.monthly, percent: total > 0 ? round((r.monthly / total) * 100, 1) : 0 }));
}

export function estimateCost(
  resources: readonly CostResourceInput[],
  prices: PriceTable,
  assumptions: CostAssumptions = {},
): CostEstimate {
  const a = { ...DEFAULT_ASSUMPTIONS, ...stripUndefined(assumptions) };
  const out: ResourceCost[] = [];
  const unpriced: Unpriced[] = [];
  let skippedDeletes = 0;
  const templates = templatesOf(resources);
  for (const r of resources) {
    if (r.mode === 'data' || r.address.startsWith('data.') || r.address.includes('.data.')) continue;
    if (r.actions && r.actions.includes('delete') && !r.actions.includes('create')) {
      skippedDeletes++;
      continue;
    }
    if (isFreeType(r.type)) continue;
    const res = priceOne(r, prices, a, assumptions.usage?.[r.address] ?? {}, templates);
    if ('unpriced' in res) unpriced.push({ address: r.address, type: r.type, reason: res.unpriced });
    else out.push({ address: r.address, type: r.type, monthly: round(res.monthly), basis: res.basis, assumptions: res.assumptions });
  }
  const monthlyTotal = round(out.reduce((s, r) => s + r.monthly, 0));
  const global = [
    `prices: ${prices.region} ${prices.currency} as of ${prices.asOf} (${prices.approximate ? 'approximate ' : ''}${prices.source.split(';')[0]})`,
    `${a.hoursPerMonth} hours per month for always-on resources`,
    'no free tier, Savings Plans, reserved or spot pricing; tax and data transfer not included',
  ];
  if (skippedDeletes) global.push(`${skippedDeletes} resource(s) planned for deletion not counted`);
  if (unpriced.length) global.push(`${unpriced.length} resource(s) not priced (see unpriced); the total is a lower bound`);
  return {
    currency: prices.currency,
    monthlyTotal,
    resources: out,
    unpriced,
    topDrivers: topDriversOf(out, monthlyTotal),
    assumptions: global,
    source: 'price-table',
  };
}

function stripUndefined(a: CostAssumptions): Partial<Omit<CostAssumptions, 'usage'>> {
  const o: Record<string, number> = {};
  for (const k of ['hoursPerMonth', 'lambdaRequests', 'lambdaGbSeconds', 's3StorageGB', 'natDataProcessedGB'] as const) {
    const v = a[k];
    if (typeof v === 'number' && Number.isFinite(v)) o[k] = v;
  }
  return o;
}

export { money as formatMoney };
