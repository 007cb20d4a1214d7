import { CliError, EXIT } from '../cli/exit-codes.js';
import { redactSecrets } from '../errors/redact.js';
import { newEventId } from '../issuelog/event-id.js';
import type { IssueLog } from '../issuelog/repository.js';
import type { IssueEvent, SolutionAutomation, SolutionState } from '../issuelog/types.js';

export interface ResolveRequest {
  issueId: string;
  /** A solution id of this issue, `new`, or `<otherIssueId>/<solutionId>` to adopt another issue's fix. */
  solution: string;
  outcome: 'success' | 'failure';
  seconds?: number;
  env?: string;
  description?: string;
  steps?: string[];
  command?: string[];
  now: Date;
}

export interface ResolveResult {
  schemaVersion: 1;
  issueId: string;
  solutionId: string;
  outcome: 'success' | 'failure';
  newSolution: boolean;
  adoptedFrom: string | null;
  solution: { description: string; attempts: number; successes: number; failures: number };
}

function randomSolutionId(): string {
  return `sol-${newEventId().slice(0, 8)}`;
}

/** Solutions adopted from another issue are stored as `<otherIssueId>:<solutionId>`. */
export function adoptedSolutionId(otherIssueId: string, solutionId: string): string {
  return `${otherIssueId}:${solutionId}`;
}

function parseAdopted(solutionId: string): { issueId: string; solutionId: string } | undefined {
  const m = /^((?:iss|kb)-[^:/]+):(.+)$/.exec(solutionId);
  return m ? { issueId: m[1]!, solutionId: m[2]! } : undefined;
}

/** Record one attempt of a solution; a new or adopted solution is added first. */
export async function recordResolution(req: ResolveRequest, log: IssueLog): Promise<ResolveResult> {
  // `<issue>/<solution>` names another issue's fix; its stored form on this issue is `<issue>:<solution>`.
  const slash = req.solution.indexOf('/');
  const crossRef = slash > 0 ? { issueId: req.solution.slice(0, slash), solutionId: req.solution.slice(slash + 1) } : parseAdopted(req.solution);
  const known = await log.get(crossRef ? [req.issueId, crossRef.issueId] : [req.issueId]);
  const issue = known.get(req.issueId);
  if (!issue) {
    throw new CliError(`unknown issue id ${req.issueId}: run \`infra-ops debug\` on the error first (issue ids come from it)`, EXIT.usage, 'issue.unknown');
  }
  if (req.seconds !== undefined && (!Number.isFinite(req.seconds) || req.seconds < 0)) {
    throw new CliError('--seconds must be a number of seconds, 0 or more', EXIT.usage, 'input.invalid');
  }
  const at = req.now.toISOString();
  const events: IssueEvent[] = [];
  const timing = { ...(req.seconds !== undefined ? { seconds: req.seconds } : {}), ...(req.env ? { env: req.env } : {}) };
  const wantedId = crossRef ? adoptedSolutionId(crossRef.issueId, crossRef.solutionId) : req.solution;
  let target: Pick<SolutionState, 'solutionId' | 'description' | 'attempts' | 'successes' | 'failures'> | undefined =
    issue.solutions.find((s) => s.solutionId === wantedId);
  let newSolution = false;

  const addSolution = (solutionId: string, description: string, steps: string[], automation: SolutionAutomation) => {
    events.push({ v: 1, type: 'solution.added', id: newEventId(), at, issueId: issue.issueId, solutionId, description, steps, automation, source: 'user' });
    newSolution = true;
    return { solutionId, description, attempts: 0, successes: 0, failures: 0 };
  };

  if (!target && req.solution === 'new') {
    const description = req.description?.trim();
    if (!description) throw new CliError('--solution new needs --description "<what fixed it>"', EXIT.usage, 'input.missing');
    const automation: SolutionAutomation = req.command?.length ? { automated: true, command: req.command.map(redactSecrets) } : { automated: false };
    target = addSolution(randomSolutionId(), redactSecrets(description), (req.steps ?? []).map(redactSecrets), automation);
  } else if (!target && crossRef) {
    const other = known.get(crossRef.issueId)?.solutions.find((s) => s.solutionId === crossRef.solutionId);
    if (!other) throw new CliError(`unknown solution ${req.solution}: no issue ${crossRef.issueId} with solution ${crossRef.solutionId}`, EXIT.usage, 'solution.unknown');
    // The fix of a similar issue was tried here: adopt it, so the next occurrence matches it exactly.
    // Its record lives on the adopted copy only, so one attempt is never counted twice.
    target = addSolution(wantedId, other.description, other.steps, other.automation);
    if (!issue.related.includes(crossRef.issueId) && crossRef.issueId !== issue.issueId) {
      events.push({ v: 1, type: 'issue.related', id: newEventId(), at, issueId: issue.issueId, relatedIssueId: crossRef.issueId });
    }
  } else if (!target) {
    const ids = issue.solutions.map((s) => s.solutionId);
    throw new CliError(
      `issue ${issue.issueId} has no solution ${req.solution}${ids.length ? ` (known: ${ids.join(', ')})` : ''}; use --solution new to record your own fix`,
      EXIT.usage,
      'solution.unknown',
    );
  }

  events.push({ v: 1, type: 'solution.attempt', id: newEventId(), at, issueId: issue.issueId, solutionId: target.solutionId, outcome: req.outcome, ...timing });
  await log.append(events);
  const success = req.outcome === 'success' ? 1 : 0;
  return {
    schemaVersion: 1,
    issueId: issue.issueId,
    solutionId: target.solutionId,
    outcome: req.outcome,
    newSolution,
    adoptedFrom: crossRef ? `${crossRef.issueId}/${crossRef.solutionId}` : null,
    solution: {
      description: target.description,
      attempts: target.attempts + 1,
      successes: target.successes + success,
      failures: target.failures + 1 - success,
    },
  };
}
