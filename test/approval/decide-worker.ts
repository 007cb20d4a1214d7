/**
 * Spawned by concurrency.test.ts: `node --import tsx decide-worker.ts <stateDir> <id> <approver>`.
 * Prints `ready`, waits for a line on stdin, decides the request, prints `decided` or the error code.
 */
import { decideRequest } from '../../src/approval/decisions.js';

const [stateDir, id, approver] = process.argv.slice(2);

async function main(): Promise<void> {
  process.stdout.write('ready\n');
  await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
  process.stdin.pause();
  try {
    await decideRequest(stateDir!, { id: id!, decision: 'approve', approver: approver!, justification: `approved by ${approver}` });
    process.stdout.write('decided\n');
  } catch (err) {
    process.stdout.write(`${(err as { code?: string }).code ?? 'error'}\n`);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
