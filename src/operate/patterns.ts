/**
 * Operate patterns: the team's known-good ways of doing a Day-2 change, as Markdown files with
 * frontmatter (`name`, `description`, `keywords`, `intents`, optional `requires` capabilities).
 *
 * API
 * - {@link loadPatterns}`(projectRoot)` → `Pattern[]`: shipped `templates/patterns/*.md` plus the
 *   team's `.infra-ops/patterns/*.md` (a team pattern with a shipped pattern's name replaces it).
 *   Throws {@link PatternFileError} naming file, line and field (schemas/operate-pattern.schema.json).
 * - {@link parsePatterns}`(files)` → `Pattern[]`: the same from texts.
 * - {@link findPatterns}`(intent, patterns, capabilities?)` → ranked `[{ name, file, score, matched,
 *   requires, missing }]`: keyword search over the intent (light stemming: plurals, -ing, -ed; a small
 *   synonym table, {@link CONCEPTS}); no vector database. With `capabilities` (e.g. from
 *   discoverCapabilities), a pattern needing a capability known to be absent ranks below every pattern
 *   that fits (`missing` lists it; an unknown capability is not held against it);
 *   one whose requirements are installed gets a small bonus, and ranks above the patterns it
 *   `supersedes` (autoscale-keda over autoscale-hpa when KEDA is there).
 */
import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import schema from '../../schemas/operate-pattern.schema.json' with { type: 'json' };
import { pluginRoot, stateDirOf } from '../project/paths.js';
import { cjsNamespace } from '../runtime/cjs-interop.js';
import { validateAgainst } from '../schema/validate.js';
import type { CapabilityName } from './capabilities.js';

export interface Pattern {
  name: string;
  description: string;
  keywords: string[];
  intents: string[];
  requires: CapabilityName[];
  /** Patterns this one replaces when its requirements are installed (autoscale-keda over autoscale-hpa). */
  supersedes: string[];
  /** The Markdown body: the steps, commands and manifests (with placeholders). */
  body: string;
  /** File name (no directory) and where it came from. */
  file: string;
  source: 'shipped' | 'team';
}

export interface PatternMatch {
  name: string;
  file: string;
  description: string;
  score: number;
  /** The intent's words and phrases that matched (a keyword, or a synonym of one). */
  matched: string[];
  requires: CapabilityName[];
  /** Required capabilities the cluster is known to lack (`false`); unknown ones are not listed. */
  missing: CapabilityName[];
}

export interface PatternProblem {
  file: string;
  line?: number;
  field: string;
  message: string;
}

export class PatternFileError extends Error {
  constructor(readonly problems: PatternProblem[]) {
    super(`invalid pattern file:\n  ${problems.map(formatPatternProblem).join('\n  ')}`);
    this.name = 'PatternFileError';
  }
}

export function formatPatternProblem(p: PatternProblem): string {
  return `${p.line ? `${p.file}:${p.line}` : p.file}: ${p.field} ${p.message}`;
}

/** Synonyms: each phrase of an entry stands for its concept. Data, one entry per concept. */
export const CONCEPTS: readonly { concept: string; phrases: readonly string[] }[] = [
  { concept: 'autoscale', phrases: ['autoscale', 'autoscaler', 'auto scale', 'auto-scale', 'hpa', 'horizontal pod autoscaler', 'horizontalpodautoscaler', 'keda', 'scaledobject', 'scale on cpu', 'scale on memory', 'scale automatically', 'scale with load', 'scale based on'] },
  { concept: 'zero-downtime', phrases: ['zero downtime', 'no downtime', 'without downtime', 'rolling update', 'zero-downtime'] },
  { concept: 'high-availability', phrases: ['highly available', 'high availability', 'ha', 'replicas', 'redundant', 'resilient', 'failover'] },
  { concept: 'rollback', phrases: ['roll back', 'rollback', 'revert', 'undo', 'previous version', 'previous revision'] },
  { concept: 'delete', phrases: ['delete', 'remove', 'clean up', 'cleanup', 'tear down', 'teardown', 'uninstall', 'decommission'] },
  { concept: 'update', phrases: ['update', 'upgrade', 'new version', 'new image', 'set image', 'bump'] },
  { concept: 'disruption', phrases: ['pdb', 'poddisruptionbudget', 'pod disruption budget', 'disruption budget', 'drain', 'node maintenance', 'eviction'] },
  { concept: 'monitoring', phrases: ['monitoring', 'monitor', 'prometheus', 'servicemonitor', 'podmonitor', 'scrape', 'alerting'] },
  { concept: 'backup', phrases: ['backup', 'back up', 'snapshot', 'restore', 'velero', 'disaster recovery'] },
  { concept: 'database', phrases: ['database', 'db', 'postgres', 'postgresql', 'mysql', 'mariadb', 'mongodb', 'redis', 'statefulset'] },
];

