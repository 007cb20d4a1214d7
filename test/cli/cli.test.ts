import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../plugin/helpers.js';
import { cli, schemaErrors } from './run-cli.js';

const project = () => mkdtempSync(join(tmpdir(), 'infra-ops-cli-'));
const example = readFileSync(join(ROOT, 'examples/errors/terraform-s3-access-denied.txt'), 'utf8');

describe('every command', () => {
  const commands = [[], ['init'], ['config', 'check'], ['debug'], ['resolve'], ['issues'], ['issues', 'list'], ['issues', 'show'], ['issues', 'stats'], ['issues', 'verify'], ['issues', 'export'], ['issues', 'import'], ['status'], ['test'], ['test', 'history'], ['rules'], ['platform', 'status'], ['platform', 'check'], ['approval', 'tier'], ['approval', 'request'], ['approval', 'decide'], ['approval', 'list'], ['audit', 'record'], ['audit', 'list'], ['audit', 'show'], ['audit', 'verify'], ['audit', 'repair'], ['diagnose', 'pod'], ['diagnose', 'deployment'], ['diagnose', 'node'], ['diagnose', 'service'], ['diagnose', 'namespace'], ['deploy'], ['operate', 'propose'], ['operate', 'show'], ['operate', 'execute'], ['operate', 'validate'], ['operate', 'rollback']];
  it.each(commands.map((c) => [c.join(' ') || '(root)', c]))('%s has --help', (_name, args) => {
    const r = cli([...(args as string[]), '--help'], { cwd: project() });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Usage: infra-ops/m);
    if ((args as string[]).length > 0 && (args as string[])[0] !== 'issues' || (args as string[]).length === 2) expect(r.stdout).toContain('--json');
  });

  it('exits 2 on a usage error, with the message on stderr', () => {
    const r = cli(['debug', '--limit', 'many', '--error', 'x'], { cwd: project() });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--limit must be a whole number/);
    expect(cli(['resolve', 'iss-1'], { cwd: project() }).status).toBe(2);
    expect(cli(['no-such-command'], { cwd: project() }).status).toBe(2);
  });
});

