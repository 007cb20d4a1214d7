/**
 * Spawned by concurrency.test.ts: `node --import tsx append-worker.ts <stateDir> <n> <tag>`.
 * Prints `ready`, waits for a line on stdin so every worker starts at once, then appends n audit
 * records whose summary is `<tag>:<i>`.
 */
import { appendAuditRecord } from '../../src/audit/store.js';
import { APPROVAL, phr } from './helpers.js';

const [stateDir, countArg, tag] = process.argv.slice(2);
if (!stateDir || !countArg || !tag) {
  process.stderr.write('usage: append-worker.ts <stateDir> <n> <tag>\n');
  process.exit(2);
}

async function main(): Promise<void> {
  process.stdout.write('ready\n');
  await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
  process.stdin.pause();
  for (let i = 0; i < Number(countArg); i++) await appendAuditRecord(stateDir!, phr({ summary: `${tag}:${i}` }), APPROVAL);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