const STOPWORDS = new Set(
  'a an the to my our your of on in for with and or please me i we it its is are be app application make so that this from into by at can want need would should could let us do via using use'.split(' '),
);

const VOWEL = /[aeiouy]/;

/** Light stemming: plurals, -ing, -ed, a final -e; short words stay as they are (`ha`, `has`, `db`). */
export function stem(word: string): string {
  let w = word;
  if (w.length <= 3) return w;
  if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith('ing') && w.length > 5 && VOWEL.test(w.slice(0, -3))) w = undouble(w.slice(0, -3));
  else if (w.endsWith('ed') && w.length > 4 && VOWEL.test(w.slice(0, -2))) w = undouble(w.slice(0, -2));
  else if (/(s|x|z|ch|sh)es$/.test(w) && w.length > 4) w = w.slice(0, -2);
  else if (w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us')) w = w.slice(0, -1);
  if (w.endsWith('e') && w.length > 4) w = w.slice(0, -1);
  return w;
}

function undouble(w: string): string {
  return /([^aeiouls])\1$/.test(w) ? w.slice(0, -1) : w;
}

/** Lower-cased words of a text (hyphens and punctuation split words), stemmed. */
export function tokens(text: string): string[] {
  return (text.toLowerCase().match(/[a-z0-9]+/g) ?? []).map(stem);
}

function content(toks: readonly string[]): string[] {
  return toks.filter((t) => !STOPWORDS.has(t) && !/^v?\d+$/.test(t));
}

function containsPhrase(hay: readonly string[], phrase: readonly string[]): boolean {
  if (phrase.length === 0 || phrase.length > hay.length) return false;
  outer: for (let i = 0; i + phrase.length <= hay.length; i++) {
    for (let j = 0; j < phrase.length; j++) if (hay[i + j] !== phrase[j]) continue outer;
    return true;
  }
  return false;
}

const CONCEPT_TOKENS = CONCEPTS.map((c) => ({ concept: c.concept, phrases: c.phrases.map((p) => ({ text: p, toks: tokens(p) })) }));

/** Concepts a token list mentions, each with the phrase that evoked it. */
function conceptsIn(toks: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const c of CONCEPT_TOKENS) {
    const hit = c.phrases.find((p) => containsPhrase(toks, p.toks));
    if (hit) out.set(c.concept, hit.text);
  }
  return out;
}

interface Indexed {
  pattern: Pattern;
  keywords: { text: string; toks: string[] }[];
  concepts: Set<string>;
  intents: Set<string>[];
  words: Set<string>;
}

const indexCache = new WeakMap<Pattern, Indexed>();
function indexed(p: Pattern): Indexed {
  let ix = indexCache.get(p);
  if (!ix) {
    const keywords = p.keywords.map((k) => ({ text: k, toks: tokens(k) }));
    const concepts = new Set<string>();
    // Keywords and name only: example intents mention side topics ("during node upgrades").
    for (const src of [...p.keywords, p.name.replace(/-/g, ' ')]) for (const c of conceptsIn(tokens(src)).keys()) concepts.add(c);
    ix = {
      pattern: p,
      keywords,
      concepts,
      intents: p.intents.map((i) => new Set(content(tokens(i)))),
      words: new Set(content(tokens(`${p.name.replace(/-/g, ' ')} ${p.description}`))),
    };
    indexCache.set(p, ix);
  }
  return ix;
}

