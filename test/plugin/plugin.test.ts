import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import matter from 'gray-matter';
import { describe, expect, it } from 'vitest';
import { CLAUDE, ROOT, copyShippedPlugin } from './helpers.js';

function claude(args: string[], home: string, cwd = ROOT) {
  const r = spawnSync(CLAUDE, args, { cwd, env: { ...process.env, HOME: home, CI: 'true' }, encoding: 'utf8', timeout: 90_000 });
  return { status: r.status, out: `${r.stdout}\n${r.stderr}` };
}

function markdownFiles(): string[] {
  const out: string[] = [];
  for (const dir of ['agents', 'commands', 'skills']) {
    const walk = (d: string) => {
      for (const e of readdirSync(join(ROOT, d), { withFileTypes: true })) {
        if (e.isDirectory()) walk(join(d, e.name));
        else if (e.name.endsWith('.md')) out.push(join(d, e.name));
      }
    };
    walk(dir);
  }
  return out;
}

describe('plugin manifest', () => {
  it('passes `claude plugin validate --strict` for the plugin and the marketplace', () => {
    const home = mkdtempSync(join(tmpdir(), 'claude-home-'));
    for (const target of ['.claude-plugin/plugin.json', '.']) {
      const r = claude(['plugin', 'validate', '--strict', target], home);
      expect(r.out).toContain('Validation passed');
      expect(r.status).toBe(0);
    }
  });

  it('keeps one version in package.json, plugin.json and the marketplace entry', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    const plugin = JSON.parse(readFileSync(join(ROOT, '.claude-plugin/plugin.json'), 'utf8'));
    const market = JSON.parse(readFileSync(join(ROOT, '.claude-plugin/marketplace.json'), 'utf8'));
    expect(plugin.version).toBe(pkg.version);
    expect(market.plugins[0].version).toBe(pkg.version);
    expect(market.plugins[0].name).toBe(plugin.name);
    // Component paths stay out of plugin.json: the default folders are loaded once.
    expect(Object.keys(plugin)).not.toContain('hooks');
    expect(Object.keys(plugin)).not.toContain('commands');
  });
});

describe('plugin Markdown', () => {
  const files = markdownFiles();

  it('has the command, the orchestrating agent and the debugger skill', () => {
    expect(files).toEqual(expect.arrayContaining(['commands/infra-manage.md', 'agents/infra-manager.md', 'skills/infra-debugger/SKILL.md']));
  });

  // Components Claude Code loads (commands, agents, SKILL.md); runbooks beside a skill are plain Markdown.
  const components = files.filter((f) => !f.startsWith('skills/') || f.endsWith('/SKILL.md'));
  it.each(components)('%s has a short, quoted description about when to use it', (file) => {
    const text = readFileSync(join(ROOT, file), 'utf8');
    const fm = matter(text).data as { description?: string };
    expect(fm.description, 'description').toBeTruthy();
    expect(fm.description!.length).toBeLessThanOrEqual(140);
    expect(text).toMatch(/^description: "[^"\n]+"$/m);
  });

  it.each(files)('%s names only ${CLAUDE_PLUGIN_ROOT} paths that exist', (file) => {
    const text = readFileSync(join(ROOT, file), 'utf8');
    const paths = [...text.matchAll(/\$\{CLAUDE_PLUGIN_ROOT\}\/([^"'`\s)]+)/g)].map((m) => m[1]!);
    for (const p of paths) expect(existsSync(join(ROOT, p)), `${file} -> ${p}`).toBe(true);
  });

  it('names only CLI commands that exist', () => {
    const help = execFileSync('node', [join(ROOT, 'scripts/infra-ops.mjs'), '--help'], { encoding: 'utf8' });
    for (const file of files) {
      const text = readFileSync(join(ROOT, file), 'utf8');
      for (const m of text.matchAll(/infra-ops(?:\.mjs"?)? (init|debug|resolve|issues|status|config|test|deploy|[a-z]+) /g)) {
        if (m[1] === '<word>' || m[1] === 'command') continue;
        expect(help, `${file} uses \`infra-ops ${m[1]}\``).toMatch(new RegExp(`^  ${m[1]}\\b`, 'm'));
      }
    }
  });
});

describe('plugin install', () => {
  it('installs from a local marketplace into a fresh HOME and its CLI runs with no node_modules', () => {
    const copy = copyShippedPlugin();
    expect(existsSync(join(copy, 'node_modules'))).toBe(false);
    const home = mkdtempSync(join(tmpdir(), 'claude-home-'));
    const add = claude(['plugin', 'marketplace', 'add', copy], home, home);
    expect(add.out).toMatch(/Successfully added marketplace/);
    const install = claude(['plugin', 'install', 'infra-ops@infra-ops'], home, home);
    expect(install.out).toMatch(/Successfully installed plugin: infra-ops@infra-ops/);
    const installed = JSON.parse(readFileSync(join(home, '.claude/plugins/installed_plugins.json'), 'utf8'));
    const installPath: string = installed.plugins['infra-ops@infra-ops'][0].installPath;
    expect(existsSync(join(installPath, 'node_modules'))).toBe(false);

    // Run the installed CLI the way the skill does, in a user's project.
    const project = mkdtempSync(join(tmpdir(), 'user-project-'));
    const errorFile = join(project, 'error.txt');
    writeFileSync(errorFile, readFileSync(join(ROOT, 'examples/errors/terraform-s3-access-denied.txt')));
    const r = spawnSync('node', [join(installPath, 'scripts/infra-ops.mjs'), 'debug', '--json', '--env', 'test', '--error-file', errorFile], {
      cwd: project, encoding: 'utf8', env: { ...process.env, CLAUDE_PLUGIN_ROOT: installPath },
    });
    expect(r.stderr).toBe('');
    const doc = JSON.parse(r.stdout);
    expect(doc.category).toBe('permission');
    expect(doc.errorCode).toBe('AccessDenied');
    expect(doc.matches.length).toBeGreaterThan(0);
    // State goes to the user's project, never into the plugin folder.
    expect(existsSync(join(project, '.infra-ops/issue-log/events.jsonl'))).toBe(true);
    expect(existsSync(join(installPath, '.infra-ops'))).toBe(false);
  });
});
