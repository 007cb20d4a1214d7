/**
 * Loads a Terraform directory into resources with line ranges and inline suppressions.
 * Parsing is done by `@cdktf/hcl2json` (WASM, imported lazily); line numbers and comments come
 * from our own scanner (`scan.ts`), since hcl2json provides neither.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { scanHcl, type BlockSpan, type HclComment } from './scan.js';

export interface Suppression {
  /** The id as written: `CKV_AWS_20`, `aws-s3-enable-versioning`, `AVD-AWS-0086`, `IO_AWS_S3_VERSIONING`. */
  id: string;
  reason: string | null;
  /** Which syntax suppressed it. */
  by: 'infra-ops' | 'checkov' | 'tfsec' | 'trivy';
  line: number;
}

export interface TfResource {
  type: string;
  name: string;
  /** `aws_s3_bucket.logs`, or `module.web.aws_s3_bucket.logs` inside a local module. */
  address: string;
  /** `''` for the root module, else `module.web` (or `module.a.module.b`). */
  module: string;
  /** Relative to the loaded directory, `/` separators. */
  file: string;
  startLine: number | null;
  endLine: number | null;
  /** The block as hcl2json gives it: expressions appear as `${...}` strings, nested blocks as arrays. */
  body: Record<string, unknown>;
  suppressions: Suppression[];
  hasCount: boolean;
  hasForEach: boolean;
}

export interface LoadProblem {
  file: string;
  line: number | null;
  message: string;
}

/** A `provider` block (e.g. `provider "aws" { alias = "us" default_tags { ... } }`). */
export interface TfProvider {
  /** The provider's local name: `aws`. */
  type: string;
  /** The `alias` argument when it is a literal, else null. */
  alias: string | null;
  /** `''` for the root module, else `module.web`. */
  module: string;
  file: string;
  startLine: number | null;
  endLine: number | null;
  body: Record<string, unknown>;
}

/** A `variable` block. */
export interface TfVariable {
  name: string;
  module: string;
  file: string;
  startLine: number | null;
  endLine: number | null;
  hasDefault: boolean;
  /** As hcl2json gives it (undefined when there is no default). */
  default: unknown;
}

/** One entry of a `locals` block; lines are those of the enclosing `locals` block. */
export interface TfLocal {
  name: string;
  module: string;
  file: string;
  startLine: number | null;
  endLine: number | null;
  /** As hcl2json gives it: `${...}` strings for expressions. */
  value: unknown;
}

/** A `module` block (a call), local or not. */
export interface TfModuleCall {
  name: string;
  /** The calling module: `''` for the root. */
  module: string;
  /** The called module's path: `module.web` (or `module.a.module.b`); its resources' `module`. */
  address: string;
  source: string | null;
  file: string;
  startLine: number | null;
  endLine: number | null;
  /** Arguments as hcl2json gives them (inputs, `providers`, `count`, `for_each`, ...). */
  body: Record<string, unknown>;
}

export interface LoadResult {
  resources: TfResource[];
  /** `data` blocks (same shape; `address` is `data.<type>.<name>`), for rules that follow references into them. */
  data?: TfResource[];
  /** `provider` blocks of every loaded module. */
  providers?: TfProvider[];
  /** `variable` blocks of every loaded module. */
  variables?: TfVariable[];
  /** Entries of `locals` blocks of every loaded module. */
  locals?: TfLocal[];
  /** `module` blocks (calls) of every loaded module. */
  moduleCalls?: TfModuleCall[];
  problems: LoadProblem[];
}

type Hcl2JsonParse = (filename: string, contents: string) => Promise<Record<string, unknown>>;
let parser: Promise<Hcl2JsonParse> | null = null;

/** Lazily loads the WASM parser (a separate chunk in the bundle). */
function getParser(): Promise<Hcl2JsonParse> {
  parser ??= import('./hcl2json.js').then((m) => m.parseHcl);
  return parser;
}

/**
 * True when a value (as given by hcl2json) is not known statically: any `${...}` / `%{...}`
 * template (variables, locals, module outputs, resource attributes, function calls).
 * Objects and arrays are unresolved if any part is.
 */