/** Whether every capability the pattern requires is known to be installed (none required: false). */
function installed(p: Pattern, capabilities: Partial<Record<CapabilityName, unknown>> | null | undefined): boolean {
  return p.requires.length > 0 && p.requires.every((r) => capabilities?.[r] === true);
}

/** Least score a pattern needs to be listed: one keyword, one shared concept, or a close example. */
const MIN_SCORE = 2;

/** Patterns that fit the intent, best first; those lacking a required capability after those that fit. */
export function findPatterns(intent: string, patterns: readonly Pattern[], capabilities?: Partial<Record<CapabilityName, unknown>> | null): PatternMatch[] {
  const toks = tokens(intent);
  const words = new Set(content(toks));
  const intentConcepts = conceptsIn(toks);
  const out: PatternMatch[] = [];
  for (const p of patterns) {
    const ix = indexed(p);
    let score = 0;
    const matched: string[] = [];
    const seen = new Set<string>();
    const add = (term: string) => {
      if (!seen.has(term)) {
        seen.add(term);
        matched.push(term);
      }
    };
    for (const k of ix.keywords) {
      if (containsPhrase(toks, k.toks)) {
        score += 3;
        add(k.text);
      }
    }
    for (const [concept, phrase] of intentConcepts) {
      if (ix.concepts.has(concept)) {
        score += 2;
        add(phrase);
      }
    }
    let best = 0;
    for (const example of ix.intents) {
      const shared = [...words].filter((w) => example.has(w)).length;
      const union = new Set([...words, ...example]).size;
      if (union > 0) best = Math.max(best, shared / union);
    }
    score += 2 * best;
    score += Math.min(2, 0.5 * [...words].filter((w) => ix.words.has(w)).length);
    if (score < MIN_SCORE) continue;
    // Only a capability known to be absent (false) is missing; unknown (discovery failed) is not held against a pattern.
    const missing = p.requires.filter((r) => capabilities?.[r] === false);
    if (installed(p, capabilities)) score += 1;
    out.push({ name: p.name, file: p.file, description: p.description, score: Math.round(score * 100) / 100, matched, requires: p.requires, missing });
  }
  // A pattern that fits the cluster and supersedes another listed one ranks above it.
  for (const m of out) {
    const p = patterns.find((x) => x.name === m.name);
    if (p && installed(p, capabilities)) {
      for (const other of out) if (p.supersedes.includes(other.name) && other.score >= m.score) m.score = Math.round((other.score + 1) * 100) / 100;
    }
  }
  return out.sort((a, b) => Number(a.missing.length > 0) - Number(b.missing.length > 0) || b.score - a.score || a.name.localeCompare(b.name));
}

interface RawFrontmatter {
  name: string;
  description: string;
  keywords: string[];
  intents: string[];
  requires?: CapabilityName[];
  supersedes?: string[];
}

