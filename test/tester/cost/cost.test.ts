import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkBudget } from '../../../src/tester/cost/budget.js';
import { estimateCost } from '../../../src/tester/cost/estimate.js';
import { parseInfracostJson } from '../../../src/tester/cost/infracost.js';
import { parsePlanJson } from '../../../src/tester/cost/plan.js';
import { AWS_US_EAST_1 } from '../../../src/tester/cost/prices.js';
import { CostInputError } from '../../../src/tester/cost/text.js';

const dir = fileURLToPath(new URL('../../fixtures/cost/', import.meta.url));
const bytes = (name: string): Buffer => readFileSync(dir + name);
const text = (name: string): string => readFileSync(dir + name, 'utf8');

const PLAN_ADDRESSES = [
  'aws_instance.web_app',
  'aws_instance.zero_cost_instance',
  'aws_lambda_function.hello_world',
  'aws_lambda_function.zero_cost_lambda',
  'aws_s3_bucket.usage',
];

describe('parsePlanJson on the recorded plan', () => {
  it('lists the five planned resources with types and create actions', () => {
    const plan = parsePlanJson(text('terraform-plan.json'), 'terraform-plan.json');
    expect(plan.formatVersion).toBe('0.2');
    expect(plan.terraformVersion).toBe('1.0.5');
    expect(plan.resources.map((r) => r.address).sort()).toEqual(PLAN_ADDRESSES);
    expect(plan.resources.filter((r) => r.type === 'aws_instance')).toHaveLength(2);
    expect(plan.resources.every((r) => r.actions.join() === 'create' && r.moduleAddress === null && r.mode === 'managed')).toBe(true);
    expect(plan.notes).toEqual([]);
  });

  it('strips the setup-terraform wrapper noise and says so', () => {
    const plan = parsePlanJson(text('terraform-plan-wrapper-noise.txt'), 'wrapped.txt');
    expect(plan.terraformVersion).toBe('1.0.11');
    expect(plan.resources.map((r) => r.address).sort()).toEqual(['aws_instance.web_app', 'aws_lambda_function.hello_world']);
    expect(plan.resources.every((r) => r.actions.join() === 'create')).toBe(true);
    expect(plan.notes.join()).toMatch(/setup-terraform wrapper/);
  });

  it('decodes UTF-16LE with BOM (bytes, and text mis-read as UTF-8)', () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text('terraform-plan.json'), 'utf16le')]);
    expect(parsePlanJson(utf16, 'p.json').resources).toHaveLength(5);
    expect(parsePlanJson(utf16.toString('utf8'), 'p.json').resources).toHaveLength(5);
  });

  it('walks child_modules recursively with module addresses and count/for_each indexes', () => {
    const doc = {
      format_version: '1.2',
      planned_values: {
        root_module: {
          resources: [{ address: 'aws_vpc.main', mode: 'managed', type: 'aws_vpc', name: 'main', values: {} }],
          child_modules: [
            {
              address: 'module.net',
              resources: [
                { address: 'module.net.aws_nat_gateway.gw[0]', mode: 'managed', type: 'aws_nat_gateway', name: 'gw', index: 0, values: {} },
                { address: 'module.net.aws_nat_gateway.gw[1]', mode: 'managed', type: 'aws_nat_gateway', name: 'gw', index: 1, values: {} },
              ],
              child_modules: [
                {
                  address: 'module.net.module.db["eu"]',
                  resources: [
                    { address: 'module.net.module.db["eu"].aws_db_instance.this["a"]', mode: 'managed', type: 'aws_db_instance', name: 'this', index: 'a', values: { instance_class: 'db.t3.micro' } },
                    { address: 'module.net.module.db["eu"].data.aws_ami.x', mode: 'data', type: 'aws_ami', name: 'x', values: {} },
                  ],
                },
              ],
            },
          ],
        },
      },
      resource_changes: [
        { address: 'module.net.aws_nat_gateway.gw[0]', module_address: 'module.net', type: 'aws_nat_gateway', name: 'gw', index: 0, change: { actions: ['create'] } },
        { address: 'aws_instance.old', type: 'aws_instance', name: 'old', mode: 'managed', change: { actions: ['delete'], before: { instance_type: 't3.micro' }, after: null } },
      ],
    };
    const plan = parsePlanJson(JSON.stringify(doc), 'nested.json');
    const by = new Map(plan.resources.map((r) => [r.address, r]));
    expect(plan.resources).toHaveLength(6);
    expect(by.get('module.net.aws_nat_gateway.gw[1]')).toMatchObject({ moduleAddress: 'module.net', index: 1, actions: [] });
    expect(by.get('module.net.aws_nat_gateway.gw[0]')!.actions).toEqual(['create']);
    expect(by.get('module.net.module.db["eu"].aws_db_instance.this["a"]')).toMatchObject({ moduleAddress: 'module.net.module.db["eu"]', index: 'a' });
    expect(by.get('module.net.module.db["eu"].data.aws_ami.x')!.mode).toBe('data');
    expect(by.get('aws_instance.old')).toMatchObject({ actions: ['delete'], values: { instance_type: 't3.micro' } });
    const est = estimateCost(plan.resources, AWS_US_EAST_1);
    expect(est.resources.map((r) => r.address)).not.toContain('aws_instance.old');
    expect(est.assumptions.join()).toMatch(/1 resource\(s\) planned for deletion/);
  });

  it('gives a clear error naming the file and position on truncated input', () => {
    const full = text('terraform-plan.json');
    const cut = full.slice(0, 5000);
    try {
      parsePlanJson(cut, 'plan-truncated.json');
      expect.fail('should throw');
    } catch (e) {
      expect(e).toBeInstanceOf(CostInputError);
      expect((e as Error).message).toMatch(/plan-truncated\.json: truncated JSON: input ends at position 5000 \(line \d+, column \d+\)/);
      expect((e as CostInputError).position).toBe(5000);
    }
    expect(() => parsePlanJson('', 'empty.json')).toThrow(/empty\.json: input is empty/);
    expect(() => parsePlanJson('{"a":1}', 'x.json')).toThrow(/x\.json: not a `terraform show -json` plan/);
    expect(() => parsePlanJson('{"a":1,,}', 'bad.json')).toThrow(/bad\.json: invalid JSON at position 7/);
  });
});

