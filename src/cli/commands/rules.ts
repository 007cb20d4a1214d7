import type { Command } from 'commander';
import { RULES } from '../../tester/rules/registry.js';
import type { CommonOptions } from '../main.js';
import { emit } from '../output.js';

export interface RulesResult {
  schemaVersion: 1;
  total: number;
  rules: { id: string; title: string; severity: string; aliases: string[]; resourceTypes: string[]; remediation: string; docs: string }[];
}

export async function rulesCommand(_opts: unknown, cmd: Command): Promise<void> {
  const opts = cmd.opts<CommonOptions>();
  const rules = RULES.map((r) => ({
    id: r.id, title: r.title, severity: r.severity, aliases: r.aliases, resourceTypes: r.resourceTypes, remediation: r.remediation, docs: r.docs,
  }));
  emit(
    {
      data: { schemaVersion: 1 as const, total: rules.length, rules } satisfies RulesResult,
      human: (d) => [
        ...d.rules.map((r) => `${r.id.padEnd(36)} ${r.severity.padEnd(8)} ${r.title}${r.aliases.length ? `  [${r.aliases.join(', ')}]` : ''}`),
        `${d.total} built-in rules`,
      ].join('\n'),
    },
    opts,
  );
}
