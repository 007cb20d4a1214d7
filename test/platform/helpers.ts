import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { filesReader, type ClusterReader } from '../../src/platform/cluster.js';
import type { K8sObject } from '../../src/platform/types.js';

export const PLATFORM_FIXTURES = fileURLToPath(new URL('../fixtures/k8s/platform/', import.meta.url));
/** When the fixtures were "recorded" (see SOURCES.md). */
export const RECORDED_AT = new Date('2026-11-20T10:15:00Z');

export function scenarioDir(name: string): string {
  return path.join(PLATFORM_FIXTURES, name);
}

export function reader(name: string): ClusterReader {
  return filesReader(scenarioDir(name));
}

export function items(scenario: string, file: string): K8sObject[] {
  return (JSON.parse(readFileSync(path.join(PLATFORM_FIXTURES, scenario, file), 'utf8')) as { items: K8sObject[] }).items;
}

import { existsSync, mkdtempSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';

export const FAKE_KUBECTL_BIN = fileURLToPath(new URL('../fixtures/fake-bin/kubectl-platform/', import.meta.url));

/**
 * A PATH holding only the fake kubectl and `node` (so nothing else is found), plus the file the
 * fake appends its argv to. `calls()` returns and forgets the recorded calls.
 */
export function kubectlSandbox() {
  const root = mkdtempSync(path.join(tmpdir(), 'infra-ops-platform-'));
  const nodeDir = path.join(root, 'node-only');
  mkdirSync(nodeDir);
  symlinkSync(process.execPath, path.join(nodeDir, 'node'));
  const argvFile = path.join(root, 'argv.jsonl');
  return {
    root,
    env(scenario: string, extra: Record<string, string> = {}): Record<string, string> {
      return { PATH: [FAKE_KUBECTL_BIN, nodeDir].join(path.delimiter), FAKE_ARGV_FILE: argvFile, FAKE_KUBECTL_DIR: scenarioDir(scenario), ...extra };
    },
    /** PATH without kubectl. */
    envWithoutKubectl(): Record<string, string> {
      return { PATH: nodeDir };
    },
    calls(): string[][] {
      if (!existsSync(argvFile)) return [];
      const lines = readFileSync(argvFile, 'utf8').split('\n').filter(Boolean);
      rmSync(argvFile);
      return lines.map((l) => (JSON.parse(l) as { argv: string[] }).argv);
    },
    cleanup() {
      rmSync(root, { recursive: true, force: true });
    },
  };
}
