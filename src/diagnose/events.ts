/**
 * Kubernetes events, normalised. Accepts both shapes the API serves:
 * - core/v1 `Event`: `message`, `count`, `firstTimestamp`/`lastTimestamp` (or `eventTime`),
 *   `involvedObject.fieldPath`, `source.component` (or `reportingComponent`);
 * - events.k8s.io/v1 `Event`: `note`, `eventTime`, `series.count`/`series.lastObservedTime`,
 *   `regarding.fieldPath`, `reportingController` (and the `deprecated*` copies of the core fields);
 * in any order, bare or wrapped in a `kind: List` / `EventList`. The result is sorted by when each
 * event was last seen (oldest first), so callers read every event and can still ask for the latest.
 */
import type { PodEvent } from './types.js';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** The event objects inside whatever was given: an array, a List/EventList, or one event. */
export function unwrapEvents(raw: unknown): Obj[] {
  if (Array.isArray(raw)) return raw.flatMap((e) => (isObj(e) && Array.isArray(e.items) ? unwrapEvents(e) : isObj(e) ? [e] : []));
  if (isObj(raw)) {
    if (Array.isArray(raw.items)) return raw.items.filter(isObj);
    if ('reason' in raw || 'message' in raw || 'note' in raw) return [raw];
  }
  return [];
}

/** The object an event is about (`involvedObject` in core/v1, `regarding` in events.k8s.io/v1). */
export function eventSubject(e: Obj): { kind: string | null; name: string | null; namespace: string | null; uid: string | null } {
  const o = isObj(e.involvedObject) ? e.involvedObject : isObj(e.regarding) ? e.regarding : {};
  return { kind: str(o.kind), name: str(o.name), namespace: str(o.namespace), uid: str(o.uid) };
}

/** One event in the common shape; null when it has neither a reason nor a message. */
export function normalizeEvent(e: Obj): PodEvent | null {
  const series = isObj(e.series) ? e.series : null;
  const meta = isObj(e.metadata) ? e.metadata : {};
  const subject = isObj(e.involvedObject) ? e.involvedObject : isObj(e.regarding) ? e.regarding : {};
  const source = isObj(e.source) ? e.source : isObj(e.deprecatedSource) ? e.deprecatedSource : {};
  const reason = str(e.reason) ?? '';
  const message = str(e.message) ?? str(e.note) ?? '';
  if (!reason && !message) return null;
  const count = Math.max(1, num(series?.count) ?? num(e.count) ?? num(e.deprecatedCount) ?? 1);
  const lastSeen =
    str(series?.lastObservedTime) ??
    str(e.lastTimestamp) ??
    str(e.deprecatedLastTimestamp) ??
    str(e.eventTime) ??
    str(e.firstTimestamp) ??
    str(e.deprecatedFirstTimestamp) ??
    str(meta.creationTimestamp);
  const firstSeen =
    str(e.firstTimestamp) ?? str(e.deprecatedFirstTimestamp) ?? str(e.eventTime) ?? str(meta.creationTimestamp) ?? lastSeen;
  return {
    type: str(e.type) ?? 'Normal',
    reason,
    message,
    count,
    lastSeen,
    firstSeen,
    fieldPath: str(subject.fieldPath),
    source: str(source.component) ?? str(e.reportingController) ?? str(e.reportingComponent),
  };
}

const time = (t: string | null): number => {
  if (!t) return Number.NEGATIVE_INFINITY;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? Number.NEGATIVE_INFINITY : ms;
};

/** Every event given (either shape, wrapped or not), normalised and sorted oldest → newest by lastSeen. */
export function normalizeEvents(raw: unknown): PodEvent[] {
  const out: { e: PodEvent; i: number }[] = [];
  unwrapEvents(raw).forEach((o, i) => {
    const e = normalizeEvent(o);
    if (e) out.push({ e, i });
  });
  out.sort((a, b) => time(a.e.lastSeen) - time(b.e.lastSeen) || a.i - b.i);
  return out.map((x) => x.e);
}

/** Milliseconds since the epoch of an event's last occurrence, or null. */
export function eventTime(e: PodEvent): number | null {
  const t = time(e.lastSeen);
  return Number.isFinite(t) ? t : null;
}

/** The container an event's field path names (`spec.containers{app}`, `spec.initContainers{init}`), or null. */
export function eventContainer(e: PodEvent): { name: string; init: boolean } | null {
  const m = /^spec\.(initContainers|containers|ephemeralContainers)\{([^}]+)\}/.exec(e.fieldPath ?? '');
  return m ? { name: m[2]!, init: m[1] === 'initContainers' } : null;
}
