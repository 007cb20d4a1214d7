/** Small, total readers over `kubectl … -o json` objects: a missing or odd field is null, never a throw. */
import type { K8sObject } from './types.js';

export function obj(v: unknown): K8sObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as K8sObject) : {};
}

export function arr(v: unknown): K8sObject[] {
  return Array.isArray(v) ? v.filter((x): x is K8sObject => typeof x === 'object' && x !== null && !Array.isArray(x)) : [];
}

export function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

export function num(v: unknown, fallback = 0): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
}

export function nameOf(o: K8sObject): string {
  return str(obj(o.metadata).name) ?? '(unnamed)';
}

export function namespaceOf(o: K8sObject): string {
  return str(obj(o.metadata).namespace) ?? 'default';
}

/** The condition of `type` in `status.conditions`, or null. */
export function condition(o: K8sObject, type: string): K8sObject | null {
  return arr(obj(o.status).conditions).find((c) => c.type === type) ?? null;
}
