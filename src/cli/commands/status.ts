import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import pkg from '../../../package.json' with { type: 'json' };
import { configPath, loadConfig } from '../../config/load.js';
import { openIssueLog } from '../../issuelog/repository.js';
import { detectTools, type ToolStatus } from '../../tools/detect.js';
import { projectContext } from '../context.js';
import type { CommonOptions } from '../main.js';
import { emit, paint } from '../output.js';

/** What each capability of /infra-manage can do in this version (later issues turn these on). */
export const CAPABILITIES = {
  debug: 'available',
  resolve: 'available',
  issues: 'available',
  init: 'available',
  rules: 'available',
  test: 'available',
  approval: 'available',
  audit: 'available',
  deploy: 'available',
  diagnose: 'available',
  platform: 'available',
  operate: 'available',
} as const;

interface StatusResult {
  schemaVersion: 1;
  version: string;
  projectRoot: string;
  config: { path: string; present: boolean; environments: string[] };
  issueLog: { issues: number; occurrences: number; problems: number };
  knowledgeBase: { issues: number };
  tools: ToolStatus[];
  capabilities: typeof CAPABILITIES;
}

export async function statusCommand(_opts: unknown, cmd: Command): Promise<void> {
  const opts = cmd.opts<CommonOptions>();
  const ctx = projectContext(opts);
  const file = configPath(ctx.root);
  const [config, log, tools] = await Promise.all([
    loadConfig(ctx.root),
    openIssueLog(ctx.stateDir, { knowledgeBase: true }).then((l) => l.all()),
    detectTools(),
  ]);
  const all = [...log.issues.values()];
  const own = all.filter((i) => i.origin === 'log');
  const data: StatusResult = {
    schemaVersion: 1,
    version: pkg.version,
    projectRoot: ctx.root,
    config: { path: file, present: existsSync(file), environments: Object.keys(config?.environments ?? {}) },
    issueLog: { issues: own.length, occurrences: all.reduce((n, i) => n + i.occurrences, 0), problems: log.problems.length },
    knowledgeBase: { issues: all.length - own.length },
    tools,
    capabilities: CAPABILITIES,
  };
  emit({ data, human: formatStatus }, opts);
}

function formatStatus(s: StatusResult): string {
  const lines = [
    `infra-ops ${s.version} · project ${s.projectRoot}`,
    s.config.present ? `config: ${s.config.path} (environments: ${s.config.environments.join(', ')})` : `config: none — run \`infra-ops init\``,
    `issue log: ${s.issueLog.issues} issues, ${s.issueLog.occurrences} occurrences${s.issueLog.problems ? paint(`, ${s.issueLog.problems} problems (infra-ops issues verify)`, 'yellow') : ''}; starter knowledge base: ${s.knowledgeBase.issues} errors`,
    'tools:',
    ...s.tools.map((t) => `  ${t.name.padEnd(10)} ${t.installed ? paint(t.version ?? 'installed', 'green') : paint(`not installed — install: ${t.install}`, 'dim')}`),
    'capabilities:',
    ...Object.entries(s.capabilities).map(([k, v]) => `  ${k.padEnd(10)} ${v}`),
  ];
  return lines.join('\n');
}
