import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { initProject } from '../../src/config/init.js';
import { formatConfigProblem, loadConfig, parseConfig } from '../../src/config/load.js';

async function tempProject(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'infra-ops-config-'));
}

describe('init', () => {
  it('writes a valid config with test and prod from the template, and never overwrites without --force', async () => {
    const dir = await tempProject();
    const first = await initProject(dir, { project: 'shop' });
    expect(first.created).toBe(true);
    expect(first.environments).toEqual(['test', 'prod']);
    const config = await loadConfig(dir);
    expect(config?.project).toBe('shop');
    expect(config?.environments.prod?.requireApproval).toBe(true);
    expect(config?.environments.test?.budget.monthly).toBeGreaterThan(0);
    expect(config?.environments.prod?.requiredTags).toContain('Owner');

    await writeFile(first.configPath, (await readFile(first.configPath, 'utf8')).replace('monthly: 200', 'monthly: 300'));
    const second = await initProject(dir, { project: 'shop' });
    expect(second.created).toBe(false);
    expect(await readFile(first.configPath, 'utf8')).toContain('monthly: 300');
    await initProject(dir, { project: 'shop', force: true });
    expect(await readFile(first.configPath, 'utf8')).toContain('monthly: 200');
  });

  it('refuses a project name that cannot appear in resource names', async () => {
    await expect(initProject(await tempProject(), { project: 'Bad Name!' })).rejects.toThrow(/--project/);
  });
});

describe('config validation', () => {
  const valid = `version: 1
environments:
  test:
    requireApproval: false
    budget:
      monthly: 100
    gate:
      blockOn: [CRITICAL, HIGH]
`;

  it('accepts a minimal config', async () => {
    const { config, problems } = await parseConfig(valid, 'c.yaml');
    expect(problems).toEqual([]);
    expect(config?.environments.test?.budget.monthly).toBe(100);
  });

  it('names the path, the line and the allowed values of a bad enum field', async () => {
    const { config, problems } = await parseConfig(valid.replace('[CRITICAL, HIGH]', '[CRITICAL, SEVERE]'), 'c.yaml');
    expect(config).toBeUndefined();
    expect(problems).toHaveLength(1);
    const p = problems[0]!;
    expect(p.path).toBe('/environments/test/gate/blockOn/1');
    expect(p.line).toBe(8);
    expect(p.allowed).toEqual(['CRITICAL', 'HIGH', 'MEDIUM', 'LOW']);
    expect(formatConfigProblem(p)).toBe('c.yaml:8: /environments/test/gate/blockOn/1 must be one of the allowed values (allowed: "CRITICAL", "HIGH", "MEDIUM", "LOW")');
  });

  it('reports an unknown field, a wrong type and a missing field together', async () => {
    const text = valid.replace('monthly: 100', 'monthly: lots\n      monthy: 5').replace('    requireApproval: false\n', '');
    const { problems } = await parseConfig(text, 'c.yaml');
    const byPath = Object.fromEntries(problems.map((p) => [p.path, p]));
    expect(byPath['/environments/test/budget/monthly']?.message).toMatch(/number/);
    expect(byPath['/environments/test/budget/monthy']?.message).toBe('is not a known field');
    expect(byPath['/environments/test/requireApproval']?.message).toBe('is required');
    expect(byPath['/environments/test/budget/monthly']?.line).toBe(5);
  });

  it('reports YAML syntax errors with their line', async () => {
    const { problems } = await parseConfig('version: 1\nenvironments:\n  test: [unclosed\n', 'c.yaml');
    expect(problems[0]?.message).toMatch(/YAML syntax error/);
    expect(problems[0]?.line).toBeGreaterThanOrEqual(3);
  });

  it('rejects environment names that are not slugs', async () => {
    const { problems } = await parseConfig(valid.replace('  test:', '  Test Env:'), 'c.yaml');
    expect(problems.some((p) => p.path === '/environments/Test Env')).toBe(true);
  });
});
