import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { debugError } from '../../src/debugger/debug-error.js';
import { categorizeError } from '../../src/errors/categorize.js';
import { kbIssueId, readKnowledgeBaseDir } from '../../src/issuelog/knowledge-base.js';
import { openIssueLog } from '../../src/issuelog/repository.js';
import { ROOT } from '../plugin/helpers.js';

const entries = await readKnowledgeBaseDir(join(ROOT, 'templates', 'knowledge-base'));
const log = await openIssueLog(mkdtempSync(join(tmpdir(), 'kb-match-')), { knowledgeBase: true });

describe('starter knowledge base: each example is a test', () => {
  it.each(entries.map((e) => [e.id, e] as const))('debug on the example of %s finds that entry first', async (_id, entry) => {
    const r = await debugError({ text: entry.example, record: false, limit: 3, minConfidence: 'low', now: new Date('2026-11-23T00:00:00Z') }, log);
    expect(r.matches[0]?.issueId).toBe(kbIssueId(entry.id));
    expect(r.knownIssue?.issueId).toBe(kbIssueId(entry.id));
  });

  it.each(entries.map((e) => [e.id, e] as const))('the categorizer agrees with %s on category, code, resource type and tool', (_id, entry) => {
    const c = categorizeError(entry.example);
    expect({ category: c.category, errorCode: c.errorCode, resourceType: c.resourceType, tool: c.tool }).toEqual({
      category: entry.category,
      errorCode: entry.errorCode,
      resourceType: entry.resourceType,
      tool: entry.tool,
    });
  });

  it('has no two entries with the same pattern', async () => {
    const seen = new Map<string, string>();
    for (const issue of (await log.all()).issues.values()) {
      const other = seen.get(issue.pattern);
      expect(other, `${issue.issueId} and ${other} normalize to the same pattern`).toBeUndefined();
      seen.set(issue.pattern, issue.issueId);
    }
  });
});