describe('estimateCost from the recorded plan', () => {
  const plan = parsePlanJson(text('terraform-plan.json'), 'terraform-plan.json');
  const est = estimateCost(plan.resources, AWS_US_EAST_1);
  const by = new Map(est.resources.map((r) => [r.address, r]));

  it('prices both m5.4xlarge instances with EBS (matches infracost for web_app: 742.64)', () => {
    for (const a of ['aws_instance.web_app', 'aws_instance.zero_cost_instance']) {
      const r = by.get(a)!;
      expect(r.type).toBe('aws_instance');
      expect(r.basis).toMatch(/^m5\.4xlarge × 730 h/);
      expect(r.basis).toContain('1000 GB io1');
      // 0.768×730 + 50 GB gp2 + 1000 GB io1 + 800 IOPS
      expect(r.monthly).toBeCloseTo(560.64 + 5 + 125 + 52, 2);
    }
    expect(est.monthlyTotal).toBeGreaterThan(0);
    expect(est.currency).toBe('USD');
    expect(est.monthlyTotal).toBeCloseTo(est.resources.reduce((s, r) => s + r.monthly, 0), 3);
  });

  it('labels default usage assumptions for Lambda and S3', () => {
    const l = by.get('aws_lambda_function.hello_world')!;
    expect(l.assumptions.join()).toMatch(/1,000,000 requests/);
    expect(l.assumptions.join()).toMatch(/400,000 GB-seconds/);
    expect(l.monthly).toBeCloseTo(0.2 + 400_000 * 0.0000166667, 3);
    expect(by.get('aws_s3_bucket.usage')!.assumptions.join()).toMatch(/100 GB/);
    expect(est.assumptions.join()).toMatch(/as of 2026-11-01/);
    expect(est.assumptions.join()).toMatch(/730 hours/);
    expect(est.topDrivers).toHaveLength(5);
    expect(est.topDrivers[0]!.type).toBe('aws_instance');
  });

  it('uses per-resource usage when given', () => {
    const e = estimateCost(plan.resources, AWS_US_EAST_1, {
      usage: { 'aws_lambda_function.hello_world': { requests: 100_000_000, durationMs: 250 }, 'aws_s3_bucket.usage': { storageGB: 10_000 } },
    });
    const m = new Map(e.resources.map((r) => [r.address, r]));
    // 100M × 0.25 s × 1 GB = 25M GB-s
    expect(m.get('aws_lambda_function.hello_world')!.monthly).toBeCloseTo(20 + 25_000_000 * 0.0000166667, 1);
    expect(m.get('aws_s3_bucket.usage')!.monthly).toBeCloseTo(230, 2);
  });

  it('lists unpriced resources honestly and accepts HCL-loader shaped resources', () => {
    const e = estimateCost(
      [
        { address: 'aws_instance.a', type: 'aws_instance', values: { instance_type: 't3.micro', root_block_device: { volume_size: 20, volume_type: 'gp3' } } },
        { address: 'aws_instance.b', type: 'aws_instance', values: { instance_type: 'x9.huge' } },
        { address: 'aws_instance.c', type: 'aws_instance', values: { instance_type: '${var.type}' } },
        { address: 'aws_db_instance.db', type: 'aws_db_instance', values: { instance_class: 'db.m5.large', multi_az: true, allocated_storage: 100 } },
        { address: 'aws_nat_gateway.n', type: 'aws_nat_gateway', values: {} },
        { address: 'aws_lb.alb', type: 'aws_lb', values: {} },
        { address: 'aws_eks_cluster.k', type: 'aws_eks_cluster', values: {} },
        { address: 'aws_sqs_queue.q', type: 'aws_sqs_queue', values: {} },
        { address: 'aws_iam_role.r', type: 'aws_iam_role', values: {} },
        { address: 'google_compute_instance.g', type: 'google_compute_instance', values: {} },
      ],
      AWS_US_EAST_1,
    );
    const m = new Map(e.resources.map((r) => [r.address, r.monthly]));
    expect(m.get('aws_instance.a')).toBeCloseTo(0.0104 * 730 + 20 * 0.08, 3);
    expect(m.get('aws_db_instance.db')).toBeCloseTo((0.171 * 730 + 100 * 0.115) * 2, 3);
    expect(m.get('aws_nat_gateway.n')).toBeCloseTo(0.045 * 730 + 100 * 0.045, 3);
    expect(m.get('aws_lb.alb')).toBeCloseTo(0.0225 * 730, 3);
    expect(m.get('aws_eks_cluster.k')).toBeCloseTo(73, 3);
    expect(e.unpriced.map((u) => u.address).sort()).toEqual(['aws_instance.b', 'aws_instance.c', 'aws_sqs_queue.q', 'google_compute_instance.g']);
    expect(e.unpriced.find((u) => u.address === 'aws_instance.b')!.reason).toMatch(/x9\.huge/);
    expect(e.assumptions.join()).toMatch(/lower bound/);
  });
});

