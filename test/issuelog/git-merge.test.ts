import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { newEventId } from '../../src/issuelog/event-id.js';
import { foldEvents } from '../../src/issuelog/fold.js';
import { appendEvents, issueLogPath, readEvents } from '../../src/issuelog/store.js';
import type { IssueEvent } from '../../src/issuelog/types.js';

const IDENTITY = { name: 'Issue Log Test', email: 'issue-log-test@example.invalid' };
const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: IDENTITY.name,
  GIT_AUTHOR_EMAIL: IDENTITY.email,
  GIT_COMMITTER_NAME: IDENTITY.name,
  GIT_COMMITTER_EMAIL: IDENTITY.email,
  // Keep the developer's ~/.gitconfig (signing, hooks, merge tools) out of the test.
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
};

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function git(cwd: string, ...args: string[]): { status: number | null; out: string } {
  const r = spawnSync('git', ['-c', `user.name=${IDENTITY.name}`, '-c', `user.email=${IDENTITY.email}`, '-c', 'commit.gpgsign=false', ...args], {
    cwd,
    env: GIT_ENV,
    encoding: 'utf8',
  });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}
function gitOk(cwd: string, ...args: string[]): string {
  const r = git(cwd, ...args);
  expect(r.status, `git ${args.join(' ')}: ${r.out}`).toBe(0);
  return r.out;
}

let clock = Date.parse('2026-05-01T00:00:00Z');
const at = (): string => new Date((clock += 1000)).toISOString();
function seen(issueId: string, env: string): IssueEvent {
  return {
    v: 1, id: newEventId(), at: at(), issueId, type: 'issue.seen', pattern: 'quota exceeded for <resource>', normalizerVersion: 1,
    category: 'quota', errorCode: 'LimitExceeded', resourceType: 'aws_instance', tool: 'aws', message: 'LimitExceeded: vCPU quota', env,
  };
}
function added(issueId: string, solutionId: string): IssueEvent {
  return {
    v: 1, id: newEventId(), at: at(), issueId, type: 'solution.added', solutionId, description: `raise the quota (${solutionId})`,
    steps: ['request a quota increase'], automation: { automated: false }, source: 'user',
  };
}
function attempt(issueId: string, solutionId: string, outcome: 'success' | 'failure'): IssueEvent {
  return { v: 1, id: newEventId(), at: at(), issueId, type: 'solution.attempt', solutionId, outcome, seconds: 60 };
}

/** A repository whose main has a committed log; branches a and b each append different events. */
async function divergedRepo(): Promise<{ repo: string; stateDir: string }> {
  const repo = mkdtempSync(join(tmpdir(), 'issuelog-git-'));
  dirs.push(repo);
  const stateDir = join(repo, '.infra-ops');
  gitOk(repo, 'init', '-q', '-b', 'main');
  await appendEvents(stateDir, [seen('q1', 'test'), added('q1', 's1'), attempt('q1', 's1', 'success')]);
  gitOk(repo, 'add', '-A');
  gitOk(repo, 'commit', '-q', '-m', 'log');

  gitOk(repo, 'checkout', '-q', '-b', 'a');
  await appendEvents(stateDir, [seen('q1', 'prod'), attempt('q1', 's1', 'success')]);
  await appendEvents(stateDir, [attempt('q1', 's1', 'failure')]);
  gitOk(repo, 'commit', '-q', '-am', 'a: two attempts');

  gitOk(repo, 'checkout', '-q', 'main');
  gitOk(repo, 'checkout', '-q', '-b', 'b');
  await appendEvents(stateDir, [attempt('q1', 's1', 'success'), attempt('q1', 's1', 'success'), attempt('q1', 's1', 'failure')]);
  await appendEvents(stateDir, [added('q1', 's2'), attempt('q1', 's2', 'success'), seen('q2', 'dev')]);
  gitOk(repo, 'commit', '-q', '-am', 'b: three attempts and a new solution');
  return { repo, stateDir };
}

describe('git merge of two branches that both appended', () => {
  it('merges without conflict and the fold holds both sides’ attempts', async () => {
    const { repo, stateDir } = await divergedRepo();
    expect(readFileSync(join(stateDir, '.gitattributes'), 'utf8')).toContain('issue-log/*.jsonl merge=union');
    expect(gitOk(repo, 'check-attr', 'merge', '.infra-ops/issue-log/events.jsonl')).toContain('merge: union');

    gitOk(repo, 'checkout', '-q', 'a');
    const merge = git(repo, 'merge', '--no-edit', 'b');
    expect(merge.status, merge.out).toBe(0);
    const text = readFileSync(issueLogPath(stateDir), 'utf8');
    expect(text).not.toMatch(/^(<<<<<<<|=======|>>>>>>>)/m);

    const { events, problems } = await readEvents(stateDir);
    expect(problems).toEqual([]);
    expect(events).toHaveLength(3 + 3 + 6);
    const state = foldEvents(events);
    const q1 = state.get('q1')!;
    expect(q1.occurrences).toBe(2);
    expect(q1.environments).toEqual(['prod', 'test']);
    const [s1, s2] = q1.solutions;
    expect(s1).toMatchObject({ solutionId: 's1', attempts: 1 + 2 + 3, successes: 1 + 1 + 2, failures: 2, timedAttempts: 6, totalSeconds: 360 });
    expect(s2).toMatchObject({ solutionId: 's2', attempts: 1, successes: 1 });
    expect(state.has('q2')).toBe(true);

    // Merging the other way round folds to the same state.
    gitOk(repo, 'checkout', '-q', '-b', 'b-then-a', 'b');
    gitOk(repo, 'merge', '--no-edit', 'a~0');
    expect(foldEvents((await readEvents(stateDir)).events)).toEqual(state);
  });

  it('conflicts without the union-merge attribute (which is what the attribute is for)', async () => {
    const { repo } = await divergedRepo();
    gitOk(repo, 'checkout', '-q', 'a');
    gitOk(repo, 'rm', '-q', '.infra-ops/.gitattributes');
    gitOk(repo, 'commit', '-q', '-m', 'drop attributes');
    const merge = git(repo, 'merge', '--no-edit', 'b');
    expect(merge.status).not.toBe(0);
    expect(merge.out).toMatch(/CONFLICT/);
  });
});
