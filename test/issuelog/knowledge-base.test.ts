import { readdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  KnowledgeBaseError,
  kbIssueId,
  parseKnowledgeBase,
  readKnowledgeBaseDir,
  type KbEntry,
} from '../../src/issuelog/knowledge-base.js';

// A local, deliberately simple token overlap: the matcher's own scoring evolves separately.
function tokenSet(text: string): Set<string> {
  const norm = text.toLowerCase().replace(/[0-9a-f]{8,}/g, ' ').replace(/\d+/g, ' ');
  return new Set((norm.match(/[a-z][a-z_./-]*[a-z]/g) ?? []).filter((t) => t.length > 2));
}

function dice(a: Set<string>, b: Set<string>): number {
  let shared = 0;
  for (const t of a) if (b.has(t)) shared++;
  return a.size + b.size === 0 ? 0 : (2 * shared) / (a.size + b.size);
}

const KB_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'templates', 'knowledge-base');

const GOOD_ENTRY = `- id: sample-entry
  title: A sample error for loader tests
  example: |
    Error from server (NotFound): configmaps "app-settings" not found while reading the sample
  category: resource
  errorCode: NotFound
  resourceType: configmap
  tool: kubernetes
  tags: [sample]
  solutions:
    - id: create-it
      description: Create the missing ConfigMap before the workload
      steps: ["kubectl get configmap -n prod", "Apply the manifest that defines it"]
      automation: { automated: false, notes: needs the manifest }
`;

function problemsOf(fn: () => unknown): KnowledgeBaseError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(KnowledgeBaseError);
    return err as KnowledgeBaseError;
  }
  throw new Error('expected a KnowledgeBaseError');
}