describe('debug', () => {
  it('analyzes an error, ranks known solutions from the knowledge base and records the occurrence', () => {
    const dir = project();
    const r = cli(['debug', '--json', '--env', 'test', '--operation', 'apply', '--error', example], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const d = r.json();
    expect(schemaErrors('debug', d)).toEqual([]);
    expect(d).toMatchObject({ category: 'permission', errorCode: 'AccessDenied', tool: 'terraform', env: 'test', operation: 'apply', novel: false });
    expect(d.resourceType).toBe('aws_s3_object');
    expect(d.matches[0].steps.length).toBeGreaterThan(0);
    expect(d.recorded.issueId).toBe(d.issueId);
    const log = readFileSync(join(dir, '.infra-ops/issue-log/events.jsonl'), 'utf8');
    expect(log).toContain(d.issueId);
    expect(readFileSync(join(dir, '.infra-ops/.gitattributes'), 'utf8')).toContain('merge=union');
  });

  it('reads the error from a file, from stdin and from a UTF-16 file with a BOM, with the same result', () => {
    const dir = project();
    const file = join(dir, 'err.txt');
    writeFileSync(file, example);
    const utf16 = join(dir, 'err16.txt');
    writeFileSync(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(example, 'utf16le')]));
    const ids = [
      cli(['debug', '--json', '--no-record', '--error-file', file], { cwd: dir }).json().issueId,
      cli(['debug', '--json', '--no-record'], { cwd: dir, input: example }).json().issueId,
      cli(['debug', '--json', '--no-record', '--error-file', '-'], { cwd: dir, input: example }).json().issueId,
      cli(['debug', '--json', '--no-record', '--error-file', utf16], { cwd: dir }).json().issueId,
    ];
    expect(new Set(ids).size).toBe(1);
  });

  it('refuses empty, missing and binary input with exit 2 and a clear message, recording nothing', () => {
    const dir = project();
    const empty = cli(['debug', '--json', '--error', '   '], { cwd: dir });
    expect(empty.status).toBe(2);
    expect(schemaErrors('error', empty.json())).toEqual([]);
    const missing = cli(['debug', '--error-file', join(dir, 'nope.txt')], { cwd: dir });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('nope.txt');
    const bin = join(dir, 'bin.dat');
    writeFileSync(bin, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2]));
    expect(cli(['debug', '--error-file', bin], { cwd: dir }).stderr).toMatch(/binary/);
    expect(cli(['issues', 'list', '--json'], { cwd: dir }).json().total).toBe(0);
  });

  it('says "no known solution" for a novel error (exit 1), records it, and learns the fix the user records', () => {
    const dir = project();
    const novel = 'frobnicator: widget 4471 refused to quiesce: reticulation spline overflow in sector 7G';
    const first = cli(['debug', '--json', '--env', 'test', '--error', novel], { cwd: dir });
    expect(first.status).toBe(1);
    const d = first.json();
    expect(d.novel).toBe(true);
    expect(d.matches).toEqual([]);
    expect(cli(['debug', '--error', novel, '--no-record'], { cwd: dir }).stdout).toContain('No known solution');

    const res = cli(['resolve', d.issueId, '--json', '--solution', 'new', '--outcome', 'success', '--seconds', '120',
      '--description', 'Reset the reticulation spline', '--step', 'Drain sector 7G', '--step', 'Restart the frobnicator'], { cwd: dir });
    expect(res.status).toBe(0);
    expect(schemaErrors('resolve', res.json())).toEqual([]);

    const again = cli(['debug', '--json', '--env', 'test', '--error', novel.replace('4471', '9013')], { cwd: dir });
    expect(again.status).toBe(0);
    const a = again.json();
    expect(a.issueId).toBe(d.issueId);
    expect(a.knownIssue.occurrences).toBe(1);
    expect(a.matches[0]).toMatchObject({ description: 'Reset the reticulation spline', successes: 1, attempts: 1, avgResolutionSeconds: 120 });
    expect(a.matches[0].steps).toEqual(['Drain sector 7G', 'Restart the frobnicator']);
  });

  it('ranks by recorded outcomes: a failing solution drops below one that works', () => {
    const dir = project();
    const d = cli(['debug', '--json', '--error', example], { cwd: dir }).json();
    const [first, second] = d.matches;
    expect(second).toBeDefined();
    for (let i = 0; i < 3; i++) cli(['resolve', d.issueId, '--solution', first.solutionRef, '--outcome', 'failure'], { cwd: dir });
    for (let i = 0; i < 3; i++) cli(['resolve', d.issueId, '--solution', second.solutionRef, '--outcome', 'success'], { cwd: dir });
    const after = cli(['debug', '--json', '--no-record', '--error', example], { cwd: dir }).json();
    expect(after.matches[0].description).toBe(second.description);
    expect(after.matches[0].successes).toBe(3);
  });

  it('handles a 1 MB hostile error on stdin and refuses a 6 MB one, losing nothing recorded', () => {
    const dir = project();
    cli(['debug', '--error', example], { cwd: dir });
    const hostile = `Error: ${'arn:aws:iam::123456789012:role/'.repeat(10_000)}${'"'.repeat(200_000)}${'9'.repeat(300_000)}`.slice(0, 1 << 20);
    const r = cli(['debug', '--json'], { cwd: dir, input: hostile });
    expect([0, 1]).toContain(r.status);
    expect(schemaErrors('debug', r.json())).toEqual([]);
    expect(r.json().message.length).toBeLessThan(5000);
    const huge = cli(['debug', '--json'], { cwd: dir, input: 'x'.repeat(6 * 1024 * 1024) });
    expect(huge.status).toBe(2);
    expect(huge.json().error.code).toBe('input.too-large');
    expect(cli(['issues', 'list', '--json'], { cwd: dir }).json().total).toBe(2);
    expect(cli(['issues', 'verify'], { cwd: dir }).status).toBe(0);
  });

  it('never prints or stores a secret', () => {
    const dir = project();
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    const text = `Error: error configuring S3 Backend: InvalidClientTokenId: The security token included in the request is invalid. aws_access_key_id=AKIAIOSFODNN7EXAMPLE aws_secret_access_key=${secret}`;
    const r = cli(['debug', '--json', '--error', text], { cwd: dir });
    expect(r.stdout).not.toContain(secret);
    expect(r.stdout).not.toContain('AKIAIOSFODNN7EXAMPLE');
    const log = readFileSync(join(dir, '.infra-ops/issue-log/events.jsonl'), 'utf8');
    expect(log).not.toContain(secret);
    expect(log).not.toContain('AKIAIOSFODNN7EXAMPLE');
  });

  it('prints no colour codes when NO_COLOR is set or stdout is not a TTY', () => {
    const r = cli(['debug', '--no-record', '--error', example], { cwd: project(), env: { NO_COLOR: '1', FORCE_COLOR: '1' } });
    expect(r.stdout).not.toMatch(/\x1b\[/);
    expect(r.stdout).toContain('Best solution');
  });
});

