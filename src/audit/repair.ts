import { existsSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { withFileLock } from './lock.js';
import { auditLogPath } from './store.js';

export interface RepairResult {
  repaired: boolean;
  /** Where the cut-off bytes were kept, for the incident. */
  fragmentFile: string | null;
  bytes: number;
  /** 1-based line the fragment was on. */
  line: number | null;
}

/**
 * Set aside a torn last line (a crash mid-write, or a cut file) so records can be appended again:
 * the bytes after the last newline move to `records.torn-<time>.txt` beside the log, then the log is
 * truncated to its last whole line. Nothing else is changed; a last line that parses is left alone.
 */
export async function repairTornTail(stateDir: string, now: () => Date = () => new Date()): Promise<RepairResult> {
  const file = auditLogPath(stateDir);
  const none: RepairResult = { repaired: false, fragmentFile: null, bytes: 0, line: null };
  if (!existsSync(file)) return none;
  return withFileLock(`${file}.lock`, async () => {
    let buf: Buffer;
    try {
      buf = await readFile(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return none;
      throw err;
    }
    if (buf.length === 0 || buf[buf.length - 1] === 0x0a) return none;
    const cut = buf.lastIndexOf(0x0a) + 1;
    const fragment = buf.subarray(cut);
    try {
      JSON.parse(fragment.toString('utf8'));
      return none; // a whole entry without its newline: not torn
    } catch {
      /* torn */
    }
    let line = 1;
    for (let i = 0; i < cut; i++) if (buf[i] === 0x0a) line++;
    const fragmentFile = join(dirname(file), `records.torn-${now().toISOString().replace(/[-:.]/g, '')}.txt`);
    const out = await open(fragmentFile, 'wx');
    try {
      await out.writeFile(fragment);
      await out.sync();
    } finally {
      await out.close();
    }
    const log = await open(file, 'r+');
    try {
      await log.truncate(cut);
      await log.sync();
    } finally {
      await log.close();
    }
    return { repaired: true, fragmentFile, bytes: fragment.length, line };
  });
}