describe('shipped knowledge base', () => {
  let entries: KbEntry[];
  beforeAll(async () => {
    entries = await readKnowledgeBaseDir(KB_DIR);
  });

  it('loads every file and holds at least 150 entries', async () => {
    const files = (await readdir(KB_DIR)).filter((n) => n.endsWith('.yaml'));
    expect(files.length).toBeGreaterThanOrEqual(8);
    expect(new Set(entries.map((e) => e.file))).toEqual(new Set(files));
    expect(entries.length).toBeGreaterThanOrEqual(150);
  });

  it('covers every tool family with its minimum', () => {
    const isAws = (e: KbEntry): boolean => e.tool === 'aws' || (e.tool === 'terraform' && /^aws_/.test(e.resourceType ?? ''));
    const isGcp = (e: KbEntry): boolean => e.tool === 'gcp' || (e.tool === 'terraform' && /^google_/.test(e.resourceType ?? ''));
    const isAzure = (e: KbEntry): boolean => e.tool === 'azure' || (e.tool === 'terraform' && /^azurerm_/.test(e.resourceType ?? ''));
    const count = (pred: (e: KbEntry) => boolean): number => entries.filter(pred).length;
    expect(count(isAws)).toBeGreaterThanOrEqual(40);
    expect(count((e) => e.tool === 'terraform' && !isAws(e) && !isGcp(e) && !isAzure(e))).toBeGreaterThanOrEqual(15);
    expect(count((e) => e.tool === 'kubernetes')).toBeGreaterThanOrEqual(25);
    expect(count((e) => e.tool === 'helm')).toBeGreaterThanOrEqual(10);
    expect(count((e) => e.tool === 'eksctl')).toBeGreaterThanOrEqual(8);
    expect(count((e) => e.tool === 'karpenter')).toBeGreaterThanOrEqual(8);
    expect(count(isGcp)).toBeGreaterThanOrEqual(12);
    expect(count(isAzure)).toBeGreaterThanOrEqual(12);
  });

  it('has unique entry ids and unique solution ids per entry', () => {
    const ids = entries.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const e of entries) {
      const sids = e.solutions.map((s) => s.id);
      expect(new Set(sids).size, e.id).toBe(sids.length);
      expect(kbIssueId(e.id)).toBe(`kb-${e.id}`);
    }
  });

  it('automates only commands that run as is and destroy nothing', () => {
    const destructive = /^(delete|destroy|force-unlock|rm|rmi|uninstall|drain|taint|purge)$/i;
    for (const e of entries) {
      for (const s of e.solutions) {
        if (!s.automation.automated) {
          expect(s.automation.command, `${e.id}/${s.id}`).toBeUndefined();
          continue;
        }
        const argv = s.automation.command ?? [];
        expect(argv.length, `${e.id}/${s.id}`).toBeGreaterThan(0);
        for (const word of argv) {
          expect(word, `${e.id}/${s.id}`).not.toMatch(/[<>{}]/);
          expect(word, `${e.id}/${s.id}`).not.toMatch(destructive);
        }
        // `-auto-approve`/`--force` would skip the approval the workflow relies on.
        expect(argv.join(' '), `${e.id}/${s.id}`).not.toMatch(/-auto-approve|--force\b|--yes\b/);
      }
    }
  });

  it('has non-trivial, distinct examples', () => {
    const sets = entries.map((e) => ({ id: e.id, tokens: tokenSet(e.example) }));
    for (const e of entries) {
      expect(e.example.trim().length, e.id).toBeGreaterThanOrEqual(60);
      // Distinct words, not whitespace: JSON log lines carry many words and few spaces.
      expect(tokenSet(e.example).size, e.id).toBeGreaterThanOrEqual(6);
      expect(e.example, e.id).not.toMatch(/\.\.\.$|TODO|lorem/i);
    }
    // Two entries whose examples differ only in identifiers would compete for the same error.
    for (let i = 0; i < sets.length; i++) {
      for (let j = i + 1; j < sets.length; j++) {
        const a = sets[i]!;
        const b = sets[j]!;
        expect(dice(a.tokens, b.tokens), `${a.id} ~ ${b.id}`).toBeLessThan(0.8);
      }
    }
  });

  it('labels entries the way the categorizer reads the example', () => {
    for (const e of entries) {
      // The code is the one written in the message, so it must appear in the example.
      if (e.errorCode !== null) expect(e.example, e.id).toContain(e.errorCode);
      // A Terraform diagnostic that names `with <type>.<name>` gives the resource type.
      const withType = /│\s+with ([a-z0-9_]+)\.[A-Za-z0-9_-]+/.exec(e.example)?.[1];
      if (e.tool === 'terraform' && withType && !withType.startsWith('module') && !withType.startsWith('data')) {
        expect(e.resourceType, e.id).toBe(withType);
      }
      if (e.errorCode && /AccessDenied|UnauthorizedOperation|^Forbidden$|AuthorizationFailed|PERMISSION_DENIED|^Unauthorized$/.test(e.errorCode)) {
        expect(e.category, e.id).toBe('permission');
      }
      if (e.errorCode && /(?<!Backoff)LimitExceeded|QuotaExceeded|^Throttling|^quotaExceeded$|rateLimitExceeded|RESOURCE_EXHAUSTED/.test(e.errorCode)) {
        expect(e.category, e.id).toBe('quota');
      }
      expect(e.tags.length, e.id).toBeGreaterThan(0);
      for (const s of e.solutions) expect(s.steps.length, `${e.id}/${s.id}`).toBeGreaterThan(0);
    }
  });
});

