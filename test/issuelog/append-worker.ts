/**
 * Spawned by concurrency.test.ts: `node --import tsx append-worker.ts <stateDir> <n> [tag]`.
 * Prints `ready`, waits for a line on stdin (so all workers start appending at once), then appends
 * n issue.seen events in small batches of random size; each message names `<tag>:<seq>` so the test
 * can check every event landed exactly once and in order.
 */
import { newEventId, nowIso } from '../../src/issuelog/event-id.js';
import { appendEvents } from '../../src/issuelog/store.js';
import type { IssueEvent } from '../../src/issuelog/types.js';

const [stateDir, countArg, tagArg] = process.argv.slice(2);
if (!stateDir || !countArg) {
  process.stderr.write('usage: append-worker.ts <stateDir> <n> [tag]\n');
  process.exit(2);
}
const n = Number(countArg);
const tag = tagArg ?? String(process.pid);

function event(seq: number): IssueEvent {
  // Some events are large (several pages) so a batch spans many filesystem blocks in one write.
  const padding = seq % 17 === 0 ? 'x'.repeat(9000 + ((seq * 7919) % 20000)) : '';
  return {
    v: 1,
    id: newEventId(),
    at: nowIso(),
    issueId: `worker-${tag}`,
    type: 'issue.seen',
    pattern: `worker ${tag} event`,
    normalizerVersion: 1,
    category: 'config',
    errorCode: null,
    resourceType: null,
    tool: 'terraform',
    message: `${tag}:${seq} ${padding}`,
    env: tag,
  };
}

async function main(): Promise<void> {
  process.stdout.write('ready\n');
  await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
  process.stdin.pause();
  let seq = 0;
  while (seq < n) {
    const size = Math.min(n - seq, 1 + Math.floor(Math.random() * 7));
    const batch: IssueEvent[] = [];
    for (let i = 0; i < size; i++) batch.push(event(seq++));
    await appendEvents(stateDir!, batch);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
