import { describe, expect, it } from 'vitest';
import { eventContainer, normalizeEvents, unwrapEvents } from '../../src/diagnose/events.js';

const core = {
  apiVersion: 'v1',
  kind: 'Event',
  count: 14,
  firstTimestamp: '2026-11-20T09:50:00Z',
  lastTimestamp: '2026-11-20T10:29:00Z',
  eventTime: null,
  involvedObject: { kind: 'Pod', name: 'web-1', namespace: 'shop', fieldPath: 'spec.containers{app}' },
  message: 'Back-off restarting failed container app in pod web-1_shop(uid)',
  reason: 'BackOff',
  source: { component: 'kubelet', host: 'node-a' },
  type: 'Warning',
};
const modern = {
  apiVersion: 'events.k8s.io/v1',
  kind: 'Event',
  eventTime: '2026-11-20T10:00:00.123456Z',
  series: { count: 7, lastObservedTime: '2026-11-20T10:20:00.000000Z' },
  note: '0/3 nodes are available: 3 Insufficient cpu.',
  reason: 'FailedScheduling',
  regarding: { kind: 'Pod', name: 'web-1', namespace: 'shop' },
  reportingController: 'default-scheduler',
  type: 'Warning',
};
const converted = {
  apiVersion: 'events.k8s.io/v1',
  kind: 'Event',
  eventTime: null,
  deprecatedCount: 3,
  deprecatedFirstTimestamp: '2026-11-20T08:00:00Z',
  deprecatedLastTimestamp: '2026-11-20T08:10:00Z',
  deprecatedSource: { component: 'kubelet' },
  note: 'Liveness probe failed: HTTP probe failed with statuscode: 500',
  reason: 'Unhealthy',
  regarding: { kind: 'Pod', name: 'web-1', fieldPath: 'spec.initContainers{init}' },
  reportingController: 'kubelet',
  type: 'Warning',
};
/** A core/v1 event written by the new scheduler: no first/lastTimestamp, eventTime + series. */
const coreFromNewApi = { ...core, count: undefined, firstTimestamp: null, lastTimestamp: null, eventTime: '2026-11-20T09:00:00.000001Z', series: { count: 4, lastObservedTime: '2026-11-20T09:30:00.000000Z' }, reason: 'FailedScheduling', message: 'no nodes available to schedule pods', source: {}, reportingComponent: 'default-scheduler' };

describe('normalizeEvents', () => {
  it('reads the core/v1 shape', () => {
    const [e] = normalizeEvents([core]);
    expect(e).toEqual({
      type: 'Warning',
      reason: 'BackOff',
      message: core.message,
      count: 14,
      lastSeen: '2026-11-20T10:29:00Z',
      firstSeen: '2026-11-20T09:50:00Z',
      fieldPath: 'spec.containers{app}',
      source: 'kubelet',
    });
  });

  it('reads the events.k8s.io/v1 shape: note, series.count, series.lastObservedTime, reportingController', () => {
    const [e] = normalizeEvents([modern]);
    expect(e).toMatchObject({ message: modern.note, count: 7, lastSeen: '2026-11-20T10:20:00.000000Z', firstSeen: '2026-11-20T10:00:00.123456Z', source: 'default-scheduler', fieldPath: null });
  });

  it('reads converted legacy events (deprecated* fields) and core events written by the new API (series)', () => {
    const [a] = normalizeEvents([converted]);
    expect(a).toMatchObject({ count: 3, lastSeen: '2026-11-20T08:10:00Z', firstSeen: '2026-11-20T08:00:00Z', source: 'kubelet', fieldPath: 'spec.initContainers{init}' });
    const [b] = normalizeEvents([coreFromNewApi]);
    expect(b).toMatchObject({ count: 4, lastSeen: '2026-11-20T09:30:00.000000Z', source: 'default-scheduler' });
  });

  it('unwraps List / EventList wrappers and sorts every event by when it was last seen, in any input order', () => {
    const list = { apiVersion: 'v1', kind: 'List', items: [core, converted, modern, coreFromNewApi] };
    const sorted = normalizeEvents(list).map((e) => e.reason);
    expect(sorted).toEqual(['Unhealthy', 'FailedScheduling', 'FailedScheduling', 'BackOff']);
    expect(normalizeEvents({ kind: 'EventList', items: [modern, core] }).map((e) => e.reason)).toEqual(['FailedScheduling', 'BackOff']);
    expect(normalizeEvents([coreFromNewApi, converted, core, modern]).map((e) => e.lastSeen)).toEqual(normalizeEvents(list).map((e) => e.lastSeen));
    expect(unwrapEvents([{ kind: 'List', items: [core] }, modern])).toHaveLength(2);
  });

  it('counts are at least 1, and junk entries are skipped', () => {
    const e = normalizeEvents([{ reason: 'Pulled', message: 'x', count: 0 }, 42, null, 'text', {}]);
    expect(e).toHaveLength(1);
    expect(e[0]!.count).toBe(1);
    expect(normalizeEvents(undefined)).toEqual([]);
  });

  it('names the container of a field path', () => {
    expect(eventContainer(normalizeEvents([core])[0]!)).toEqual({ name: 'app', init: false });
    expect(eventContainer(normalizeEvents([converted])[0]!)).toEqual({ name: 'init', init: true });
    expect(eventContainer(normalizeEvents([modern])[0]!)).toBeNull();
  });
});
