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
