import type { Command } from 'commander';
import { writeFile } from 'node:fs/promises';
import { exportIssueLog, importIssueLog } from '../../issuelog/export.js';
import { openIssueLog } from '../../issuelog/repository.js';
import { computeStats, type IssueLogStats } from '../../issuelog/stats.js';
import type { IssueState } from '../../issuelog/types.js';
import { projectContext, parseCount } from '../context.js';
import { CliError, EXIT } from '../exit-codes.js';
import type { CommonOptions } from '../main.js';
import { emit, paint } from '../output.js';
import { readTextFile } from '../read-input.js';

interface ListOptions extends CommonOptions {
  category?: string;
  all: boolean;
  limit: string;
}

function summary(issue: IssueState) {
  const attempts = issue.solutions.reduce((n, s) => n + s.attempts, 0);
  const successes = issue.solutions.reduce((n, s) => n + s.successes, 0);
  return {
    issueId: issue.issueId,
    origin: issue.origin,
    title: issue.title ?? null,
    category: issue.category,
    errorCode: issue.errorCode,
    resourceType: issue.resourceType,
    tool: issue.tool,
    occurrences: issue.occurrences,
    firstSeen: issue.firstSeen,
    lastSeen: issue.lastSeen,
    solutions: issue.solutions.length,
    attempts,
    successes,
  };
}

async function open(opts: CommonOptions, knowledgeBase: boolean) {
  const log = await openIssueLog(projectContext(opts).stateDir, { knowledgeBase });
  return { log, stateDir: log.stateDir, ...(await log.all()) };
}

export async function issuesListCommand(_opts: unknown, cmd: Command): Promise<void> {
  const opts = cmd.opts<ListOptions>();
  const limit = parseCount(opts.limit, '--limit', 50);
  // The knowledge base is always loaded: this project's events on its issues need it; --all only widens the listing.
  const log = await open(opts, true);
  const issues = [...log.issues.values()]
    .filter((i) => (opts.all || i.origin === 'log' || i.occurrences > 0) && (!opts.category || i.category === opts.category))
    .sort((a, b) => b.lastSeen.localeCompare(a.lastSeen) || a.issueId.localeCompare(b.issueId));
  const data = { schemaVersion: 1 as const, total: issues.length, issues: issues.slice(0, limit).map(summary) };
  emit(
    {
      data,
      human: (d) =>
        d.issues.length === 0
          ? 'No issues recorded yet. `infra-ops debug --error "..."` records each error it analyzes.'
          : [
              ...d.issues.map(
                (i) => `${i.issueId}  ${i.category.padEnd(10)} ${(i.errorCode ?? '-').padEnd(24)} ${String(i.occurrences).padStart(4)}×  ${i.successes}/${i.attempts} fixed  ${i.title ?? ''}`,
              ),
              d.total > d.issues.length ? paint(`… ${d.total - d.issues.length} more (--limit)`, 'dim') : '',
            ].filter(Boolean).join('\n'),
    },
    opts,
  );
}

export async function issuesShowCommand(issueId: string, _opts: unknown, cmd: Command): Promise<void> {
  const opts = cmd.opts<CommonOptions>();
  const issue = (await (await openIssueLog(projectContext(opts).stateDir, { knowledgeBase: true })).get([issueId])).get(issueId);
  if (!issue) throw new CliError(`no issue ${issueId} (list them with \`infra-ops issues list\`)`, EXIT.usage, 'issue.unknown');
  emit({ data: { schemaVersion: 1 as const, issue }, human: ({ issue: i }) => formatIssue(i) }, opts);
}

function formatIssue(i: IssueState): string {
  const out = [
    `${paint(i.issueId, 'bold')}  ${i.category} · ${i.errorCode ?? '-'} · ${i.resourceType ?? '-'} · ${i.tool}${i.title ? `  ${i.title}` : ''}`,
    i.occurrences === 0
      ? 'not seen in this project yet (starter knowledge base)'
      : `seen ${i.occurrences}× (${i.firstSeen} … ${i.lastSeen})${i.environments.length ? ` in ${i.environments.join(', ')}` : ''}`,
    paint(`pattern: ${i.pattern}`, 'dim'),
    '',
  ];
  if (i.solutions.length === 0) out.push('No solution recorded yet.');
  for (const s of i.solutions) {
    const avg = s.timedAttempts > 0 ? `, avg ${Math.round(s.totalSeconds / s.timedAttempts)}s` : '';
    out.push(`${s.solutionId}: ${s.description}  (${s.successes}/${s.attempts} succeeded${avg}${s.automation.automated ? ', automated' : ''})`);
    s.steps.forEach((step, n) => out.push(`  ${n + 1}. ${step}`));
  }
  if (i.related.length) out.push('', `related: ${i.related.join(', ')}`);
  return out.join('\n');
}

