import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { changeKind, costDelta, isDestructive, planLine, summarizePlan } from '../../src/deploy/plan-summary.js';
import { parsePlanJson } from '../../src/tester/cost/plan.js';
import { ROOT } from '../plugin/helpers.js';

const plan = (f: string) => parsePlanJson(readFileSync(join(ROOT, 'test/fixtures/fake-bin/terraform-deploy', f)), f).resources;

describe('plan summary', () => {
  it('reads both replacement orders as replace, and delete / create / update alone as such', () => {
    expect(changeKind(['delete', 'create'])).toBe('replace');
    expect(changeKind(['create', 'delete'])).toBe('replace');
    expect(changeKind(['delete'])).toBe('delete');
    expect(changeKind(['create'])).toBe('create');
    expect(changeKind(['update'])).toBe('update');
    expect(changeKind(['no-op'])).toBe('none');
    expect(changeKind(['read'])).toBe('none');
  });

  it('summarizes the composed aws-webapp plan and calls out the destructive changes', () => {
    const s = summarizePlan(plan('aws-webapp/show-plan.json'));
    expect(planLine(s)).toBe('2 to add, 2 to change, 1 to replace, 1 to destroy');
    expect(s.creates).toEqual(['aws_cloudwatch_metric_alarm.app_cpu', 'aws_sns_topic_subscription.alarms_email']);
    expect(s.updates.sort()).toEqual(['aws_autoscaling_group.app', 'aws_launch_template.app']);
    expect(s.destructive).toEqual([
      { address: 'aws_db_instance.main', type: 'aws_db_instance', actions: ['delete', 'create'] },
      { address: 'aws_s3_bucket.old_uploads', type: 'aws_s3_bucket', actions: ['delete'] },
    ]);
    expect(isDestructive(s)).toBe(true);
  });

  it('summarizes a real recorded plan (terraform 1.11.4, two creates): nothing destructive', () => {
    const s = summarizePlan(plan('recorded/show-terraform-data.json'));
    expect(planLine(s)).toBe('2 to add, 0 to change, 0 to replace, 0 to destroy');
    expect(isDestructive(s)).toBe(false);
  });

  it('prices what is destroyed by its before values', async () => {
    const c = await costDelta(plan('aws-webapp/show-plan.json'));
    expect(c).not.toBeNull();
    expect(c!.removed).toBeGreaterThan(0);
    expect(c!.delta).toBeCloseTo(c!.added - c!.removed, 2);
  });
});
