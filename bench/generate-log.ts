import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeError } from '../src/errors/analyze.js';
import type { IssueEvent } from '../src/issuelog/types.js';

/** Deterministic PRNG so every bench run measures the same log. */
function mulberry32(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SERVICES = ['S3', 'EC2', 'IAM', 'RDS', 'EKS', 'Lambda', 'DynamoDB', 'KMS', 'SQS', 'SNS', 'ECR', 'ECS', 'Route53', 'CloudWatch', 'ElastiCache', 'SecretsManager'];
const VERBS = ['Create', 'Delete', 'Update', 'Describe', 'Put', 'Get', 'List', 'Attach', 'Detach', 'Modify', 'Tag', 'Run'];
const NOUNS = ['Bucket', 'Object', 'Instance', 'Role', 'Policy', 'Cluster', 'Function', 'Table', 'Key', 'Queue', 'Topic', 'Repository', 'Service', 'Record', 'Alarm', 'Secret', 'Subnet', 'Volume'];
const CODES = ['AccessDenied', 'ValidationException', 'ResourceNotFoundException', 'LimitExceededException', 'ThrottlingException', 'InvalidParameterValue', 'ConflictException', 'ResourceInUseException', 'DependencyViolation', 'UnauthorizedOperation'];
const REASONS = ['is not authorized to perform', 'exceeds the allowed quota for', 'is in use by another resource in', 'was not found in', 'has an invalid value for parameter', 'conflicts with a pending operation on'];
const PARAMS = ['instanceType', 'engineVersion', 'subnetIds', 'kmsKeyId', 'roleArn', 'runtime', 'memorySize', 'storageType', 'availabilityZone', 'imageId'];

export function generateErrorText(i: number, rand: () => number): string {
  const pick = <T>(a: T[]) => a[Math.floor(rand() * a.length)]!;
  const svc = pick(SERVICES);
  const op = `${pick(VERBS)}${pick(NOUNS)}`;
  const code = pick(CODES);
  const param = pick(PARAMS);
  const reason = pick(REASONS);
  const word = `w${i % 997}x${Math.floor(i / 997)}`; // makes patterns distinct, as real logs are
  return `operation error ${svc}: ${op}, https response error StatusCode: 400, RequestID: ${crypto.randomUUID()}, api error ${code}: the request ${reason} ${param} ${word}`;
}

/** Write a log of `issues` issues (seen events, one or two solutions each, some attempts). */
export function generateLog(stateDir: string, issues: number, seed = 42): { bytes: number; events: number } {
  const rand = mulberry32(seed);
  const dir = join(stateDir, 'issue-log');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(stateDir, '.gitattributes'), 'issue-log/*.jsonl merge=union\n');
  const lines: string[] = [];
  const base = Date.parse('2026-01-01T00:00:00Z');
  let n = 0;
  const id = () => (n++).toString(16).padStart(20, '0');
  for (let i = 0; i < issues; i++) {
    const a = analyzeError(generateErrorText(i, rand));
    const at = new Date(base + i * 60_000).toISOString();
    const events: IssueEvent[] = [
      { v: 1, type: 'issue.seen', id: id(), at, issueId: a.issueId, pattern: a.pattern, normalizerVersion: a.normalizerVersion, category: a.category, errorCode: a.errorCode, resourceType: a.resourceType, tool: a.tool, message: a.message, env: rand() < 0.5 ? 'test' : 'prod' },
      { v: 1, type: 'solution.added', id: id(), at, issueId: a.issueId, solutionId: 'sol-1', description: `Fix ${a.errorCode} on ${a.resourceType}`, steps: ['Check the resource', 'Apply the fix', 'Retry'], automation: { automated: false }, source: 'user' },
    ];
    for (let k = Math.floor(rand() * 4); k > 0; k--) {
      events.push({ v: 1, type: 'solution.attempt', id: id(), at, issueId: a.issueId, solutionId: 'sol-1', outcome: rand() < 0.8 ? 'success' : 'failure', seconds: Math.floor(rand() * 600) });
    }
    for (const e of events) lines.push(JSON.stringify(e));
  }
  const text = `${lines.join('\n')}\n`;
  writeFileSync(join(dir, 'events.jsonl'), text);
  return { bytes: Buffer.byteLength(text), events: lines.length };
}
