import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { configPath, formatConfigProblem, parseConfig, type ConfigProblem } from '../../config/load.js';
import { projectContext } from '../context.js';
import { CliError, EXIT } from '../exit-codes.js';
import type { CommonOptions } from '../main.js';
import { emit } from '../output.js';

interface ConfigCheckResult {
  schemaVersion: 1;
  configPath: string;
  valid: boolean;
  environments: string[];
  problems: ConfigProblem[];
}

export async function configCheckCommand(_opts: unknown, cmd: Command): Promise<void> {
  const opts = cmd.opts<CommonOptions>();
  const file = configPath(projectContext(opts).root);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new CliError(`no config at ${file}: run \`infra-ops init\` first`, EXIT.usage, 'config.missing');
  }
  const { config, problems } = await parseConfig(text, file);
  const data: ConfigCheckResult = { schemaVersion: 1, configPath: file, valid: !!config, environments: Object.keys(config?.environments ?? {}), problems };
  emit(
    {
      data,
      human: (d) => (d.valid ? `${d.configPath}: valid (environments: ${d.environments.join(', ')})` : d.problems.map(formatConfigProblem).join('\n')),
      exitCode: config ? EXIT.ok : EXIT.usage,
    },
    opts,
  );
}
