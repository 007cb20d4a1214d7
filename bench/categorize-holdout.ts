/**
 * `npx tsx bench/categorize-holdout.ts`: held-out accuracy of categorizeError on
 * test/fixtures/errors/holdout.yaml (real texts never used to build the rules). Prints category and
 * errorCode accuracy plus every miss. A figure, not an assert: do not tune rules against this file.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { categorizeError } from '../src/errors/categorize.js';

interface HoldoutCase {
  text: string;
  category: string;
  errorCode: string | null;
  source: string;
}

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const FILE = join(ROOT, 'test', 'fixtures', 'errors', 'holdout.yaml');

const cases = parse(readFileSync(FILE, 'utf8')) as HoldoutCase[];
const snippet = (t: string) => t.replace(/\s+/g, ' ').trim().slice(0, 100);
const pct = (n: number) => `${((100 * n) / cases.length).toFixed(1)}%`;

let categoryHits = 0;
let codeHits = 0;
let bothHits = 0;
const misses: string[] = [];

cases.forEach((c, i) => {
  const got = categorizeError(c.text);
  const expectedCode = c.errorCode ?? null;
  const gotCode = got.errorCode ?? null;
  const catOk = got.category === c.category;
  const codeOk = gotCode === expectedCode;
  if (catOk) categoryHits++;
  if (codeOk) codeHits++;
  if (catOk && codeOk) bothHits++;
  if (!catOk || !codeOk) {
    const parts: string[] = [];
    if (!catOk) parts.push(`category ${c.category} → got ${got.category}`);
    if (!codeOk) parts.push(`errorCode ${expectedCode} → got ${gotCode}`);
    misses.push(`#${String(i + 1).padStart(2)} [tool ${got.tool}] ${parts.join('; ')}\n     ${snippet(c.text)}\n     ${c.source}`);
  }
});

console.log(`holdout: ${cases.length} cases (${FILE})`);
console.log(`category  accuracy: ${categoryHits}/${cases.length} = ${pct(categoryHits)}`);
console.log(`errorCode accuracy: ${codeHits}/${cases.length} = ${pct(codeHits)}`);
console.log(`both correct:       ${bothHits}/${cases.length} = ${pct(bothHits)}`);
console.log(`\nmisses (${misses.length}):`);
for (const m of misses) console.log(m);
