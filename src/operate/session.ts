/**
 * Operate sessions: `.infra-ops/sessions/<id>.json` (schemas/operate-session.schema.json, written
 * atomically) plus a folder `.infra-ops/sessions/<id>/` holding the stored manifests and the
 * snapshots taken before execution. Ids are checked against {@link SESSION_ID} before any path is
 * built, so `../x` never leaves the sessions folder.
 *
 * The digest is SHA-256 over the canonical JSON of what would run: the commands' argument vectors,
 * the cluster context, and each manifest's name and SHA-256. Approval is given for a digest; any
 * change to the session's commands or manifests changes it.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import schema from '../../schemas/operate-session.schema.json' with { type: 'json' };
import { canonicalJson, sha256Hex } from '../audit/canonical.js';
import { CliError, EXIT } from '../cli/exit-codes.js';
import { validateAgainst } from '../schema/validate.js';
import { writeJsonAtomic } from '../tester/report/history.js';
import type { Target, Tool } from './commands.js';

export const SESSIONS_DIR = 'sessions';
export const SESSION_ID = /^op-[0-9]{8}-[0-9]{6}-[0-9a-f]{8}$/;
export const DEFAULT_TTL_MINUTES = 60;

export type Tier = 'trivial' | 'low' | 'medium' | 'critical';
export type SessionStatus = 'proposed' | 'executing' | 'executed' | 'executed_with_errors' | 'rolled_back' | 'rollback_failed';

export interface SessionCommand {
  line: number;
  argv: string[];
  tool: Tool;
  verb: string;
  files: string[];
  /** Objects this command changes: named on the line, or from its manifests. */
  targets: Target[];
  tier: Tier;
  tierRule: string;
}

export interface SessionManifest {
  /** As given to --manifest (and written after -f in commands). */
  name: string;
  /** Stored copy, relative to the session folder. */
  file: string;
  sha256: string;
  objects: { apiVersion: string | null; kind: string; name: string; namespace: string | null }[];
}

export interface DryRunResult {
  index: number;
  mode: 'server' | 'client' | 'skipped';
  ok: boolean;
  /** Why the client-side fallback was used, or why the command has no dry-run. */
  note: string | null;
  argv: string[];
  exitCode: number | null;
  /** First lines of the output, redacted. */
  output: string;
  error: string | null;
}

export interface PolicyViolation {
  ruleId: string;
  outcome: string;
  mode: string;
  message: string;
  fix: string;
}

export interface CommandResult {
  index: number;
  argv: string[];
  exitCode: number | null;
  ok: boolean;
  stdout: string;
  stderr: string;
  error: string | null;
  startedAt: string;
  durationMs: number;
}

export interface Snapshot {
  kind: string;
  name: string;
  namespace: string | null;
  /** false: the object did not exist before (the session creates it). */
  existed: boolean;
  /** Relative to the session folder; null when it did not exist. */
  file: string | null;
  /** Helm: the release revision before execution. */
  helmRevision?: number | null;
  error: string | null;
}

export interface OperateSession {
  schemaVersion: 1;
  id: string;
  intent: string;
  createdAt: string;
  expiresAt: string;
  environment: string;
  production: boolean;
  namespace: string | null;
  context: string | null;
  requestedBy: string;
  commands: SessionCommand[];
  manifests: SessionManifest[];
  digest: string;
  dryRun: DryRunResult[];
  policies: { evaluated: boolean; outcome: 'allow' | 'review' | 'deny' | null; violations: PolicyViolation[]; note: string | null };
  patterns: { evaluated: boolean; matches: { name: string; file: string; score: number; matched: string[] }[]; note: string | null };
  capabilities: Record<string, unknown> | null;
  tier: Tier;
  approval: { required: boolean; reason: string | null; requestId: string | null };
  status: SessionStatus;
  execution: {
    startedAt: string;
    finishedAt: string | null;
    approvalId: string | null;
    approver: string | null;
    snapshots: Snapshot[];
    results: CommandResult[];
    auditRecordId: string | null;
  } | null;
  validation: Record<string, unknown> | null;
  rollback: Record<string, unknown> | null;
}

export function sessionsDir(stateDir: string): string {
  return join(stateDir, SESSIONS_DIR);
}

export function checkSessionId(id: string): string {
  if (!SESSION_ID.test(id)) {
    throw new CliError(`"${id}" is not a session id (op-YYYYMMDD-HHMMSS-xxxxxxxx, from operate propose)`, EXIT.usage, 'operate.bad-id');
  }
  return id;
}

export function sessionFile(stateDir: string, id: string): string {
  return join(sessionsDir(stateDir), `${checkSessionId(id)}.json`);
}

/** The session's own folder (manifests, snapshots). */
export function sessionFolder(stateDir: string, id: string): string {
  return join(sessionsDir(stateDir), checkSessionId(id));
}

export function newSessionId(now: Date): string {
  const iso = now.toISOString();
  return `op-${iso.slice(0, 10).replace(/-/g, '')}-${iso.slice(11, 19).replace(/:/g, '')}-${randomBytes(4).toString('hex')}`;
}

/** SHA-256 of exactly what would run. */
export function sessionDigest(s: Pick<OperateSession, 'commands' | 'manifests' | 'context'>): string {
  return sha256Hex(
    canonicalJson({
      v: 1,
      context: s.context,
      commands: s.commands.map((c) => c.argv),
      manifests: s.manifests.map((m) => ({ name: m.name, sha256: m.sha256 })),
    }),
  );
}

export async function writeSession(stateDir: string, s: OperateSession): Promise<void> {
  await writeJsonAtomic(sessionFile(stateDir, s.id), s);
}

export async function sessionProblems(value: unknown): Promise<string[]> {
  return (await validateAgainst(schema, value)).map((p) => `${p.path} ${p.message}`);
}

export async function readSession(stateDir: string, id: string): Promise<OperateSession> {
  const file = sessionFile(stateDir, id);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new CliError(`no session ${id} (in ${sessionsDir(stateDir)})`, EXIT.usage, 'operate.unknown-session');
    throw err;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new CliError(`${file} is not valid JSON (${(e as Error).message}): the session was damaged; propose again`, EXIT.usage, 'operate.session-invalid');
  }
  const problems = await sessionProblems(value);
  if (problems.length > 0) throw new CliError(`${file} is not a valid session:\n  ${problems.slice(0, 10).join('\n  ')}`, EXIT.usage, 'operate.session-invalid', problems);
  const s = value as OperateSession;
  if (s.id !== id) throw new CliError(`${file} holds session ${s.id}, not ${id}: the file was renamed or edited`, EXIT.usage, 'operate.session-invalid');
  return s;
}

export function isExpired(s: OperateSession, now: Date): boolean {
  return now.getTime() >= Date.parse(s.expiresAt);
}

const RANK: Tier[] = ['trivial', 'low', 'medium', 'critical'];
export function maxTier(tiers: readonly Tier[]): Tier {
  return tiers.reduce<Tier>((a, b) => (RANK.indexOf(b) > RANK.indexOf(a) ? b : a), 'trivial');
}
