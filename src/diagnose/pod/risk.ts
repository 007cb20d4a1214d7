/**
 * Risk tier of a remediation command, from what it touches: reading is trivial (first row), restarting a pod
 * low, changing a workload's spec or creating a Secret/ConfigMap medium, anything touching
 * PersistentVolumes/Claims or nodes medium — critical in a production namespace.
 */
import type { RiskTier } from '../types.js';

const ORDER: RiskTier[] = ['trivial', 'low', 'medium', 'critical'];

/** First matching row wins; `prod` is the tier in a production namespace. */
export const RISK_TABLE: { what: string; re: RegExp; tier: RiskTier; prod: RiskTier }[] = [
  { what: 'read only', re: /^kubectl( -n \S+)? (get|describe|logs|top|events|auth can-i|explain)\b/, tier: 'trivial', prod: 'trivial' },
  { what: 'volumes and nodes', re: /\s(cordon|uncordon|drain)\s|\s(taint|label|annotate|patch|edit|delete) (node|nodes|no)[\s/]|\s(node|nodes|no)\/|\s(pvc|pv|persistentvolumeclaims?|persistentvolumes?)[\s/]/, tier: 'medium', prod: 'critical' },
  { what: 'restart a pod', re: /^kubectl( -n \S+)? delete pod\b/, tier: 'low', prod: 'low' },
  { what: 'restart a workload', re: /^kubectl( -n \S+)? rollout restart\b/, tier: 'low', prod: 'medium' },
  { what: 'change a workload or its config', re: /^kubectl( -n \S+)? (set|patch|edit|apply|scale|rollout undo|create|label|annotate)\b/, tier: 'medium', prod: 'medium' },
];

export const isProductionNamespace = (ns: string): boolean => /(^|[-_.])(prod|production|prd|live)($|[-_.])/i.test(ns);

export function commandTier(command: string, namespace: string): RiskTier {
  const prod = isProductionNamespace(namespace);
  for (const row of RISK_TABLE) if (row.re.test(command)) return prod ? row.prod : row.tier;
  return 'medium';
}

export const maxTier = (tiers: RiskTier[]): RiskTier =>
  tiers.reduce<RiskTier>((m, t) => (ORDER.indexOf(t) > ORDER.indexOf(m) ? t : m), 'trivial');

/** The tier of a remediation: its riskiest command. */
export const remediationTier = (commands: string[], namespace: string): RiskTier =>
  maxTier(commands.map((c) => commandTier(c, namespace)));