describe('issues', () => {
  it('lists, shows, summarizes, verifies, exports and re-imports what was recorded', () => {
    const dir = project();
    const d = cli(['debug', '--json', '--env', 'prod', '--error', example], { cwd: dir }).json();
    cli(['resolve', d.issueId, '--solution', d.matches[0].solutionRef, '--outcome', 'success', '--seconds', '30', '--env', 'prod'], { cwd: dir });

    const list = cli(['issues', 'list', '--json'], { cwd: dir }).json();
    expect(schemaErrors('issues-list', list)).toEqual([]);
    expect(list.issues.map((i: { issueId: string }) => i.issueId)).toContain(d.issueId);

    const show = cli(['issues', 'show', d.issueId, '--json'], { cwd: dir }).json();
    expect(schemaErrors('issues-show', show)).toEqual([]);
    expect(show.issue.environments).toContain('prod');

    const stats = cli(['issues', 'stats', '--json'], { cwd: dir }).json();
    expect(schemaErrors('issues-stats', stats)).toEqual([]);
    expect(stats.totals.resolutions).toBe(1);
    expect(stats.avgResolutionSeconds).toBe(30);

    const verify = cli(['issues', 'verify', '--json'], { cwd: dir });
    expect(verify.status).toBe(0);
    expect(schemaErrors('issues-verify', verify.json())).toEqual([]);

    const exported = join(dir, 'issue-log.json');
    expect(cli(['issues', 'export', '--output', exported], { cwd: dir }).status).toBe(0);
    const other = project();
    const imp = cli(['issues', 'import', exported, '--json'], { cwd: other });
    expect(imp.status).toBe(0);
    expect(schemaErrors('issues-import', imp.json())).toEqual([]);
    const again = cli(['issues', 'import', exported, '--json'], { cwd: other }).json();
    expect(again.appended).toBe(0);
    const d2 = cli(['debug', '--json', '--no-record', '--error', example], { cwd: other }).json();
    expect(d2.matches[0].successes).toBe(1);
  });

  it('reports a torn last line with its line number and keeps everything before it', () => {
    const dir = project();
    cli(['debug', '--error', example], { cwd: dir });
    cli(['debug', '--error', 'Error: Unsupported argument on main.tf line 3'], { cwd: dir });
    const file = join(dir, '.infra-ops/issue-log/events.jsonl');
    const good = readFileSync(file, 'utf8');
    writeFileSync(file, `${good}{"v":1,"type":"issue.seen","id":"abc`);
    const verify = cli(['issues', 'verify', '--json'], { cwd: dir });
    expect(verify.status).toBe(1);
    expect(verify.json().problems[0].line).toBe(good.split('\n').length);
    expect(cli(['issues', 'list', '--json'], { cwd: dir }).json().total).toBe(2);
    cli(['debug', '--error', 'Error: Invalid provider configuration'], { cwd: dir });
    expect(cli(['issues', 'list', '--json'], { cwd: dir }).json().total).toBe(3);
  });

  it('refuses a malformed import naming the problem, and loses nothing', () => {
    const dir = project();
    cli(['debug', '--error', example], { cwd: dir });
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"issues": [{"issue_id": 5}');
    const r = cli(['issues', 'import', bad, '--json'], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.json().error.message).toMatch(/bad\.json/);
    writeFileSync(bad, '{"issues": [{"issue_id": 5}]}');
    const r2 = cli(['issues', 'import', bad], { cwd: dir });
    expect(r2.status).toBe(2);
    expect(r2.stderr).toMatch(/\/issues\/0/);
    expect(cli(['issues', 'list', '--json'], { cwd: dir }).json().total).toBe(1);
  });
});

describe('rules', () => {
  it('lists at least 40 built-in rules with ids, severities and aliases', () => {
    const r = cli(['rules', '--json'], { cwd: project() });
    expect(r.status).toBe(0);
    const d = r.json();
    expect(schemaErrors('rules', d)).toEqual([]);
    expect(d.total).toBeGreaterThanOrEqual(40);
    expect(new Set(d.rules.map((x: { id: string }) => x.id)).size).toBe(d.total);
    expect(d.rules.flatMap((x: { aliases: string[] }) => x.aliases)).toEqual(expect.arrayContaining(['CKV_AWS_20', 'AWS-0092']));
  });
});

describe('init, config check, status', () => {
  it('init writes a config that config check accepts; a bad field is named with its line', () => {
    const dir = project();
    const init = cli(['init', '--json', '--project', 'shop'], { cwd: dir });
    expect(init.status).toBe(0);
    expect(schemaErrors('init', init.json())).toEqual([]);
    const ok = cli(['config', 'check', '--json'], { cwd: dir });
    expect(ok.status).toBe(0);
    expect(schemaErrors('config-check', ok.json())).toEqual([]);
    const file = join(dir, '.infra-ops/config.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('tool: auto', 'tool: pulumi'));
    const bad = cli(['config', 'check', '--json'], { cwd: dir });
    expect(bad.status).toBe(2);
    const p = bad.json().problems[0];
    expect(p).toMatchObject({ path: '/iac/tool', allowed: ['auto', 'terraform', 'tofu'] });
    expect(readFileSync(file, 'utf8').split('\n')[p.line - 1]).toContain('pulumi');
    // Other commands refuse to run on a broken config rather than guess.
    expect(cli(['debug', '--error', 'x y z'], { cwd: dir }).stderr).toMatch(/config\.yaml:\d+: \/iac\/tool/);
  });

  it('status reports the project, the log and the tools', () => {
    const dir = project();
    const r = cli(['status', '--json'], { cwd: dir });
    expect(r.status).toBe(0);
    const s = r.json();
    expect(schemaErrors('status', s)).toEqual([]);
    expect(s.config.present).toBe(false);
    expect(s.knowledgeBase.issues).toBeGreaterThanOrEqual(150);
    expect(s.tools.map((t: { name: string }) => t.name)).toEqual(expect.arrayContaining(['terraform', 'kubectl', 'checkov']));
  });
});
