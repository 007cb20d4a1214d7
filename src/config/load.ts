import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import schema from '../../schemas/config.schema.json' with { type: 'json' };
import { CliError, EXIT } from '../cli/exit-codes.js';
import { stateDirOf } from '../project/paths.js';
import { cjsNamespace } from '../runtime/cjs-interop.js';
import { validateAgainst, type SchemaProblem } from '../schema/validate.js';
import type { InfraOpsConfig } from './types.js';

export const CONFIG_FILE = 'config.yaml';

export interface ConfigProblem extends SchemaProblem {
  file: string;
  line?: number;
}

export function configPath(projectRoot: string): string {
  return join(stateDirOf(projectRoot), CONFIG_FILE);
}

/** A problem as one line a person can act on: `file:line: path message (allowed: a, b)`. */
export function formatConfigProblem(p: ConfigProblem): string {
  const where = p.line ? `${p.file}:${p.line}` : p.file;
  const allowed = p.allowed ? ` (allowed: ${p.allowed.map((a) => JSON.stringify(a)).join(', ')})` : '';
  return `${where}: ${p.path} ${p.message}${allowed}`;
}

/** Parse and validate config text; returns problems instead of throwing so `config check` can list them all. */
export async function parseConfig(text: string, file: string): Promise<{ config?: InfraOpsConfig; problems: ConfigProblem[] }> {
  const { parseDocument, LineCounter } = cjsNamespace(await import('yaml'));
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    return {
      problems: doc.errors.map((e) => ({
        file,
        line: lineCounter.linePos(e.pos[0]).line,
        path: '/',
        message: `YAML syntax error: ${e.message.split('\n')[0]}`,
      })),
    };
  }
  const value = doc.toJS() as unknown;
  const problems = (await validateAgainst(schema, value)).map((p): ConfigProblem => {
    const line = lineOfPath(doc, lineCounter, p.path);
    return line ? { ...p, file, line } : { ...p, file };
  });
  return problems.length > 0 ? { problems } : { config: value as InfraOpsConfig, problems };
}

function lineOfPath(
  doc: import('yaml').Document,
  lineCounter: import('yaml').LineCounter,
  pointer: string,
): number | undefined {
  const keys = pointer.split('/').slice(1).map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
  // Walk up until a node exists: a missing field is reported at its parent.
  for (let n = keys.length; n >= 0; n--) {
    const node = doc.getIn(keys.slice(0, n), true) as { range?: [number, number, number] } | undefined;
    if (node && typeof node === 'object' && node.range) return lineCounter.linePos(node.range[0]).line;
  }
  return undefined;
}

/** Load the project's config; `undefined` when there is none (commands then use defaults). */
export async function loadConfig(projectRoot: string): Promise<InfraOpsConfig | undefined> {
  const file = configPath(projectRoot);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new CliError(`cannot read ${file}: ${(err as Error).message}`, EXIT.usage, 'config.unreadable');
  }
  const { config, problems } = await parseConfig(text, file);
  if (!config) {
    throw new CliError(
      `invalid config:\n  ${problems.map(formatConfigProblem).join('\n  ')}`,
      EXIT.usage,
      'config.invalid',
      problems,
    );
  }
  return config;
}
