import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const STATE_DIR_NAME = '.infra-ops';

/**
 * The project root is the nearest ancestor of `start` holding `.infra-ops/`; without one,
 * `start` itself (state is created there on first write). State never lives in the plugin folder.
 */
export function findProjectRoot(start: string = process.cwd()): string {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, STATE_DIR_NAME))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return resolve(start);
    dir = parent;
  }
}

export function stateDirOf(projectRoot: string): string {
  return join(projectRoot, STATE_DIR_NAME);
}

let cachedPluginRoot: string | undefined;

/**
 * The plugin's own folder (holds `.claude-plugin/plugin.json`, `templates/`), found from this
 * module's location so it works from the bundle in `scripts/` and from `src/` under tsx.
 */
export function pluginRoot(): string {
  if (cachedPluginRoot) return cachedPluginRoot;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, '.claude-plugin', 'plugin.json'))) return (cachedPluginRoot = dir);
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the plugin folder above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}