describe('parseKnowledgeBase', () => {
  it('parses a valid file and records the file name only', () => {
    const [entry] = parseKnowledgeBase([{ path: '/somewhere/kubernetes.yaml', text: GOOD_ENTRY }]);
    expect(entry).toMatchObject({ id: 'sample-entry', category: 'resource', errorCode: 'NotFound', file: 'kubernetes.yaml' });
    expect(entry?.solutions[0]?.automation).toEqual({ automated: false, notes: 'needs the manifest' });
  });

  it('reports YAML syntax errors with file and line', () => {
    const text = `${GOOD_ENTRY}- id: broken\n  title: [unclosed\n`;
    const err = problemsOf(() => parseKnowledgeBase([{ path: 'kb/bad.yaml', text }]));
    expect(err.problems[0]).toMatchObject({ file: 'kb/bad.yaml' });
    expect(err.problems[0]?.line).toBeGreaterThanOrEqual(16);
    expect(err.message).toMatch(/kb\/bad\.yaml:\d+: .*YAML syntax error/);
  });

  it('names file, entry and field for a bad value', () => {
    const text = GOOD_ENTRY.replace('category: resource', 'category: storage');
    const err = problemsOf(() => parseKnowledgeBase([{ path: 'kb/k8s.yaml', text }]));
    expect(err.problems).toHaveLength(1);
    expect(err.problems[0]).toMatchObject({ file: 'kb/k8s.yaml', line: 5, index: 0, entryId: 'sample-entry', field: '/category' });
    expect(err.message).toContain('kb/k8s.yaml:5: entry "sample-entry" (#0) /category must be one of the allowed values');
  });

  it('names a missing field and an unknown one', () => {
    const text = GOOD_ENTRY.replace('  tool: kubernetes\n', '  tool_name: kubernetes\n');
    const err = problemsOf(() => parseKnowledgeBase([{ path: 'kb/k8s.yaml', text }]));
    const fields = err.problems.map((p) => `${p.entryId}${p.field} ${p.message}`);
    expect(fields).toContain('sample-entry/tool is required');
    expect(fields).toContain('sample-entry/tool_name is not a known field');
  });

  it('rejects unsafe automation', () => {
    const automated = (cmd: string): string =>
      GOOD_ENTRY.replace('{ automated: false, notes: needs the manifest }', `{ automated: true, command: ${cmd} }`);
    const missing = problemsOf(() => parseKnowledgeBase([{ path: 'a.yaml', text: GOOD_ENTRY.replace('automated: false', 'automated: true') }]));
    expect(missing.problems[0]?.field).toBe('/solutions/0/automation/command');
    const placeholder = problemsOf(() => parseKnowledgeBase([{ path: 'a.yaml', text: automated('[kubectl, get, cm, "<name>"]') }]));
    expect(placeholder.message).toMatch(/\/solutions\/0\/automation\/command/);
    const destructive = problemsOf(() => parseKnowledgeBase([{ path: 'a.yaml', text: automated('[kubectl, delete, pod, web]') }]));
    expect(destructive.message).toContain('destructive verb (delete)');
    const manualWithCommand = GOOD_ENTRY.replace('notes: needs the manifest }', 'command: [kubectl, get, cm] }');
    const err = problemsOf(() => parseKnowledgeBase([{ path: 'a.yaml', text: manualWithCommand }]));
    expect(err.message).toContain('only allowed when automated is true');
  });

  it('rejects duplicate ids across files, naming both', () => {
    const err = problemsOf(() =>
      parseKnowledgeBase([
        { path: 'one.yaml', text: GOOD_ENTRY },
        { path: 'two.yaml', text: GOOD_ENTRY },
      ]),
    );
    expect(err.problems[0]).toMatchObject({ file: 'two.yaml', entryId: 'sample-entry', field: '/id' });
    expect(err.message).toContain('one.yaml');
  });

  it('rejects an empty file and a file that is not a list', () => {
    expect(() => parseKnowledgeBase([{ path: 'empty.yaml', text: '' }])).toThrow(/empty\.yaml/);
    expect(() => parseKnowledgeBase([{ path: 'map.yaml', text: 'id: x\n' }])).toThrow(/map\.yaml.*must be array/);
  });

  it('reads a directory in name order, ignoring other files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kb-'));
    await writeFile(join(dir, 'b.yaml'), GOOD_ENTRY);
    await writeFile(join(dir, 'a.yaml'), GOOD_ENTRY.replace('sample-entry', 'another-entry'));
    await writeFile(join(dir, 'notes.md'), '# not yaml');
    const loaded = await readKnowledgeBaseDir(dir);
    expect(loaded.map((e) => `${e.file}:${e.id}`)).toEqual(['a.yaml:another-entry', 'b.yaml:sample-entry']);
  });
});