describe('estimateCost: auto scaling groups', () => {
  const lt = { address: 'module.app.aws_launch_template.app', type: 'aws_launch_template', values: { name: 'app-lt', instance_type: 't3.small' } };
  it('prices desired_capacity × the launch template instance type (HCL reference and plan name)', () => {
    // 2 × 0.0208 $/h × 730 h = 30.368
    const hcl = estimateCost(
      [lt, { address: 'module.app.aws_autoscaling_group.app', type: 'aws_autoscaling_group', values: { desired_capacity: 2, min_size: 1, launch_template: [{ id: '${aws_launch_template.app.id}', version: '$Latest' }] } }],
      AWS_US_EAST_1,
    );
    expect(hcl.resources).toEqual([expect.objectContaining({ address: 'module.app.aws_autoscaling_group.app', monthly: 30.368, basis: "2 × t3.small × 730 h" })]);
    const plan = estimateCost(
      [lt, { address: 'aws_autoscaling_group.web', type: 'aws_autoscaling_group', values: { min_size: 3, launch_template: [{ name: 'app-lt' }] } }],
      AWS_US_EAST_1,
    );
    expect(plan.monthlyTotal).toBeCloseTo(3 * 0.0208 * 730, 2);
    expect(plan.resources[0]!.assumptions.join()).toMatch(/priced at min_size = 3/);
  });
  it('an unknown template or a mixed instances policy is unpriced with the reason, never zero', () => {
    const e = estimateCost(
      [
        { address: 'aws_autoscaling_group.a', type: 'aws_autoscaling_group', values: { desired_capacity: 2, launch_template: [{ id: '${var.lt_id}' }] } },
        { address: 'aws_autoscaling_group.b', type: 'aws_autoscaling_group', values: { desired_capacity: 2, mixed_instances_policy: [{}] } },
      ],
      AWS_US_EAST_1,
    );
    expect(e.monthlyTotal).toBe(0);
    expect(e.unpriced.map((u) => u.reason)).toEqual(['launch template not found or not known statically', 'mixed_instances_policy: instance types and spot share not priced']);
  });
});

