import { CliError, EXIT } from '../cli/exit-codes.js';
import type { InfraOpsConfig } from '../config/types.js';
import { BUILTIN_FLOORS, BUILTIN_RULES, DEFAULT_SLA } from './tier-rules.js';
import type { ApprovalSettings, TierFloor, TierRule } from './types.js';

export interface SettingsProblem {
  path: string;
  message: string;
  allowed?: string[];
}

export type RuleSource = 'builtin' | 'config';

export interface ResolvedSettings extends ApprovalSettings {
  /** Where each rule id came from (config rules first). */
  sources: Map<string, RuleSource>;
}

/**
 * The tier table and SLAs after the config's `approval` section: its own rules first, then the
 * built-in ones with per-id tier overrides, floors likewise. The schema has already checked types;
 * this names what it cannot: overrides of ids that do not exist, ids used twice.
 */
export function resolveApprovalSettings(config: InfraOpsConfig | undefined): ResolvedSettings {
  const section = config?.approval ?? {};
  const problems: SettingsProblem[] = [];
  const builtinIds = [...BUILTIN_RULES.map((r) => r.id), ...BUILTIN_FLOORS.map((f) => f.id)];
  const sources = new Map<string, RuleSource>();

  const own: TierRule[] = (section.rules ?? []).map((r, i) => {
    if (builtinIds.includes(r.id)) {
      problems.push({ path: `/approval/rules/${i}/id`, message: `"${r.id}" is a built-in rule id: override its tier under approval.tiers instead` });
    } else if (sources.has(r.id)) {
      problems.push({ path: `/approval/rules/${i}/id`, message: `"${r.id}" is used by another rule` });
    }
    sources.set(r.id, 'config');
    return { id: r.id, description: r.description ?? `config rule ${r.id}`, when: r.when, tier: r.tier };
  });

  const overrides = section.tiers ?? {};
  for (const id of Object.keys(overrides)) {
    if (!builtinIds.includes(id)) {
      problems.push({ path: `/approval/tiers/${id}`, message: 'is not a built-in rule or floor id', allowed: builtinIds });
    }
  }
  const builtins = BUILTIN_RULES.map((r): TierRule => {
    sources.set(r.id, 'builtin');
    const tier = overrides[r.id];
    return tier ? { ...r, tier } : { ...r };
  });
  const floors = BUILTIN_FLOORS.map((f): TierFloor => {
    const atLeast = overrides[f.id];
    return atLeast ? { ...f, atLeast } : { ...f };
  });

  if (problems.length > 0) {
    const text = problems.map((p) => `${p.path} ${p.message}${p.allowed ? ` (allowed: ${p.allowed.join(', ')})` : ''}`).join('\n  ');
    throw new CliError(`invalid approval config:\n  ${text}`, EXIT.usage, 'config.invalid', problems);
  }
  return { rules: [...own, ...builtins], floors, sla: { ...DEFAULT_SLA, ...(section.sla ?? {}) }, sources };
}
