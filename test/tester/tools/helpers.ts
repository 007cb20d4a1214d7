import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const FAKE_BIN = fileURLToPath(new URL('../../fixtures/fake-bin/', import.meta.url));

export function fakeData(rel: string): string {
  return readFileSync(path.join(FAKE_BIN, rel), 'utf8');
}

/**
 * A sandbox for one test file: a folder holding only a `node` link (so the fakes' `#!/usr/bin/env
 * node` resolves without putting the real /usr/bin on PATH), a Terraform directory whose name has
 * spaces and shell syntax, and an argv log the fakes append to.
 */
export function makeSandbox() {
  const root = mkdtempSync(path.join(tmpdir(), 'infra-ops-tools-'));
  const nodeDir = path.join(root, 'node-only');
  mkdirSync(nodeDir);
  symlinkSync(process.execPath, path.join(nodeDir, 'node'));
  const dir = path.join(root, 'infra dir $(touch pwned); echo `id` & x');
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'main.tf'), 'resource "terraform_data" "x" {\n  input = "a"\n}\n');
  const argvFile = path.join(root, 'argv.jsonl');
  return {
    root,
    nodeDir,
    dir,
    /** Environment whose PATH has only the scenario's fakes and `node`. */
    env(scenario: string): NodeJS.ProcessEnv {
      return { PATH: [path.join(FAKE_BIN, scenario), nodeDir].join(path.delimiter), FAKE_ARGV_FILE: argvFile };
    },
    /** The calls the fakes recorded since the last `calls()`, then forgets them. */
    calls(): Array<{ tool: string; argv: string[]; cwd: string }> {
      if (!existsSync(argvFile)) return [];
      const lines = readFileSync(argvFile, 'utf8').split('\n').filter(Boolean);
      rmSync(argvFile);
      return lines.map((l) => JSON.parse(l) as { tool: string; argv: string[]; cwd: string });
    },
    /** True when something ran `touch pwned` (i.e. a shell interpreted the directory name). */
    pwned(): boolean {
      return existsSync(path.join(root, 'pwned')) || existsSync(path.join(dir, 'pwned')) || existsSync(path.join(process.cwd(), 'pwned'));
    },
    cleanup() {
      rmSync(root, { recursive: true, force: true });
    },
  };
}
