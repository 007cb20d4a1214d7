import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { LoadResult } from '../../../src/tester/hcl/load.js';
import {
  buildScopes,
  evaluate,
  evaluateTemplate,
  instanceScope,
  loadTfvars,
  OpenMap,
  resourceInstances,
  UNKNOWN,
  type Scope,
  type Value,
} from '../../../src/tester/hcl/values.js';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/terraform/compliance');

/** A scope over plain maps (raw values as hcl2json gives them). */
function scopeOf(vars: Record<string, unknown>, locals: Record<string, unknown> = {}): Scope {
  const scope: Scope = {
    variable: (n) => (n in vars ? evaluate(vars[n], scope) : UNKNOWN),
    local: (n) => (n in locals ? evaluate(locals[n], scope) : UNKNOWN),
  };
  return scope;
}

describe('evaluateTemplate', () => {
  const s = scopeOf(
    { project: 'acme', env: 'test', n: 3, tags: { Team: 'web' }, flag: true },
    { prefix: '${var.project}-${var.env}', common: { Environment: '${var.env}', Owner: 'platform' } },
  );
  const ev = (t: string): Value => evaluateTemplate(t, s);

  it('resolves variables, locals and templates mixing them', () => {
    expect(ev('${var.project}-${var.env}-web')).toBe('acme-test-web');
    expect(ev('${local.prefix}-data')).toBe('acme-test-data');
    expect(ev('plain')).toBe('plain');
    expect(ev('n=${var.n}')).toBe('n=3');
    expect(ev('${var.n}')).toBe(3); // a lone interpolation keeps its type
    expect(ev('$${literal}')).toBe('${literal}');
  });

  it('evaluates merge of locals, variables and object literals; later keys win', () => {
    expect(ev('${merge(local.common, var.tags, { Owner = "data", "Cost Center" = "42" })}')).toEqual({
      Environment: 'test',
      Owner: 'data',
      Team: 'web',
      'Cost Center': '42',
    });
    expect(ev('${merge(local.common, null)}')).toEqual({ Environment: 'test', Owner: 'platform' });
  });

  it('keeps what is certain about a merge with an unknown map', () => {
    const after = ev('${merge(var.missing, { Owner = "x" })}');
    expect(after).toBeInstanceOf(OpenMap);
    expect((after as OpenMap).entries).toEqual({ Owner: 'x' });
    // keys before an unknown argument are present, their values may be overridden
    const before = ev('${merge(local.common, var.missing)}');
    expect(before).toBeInstanceOf(OpenMap);
    expect(Object.keys((before as OpenMap).entries).sort()).toEqual(['Environment', 'Owner']);
    expect((before as OpenMap).entries['Owner']).toBe(UNKNOWN);
  });

  it('supports common functions, conditionals and access', () => {
    expect(ev('${lower("ACME")}-${upper(var.env)}')).toBe('acme-TEST');
    expect(ev('${format("%s-%s-%d", var.project, var.env, var.n)}')).toBe('acme-test-3');
    expect(ev('${join("-", [var.project, "x"])}')).toBe('acme-x');
    expect(ev('${var.env == "prod" ? "big" : "small"}')).toBe('small');
    expect(ev('${var.flag && var.env != "prod"}')).toBe(true);
    expect(ev('${local.common.Owner}')).toBe('platform');
    expect(ev('${local.common["Environment"]}')).toBe('test');
    expect(ev('${lookup(var.tags, "Nope", "dflt")}')).toBe('dflt');
    expect(ev('${replace(local.prefix, "-", "_")}')).toBe('acme_test');
    expect(ev('${coalesce("", var.env)}')).toBe('test');
  });

  it('never guesses: references, unknown functions and directives are unknown', () => {
    for (const t of [
      '${aws_s3_bucket.x.id}',
      '${module.m.name}',
      '${data.aws_caller_identity.me.account_id}',
      '${var.undeclared}',
      '${uuid()}',
      '${timestamp()}-x',
      '${[for s in var.list : upper(s)]}',
      '%{ if var.flag }a%{ endif }',
      '${var.project}-${random_id.x.hex}',
      '${var.env == var.missing ? "a" : "b"}',
      '${replace(var.env, "/t/", "x")}',
      '${path.module}/x',
      '${merge(var.tags, "not a map")}',
      '${broken(',
    ]) {
      expect(ev(t), t).toBe(UNKNOWN);
    }
  });

  it('evaluates count.index and each.* only when the instance is known', () => {
    expect(evaluateTemplate('web-${count.index}', instanceScope(s, { countIndex: 1 }))).toBe('web-1');
    expect(evaluateTemplate('web-${count.index}', s)).toBe(UNKNOWN);
    expect(evaluateTemplate('${each.key}=${each.value}', instanceScope(s, { each: { key: 'a', value: 'b' } }))).toBe('a=b');
  });
});

