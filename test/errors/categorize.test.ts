import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CATEGORY_RULES, MAX_SCAN_CHARS, categorizeError } from '../../src/errors/categorize.js';
import { ERROR_CATEGORIES, ERROR_TOOLS, type Categorization, type ErrorCategory, type ErrorTool } from '../../src/errors/types.js';

interface CorpusEntry {
  text: string;
  category: ErrorCategory;
  errorCode: string | null;
  resourceType: string | null;
  tool: ErrorTool;
  source: string;
}

const CORPUS_PATH = fileURLToPath(new URL('../fixtures/errors/corpus.yaml', import.meta.url));
const corpus = parse(readFileSync(CORPUS_PATH, 'utf8')) as CorpusEntry[];

const FIELDS = ['category', 'errorCode', 'resourceType', 'tool'] as const;
type Field = (typeof FIELDS)[number];

const RECONSTRUCTED = 'real format, identifiers changed';
const RULE_IDS = new Set(CATEGORY_RULES.map((r) => r.id));

/** The spread the brief asks for; Terraform entries split by the provider prefix of the blamed resource. */
function family(e: CorpusEntry): string {
  if (e.tool !== 'terraform') return e.tool;
  const type = e.resourceType ?? '';
  if (type.startsWith('aws_')) return 'terraform-aws';
  if (type.startsWith('google_')) return 'terraform-gcp';
  if (/^(?:azurerm|azuread|azapi)_/.test(type)) return 'terraform-azure';
  // Core diagnostics name no provider code; those quoting one are counted with neither.
  return e.errorCode === null ? 'terraform-core' : 'terraform-other';
}

function excerpt(text: string): string {
  const line = text.split('\n').find((l) => /error|fail|denied|unable|invalid|exceed/i.test(l)) ?? text;
  const flat = line.replace(/[│╷╵]/g, '').replace(/\s+/g, ' ').trim();
  return flat.length > 70 ? `${flat.slice(0, 67)}...` : flat;
}

// Deterministic junk, so a failure reproduces.
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const JUNK_PIECES = [
  'Error: ', '│ ', '╷\n', '╵', '\n', '\r\n', '\t', ' ', 'module.', 'aws_', 'with ', 'on main.tf line 3', 'api error ',
  'An error occurred (', ')', '(', 'Code="', '"code": "', 'googleapi: Error 403: ', ', ', 'Error from server (', '"',
  "'", '[✖] ', '\u001b[31m', '\\n', '\\"', 'AccessDenied', 'status code: 400, request id: ', 'x509: ', '{', '}', ':',
  'Microsoft.Compute/', '/providers/', 'ZONE_', '_EXHAUSTED', 'Cycle: ', 'AADSTS', 'é', '\u0000', '🙂',
];

function junk(rand: () => number): string {
  const parts: string[] = [];
  const n = Math.floor(rand() * 60);
  for (let i = 0; i < n; i++) {
    if (rand() < 0.3) {
      parts.push(String.fromCharCode(Math.floor(rand() * 0x2fff)));
    } else {
      parts.push(JUNK_PIECES[Math.floor(rand() * JUNK_PIECES.length)] ?? '');
    }
  }
  return parts.join('');
}

function expectWellFormed(r: Categorization): void {
  expect(ERROR_CATEGORIES).toContain(r.category);
  expect(ERROR_TOOLS).toContain(r.tool);
  expect(r.reason === 'default' || RULE_IDS.has(r.reason)).toBe(true);
  for (const v of [r.errorCode, r.resourceType, r.provider]) expect(v === null || typeof v === 'string').toBe(true);
}

