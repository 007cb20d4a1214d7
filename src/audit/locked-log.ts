import { mkdir, open, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { syncDir } from '../issuelog/store.js';
import { withFileLock, type LockOptions } from './lock.js';

/**
 * An append-only JSONL file whose writers must see the latest content before appending (hash
 * chain, "already decided"): under an exclusive lock, read the file, let `build` compute the lines,
 * append them with one write on an O_APPEND descriptor, fsync. Same durability as the issue log.
 */
export async function appendUnderLock<T>(
  file: string,
  build: (text: string) => Promise<{ lines: string[]; result: T }> | { lines: string[]; result: T },
  opts: LockOptions = {},
): Promise<T> {
  const dir = dirname(file);
  await mkdir(dir, { recursive: true });
  return withFileLock(
    `${file}.lock`,
    async () => {
      const text = await readText(file);
      const { lines, result } = await build(text);
      if (lines.length === 0) return result;
      // Under the lock, a last byte that is not a newline is a crashed write: start on a fresh line.
      const prefix = text.length > 0 && !text.endsWith('\n') ? '\n' : '';
      const buffer = Buffer.from(`${prefix}${lines.join('\n')}\n`, 'utf8');
      const handle = await open(file, 'a');
      try {
        const { bytesWritten } = await handle.write(buffer, 0, buffer.length, null);
        if (bytesWritten !== buffer.length) throw new Error(`short write to ${file}: ${bytesWritten} of ${buffer.length} bytes (disk full?)`);
        await handle.sync();
      } finally {
        await handle.close();
      }
      if (text.length === 0) await syncDir(dir);
      return result;
    },
    opts,
  );
}

/** The file's text; a missing file reads as empty. */
export async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw err;
  }
}
