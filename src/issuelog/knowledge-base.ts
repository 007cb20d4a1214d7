import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { LineCounter, parseDocument, type Document } from 'yaml';
import schema from '../../schemas/knowledge-base.schema.json' with { type: 'json' };
import type { ErrorCategory, ErrorTool } from '../errors/types.js';
import { describeAjvErrors } from '../schema/validate.js';

/**
 * The starter knowledge base: common errors shipped with the plugin (templates/knowledge-base/*.yaml),
 * each with a real-format example and ranked fixes, so debugging helps before the team logs anything.
 */
export interface KbSolution {
  id: string;
  description: string;
  steps: string[];
  automation: { automated: boolean; command?: string[]; notes?: string };
}

export interface KbEntry {
  id: string;
  title: string;
  example: string;
  category: ErrorCategory;
  errorCode: string | null;
  resourceType: string | null;
  tool: ErrorTool;
  tags: string[];
  solutions: KbSolution[];
  /** File name the entry came from (no directory), so ids and reports are the same on every machine. */
  file: string;
}

/** One thing wrong with a knowledge-base file, located as precisely as the input allows. */
export interface KbProblem {
  file: string;
  line?: number;
  /** Index of the entry in its file's list, when the problem is inside an entry. */
  index?: number;
  entryId?: string;
  /** JSON pointer inside the entry (`/solutions/0/automation/command`), or `/` for the file itself. */
  field: string;
  message: string;
}

export class KnowledgeBaseError extends Error {
  constructor(readonly problems: KbProblem[]) {
    super(`invalid knowledge base:\n  ${problems.map(formatKbProblem).join('\n  ')}`);
    this.name = 'KnowledgeBaseError';
  }
}

/** `file:line: entry "id" (#3) /field message`: every part a reader needs to find and fix it. */
export function formatKbProblem(p: KbProblem): string {
  const where = p.line ? `${p.file}:${p.line}` : p.file;
  const entry = p.index === undefined ? '' : p.entryId ? ` entry "${p.entryId}" (#${p.index})` : ` entry #${p.index}`;
  return `${where}:${entry} ${p.field} ${p.message}`;
}

// One definition of a KB issue id, in the module the run-time path already loads.
export { kbIssueIdOf as kbIssueId } from './kb-compiled.js';

/** Argv words that delete or force state: a starter-base fix must never run them unattended. */
const DESTRUCTIVE = new Set(['delete', 'destroy', 'force-unlock', 'rm', 'rmi', 'uninstall', 'drain', 'taint', 'purge', 'terminate-instances', 'delete-stack']);
const PLACEHOLDER = /[<>{}]/;

// Compiled once: the schema is fixed at build time and every load uses it.
let validator: ValidateFunction | undefined;
function validate(): ValidateFunction {
  validator ??= new Ajv({ allErrors: true, allowUnionTypes: true }).compile(schema);
  return validator;
}

/** Parse and validate knowledge-base files; throws one KnowledgeBaseError listing every problem. */
export function parseKnowledgeBase(files: { path: string; text: string }[]): KbEntry[] {
  const problems: KbProblem[] = [];
  const entries: KbEntry[] = [];
  const seen = new Map<string, string>();
  for (const { path, text } of files) {
    const lineCounter = new LineCounter();
    const doc = parseDocument(text, { lineCounter, prettyErrors: false });
    if (doc.errors.length > 0) {
      for (const e of doc.errors) {
        problems.push({ file: path, line: lineCounter.linePos(e.pos[0]).line, field: '/', message: `YAML syntax error: ${e.message.split('\n')[0]}` });
      }
      continue;
    }
    const value = doc.toJS() as unknown;
    const fileProblems: KbProblem[] = [];
    const fn = validate();
    if (!fn(value)) {
      for (const p of describeAjvErrors(fn.errors)) fileProblems.push(locate(path, doc, lineCounter, value, p.path, p.message, p.allowed));
    }
    if (Array.isArray(value)) {
      value.forEach((raw: unknown, index) => {
        if (!raw || typeof raw !== 'object') return;
        const entry = raw as Partial<KbEntry>;
        for (const p of semanticProblems(entry)) fileProblems.push(locate(path, doc, lineCounter, value, `/${index}${p.field}`, p.message));
        if (typeof entry.id === 'string') {
          const prior = seen.get(entry.id);
          if (prior !== undefined) fileProblems.push(locate(path, doc, lineCounter, value, `/${index}/id`, `duplicates the id of an entry in ${prior}`));
          else seen.set(entry.id, path);
        }
      });
    }
    problems.push(...fileProblems);
    if (fileProblems.length === 0) {
      for (const raw of value as Omit<KbEntry, 'file'>[]) entries.push(toEntry(raw, basename(path)));
    }
  }
  if (problems.length > 0) throw new KnowledgeBaseError(problems);
  return entries;
}