/** Parses pattern files; a team pattern replaces a shipped one of the same name; a duplicate within one source is an error. */
export async function parsePatterns(files: { path: string; text: string; source?: 'shipped' | 'team' }[]): Promise<Pattern[]> {
  const grayMatter = (await import('gray-matter')) as unknown as { default?: unknown };
  const matter = (grayMatter.default ?? grayMatter) as (s: string, o: object) => { data: unknown; content: string; matter: string };
  const { parse, parseDocument, LineCounter } = cjsNamespace(await import('yaml'));
  const problems: PatternProblem[] = [];
  const byName = new Map<string, { pattern: Pattern; source: 'shipped' | 'team'; file: string }>();
  for (const { path, text, source = 'team' } of files) {
    if (!/^---\r?\n/.test(text)) {
      problems.push({ file: path, line: 1, field: '/', message: 'has no frontmatter (start the file with --- name, description, keywords, intents ---)' });
      continue;
    }
    let parsed: { data: unknown; content: string; matter: string };
    try {
      // `yaml` rather than gray-matter's js-yaml: one YAML dialect everywhere, and located errors below.
      parsed = matter(text, { engines: { yaml: (s: string) => parse(s) as object } });
    } catch {
      const lineCounter = new LineCounter();
      const doc = parseDocument(text.replace(/^---\r?\n/, '\n').split(/\r?\n---\r?\n/)[0] ?? '', { lineCounter, prettyErrors: false });
      const e = doc.errors[0];
      problems.push({ file: path, ...(e ? { line: lineCounter.linePos(e.pos[0]).line } : {}), field: '/', message: `YAML syntax error in the frontmatter${e ? `: ${e.message.split('\n')[0]}` : ''}` });
      continue;
    }
    const data = parsed.data ?? {};
    const fileProblems: PatternProblem[] = [];
    const lineCounter = new LineCounter();
    const doc = parseDocument(parsed.matter, { lineCounter });
    for (const p of await validateAgainst(schema, data)) {
      const keys = p.path.split('/').slice(1).map((k) => (/^\d+$/.test(k) ? Number(k) : k));
      let line: number | undefined;
      for (let n = keys.length; n >= 0 && line === undefined; n--) {
        const node = (n === 0 ? doc.contents : doc.getIn(keys.slice(0, n), true)) as { range?: [number, number, number] } | null | undefined;
        if (node && typeof node === 'object' && node.range) line = lineCounter.linePos(node.range[0]).line;
      }
      const allowed = p.allowed ? ` (allowed: ${p.allowed.map((a) => JSON.stringify(a)).join(', ')})` : '';
      fileProblems.push({ file: path, ...(line !== undefined ? { line } : {}), field: p.path, message: p.message + allowed });
    }
    if (fileProblems.length === 0) {
      const raw = data as RawFrontmatter;
      const prior = byName.get(raw.name);
      if (prior && prior.source === source) {
        const node = doc.getIn(['name'], true) as { range?: [number, number, number] } | undefined;
        fileProblems.push({ file: path, ...(node?.range ? { line: lineCounter.linePos(node.range[0]).line } : {}), field: '/name', message: `duplicates the name of the pattern in ${prior.file}` });
      } else {
        byName.set(raw.name, {
          pattern: { name: raw.name, description: raw.description, keywords: raw.keywords, intents: raw.intents, requires: raw.requires ?? [], supersedes: raw.supersedes ?? [], body: parsed.content.trim(), file: basename(path), source },
          source,
          file: path,
        });
      }
    }
    problems.push(...fileProblems);
  }
  if (problems.length > 0) throw new PatternFileError(problems);
  return [...byName.values()].map((v) => v.pattern);
}

async function markdownFiles(dir: string, source: 'shipped' | 'team'): Promise<{ path: string; text: string; source: 'shipped' | 'team' }[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.md') && n.toLowerCase() !== 'readme.md').sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return Promise.all(names.map(async (n) => ({ path: join(dir, n), text: await readFile(join(dir, n), 'utf8'), source })));
}

export function shippedPatternsDir(): string {
  return join(pluginRoot(), 'templates', 'patterns');
}

/** Shipped patterns plus the team's `.infra-ops/patterns/*.md` (absent folder: shipped only). */
export async function loadPatterns(projectRoot: string, opts: { shippedDir?: string } = {}): Promise<Pattern[]> {
  const shipped = await markdownFiles(opts.shippedDir ?? shippedPatternsDir(), 'shipped');
  const team = await markdownFiles(join(stateDirOf(projectRoot), 'patterns'), 'team');
  return parsePatterns([...shipped, ...team]);
}
