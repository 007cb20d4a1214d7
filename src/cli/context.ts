import { resolve } from 'node:path';
import { findProjectRoot, stateDirOf } from '../project/paths.js';
import { CliError, EXIT } from './exit-codes.js';
import type { CommonOptions } from './main.js';

export interface ProjectContext {
  root: string;
  stateDir: string;
}

/** Like `git -C`: start the search for `.infra-ops/` from --dir instead of the current folder. */
export function projectContext(opts: CommonOptions): ProjectContext {
  const root = findProjectRoot(opts.dir ? resolve(opts.dir) : process.cwd());
  return { root, stateDir: stateDirOf(root) };
}

export function parseCount(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new CliError(`${flag} must be a whole number, got "${value}"`, EXIT.usage, 'input.invalid');
  return n;
}
