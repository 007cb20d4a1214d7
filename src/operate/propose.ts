/**
 * `operate propose`: turn a commands file (+ manifests) into a session. Each command is parsed and
 * checked (commands.ts), its objects collected, each validated by dry-run (dry-run.ts), the set
 * checked against the team's policies and matched against the team's patterns (both passed in as
 * {@link ProposeHooks}: the CLI wires `policies.ts`, `patterns.ts` and `capabilities.ts`), and
 * each command classified with the approval tier table; the session tier is the highest. A
 * medium/critical session (or one a policy sends to review) gets an approval request whose reason
 * names the session and its digest: `execute` accepts only a decision on that request.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { createRequest } from '../approval/decisions.js';
import type { ResolvedSettings } from '../approval/settings.js';
import { classifyAction } from '../approval/tier.js';
import { tierRank, type TierDecision } from '../approval/types.js';
import { CliError, EXIT } from '../cli/exit-codes.js';
import type { InfraOpsConfig } from '../config/types.js';
import { redactSecrets } from '../errors/redact.js';
import { cjsNamespace } from '../runtime/cjs-interop.js';
import { manifestFor, parseCommandsFile, type ParsedCommand, type Target } from './commands.js';
import { dryRunSession, type Runner } from './dry-run.js';
import {
  DEFAULT_TTL_MINUTES,
  maxTier,
  newSessionId,
  sessionDigest,
  sessionFolder,
  writeSession,
  type OperateSession,
  type PolicyViolation,
  type SessionCommand,
  type SessionManifest,
} from './session.js';

export interface PolicyInput {
  commands: string[][];
  /** Objects kubectl applies (not those it deletes). */
  manifests: Record<string, unknown>[];
  /** The objects of each file a kubectl command names with -f, by the name as written. */
  files: Record<string, Record<string, unknown>[]>;
  env: string;
  namespace: string | null;
  production: boolean;
}

/** What the policies judge, from the session's commands and the objects of its Kubernetes manifests (by manifest name). */
export function policyInput(
  s: Pick<OperateSession, 'commands' | 'environment' | 'namespace' | 'production'>,
  docsByName: ReadonlyMap<string, Record<string, unknown>[]>,
): PolicyInput {
  const files: Record<string, Record<string, unknown>[]> = {};
  const applied = new Set<string>();
  const manifests: Record<string, unknown>[] = [];
  const named = [...docsByName.keys()].map((name) => ({ name }));
  for (const c of s.commands) {
    if (c.tool !== 'kubectl') continue;
    for (const f of c.files) {
      const m = manifestFor(f, named);
      if (!m) continue;
      files[f] = docsByName.get(m.name)!;
      if (c.verb !== 'delete' && !applied.has(m.name)) {
        applied.add(m.name);
        manifests.push(...docsByName.get(m.name)!);
      }
    }
  }
  return { commands: s.commands.map((c) => c.argv), manifests, files, env: s.environment, namespace: s.namespace, production: s.production };
}

/** The seams to the policy engine, the pattern library and capability discovery. */
export interface ProposeHooks {
  policies?: (input: PolicyInput) => Promise<{ outcome: 'allow' | 'review' | 'deny'; violations: PolicyViolation[] }>;
  patterns?: (intent: string, capabilities: Record<string, unknown> | null) => Promise<{ name: string; file: string; score: number; matched: string[] }[]>;
  capabilities?: () => Promise<Record<string, unknown>>;
}

export interface ProposeInput {
  intent: string;
  commandsText: string;
  manifests: { name: string; text: string }[];
  environment: string;
  production: boolean;
  namespace: string | null;
  context: string | null;
  requestedBy: string;
  ttlMinutes?: number;
}

export interface ProposeDeps {
  stateDir: string;
  run: Runner;
  settings: ResolvedSettings;
  config: InfraOpsConfig | undefined;
  hooks?: ProposeHooks;
  now?: () => Date;
}

/** Verbs of session commands in the approval table's vocabulary. */
const TIER_VERB: Record<string, string> = {
  'set image': 'set-image',
  'set resources': 'set-resources',
  'set env': 'set-env',
  'rollout restart': 'restart',
  'rollout undo': 'rollback',
  'rollout status': 'get',
};
const HELM_VERB: Record<string, string> = { upgrade: 'apply', install: 'apply', rollback: 'rollback', uninstall: 'delete' };

export function tierVerb(cmd: Pick<ParsedCommand, 'tool' | 'verb'>): string {
  if (cmd.tool === 'helm') return HELM_VERB[cmd.verb] ?? cmd.verb;
  return TIER_VERB[cmd.verb] ?? (cmd.verb.startsWith('create ') ? 'create' : cmd.verb);
}

