import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { debugError } from '../../src/debugger/debug-error.js';
import { NORMALIZER_VERSION } from '../../src/errors/normalize.js';
import { IssueLog } from '../../src/issuelog/repository.js';
import { appendEvents } from '../../src/issuelog/store.js';

describe('a normalizer change does not orphan old issues', () => {
  it('matches an issue stored with an older normalizer version by its stored message, keeping its id', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'norm-version-')), '.infra-ops');
    const message = 'operation error EKS: CreateCluster, https response error StatusCode: 400, RequestID: 1f2e, api error UnsupportedAvailabilityZoneException: Cannot create cluster because us-east-1e does not have sufficient capacity';
    const at = '2025-01-01T00:00:00.000Z';
    await appendEvents(dir, [
      // An old pattern format that today's normalizer would never produce.
      { v: 1, type: 'issue.seen', id: 'e100000000000001', at, issueId: 'iss-0ld0ld0ld0ld0ld0', pattern: 'OLD FORMAT eks createcluster', normalizerVersion: NORMALIZER_VERSION - 1 || 0, category: 'resource', errorCode: 'UnsupportedAvailabilityZoneException', resourceType: 'eks', tool: 'aws', message },
      { v: 1, type: 'solution.added', id: 'e100000000000002', at, issueId: 'iss-0ld0ld0ld0ld0ld0', solutionId: 'sol-az', description: 'Pin the cluster subnets to supported zones', steps: ['Drop us-east-1e from the subnet list'], automation: { automated: false }, source: 'user' },
      { v: 1, type: 'solution.attempt', id: 'e100000000000003', at, issueId: 'iss-0ld0ld0ld0ld0ld0', solutionId: 'sol-az', outcome: 'success' },
    ]);
    const r = await debugError(
      { text: message.replace('1f2e', '9a9b'), record: true, limit: 3, minConfidence: 'low', now: new Date('2026-11-23T00:00:00Z') },
      new IssueLog(dir, []),
    );
    expect(r.issueId).toBe('iss-0ld0ld0ld0ld0ld0');
    expect(r.knownIssue?.occurrences).toBe(1);
    expect(r.matches[0]).toMatchObject({ issueId: 'iss-0ld0ld0ld0ld0ld0', solutionId: 'sol-az', successes: 1 });
    expect(r.matches[0]?.score.pattern).toBe(1);
  });
});
