import type { Command } from 'commander';
import { recordResolution, type ResolveResult } from '../../debugger/resolve.js';
import { openIssueLog } from '../../issuelog/repository.js';
import { projectContext } from '../context.js';
import { CliError, EXIT } from '../exit-codes.js';
import type { CommonOptions } from '../main.js';
import { emit } from '../output.js';

interface ResolveOptions extends CommonOptions {
  solution: string;
  outcome: 'success' | 'failure';
  seconds?: string;
  env?: string;
  description?: string;
  step?: string[];
  command?: string[];
}

export async function resolveCommand(issueId: string, _opts: unknown, cmd: Command): Promise<void> {
  const opts = cmd.opts<ResolveOptions>();
  const seconds = opts.seconds === undefined ? undefined : Number(opts.seconds);
  if (seconds !== undefined && Number.isNaN(seconds)) throw new CliError(`--seconds must be a number, got "${opts.seconds}"`, EXIT.usage, 'input.invalid');
  const ctx = projectContext(opts);
  const log = await openIssueLog(ctx.stateDir, { knowledgeBase: true });
  const result = await recordResolution(
    {
      issueId,
      solution: opts.solution,
      outcome: opts.outcome,
      seconds,
      env: opts.env,
      description: opts.description,
      steps: opts.step,
      command: opts.command,
      now: new Date(),
    },
    log,
  );
  emit({ data: result, human: formatResolve }, opts);
}

function formatResolve(r: ResolveResult): string {
  const s = r.solution;
  const how = r.newSolution ? (r.adoptedFrom ? `adopted from ${r.adoptedFrom}` : 'new solution') : 'existing solution';
  return `Recorded ${r.outcome} of ${r.solutionId} (${how}) on ${r.issueId}: ${s.successes}/${s.attempts} succeeded.`;
}
