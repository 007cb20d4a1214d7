import { mkdir, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import matter from 'gray-matter';
import { beforeAll, describe, expect, it } from 'vitest';
import schema from '../../schemas/operate-pattern.schema.json' with { type: 'json' };
import type { Capabilities } from '../../src/operate/capabilities.js';
import { PatternFileError, findPatterns, loadPatterns, parsePatterns, stem, type Pattern } from '../../src/operate/patterns.js';

const SHIPPED = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'templates', 'patterns');

const NONE: Partial<Capabilities> = { keda: false, vpa: false, prometheusOperator: false, velero: false, certManager: false, metricsServer: true, hpaV2: true };
const WITH_KEDA: Partial<Capabilities> = { ...NONE, keda: true };

let shipped: Pattern[];
beforeAll(async () => {
  shipped = await loadPatterns(await mkdtemp(join(tmpdir(), 'pat-')), { shippedDir: SHIPPED });
});

const names = (intent: string, caps?: Partial<Capabilities>) => findPatterns(intent, shipped, caps).map((m) => m.name);

describe('shipped patterns', () => {
  it('every file has valid frontmatter and a body with commands', async () => {
    const validate = new Ajv({ allErrors: true }).compile(schema);
    const files = (await readdir(SHIPPED)).filter((n) => n.endsWith('.md'));
    expect(files.length).toBeGreaterThanOrEqual(7);
    for (const f of files) {
      const { data, content } = matter(await readFile(join(SHIPPED, f), 'utf8'));
      expect(validate(data) ? [] : validate.errors, f).toEqual([]);
      expect(content, f).toMatch(/kubectl |helm /);
      expect(`${(data as { name: string }).name}.md`).toBe(f);
    }
    expect(shipped.map((p) => p.name)).toEqual(expect.arrayContaining([
      'zero-downtime-update', 'autoscale-hpa', 'autoscale-keda', 'pdb-high-availability', 'rollback-deployment', 'safe-delete-app', 'statefulset-database-ha',
    ]));
  });

  it('the patterns say what matters: maxUnavailable 0, rollout undo / helm rollback, PVCs kept, the replication caveat', () => {
    const body = (n: string) => shipped.find((p) => p.name === n)!.body;
    expect(body('zero-downtime-update')).toMatch(/"maxUnavailable":0/);
    expect(body('zero-downtime-update')).toMatch(/readinessProbe/);
    expect(body('rollback-deployment')).toMatch(/kubectl rollout undo deployment\/<app>/);
    expect(body('rollback-deployment')).toMatch(/helm rollback <release>/);
    expect(body('safe-delete-app')).toMatch(/--replicas=0/);
    expect(body('safe-delete-app')).toMatch(/Keep PersistentVolumeClaims/);
    expect(body('statefulset-database-ha')).toMatch(/database is\s+configured to replicate/);
    expect(body('statefulset-database-ha')).toMatch(/podAntiAffinity/);
    expect(body('autoscale-keda')).toMatch(/kind: ScaledObject/);
    expect(body('autoscale-hpa')).toMatch(/apiVersion: autoscaling\/v2/);
  });
});

describe('findPatterns: the issue examples', () => {
  it.each([
    ['update my-api to v2 with zero downtime', 'zero-downtime-update'],
    ['make postgres highly available', 'statefulset-database-ha'],
    ['roll back checkout', 'rollback-deployment'],
    ['delete the demo app and clean up', 'safe-delete-app'],
  ])('%s → %s first, with or without KEDA', (intent, first) => {
    for (const caps of [undefined, NONE, WITH_KEDA]) expect(names(intent, caps)[0]).toBe(first);
  });

  it('autoscale my-api on CPU: KEDA first when installed, HPA first (KEDA flagged missing) otherwise', () => {
    const withKeda = findPatterns('autoscale my-api on CPU', shipped, WITH_KEDA);
    expect(withKeda.map((m) => m.name)).toEqual(['autoscale-keda', 'autoscale-hpa']);
    expect(withKeda[0]).toMatchObject({ matched: ['autoscale', 'cpu'], missing: [], requires: ['keda'] });
    const without = findPatterns('autoscale my-api on CPU', shipped, NONE);
    expect(without.map((m) => [m.name, m.missing])).toEqual([
      ['autoscale-hpa', []],
      ['autoscale-keda', ['keda']],
    ]);
    expect(without[1]!.score).toBeGreaterThan(without[0]!.score - 5); // still a close match, only ranked after
  });

  it('make postgres highly available lists the PDB pattern after the database one, and nothing unrelated', () => {
    expect(names('make postgres highly available', NONE)).toEqual(['statefulset-database-ha', 'pdb-high-availability']);
  });

  it('a pattern needing an absent capability ranks below every pattern that fits', () => {
    const r = findPatterns('make postgres highly available with nightly backups', shipped, NONE);
    expect(r.at(-1)).toMatchObject({ name: 'backup-velero', missing: ['velero'] });
    expect(r.slice(0, -1).every((m) => m.missing.length === 0)).toBe(true);
    expect(findPatterns('make postgres highly available with nightly backups', shipped, { ...NONE, velero: true }).find((m) => m.name === 'backup-velero')!.missing).toEqual([]);
  });

  it('unknown capabilities (discovery failed) are not held against a pattern', () => {
    const r = findPatterns('autoscale my-api on CPU', shipped, { error: 'kubectl is not installed' } as Record<string, unknown>);
    expect(r.map((m) => [m.name, m.missing])).toEqual([
      ['autoscale-hpa', []],
      ['autoscale-keda', []],
    ]);
  });

  it('an intent no pattern covers finds nothing', () => {
    expect(findPatterns('rotate the TLS certificate of the ingress', shipped)).toEqual([]);
  });

  it('synonyms and inflections: "autoscaling", "reverting", "remove", "no downtime", "HA"', () => {
    expect(names('set up autoscaling for the worker')).toContain('autoscale-hpa');
    expect(names('reverting the payments deploy')[0]).toBe('rollback-deployment');
    expect(names('remove the old checkout')[0]).toBe('safe-delete-app');
    expect(names('ship frontend 2.1 with no downtime')[0]).toBe('zero-downtime-update');
    expect(names('HA for redis')[0]).toBe('statefulset-database-ha');
  });

  it('stemming is light and keeps short words', () => {
    expect(['updates', 'updating', 'updated', 'update'].map(stem)).toEqual(['updat', 'updat', 'updat', 'updat']);
    expect(['replicas', 'scaling', 'rolling', 'patches', 'has', 'ha', 'status'].map(stem)).toEqual(['replica', 'scal', 'roll', 'patch', 'has', 'ha', 'status']);
  });
});

