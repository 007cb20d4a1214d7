import type { InfraOpsConfig } from '../config/types.js';
import type { ResolvedSettings } from './settings.js';
import { TIERS, tierRank, type NormalizedAction, type ProposedAction, type RuleMatch, type TierDecision } from './types.js';
import { canonicalKind, canonicalVerb } from './vocabulary.js';

const PROD_NAME = /(^|[-_.])prod(uction)?($|[-_.])/i;

/**
 * Whether an environment is production: the action's own flag, else the config's
 * `environments.<name>.production`, else a name like `prod`, `production`, `eu-prod`.
 */
export function isProduction(environment: string, explicit: boolean | undefined, config: InfraOpsConfig | undefined): boolean {
  if (explicit !== undefined) return explicit;
  const configured = config?.environments?.[environment]?.production;
  if (configured !== undefined) return configured;
  return PROD_NAME.test(environment);
}

export function normalizeAction(action: ProposedAction, config: InfraOpsConfig | undefined): NormalizedAction {
  return {
    verb: canonicalVerb(action.verb),
    kind: canonicalKind(action.kind),
    namespace: action.namespace?.trim() || null,
    name: action.name?.trim() || null,
    environment: action.environment,
    production: isProduction(action.environment, action.production, config),
  };
}

function anyOf(list: string[] | undefined, value: string | null, canon: (s: string) => string): boolean {
  if (list === undefined) return true;
  if (value === null) return false;
  const v = value.toLowerCase();
  return list.some((x) => canon(x).toLowerCase() === v);
}

const same = (s: string): string => s;

export function matches(when: RuleMatch, a: NormalizedAction): boolean {
  return (
    anyOf(when.verbs, a.verb, canonicalVerb) &&
    anyOf(when.kinds, a.kind, canonicalKind) &&
    anyOf(when.namespaces, a.namespace, same) &&
    anyOf(when.environments, a.environment, same) &&
    (when.production === undefined || when.production === a.production)
  );
}

/** The tier of an action: first matching rule, then raised by any matching floor; with its review SLA. */
export function classifyAction(action: ProposedAction, settings: ResolvedSettings, config: InfraOpsConfig | undefined): TierDecision {
  const a = normalizeAction(action, config);
  const rule = settings.rules.find((r) => matches(r.when, a));
  // The built-in table ends with catch-all rules, so this only fires when a config emptied it.
  if (!rule) throw new Error('no tier rule matched: the table must end with a catch-all');
  let tier = rule.tier;
  const raisedBy: TierDecision['raisedBy'] = [];
  for (const f of settings.floors) {
    if (matches(f.when, a) && tierRank(f.atLeast) > tierRank(tier)) {
      tier = f.atLeast;
      raisedBy.push({ id: f.id, description: f.description, atLeast: f.atLeast });
    }
  }
  const slaMinutes = settings.sla[tier];
  return {
    action: a,
    tier,
    rule: { id: rule.id, description: rule.description, tier: rule.tier, source: settings.sources.get(rule.id) ?? 'builtin' },
    raisedBy,
    slaMinutes,
    autoApprove: tier === 'trivial',
  };
}

export { TIERS };