interface ParsedManifest {
  name: string;
  text: string;
  docs: Record<string, unknown>[];
}

/**
 * A file given with --manifest: Kubernetes objects (multi-document YAML) when a kubectl command
 * applies it, or a Helm values file when only helm commands use it. Either way, no secret values.
 */
async function parseManifest(name: string, text: string, helmValuesOnly: boolean): Promise<ParsedManifest> {
  if (redactSecrets(text) !== text) {
    throw new CliError(`${name} holds a secret value; secrets never go into a session file — reference an existing Secret (secretKeyRef, existingSecret) instead`, EXIT.usage, 'operate.secret-in-manifest');
  }
  const { parseAllDocuments } = cjsNamespace(await import('yaml'));
  const docs: Record<string, unknown>[] = [];
  parseAllDocuments(text).forEach((doc, i) => {
    if (doc.errors.length > 0) throw new CliError(`${name}: document ${i + 1}: ${doc.errors[0]!.message.split('\n')[0]}`, EXIT.usage, 'operate.bad-manifest');
    if (helmValuesOnly) return;
    const v = doc.toJS() as unknown;
    if (v === null || v === undefined) return;
    if (typeof v !== 'object' || Array.isArray(v)) throw new CliError(`${name}: document ${i + 1} is not a Kubernetes object`, EXIT.usage, 'operate.bad-manifest');
    const o = v as Record<string, unknown>;
    const meta = (o.metadata ?? {}) as Record<string, unknown>;
    if (typeof o.kind !== 'string' || typeof meta.name !== 'string') {
      throw new CliError(`${name}: document ${i + 1} needs kind and metadata.name`, EXIT.usage, 'operate.bad-manifest');
    }
    if (/^secret$/i.test(o.kind) && (o.data !== undefined || o.stringData !== undefined)) {
      throw new CliError(`${name}: document ${i + 1} is a Secret with data; secrets never go into a session file — create it from your secret store (or an ExternalSecret/SealedSecret manifest)`, EXIT.usage, 'operate.secret-in-manifest');
    }
    docs.push(o);
  });
  if (!helmValuesOnly && docs.length === 0) throw new CliError(`${name}: no Kubernetes object in it`, EXIT.usage, 'operate.bad-manifest');
  return { name, text, docs };
}

function objectOf(o: Record<string, unknown>): SessionManifest['objects'][number] {
  const meta = o.metadata as Record<string, unknown>;
  return {
    apiVersion: typeof o.apiVersion === 'string' ? o.apiVersion : null,
    kind: o.kind as string,
    name: meta.name as string,
    namespace: typeof meta.namespace === 'string' ? meta.namespace : null,
  };
}