describe('error corpus', () => {
  it('has at least 130 well-formed, sourced, distinct entries', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(130);
    const texts = new Set<string>();
    for (const e of corpus) {
      expect(typeof e.text).toBe('string');
      expect(e.text.trim().length).toBeGreaterThan(0);
      expect(ERROR_CATEGORIES).toContain(e.category);
      expect(ERROR_TOOLS).toContain(e.tool);
      expect(e.errorCode === null || typeof e.errorCode === 'string').toBe(true);
      expect(e.resourceType === null || typeof e.resourceType === 'string').toBe(true);
      expect(e.source === RECONSTRUCTED || /^https:\/\/\S+$/.test(e.source)).toBe(true);
      expect(texts.has(e.text.trim())).toBe(false);
      texts.add(e.text.trim());
    }
  });

  it('covers every tool family in the required spread', () => {
    const counts: Record<string, number> = {};
    for (const e of corpus) counts[family(e)] = (counts[family(e)] ?? 0) + 1;
    const minimums: Record<string, number> = {
      'terraform-core': 15, 'terraform-aws': 25, aws: 15, kubernetes: 20, helm: 10, eksctl: 8, karpenter: 8, gcp: 12, azure: 12,
    };
    for (const [f, min] of Object.entries(minimums)) expect(counts[f] ?? 0, f).toBeGreaterThanOrEqual(min);
    // Every category is exercised, so no rule family is untested.
    for (const c of ERROR_CATEGORIES) expect(corpus.some((e) => e.category === c), c).toBe(true);
  });
});

describe('categorizeError on the corpus', () => {
  corpus.forEach((e, i) => {
    it(`${e.tool} #${i}: ${excerpt(e.text)}`, () => {
      const r = categorizeError(e.text);
      expectWellFormed(r);
      expect({ category: r.category, errorCode: r.errorCode, resourceType: r.resourceType, tool: r.tool }).toEqual({
        category: e.category,
        errorCode: e.errorCode ?? null,
        resourceType: e.resourceType ?? null,
        tool: e.tool,
      });
    });
  });

  it('reaches at least 95% on every field (summary)', () => {
    const hits: Record<Field, number> = { category: 0, errorCode: 0, resourceType: 0, tool: 0 };
    const perTool: Record<string, { n: number; category: number; errorCode: number }> = {};
    for (const e of corpus) {
      const r = categorizeError(e.text);
      const t = (perTool[e.tool] ??= { n: 0, category: 0, errorCode: 0 });
      t.n++;
      for (const f of FIELDS) if (r[f] === (e[f] ?? null)) hits[f]++;
      if (r.category === e.category) t.category++;
      if (r.errorCode === (e.errorCode ?? null)) t.errorCode++;
    }
    const pct = (k: number, n: number): string => `${((k / n) * 100).toFixed(1)}%`;
    console.log(
      `categorizeError accuracy over ${corpus.length} entries:\n` +
        FIELDS.map((f) => `  ${f.padEnd(13)} ${pct(hits[f], corpus.length)} (${hits[f]}/${corpus.length})`).join('\n') +
        '\nper tool (category / errorCode):\n' +
        Object.entries(perTool)
          .map(([tool, s]) => `  ${tool.padEnd(11)} n=${String(s.n).padEnd(3)} ${pct(s.category, s.n)} / ${pct(s.errorCode, s.n)}`)
          .join('\n'),
    );
    for (const f of FIELDS) expect(hits[f] / corpus.length, f).toBeGreaterThanOrEqual(0.95);
  });
});