describe('resourceInstances', () => {
  const s = scopeOf({ n: 2, zero: 0, names: ['a', 'b', 'a'] });
  it('expands a known count or for_each, and gives no instance for count = 0', () => {
    expect(resourceInstances({ count: '${var.n}' }, s).map((x) => x.countIndex)).toEqual([0, 1]);
    expect(resourceInstances({ count: '${var.zero}' }, s)).toHaveLength(0);
    expect(resourceInstances({ for_each: '${toset(var.names)}' }, s).map((x) => x.each?.key)).toEqual(['a', 'b']);
    expect(resourceInstances({ for_each: { x: 1 } }, s).map((x) => x.each)).toEqual([{ key: 'x', value: 1 }]);
  });
  it('keeps one instance with unknown index when count or for_each is unknown', () => {
    expect(resourceInstances({ count: '${length(var.x)}' }, s).map((x) => x.countIndex)).toEqual([UNKNOWN]);
    expect(resourceInstances({ for_each: '${var.x}' }, s).map((x) => x.each)).toEqual([{ key: UNKNOWN, value: UNKNOWN }]);
  });
});

describe('buildScopes', () => {
  const load: LoadResult = {
    resources: [],
    problems: [],
    variables: [
      { name: 'env', module: '', file: 'v.tf', startLine: 1, endLine: 1, hasDefault: true, default: 'dev' },
      { name: 'project', module: '', file: 'v.tf', startLine: 2, endLine: 2, hasDefault: false, default: undefined },
      { name: 'name', module: 'module.web', file: 'web/v.tf', startLine: 1, endLine: 1, hasDefault: true, default: 'dflt' },
      { name: 'size', module: 'module.web', file: 'web/v.tf', startLine: 2, endLine: 2, hasDefault: true, default: 5 },
    ],
    locals: [
      { name: 'prefix', module: '', file: 'l.tf', startLine: 1, endLine: 3, value: '${var.project}-${var.env}' },
      { name: 'a', module: '', file: 'l.tf', startLine: 1, endLine: 3, value: '${local.b}' },
      { name: 'b', module: '', file: 'l.tf', startLine: 1, endLine: 3, value: '${local.a}' },
    ],
    moduleCalls: [
      { name: 'web', module: '', address: 'module.web', source: './web', file: 'm.tf', startLine: 1, endLine: 4, body: { source: './web', name: '${local.prefix}-web' } },
    ],
  };

  it('takes tfvars before defaults, and a variable with neither is unknown', () => {
    const root = buildScopes(load, { env: 'prod', project: 'acme' }).get('')!;
    expect(root.variable('env')).toBe('prod');
    expect(root.local('prefix')).toBe('acme-prod');
    const noVars = buildScopes(load).get('')!;
    expect(noVars.variable('env')).toBe('dev');
    expect(noVars.variable('project')).toBe(UNKNOWN);
    expect(noVars.local('prefix')).toBe(UNKNOWN);
  });

  it('gives module variables the calling block argument, evaluated in the caller, else the default', () => {
    const web = buildScopes(load, { project: 'acme' }).get('module.web')!;
    expect(web.variable('name')).toBe('acme-dev-web');
    expect(web.variable('size')).toBe(5);
  });

  it('treats a cycle between locals as unknown instead of looping', () => {
    expect(buildScopes(load).get('')!.local('a')).toBe(UNKNOWN);
  });
});

describe('loadTfvars', () => {
  it('applies terraform.tfvars, then *.auto.tfvars, then env/<env>.tfvars', async () => {
    const r = await loadTfvars(path.join(FIXTURES, 'tfvars'), 'prod');
    expect(r.problems).toEqual([]);
    expect(r.files).toEqual(['terraform.tfvars', 'a.auto.tfvars', 'b.auto.tfvars.json', 'env/prod.tfvars']);
    expect(r.values).toEqual({ project: 'acme', env: 'prod', region: 'us-east-1', tags: { Owner: 'data' }, size: 3 });
  });

  it('uses <env>.tfvars at the top level too, and explicit var files instead when given', async () => {
    const staging = await loadTfvars(path.join(FIXTURES, 'tfvars'), 'staging');
    expect(staging.values).toMatchObject({ env: 'staging', project: 'other' });
    const custom = await loadTfvars(path.join(FIXTURES, 'tfvars'), 'prod', ['custom.tfvars']);
    expect(custom.files.at(-1)).toBe('custom.tfvars');
    expect(custom.values['env']).toBe('qa');
  });

  it('reports a broken file with its file and line and still applies the others', async () => {
    const r = await loadTfvars(path.join(FIXTURES, 'tfvars-bad'), 'test');
    expect(r.values).toEqual({ size: 2 });
    expect(r.files).toEqual(['x.auto.tfvars']);
    const hcl = r.problems.find((p) => p.file === 'terraform.tfvars');
    expect(hcl?.line).toBe(3);
    expect(hcl?.message).toMatch(/string/i);
    const json = r.problems.find((p) => p.file === 'y.auto.tfvars.json');
    expect(json?.message).toMatch(/invalid JSON/);
  });

  it('reports an explicit var file that does not exist', async () => {
    const r = await loadTfvars(path.join(FIXTURES, 'tfvars'), 'prod', ['nope.tfvars']);
    expect(r.problems).toEqual([expect.objectContaining({ file: 'nope.tfvars' })]);
  });
});
