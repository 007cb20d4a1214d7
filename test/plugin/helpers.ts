import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const CLAUDE = join(ROOT, 'node_modules', '.bin', 'claude');
export const BUNDLE = join(ROOT, 'scripts', 'infra-ops.mjs');

/** Files git would ship (tracked plus new, not ignored), as a plugin install from git sees them. */
export function shippedFiles(): string[] {
  const out = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT });
  return out.toString('utf8').split('\0').filter(Boolean);
}

/** A copy of the plugin as a git install would have it: no node_modules, no ignored files. */
export function copyShippedPlugin(): string {
  const dest = mkdtempSync(join(tmpdir(), 'infra-ops-plugin-'));
  for (const file of shippedFiles()) {
    mkdirSync(dirname(join(dest, file)), { recursive: true });
    try {
      copyFileSync(join(ROOT, file), join(dest, file));
    } catch (err) {
      // A file deleted in the working tree but still in the index is not shipped.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  return dest;
}