describe('categorizeError conventions', () => {
  it('lets an explicit code beat the words around it', () => {
    const r = categorizeError(
      'operation error EC2: RunInstances, https response error StatusCode: 400, RequestID: 1f0c, api error InvalidParameterValue: Value (web) for parameter iamInstanceProfile.name is invalid. You are not authorized to pass this role.',
    );
    expect([r.category, r.errorCode, r.resourceType, r.tool, r.reason]).toEqual(['config', 'InvalidParameterValue', 'ec2', 'aws', 'code-invalid']);
  });

  it('separates unavailable capacity (resource) from account and rate limits (quota)', () => {
    expect(categorizeError('An error occurred (InsufficientInstanceCapacity) when calling the RunInstances operation: We currently do not have sufficient p4d.24xlarge capacity').category).toBe('resource');
    expect(categorizeError('An error occurred (VcpuLimitExceeded) when calling the RunInstances operation: You have requested more vCPU capacity than your current vCPU limit').category).toBe('quota');
    expect(categorizeError('operation error STS: AssumeRole, https response error StatusCode: 400, RequestID: 9a, api error Throttling: Rate exceeded').category).toBe('quota');
  });

  it('reports a Terraform AWS-provider error as tool terraform, provider aws', () => {
    const r = categorizeError(
      'Error: creating S3 Bucket (logs): operation error S3: CreateBucket, https response error StatusCode: 409, RequestID: 7Q, api error BucketAlreadyExists: The requested bucket name is not available\n\n  with aws_s3_bucket.logs,\n  on main.tf line 1, in resource "aws_s3_bucket" "logs":',
    );
    expect([r.tool, r.provider, r.resourceType, r.errorCode, r.category]).toEqual(['terraform', 'aws', 'aws_s3_bucket', 'BucketAlreadyExists', 'resource']);
  });

  it('takes the resource type from a nested module address', () => {
    const r = categorizeError('Error: deleting ELBv2 Load Balancer: ResourceInUse: still attached\n\n  with module.edge.module.lb.aws_lb.this["public"],');
    expect(r.resourceType).toBe('aws_lb');
    expect(r.category).toBe('resource');
  });

  it('falls back to config/default when nothing matches', () => {
    const r = categorizeError('the thing did not go the way we hoped');
    expect(r).toEqual({ category: 'config', errorCode: null, resourceType: null, tool: 'unknown', provider: null, reason: 'default' });
  });

  it('uses generic HTTP and envelope codes only when no phrase decides', () => {
    expect(categorizeError("googleapi: Error 409: The resource 'projects/p/global/networks/n' is referenced elsewhere").category).toBe('resource');
    expect(categorizeError('googleapi: Error 400: Precondition check failed., failedPrecondition')).toMatchObject({ category: 'resource', errorCode: 'failedPrecondition', reason: 'code-precondition' });
    expect(categorizeError('Error from server (BadRequest): the server rejected our request for an unknown reason')).toMatchObject({ category: 'config', errorCode: 'BadRequest', reason: 'code-generic-invalid' });
  });

  it('keeps rule ids unique and every corpus reason traceable to a rule', () => {
    expect(RULE_IDS.size).toBe(CATEGORY_RULES.length);
    for (const e of corpus) {
      const reason = categorizeError(e.text).reason;
      expect(reason === 'default' || RULE_IDS.has(reason), reason).toBe(true);
    }
  });
});

describe('categorizeError robustness', () => {
  it('never throws on generated junk', () => {
    const rand = prng(20240611);
    for (let i = 0; i < 2000; i++) {
      const text = junk(rand);
      let r: Categorization | undefined;
      expect(() => {
        r = categorizeError(text);
      }, JSON.stringify(text)).not.toThrow();
      if (r) expectWellFormed(r);
    }
  });

  it('never throws on non-string input', () => {
    for (const v of [undefined, null, 42, {}, [], Symbol('x')]) {
      const r = categorizeError(v as unknown as string);
      expectWellFormed(r);
      expect(r.category).toBe('config');
    }
  });

  it('returns promptly on 1 MB inputs, including adversarial repetitions', () => {
    const mb = 1 << 20;
    const inputs = [
      'x'.repeat(mb),
      'Error: '.repeat(mb / 7),
      'module.a'.repeat(mb / 8),
      `with ${'module.m.'.repeat(mb / 9)}`,
      `${'A'.repeat(mb - 1)}:`,
      'a.'.repeat(mb / 2),
      '"'.repeat(mb),
      `Error from server (${'a'.repeat(mb)}`,
      `Cycle: ${'module.x.'.repeat(mb / 9)}`,
      '│ '.repeat(mb / 2),
      `googleapi: Error 403: ${', a'.repeat(mb / 3)}`,
      'Code="'.repeat(mb / 6),
    ];
    for (const text of inputs) {
      const started = performance.now();
      const r = categorizeError(text);
      const ms = performance.now() - started;
      expectWellFormed(r);
      expect(ms, text.slice(0, 20)).toBeLessThan(2000);
    }
  });

  it('scans only the first MAX_SCAN_CHARS characters', () => {
    const hidden = `${' '.repeat(MAX_SCAN_CHARS)}An error occurred (AccessDenied) when calling the GetObject operation: Access Denied`;
    expect(categorizeError(hidden).errorCode).toBeNull();
    const visible = `An error occurred (AccessDenied) when calling the GetObject operation: Access Denied${' '.repeat(MAX_SCAN_CHARS)}`;
    expect(categorizeError(visible)).toMatchObject({ errorCode: 'AccessDenied', category: 'permission', resourceType: 's3' });
  });
});
