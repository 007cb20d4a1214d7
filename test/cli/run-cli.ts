import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { BUNDLE, ROOT } from '../plugin/helpers.js';

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
  json: () => any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** Runs the shipped bundle as a user would, in `cwd`, with colour off unless asked. */
export function cli(args: string[], opts: { cwd: string; input?: string; env?: Record<string, string> }): CliRun {
  const r = spawnSync(process.execPath, [BUNDLE, ...args], {
    cwd: opts.cwd,
    input: opts.input ?? '',
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...opts.env },
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, json: () => JSON.parse(r.stdout) };
}

const ajv = new Ajv({ allErrors: true, strict: true });
// CLI schemas may reference the report schemas by $id.
ajv.addSchema(JSON.parse(readFileSync(join(ROOT, 'schemas', 'test-report.schema.json'), 'utf8')));

/** Validates a CLI JSON document against schemas/cli/<name>.schema.json and returns the errors. */
export function schemaErrors(name: string, doc: unknown): string[] {
  const schema = JSON.parse(readFileSync(join(ROOT, 'schemas', 'cli', `${name}.schema.json`), 'utf8'));
  const validate = ajv.getSchema(schema.$id) ?? ajv.compile(schema);
  return validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}