function safeName(name: string): string {
  return basename(name).replace(/[^A-Za-z0-9._-]/g, '_') || 'manifest';
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function dedupe(targets: Target[]): Target[] {
  const seen = new Set<string>();
  return targets.filter((t) => {
    const k = `${t.kind.toLowerCase()}/${t.namespace ?? ''}/${t.name}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export async function propose(input: ProposeInput, deps: ProposeDeps): Promise<OperateSession> {
  const now = (deps.now ?? (() => new Date()))();
  if (input.intent.trim() === '') throw new CliError('--intent must say what the change is for', EXIT.usage, 'input.missing');
  const parsed = parseCommandsFile(input.commandsText, input.namespace);
  // Which files kubectl applies (Kubernetes objects) and which only helm reads (values files).
  const byKubectl = new Set(parsed.filter((p) => p.tool === 'kubectl').flatMap((p) => p.files.map((f) => manifestFor(f, input.manifests)?.name)));
  const manifests = await Promise.all(input.manifests.map((m) => parseManifest(m.name, m.text, !byKubectl.has(m.name))));
  const names = new Set<string>();
  for (const m of manifests) {
    if (names.has(m.name)) throw new CliError(`--manifest ${m.name} is given twice`, EXIT.usage, 'operate.bad-manifest');
    names.add(m.name);
  }
  const stored: SessionManifest[] = manifests.map((m, i) => ({ name: m.name, file: `manifests/${i + 1}-${safeName(m.name)}`, sha256: sha256(m.text), objects: m.docs.map(objectOf) }));

  /** The riskiest decision of a list (the first of equals). */
  const worstOf = (ds: TierDecision[]): TierDecision => ds.reduce((a, b) => (tierRank(b.tier) > tierRank(a.tier) ? b : a));
  const classified = parsed.map((p) => {
    const fileTargets: Target[] = p.files.flatMap((f) => {
      const m = manifestFor(f, stored);
      if (!m) throw new CliError(`line ${p.line}: -f ${f} is not a manifest given with --manifest (given: ${stored.map((s) => s.name).join(', ') || 'none'})`, EXIT.usage, 'operate.unknown-manifest', { line: p.line });
      if (p.tool === 'helm') return [];
      return m.objects.map((o) => ({ kind: o.kind, name: o.name, namespace: o.namespace ?? p.namespace }));
    });
    const targets = dedupe([...p.targets, ...fileTargets]);
    const decisions: TierDecision[] = (targets.length > 0 ? targets : [{ kind: 'unknown', name: '', namespace: p.namespace }]).map((t) =>
      classifyAction(
        { verb: tierVerb(p), kind: t.kind, environment: input.environment, production: input.production, ...(t.namespace ? { namespace: t.namespace } : {}), ...(t.name ? { name: t.name } : {}) },
        deps.settings,
        deps.config,
      ),
    );
    const worst = worstOf(decisions);
    const command: SessionCommand = { line: p.line, argv: p.argv, tool: p.tool, verb: p.verb, files: p.files, targets, tier: worst.tier, tierRule: worst.rule.id };
    return { command, decision: worst };
  });

  const id = newSessionId(now);
  const folder = sessionFolder(deps.stateDir, id);
  await mkdir(join(folder, 'manifests'), { recursive: true });
  for (const [i, m] of manifests.entries()) await writeFile(join(folder, stored[i]!.file), m.text, 'utf8');

  const ttl = input.ttlMinutes ?? DEFAULT_TTL_MINUTES;
  const plain = classified.map((c) => c.command);
  const session: OperateSession = {
    schemaVersion: 1,
    id,
    intent: redactSecrets(input.intent.trim()),
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + ttl * 60_000).toISOString(),
    environment: input.environment,
    production: input.production,
    namespace: input.namespace,
    context: input.context,
    requestedBy: input.requestedBy,
    commands: plain,
    manifests: stored,
    digest: '',
    dryRun: [],
    policies: { evaluated: false, outcome: null, violations: [], note: 'not evaluated: no policy set was given' },
    patterns: { evaluated: false, matches: [], note: 'not searched: no pattern library was given' },
    capabilities: null,
    tier: maxTier(plain.map((c) => c.tier)),
    approval: { required: false, reason: null, requestId: null },
    status: 'proposed',
    execution: null,
    validation: null,
    rollback: null,
  };
  session.digest = sessionDigest(session);
  session.dryRun = await dryRunSession(session, folder, deps.run, { allowUnreachableFallback: true });

  const hooks = deps.hooks ?? {};
  if (hooks.capabilities) {
    try {
      session.capabilities = await hooks.capabilities();
    } catch (e) {
      session.capabilities = { error: redactSecrets((e as Error).message) };
    }
  }
  if (hooks.policies) {
    const r = await hooks.policies(policyInput(session, new Map(manifests.filter((m) => m.docs.length > 0).map((m) => [m.name, m.docs]))));
    session.policies = { evaluated: true, outcome: r.outcome, violations: r.violations, note: null };
  }
  if (hooks.patterns) {
    session.patterns = { evaluated: true, matches: await hooks.patterns(session.intent, session.capabilities), note: null };
  }

  const byTier = session.tier === 'medium' || session.tier === 'critical';
  const byPolicy = session.policies.outcome === 'review';
  if (byTier || byPolicy) {
    const worst = worstOf(classified.map((c) => c.decision));
    // A review outcome needs a person even for a low-tier change: the request is at least low.
    const request = await createRequest(deps.stateDir, {
      tier: worst.autoApprove ? { ...worst, tier: 'low', autoApprove: false, slaMinutes: deps.settings.sla.low } : worst,
      requestedBy: input.requestedBy,
      reason: approvalReason(session),
    });
    session.approval = {
      required: true,
      reason: byTier ? `${session.tier} tier (rule ${worst.rule.id})` : 'a policy asks for review',
      requestId: request.id,
    };
  }
  await writeSession(deps.stateDir, session);
  return session;
}

/** The request's reason binds it to the session and the digest; execute checks both. */
export function approvalReason(s: Pick<OperateSession, 'id' | 'digest' | 'intent'>): string {
  return `operate session ${s.id} sha256:${s.digest} — ${s.intent}`.slice(0, 1000);
}

export async function readInputFile(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    throw new CliError(`cannot read ${what} ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, EXIT.usage, 'input.unreadable');
  }
}