/** Reads every `*.yaml` in `dir`, in name order so entry order (and ties in matching) is stable. */
export async function readKnowledgeBaseDir(dir: string): Promise<KbEntry[]> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.yaml')).sort();
  const files = await Promise.all(names.map(async (n) => ({ path: join(dir, n), text: await readFile(join(dir, n), 'utf8') })));
  return parseKnowledgeBase(files);
}

/** Rules JSON Schema cannot say clearly: unique solution ids, and automation that is safe to run unattended. */
function semanticProblems(entry: Partial<KbEntry>): { field: string; message: string }[] {
  const out: { field: string; message: string }[] = [];
  if (!Array.isArray(entry.solutions)) return out;
  const ids = new Set<string>();
  entry.solutions.forEach((s: Partial<KbSolution> | null, i) => {
    if (!s || typeof s !== 'object') return;
    if (typeof s.id === 'string') {
      if (ids.has(s.id)) out.push({ field: `/solutions/${i}/id`, message: `duplicates another solution id in this entry` });
      ids.add(s.id);
    }
    const auto = s.automation;
    if (!auto || typeof auto !== 'object' || !Array.isArray(auto.command)) return;
    const field = `/solutions/${i}/automation/command`;
    if (auto.automated !== true) out.push({ field, message: 'is only allowed when automated is true (put a suggested command in the steps)' });
    const words = auto.command.filter((w): w is string => typeof w === 'string');
    const bad = words.find((w) => DESTRUCTIVE.has(w.toLowerCase()));
    if (bad) out.push({ field, message: `runs a destructive verb (${bad}); make it a manual step` });
    if (words.some((w) => PLACEHOLDER.test(w))) out.push({ field, message: 'has a placeholder; an automated command must run as is' });
  });
  return out;
}

/** Turns a file-level JSON pointer (`/3/solutions/0`) into file, line, entry and entry-relative field. */
function locate(
  file: string,
  doc: Document,
  lineCounter: LineCounter,
  value: unknown,
  pointer: string,
  message: string,
  allowed?: unknown[],
): KbProblem {
  const keys = pointer.split('/').slice(1).map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
  const suffix = allowed ? ` (allowed: ${allowed.map((a) => JSON.stringify(a)).join(', ')})` : '';
  const line = lineOf(doc, lineCounter, keys);
  const base: KbProblem = { file, field: '/', message: message + suffix };
  if (line !== undefined) base.line = line;
  const first = keys[0];
  if (first === undefined || !/^\d+$/.test(first) || !Array.isArray(value)) return base;
  const index = Number(first);
  const raw: unknown = value[index];
  const id = raw && typeof raw === 'object' ? (raw as { id?: unknown }).id : undefined;
  const field = keys.length > 1 ? `/${keys.slice(1).join('/')}` : '/';
  return typeof id === 'string' ? { ...base, index, entryId: id, field } : { ...base, index, field };
}

function lineOf(doc: Document, lineCounter: LineCounter, keys: string[]): number | undefined {
  // Walk up until a node exists: a missing field is reported at its parent.
  for (let n = keys.length; n >= 0; n--) {
    const path = keys.slice(0, n).map((k) => (/^\d+$/.test(k) ? Number(k) : k));
    const node = (n === 0 ? doc.contents : doc.getIn(path, true)) as { range?: [number, number, number] } | null | undefined;
    if (node && typeof node === 'object' && node.range) return lineCounter.linePos(node.range[0]).line;
  }
  return undefined;
}

function toEntry(raw: Omit<KbEntry, 'file'>, file: string): KbEntry {
  return {
    id: raw.id,
    title: raw.title,
    example: raw.example,
    category: raw.category,
    errorCode: raw.errorCode,
    resourceType: raw.resourceType,
    tool: raw.tool,
    tags: raw.tags,
    solutions: raw.solutions.map((s) => ({
      id: s.id,
      description: s.description,
      steps: s.steps,
      automation: s.automation.command
        ? { automated: s.automation.automated, command: s.automation.command, ...(s.automation.notes ? { notes: s.automation.notes } : {}) }
        : { automated: s.automation.automated, ...(s.automation.notes ? { notes: s.automation.notes } : {}) },
    })),
    file,
  };
}