export function isUnresolved(value: unknown): boolean {
  if (typeof value === 'string') return /(^|[^$])\$\{|(^|[^%])%\{/.test(value);
  if (Array.isArray(value)) return value.some(isUnresolved);
  if (value !== null && typeof value === 'object') return Object.values(value).some(isUnresolved);
  return false;
}

/** Parses suppression directives out of one comment's text. */
export function parseSuppressions(comment: HclComment): Suppression[] {
  const out: Suppression[] = [];
  const text = comment.text;
  const line = comment.line;
  const clean = (r: string | undefined): string | null => {
    const t = (r ?? '').trim();
    return t === '' ? null : t;
  };
  for (const m of text.matchAll(/infra-ops:skip=([A-Za-z0-9_.:-]+?)(?:[:\s]+([^\n]*))?$/gm)) {
    out.push({ id: m[1]!, reason: clean(m[2]), by: 'infra-ops', line });
  }
  for (const m of text.matchAll(/checkov:skip=([A-Za-z0-9_]+)(?::([^\n]*))?/g)) {
    out.push({ id: m[1]!, reason: clean(m[2]), by: 'checkov', line });
  }
  // tfsec:ignore:<id>[:exp:YYYY-MM-DD] [reason]
  for (const m of text.matchAll(/tfsec:ignore:([A-Za-z0-9_-]+)((?::[A-Za-z0-9_-]+)*)(?:\s+([^\n]*))?/g)) {
    out.push({ id: m[1]!, reason: clean(m[3]), by: 'tfsec', line });
  }
  for (const m of text.matchAll(/trivy:ignore:([A-Za-z0-9_-]+)((?:\[[^\]]*\])?)((?::[A-Za-z0-9_-]+)*)(?:\s+([^\n]*))?/g)) {
    out.push({ id: m[1]!, reason: clean(m[4]), by: 'trivy', line });
  }
  return out;
}

/** Canonical form for comparing ids across tools: upper case, `AVD-` prefix dropped. */
export function normalizeRuleId(id: string): string {
  return id.trim().toUpperCase().replace(/^AVD-/, '');
}

/** Comments inside the block, plus the run of own-line comments directly above it. */
function suppressionsFor(block: BlockSpan, comments: HclComment[]): Suppression[] {
  const out: Suppression[] = [];
  const byEndLine = new Map<number, HclComment>();
  for (const c of comments) if (c.ownLine) byEndLine.set(c.endLine, c);
  const above: HclComment[] = [];
  let l = block.startLine - 1;
  for (let c = byEndLine.get(l); c; c = byEndLine.get(l)) {
    above.unshift(c);
    l = c.line - 1;
  }
  for (const c of above) out.push(...parseSuppressions(c));
  for (const c of comments) {
    if (c.line >= block.startLine && c.line <= block.endLine) out.push(...parseSuppressions(c));
  }
  return out;
}

function errorLine(message: string): number | null {
  const m = /:(\d+),(\d+)(?:-\d+(?:,\d+)?)?:/.exec(message);
  return m ? Number(m[1]) : null;
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

interface LoadOptions {
  /** Follow `module` blocks with a local `./` / `../` source. Default true. */
  followLocalModules?: boolean;
}

export async function loadTerraformDir(dir: string, options: LoadOptions = {}): Promise<LoadResult> {
  const result: LoadResult = { resources: [], data: [], providers: [], variables: [], locals: [], moduleCalls: [], problems: [] };
  const root = path.resolve(dir);
  const visited = new Set<string>();
  await loadModule(root, root, '', result, options.followLocalModules ?? true, visited, 0);
  return result;
}

async function loadModule(
  root: string,
  dir: string,
  modulePrefix: string,
  result: LoadResult,
  follow: boolean,
  visited: Set<string>,
  depth: number,
): Promise<void> {
  const key = `${dir}\0${modulePrefix}`;
  if (visited.has(key) || depth > 10) return;
  visited.add(key);
  let entries: string[];
  try {
    entries = (await readdir(dir)).filter((f) => f.endsWith('.tf')).sort();
  } catch (err) {
    result.problems.push({ file: toPosix(path.relative(root, dir)) || '.', line: null, message: `cannot read directory: ${(err as Error).message}` });
    return;
  }
  const parse = await getParser();
  const childModules: { name: string; dir: string }[] = [];
  for (const entry of entries) {
    const abs = path.join(dir, entry);
    const rel = toPosix(path.relative(root, abs));
    let text: string;
    try {
      text = await readFile(abs, 'utf8');
    } catch (err) {
      result.problems.push({ file: rel, line: null, message: `cannot read file: ${(err as Error).message}` });
      continue;
    }
    let json: Record<string, unknown>;
    try {
      json = await parse(rel, text);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      result.problems.push({ file: rel, line: errorLine(message), message: message.replace(/^parse config: /, '').replace(/^\[([\s\S]*)\]$/, '$1') });
      continue;
    }
    const { blocks, comments } = scanHcl(text);
    // occurrences of each block address in source order, to pair with hcl2json's arrays
    const spans = new Map<string, BlockSpan[]>();
    for (const b of blocks) {
      if ((b.kind !== 'resource' && b.kind !== 'data') || b.labels.length < 2) continue;
      const k = `${b.kind}.${b.labels[0]}.${b.labels[1]}`;
      const list = spans.get(k) ?? [];
      list.push(b);
      spans.set(k, list);
    }
    for (const kind of ['resource', 'data'] as const) {
      const byType = (json[kind] ?? {}) as Record<string, Record<string, unknown>>;
      const target = kind === 'resource' ? result.resources : (result.data ??= []);
      for (const [type, byName] of Object.entries(byType)) {
        for (const [name, bodies] of Object.entries(byName ?? {})) {
          const list = Array.isArray(bodies) ? bodies : [bodies];
          list.forEach((body, idx) => {
            const b = (body ?? {}) as Record<string, unknown>;
            const span = spans.get(`${kind}.${type}.${name}`)?.[idx];
            target.push({
              type,
              name,
              address: `${modulePrefix}${kind === 'data' ? 'data.' : ''}${type}.${name}`,
              module: modulePrefix.replace(/\.$/, ''),
              file: rel,
              startLine: span?.startLine ?? null,
              endLine: span?.endLine ?? null,
              body: b,
              suppressions: span ? suppressionsFor(span, comments) : [],
              hasCount: 'count' in b,
              hasForEach: 'for_each' in b,
            });
          });
        }
      }
    }
    collectOtherBlocks(json, blocks, rel, modulePrefix, result);
    if (follow) {
      const modules = (json['module'] ?? {}) as Record<string, unknown>;
      for (const [name, bodies] of Object.entries(modules)) {
        const first = (Array.isArray(bodies) ? bodies[0] : bodies) as Record<string, unknown> | undefined;
        const source = first?.['source'];
        if (typeof source === 'string' && /^\.\.?\//.test(source)) childModules.push({ name, dir: path.resolve(dir, source) });
      }
    }
  }
  for (const m of childModules) {
    const s = await stat(m.dir).catch(() => null);
    if (!s?.isDirectory()) {
      result.problems.push({ file: toPosix(path.relative(root, m.dir)), line: null, message: `module "${m.name}": local source directory not found` });
      continue;
    }
    await loadModule(root, m.dir, `${modulePrefix}module.${m.name}.`, result, follow, visited, depth + 1);
  }
}

/** Provider, variable, locals and module blocks of one file, paired in source order with their spans. */
function collectOtherBlocks(json: Record<string, unknown>, blocks: BlockSpan[], file: string, modulePrefix: string, result: LoadResult): void {
  const module = modulePrefix.replace(/\.$/, '');
  const spansOf = (kind: string, label?: string): BlockSpan[] =>
    blocks.filter((b) => b.kind === kind && (label === undefined || b.labels[0] === label));
  const listOf = (v: unknown): Record<string, unknown>[] =>
    (Array.isArray(v) ? v : [v]).map((b) => (b !== null && typeof b === 'object' ? (b as Record<string, unknown>) : {}));
  const lines = (span: BlockSpan | undefined): { startLine: number | null; endLine: number | null } => ({
    startLine: span?.startLine ?? null,
    endLine: span?.endLine ?? null,
  });
  for (const [type, bodies] of Object.entries((json['provider'] ?? {}) as Record<string, unknown>)) {
    const spans = spansOf('provider', type);
    listOf(bodies).forEach((body, i) => {
      const alias = body['alias'];
      (result.providers ??= []).push({ type, alias: typeof alias === 'string' && !isUnresolved(alias) ? alias : null, module, file, ...lines(spans[i]), body });
    });
  }
  for (const [name, bodies] of Object.entries((json['variable'] ?? {}) as Record<string, unknown>)) {
    const body = listOf(bodies)[0] ?? {};
    (result.variables ??= []).push({ name, module, file, ...lines(spansOf('variable', name)[0]), hasDefault: 'default' in body, default: body['default'] });
  }
  const localSpans = spansOf('locals');
  listOf(json['locals'] ?? []).forEach((body, i) => {
    for (const [name, value] of Object.entries(body)) (result.locals ??= []).push({ name, module, file, ...lines(localSpans[i]), value });
  });
  for (const [name, bodies] of Object.entries((json['module'] ?? {}) as Record<string, unknown>)) {
    const body = listOf(bodies)[0] ?? {};
    const source = body['source'];
    (result.moduleCalls ??= []).push({
      name,
      module,
      address: `${modulePrefix}module.${name}`,
      source: typeof source === 'string' ? source : null,
      file,
      ...lines(spansOf('module', name)[0]),
      body,
    });
  }
}