export async function issuesStatsCommand(_opts: unknown, cmd: Command): Promise<void> {
  const opts = cmd.opts<CommonOptions>();
  const log = await open(opts, true);
  const stats = computeStats([...log.issues.values()].filter((i) => i.origin === 'log' || i.occurrences > 0 || i.solutions.some((s) => s.attempts > 0)));
  emit({ data: { schemaVersion: 1 as const, ...stats }, human: formatStats }, opts);
}

const pct = (n: number | null) => (n === null ? '-' : `${n.toFixed(1)}%`);

function formatStats(s: IssueLogStats): string {
  const t = s.totals;
  const lines = [
    `${t.issues} issues, ${t.occurrences} occurrences, ${t.solutions} solutions; ${t.resolutions} resolutions and ${t.failures} failed attempts (success ${pct(s.successRate)})`,
    `automation: ${pct(s.solutionAutomationRate)} of solutions can run automatically; ${pct(s.resolutionAutomationRate)} of resolutions were automated`,
    `average resolution time: ${s.avgResolutionSeconds === null ? '-' : `${Math.round(s.avgResolutionSeconds)}s`}`,
    'by category:',
    ...Object.entries(s.byCategory)
      .filter(([, c]) => c.issues > 0)
      .map(([name, c]) => `  ${name.padEnd(10)} ${String(c.issues).padStart(5)} issues ${String(c.occurrences).padStart(6)} occurrences ${String(c.resolutions).padStart(5)} resolved`),
  ];
  if (s.topRecurring.length > 0) {
    lines.push('most recurring:', ...s.topRecurring.map((r) => `  ${String(r.occurrences).padStart(5)}×  ${r.issueId}  ${r.title ?? r.pattern.slice(0, 80)}`));
  }
  return lines.join('\n');
}

export async function issuesVerifyCommand(_opts: unknown, cmd: Command): Promise<void> {
  const opts = cmd.opts<CommonOptions>();
  const log = await open(opts, false);
  const data = { schemaVersion: 1 as const, ok: log.problems.length === 0, issues: log.issues.size, problems: log.problems };
  emit(
    {
      data,
      human: (d) => (d.ok ? `issue log OK: ${d.issues} issues` : d.problems.map((p) => `${p.file}:${p.line}: ${p.reason}`).join('\n')),
      exitCode: data.ok ? EXIT.ok : EXIT.failure,
    },
    opts,
  );
}

export async function issuesExportCommand(_opts: unknown, cmd: Command): Promise<void> {
  const opts = cmd.opts<CommonOptions & { output?: string }>();
  const log = await open(opts, true);
  // The knowledge base is shipped with the plugin; export what this project learned (incl. KB issues it used).
  const learned = [...log.issues.values()].filter((i) => i.origin === 'log' || i.occurrences > 0 || i.solutions.some((s) => s.attempts > 0));
  const doc = exportIssueLog(learned, new Date().toISOString());
  if (opts.output) {
    await writeFile(opts.output, `${JSON.stringify(doc, null, 2)}\n`);
    emit({ data: { schemaVersion: 1 as const, output: opts.output, issues: learned.length }, human: (d) => `Wrote ${d.issues} issues to ${d.output}` }, opts);
  } else {
    // The document itself is the JSON output, with or without --json.
    process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
  }
}

export async function issuesImportCommand(file: string, _opts: unknown, cmd: Command): Promise<void> {
  const opts = cmd.opts<CommonOptions>();
  const text = await readTextFile(file, 'issue log');
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new CliError(`${file} is not valid JSON: ${(err as Error).message}`, EXIT.usage, 'input.json');
  }
  const log = await open(opts, true);
  const events = await importIssueLog(doc, new Date().toISOString());
  const before = log.issues.size;
  const known = new Set(await knownEventIds(log.stateDir));
  const fresh = events.filter((e) => !known.has(e.id));
  if (fresh.length > 0) await log.log.append(fresh);
  const after = await open(opts, true);
  emit(
    {
      data: { schemaVersion: 1 as const, file, events: events.length, appended: fresh.length, issuesBefore: before, issuesAfter: after.issues.size },
      human: (d) => `Imported ${file}: ${d.appended} new events (${d.events - d.appended} already present); ${d.issuesAfter - d.issuesBefore} new issues.`,
    },
    opts,
  );
}

async function knownEventIds(stateDir: string): Promise<string[]> {
  const { readEvents } = await import('../../issuelog/store.js');
  return (await readEvents(stateDir)).events.map((e) => e.id);
}