describe('parseInfracostJson', () => {
  it('reads the recorded breakdown: total 1361.3075 USD', () => {
    const est = parseInfracostJson(text('infracost.json'), 'infracost.json');
    expect(est.monthlyTotal).toBe(1361.3075);
    expect(est.currency).toBe('USD');
    expect(est.source).toBe('infracost');
    expect(est.resources.map((r) => r.address).sort()).toEqual(PLAN_ADDRESSES);
    const web = est.resources.find((r) => r.address === 'aws_instance.web_app')!;
    expect(web.monthly).toBe(742.64);
    expect(web.basis).toContain('m5.4xlarge');
    expect(est.topDrivers[0]).toMatchObject({ address: 'aws_instance.web_app', monthly: 742.64 });
    expect(est.resources.reduce((s, r) => s + r.monthly, 0)).toBeCloseTo(1361.3075, 4);
  });

  it('real project (trimmed): usage-based resources without usage are unpriced, not zero', () => {
    const est = parseInfracostJson(text('infracost-real-project-trimmed.json'), 'real.json');
    expect(est.monthlyTotal).toBe(174.42);
    expect(est.unpriced.map((u) => u.address)).toEqual(
      expect.arrayContaining(['module.serverless.aws_lambda_function.main', 'module.monitoring.aws_s3_bucket.cloudtrail', 'aws_codepipeline ×1']),
    );
    const nat = est.resources.find((r) => r.address === 'module.networking.aws_nat_gateway.main[0]')!;
    expect(nat.assumptions.join()).toMatch(/Data processed/);
  });

  it('decodes the UTF-16LE (BOM) report from bytes', () => {
    const raw = bytes('infracost-utf16le.json');
    expect(raw.length % 2).toBe(1); // stray trailing byte, as in the recorded file
    expect(parseInfracostJson(raw, 'infracost-utf16le.json').monthlyTotal).toBe(174.42);
    // …and when the caller already read it as UTF-8 text
    expect(parseInfracostJson(raw.toString('utf8'), 'infracost-utf16le.json').monthlyTotal).toBe(174.42);
    const nonAscii = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"x":"é€"}', 'utf16le')]).toString('utf8');
    expect(() => parseInfracostJson(nonAscii, 'ps.json')).toThrow(/ps\.json: input looks UTF-16 encoded/);
  });

  it('bad inputs give clear errors', () => {
    expect(() => parseInfracostJson(text('infracost.json').slice(0, 3000), 'cut.json')).toThrow(/cut\.json: truncated JSON: input ends at position 3000/);
    expect(() => parseInfracostJson(text('terraform-plan.json'), 'plan.json')).toThrow(/plan\.json: not an infracost breakdown JSON/);
  });
});

describe('checkBudget', () => {
  it.each([
    [500, 1000, undefined, 'pass', 50],
    [800, 1000, undefined, 'warn', 80],
    [799.99, 1000, undefined, 'pass', 80],
    [1000, 1000, undefined, 'warn', 100],
    [1000.01, 1000, undefined, 'fail', 100],
    [1361.3075, 1000, undefined, 'fail', 136.1],
    [600, 1000, 50, 'warn', 60],
  ] as const)('%d of %d (warn %s) → %s', (total, monthly, warnAtPercent, status, percent) => {
    const r = checkBudget(total, warnAtPercent === undefined ? { monthly } : { monthly, warnAtPercent });
    expect(r.status).toBe(status);
    expect(r.percent).toBe(percent);
    expect(r.message).toContain('USD');
  });

  it('explains failures and rejects nonsense budgets', () => {
    expect(checkBudget(1361.3075, { monthly: 1000 }).message).toMatch(/over budget: 1361\.31 USD\/month .* \(by 361\.31 USD/);
    expect(() => checkBudget(1, { monthly: -5 })).toThrow(/invalid budget/);
    expect(() => checkBudget(1, { monthly: 5, warnAtPercent: 150 })).toThrow(/warnAtPercent/);
    expect(checkBudget(1, { monthly: 0 }).status).toBe('fail');
  });
});
