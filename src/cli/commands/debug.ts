import type { Command } from 'commander';
import { loadConfig } from '../../config/load.js';
import { debugError, type DebugResult, type MatchView } from '../../debugger/debug-error.js';
import { openIssueLog } from '../../issuelog/repository.js';
import { projectContext, parseCount } from '../context.js';
import { EXIT } from '../exit-codes.js';
import type { CommonOptions } from '../main.js';
import { emit, paint } from '../output.js';
import { readErrorText } from '../read-input.js';

interface DebugOptions extends CommonOptions {
  error?: string;
  errorFile?: string;
  env?: string;
  operation?: string;
  record: boolean;
  limit: string;
}

export async function debugCommand(_opts: unknown, cmd: Command): Promise<void> {
  const opts = cmd.opts<DebugOptions>();
  const text = await readErrorText(opts);
  const limit = parseCount(opts.limit, '--limit', 4);
  const ctx = projectContext(opts);
  const config = await loadConfig(ctx.root);
  const log = await openIssueLog(ctx.stateDir, { knowledgeBase: config?.debug?.useKnowledgeBase ?? true });
  const result = await debugError(
    {
      text,
      env: opts.env,
      operation: opts.operation,
      record: opts.record,
      limit: Math.max(1, Math.min(limit, 1 + (config?.debug?.maxAlternatives ?? 20))),
      minConfidence: config?.debug?.minConfidence ?? 'low',
      now: new Date(),
    },
    log,
  );
  emit({ data: result, human: formatDebug, exitCode: result.novel ? EXIT.failure : EXIT.ok }, opts);
}

function record(m: MatchView): string {
  if (m.attempts === 0) return m.issueOrigin === 'kb' ? 'starter knowledge base, not yet tried here' : 'not yet tried';
  const avg = m.avgResolutionSeconds !== null ? `, avg ${m.avgResolutionSeconds}s` : '';
  return `${m.successes}/${m.attempts} succeeded${avg}`;
}

function automationLine(m: MatchView): string {
  if (m.automation.automated && m.automation.command) return `automated: ${m.automation.command.join(' ')}  (ask before running)`;
  return `manual${m.automation.notes ? `: ${m.automation.notes}` : ''}`;
}

export function formatDebug(r: DebugResult): string {
  const out: string[] = [];
  const where = [r.errorCode, r.resourceType, r.tool !== 'unknown' ? r.tool : null].filter(Boolean).join(' · ');
  out.push(`${paint(r.category, 'bold')}${where ? ` · ${where}` : ''}   issue ${r.issueId}`);
  if (r.knownIssue) {
    const seen = r.knownIssue.origin === 'kb' && r.knownIssue.occurrences === 0 ? 'in the starter knowledge base' : `seen ${r.knownIssue.occurrences}× since ${r.knownIssue.firstSeen.slice(0, 10)}`;
    out.push(`known issue${r.knownIssue.title ? `: ${r.knownIssue.title}` : ''} (${seen})`);
  }
  out.push(paint(`pattern: ${r.pattern.length > 200 ? `${r.pattern.slice(0, 200)}…` : r.pattern}`, 'dim'));
  out.push('');
  const [best, ...alternatives] = r.matches;
  if (!best) {
    out.push(paint('No known solution.', 'yellow') + (r.recorded ? ` Recorded as issue ${r.recorded.issueId}.` : ''));
    out.push(`When you have fixed it, record the fix so the next occurrence finds it:`);
    out.push(`  infra-ops resolve ${r.issueId} --solution new --outcome success --description "<what fixed it>" --step "<step>"`);
  } else {
    out.push(`${paint('Best solution', 'green')} [${best.confidence} ${best.score.total.toFixed(2)}] ${best.description}`);
    out.push(`  ${record(best)} · ${automationLine(best)}`);
    best.steps.forEach((s, i) => out.push(`  ${i + 1}. ${s}`));
    if (alternatives.length > 0) {
      out.push('', 'Alternatives');
      for (const m of alternatives) out.push(`  ${m.rank}. [${m.confidence} ${m.score.total.toFixed(2)}] ${m.description} (${record(m)}; --solution ${m.solutionRef})`);
    }
    if (r.recorded) out.push('', `Record the outcome: infra-ops resolve ${r.issueId} --solution ${best.solutionRef} --outcome success|failure`);
  }
  for (const p of r.logProblems) out.push(paint(`warning: ${p.file}:${p.line}: ${p.reason}`, 'yellow', process.stderr));
  return out.join('\n');
}
