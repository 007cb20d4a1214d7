import { describe, expect, it } from 'vitest';
import { evaluateGate } from '../../../src/tester/report/gate.js';
import { finding, sampleFindings } from './fixtures.js';

describe('evaluateGate', () => {
  it('passes with no findings', () => {
    const g = evaluateGate([]);
    expect(g.status).toBe('PASS');
    expect(g.blocking).toEqual([]);
    expect(g.warnings).toEqual([]);
  });

  it('defaults: CRITICAL/HIGH block, MEDIUM warns, LOW neither', () => {
    expect(evaluateGate([finding({ severity: 'CRITICAL' })]).status).toBe('FAIL');
    expect(evaluateGate([finding({ severity: 'HIGH' })]).status).toBe('FAIL');
    expect(evaluateGate([finding({ severity: 'MEDIUM' })]).status).toBe('WARN');
    expect(evaluateGate([finding({ severity: 'LOW' })]).status).toBe('PASS');
  });

  it('suppressed findings never block or warn, and are counted separately', () => {
    const sup = { reason: 'accepted risk', by: 'inline' };
    const g = evaluateGate([finding({ severity: 'CRITICAL', suppressed: sup }), finding({ severity: 'MEDIUM', suppressed: sup })]);
    expect(g.status).toBe('PASS');
    expect(g.blocking).toHaveLength(0);
    expect(g.warnings).toHaveLength(0);
    expect(g.suppressed).toHaveLength(2);
  });

  it('honours a custom gate', () => {
    const fs = [finding({ severity: 'HIGH' }), finding({ severity: 'LOW' })];
    const g = evaluateGate(fs, { blockOn: ['CRITICAL'], warnOn: ['HIGH', 'LOW'] });
    expect(g.status).toBe('WARN');
    expect(g.blocking).toHaveLength(0);
    expect(g.warnings.map((f) => f.severity)).toEqual(['HIGH', 'LOW']);
    expect(evaluateGate(fs, { blockOn: [], warnOn: [] }).status).toBe('PASS');
    expect(evaluateGate(fs, { blockOn: ['LOW'] }).status).toBe('FAIL');
  });

  it('a severity in both lists blocks and is not also a warning', () => {
    const g = evaluateGate([finding({ severity: 'MEDIUM' })], { blockOn: ['MEDIUM'], warnOn: ['MEDIUM'] });
    expect(g.status).toBe('FAIL');
    expect(g.warnings).toHaveLength(0);
    expect(g.warnOn).toEqual([]);
  });

  it('orders blocking findings CRITICAL first, and partitions every active finding at most once', () => {
    const g = evaluateGate(sampleFindings);
    expect(g.blocking.map((f) => f.severity)).toEqual(['CRITICAL', 'HIGH', 'HIGH']);
    expect(g.warnings).toHaveLength(1);
    expect(g.suppressed).toHaveLength(1);
    expect(g.status).toBe('FAIL');
  });
});
