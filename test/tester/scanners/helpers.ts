import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`../../fixtures/scanners/${name}`, import.meta.url));
}

export function fixture(name: string): string {
  return readFileSync(fixturePath(name), 'utf8');
}

/** Tiny independent reading of a JSON fixture, for expected counts. */
export function json(name: string): any {
  return JSON.parse(fixture(name));
}