describe('pattern files', () => {
  const good = (name: string, extra = '') => `---\nname: ${name}\ndescription: A team pattern for blue-green switches\nkeywords: [blue green, switch traffic]\nintents:\n  - switch my-api to the green deployment\n${extra}---\n# Blue/green\n\nkubectl patch service <app> -p '{"spec":{"selector":{"slot":"green"}}}'\n`;

  it('a team pattern is found, and replaces a shipped one of the same name', async () => {
    const root = await mkdtemp(join(tmpdir(), 'pat-'));
    await mkdir(join(root, '.infra-ops', 'patterns'), { recursive: true });
    await writeFile(join(root, '.infra-ops', 'patterns', 'blue-green.md'), good('blue-green'));
    await writeFile(join(root, '.infra-ops', 'patterns', 'rollback.md'), good('rollback-deployment').replace('blue green, switch traffic', 'rollback, undo'));
    const all = await loadPatterns(root, { shippedDir: SHIPPED });
    expect(all.find((p) => p.name === 'blue-green')).toMatchObject({ source: 'team', file: 'blue-green.md', requires: [] });
    expect(all.find((p) => p.name === 'rollback-deployment')).toMatchObject({ source: 'team', file: 'rollback.md' });
    expect(all.filter((p) => p.name === 'rollback-deployment')).toHaveLength(1);
    expect(findPatterns('switch traffic to green', all)[0]).toMatchObject({ name: 'blue-green', file: 'blue-green.md', matched: ['switch traffic'] });
  });

  async function problems(text: string) {
    try {
      await parsePatterns([{ path: 'team/bad.md', text }]);
    } catch (e) {
      expect(e).toBeInstanceOf(PatternFileError);
      return { list: (e as PatternFileError).problems, message: (e as Error).message };
    }
    throw new Error('accepted');
  }

  it('bad frontmatter names the file, line and field', async () => {
    const typo = await problems(good('blue-green', 'requires: [kedda]\n'));
    expect(typo.list).toEqual([expect.objectContaining({ file: 'team/bad.md', line: 7, field: '/requires/0' })]);
    expect(typo.message).toContain('team/bad.md:7: /requires/0 must be one of the allowed values (allowed: "keda"');
    const missing = await problems('---\nname: x-y\ndescription: missing keywords and intents\n---\nbody\n');
    expect(missing.list.map((p) => p.field).sort()).toEqual(['/intents', '/keywords']);
    const badName = await problems(good('Blue Green'));
    expect(badName.list).toEqual([expect.objectContaining({ line: 2, field: '/name' })]);
    const unknown = await problems(good('blue-green', 'keyword: [typo]\n'));
    expect(unknown.list).toEqual([expect.objectContaining({ line: 7, field: '/keyword', message: 'is not a known field' })]);
  });

  it('no frontmatter, or broken YAML in it, is refused', async () => {
    expect((await problems('# just markdown\n')).list).toEqual([expect.objectContaining({ line: 1, field: '/', message: expect.stringContaining('has no frontmatter') })]);
    const broken = await problems('---\nname: x\nkeywords: [unclosed\n---\nbody\n');
    expect(broken.list[0]!.message).toMatch(/^YAML syntax error in the frontmatter/);
    expect(broken.list[0]!.line).toBeGreaterThanOrEqual(3);
  });

  it('two team files with the same name are refused', async () => {
    await expect(parsePatterns([{ path: 'a.md', text: good('dup') }, { path: 'b.md', text: good('dup') }])).rejects.toThrow(/b\.md:2: \/name duplicates the name of the pattern in a\.md/);
  });
});
