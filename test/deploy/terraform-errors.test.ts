import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorText, formatAge, isCredentialsError, isStalePlan, keyLines, lockAge, parseStateLock } from '../../src/deploy/terraform-errors.js';
import { ROOT } from '../plugin/helpers.js';

const rec = (f: string) => readFileSync(join(ROOT, 'test/fixtures/fake-bin/terraform-deploy', f), 'utf8');

describe('state lock', () => {
  it('reads owner, operation, id and age from the recorded Terraform 1.11.4 lock error', () => {
    const lock = parseStateLock(rec('recorded/lock.stderr.txt'), new Date('2026-11-23T14:46:44Z'));
    expect(lock).toEqual({
      id: '63ce8db5-04ca-2b56-45b8-c859236964f4',
      path: 'terraform.tfstate',
      operation: 'OperationTypeApply',
      who: 'root@vm',
      version: '1.11.4',
      created: '2026-11-23 14:16:44.11374449 +0000 UTC',
      ageSeconds: 1799,
    });
  });

  it('reads the same block inside the diagnostic frame terraform draws without -no-color', () => {
    const framed = rec('recorded/lock.stderr.txt')
      .split('\n')
      .map((l) => `│ ${l}`)
      .join('\n');
    expect(parseStateLock(framed)?.who).toBe('root@vm');
  });

  it('is null for other errors, and the age is null for a time it cannot read', () => {
    expect(parseStateLock(rec('recorded/stale.stderr.txt'))).toBeNull();
    expect(lockAge('yesterday', new Date())).toBeNull();
    expect(lockAge('2026-11-23 15:16:44 +0100 CET', new Date('2026-11-23T14:17:44Z'))).toBe(60);
  });

  it('formats ages for people', () => {
    expect([formatAge(45), formatAge(600), formatAge(3 * 3600 + 300), formatAge(3 * 86400)]).toEqual(['45s', '10m', '3h 5m', '3d']);
  });
});

describe('other terraform failures', () => {
  it('recognises missing provider credentials (AWS provider 5.x and 4.x wordings), not other errors', () => {
    expect(isCredentialsError(rec('recorded/no-credentials.stderr.txt'))).toBe(true);
    expect(isCredentialsError('Error: error configuring Terraform AWS Provider: no valid credential sources for Terraform AWS Provider found.')).toBe(true);
    expect(isCredentialsError('NoCredentialProviders: no valid providers in chain. Deprecated.')).toBe(true);
    expect(isCredentialsError(rec('aws-webapp/apply-ecs-slr.stderr.txt'))).toBe(false);
  });

  it('recognises the recorded stale-plan refusal', () => {
    expect(isStalePlan(rec('recorded/stale.stderr.txt'))).toBe(true);
    expect(isStalePlan(rec('recorded/lock.stderr.txt'))).toBe(false);
  });

  it('keeps the error lines as evidence, not the CLI-config warning, and the apply/plan summaries', () => {
    expect(keyLines(rec('recorded/stale.stderr.txt'))).toEqual([
      'Error: Saved plan is stale',
      'The given plan file can no longer be applied because the state was changed by',
      'another operation after the plan was created.',
    ]);
    expect(keyLines(rec('recorded/apply.stdout.txt'))).toEqual(['Apply complete! Resources: 2 added, 0 changed, 0 destroyed.']);
    expect(keyLines(rec('recorded/plan-nochanges.stdout.txt'))).toEqual(['No changes. Your infrastructure matches the configuration.']);
  });

  it('hands the debugger the text from the first Error: line on, secrets redacted', () => {
    const text = errorText(`warning first\nError: AccessDenied for key AKIAIOSFODNN7EXAMPLE\n  more`);
    expect(text.startsWith('Error: AccessDenied')).toBe(true);
    expect(text).not.toContain('AKIAIOSFODNN7EXAMPLE');
  });
});
