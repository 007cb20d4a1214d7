import { Command, CommanderError, Option } from 'commander';
import pkg from '../../package.json' with { type: 'json' };
import { CliError, EXIT } from './exit-codes.js';
import { emitError } from './output.js';

/**
 * The `infra-ops` CLI: argument parsing only. Each action loads its command module on demand,
 * so `--version` and `--help` never pay for ajv, yaml or the knowledge base.
 */
export interface CommonOptions {
  json: boolean;
  dir?: string;
}

function common(cmd: Command): Command {
  return cmd
    .option('--json', 'print one JSON document on stdout (schemas in schemas/cli/)', false)
    .option('-C, --dir <path>', 'project directory (default: nearest folder with .infra-ops/, else the current one)');
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

// Commander passes positional arguments, then options, then the command itself.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Action = (...args: any[]) => Promise<void>;

/** Wraps an action so every failure becomes one clear message and the right exit code. */
function run(load: () => Promise<Action>): Action {
  return async (...args: unknown[]) => {
    const cmd = args[args.length - 1] as Command;
    const opts = cmd.optsWithGlobals<CommonOptions>();
    try {
      const action = await load();
      await action(...args);
    } catch (err) {
      emitError(err, { json: Boolean(opts.json) });
    }
  };
}

/** Capabilities that later versions build: answer plainly, never pretend (exit 3). */
function unavailable(name: string, what: string): Action {
  return async (...args: unknown[]) => {
    const cmd = args[args.length - 1] as Command;
    emitError(
      new CliError(`\`infra-ops ${name}\` (${what}) is not available in infra-ops ${pkg.version} yet`, EXIT.blocked, 'unavailable'),
      { json: Boolean(cmd.opts<CommonOptions>().json) },
    );
  };
}

export function buildProgram(): Command {
  const program = new Command('infra-ops')
    .description('A senior SRE in your terminal: error intelligence with a learning issue log (more capabilities: see `status`).')
    .version(pkg.version, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();

  common(program.command('init'))
    .description('write .infra-ops/config.yaml from the template (environments test and prod)')
    .option('--force', 'overwrite an existing config', false)
    .option('--project <name>', 'project name used in naming patterns (default: the folder name)')
    .action(run(async () => (await import('./commands/init.js')).initCommand));

  const config = program.command('config').description('inspect the project configuration');
  common(config.command('check'))
    .description('validate .infra-ops/config.yaml; each bad field is named with its line and allowed values')
    .action(run(async () => (await import('./commands/config.js')).configCheckCommand));

  common(program.command('debug'))
    .description('analyze an error: category, code, resource type, pattern, issue id and ranked known solutions')
    .option('-e, --error <text>', 'the error text (else --error-file, else stdin)')
    .option('-f, --error-file <file>', 'read the error text from a file (- for stdin)')
    .option('--env <name>', 'environment the error happened in (e.g. test, prod)')
    .option('--operation <name>', 'what was running (deploy, plan, apply, kubectl, helm ...)')
    .option('--no-record', 'do not record this occurrence in the issue log')
    .option('--limit <n>', 'most solutions to show (best + alternatives)', '4')
    .action(run(async () => (await import('./commands/debug.js')).debugCommand));

  common(program.command('resolve'))
    .description('record the outcome of trying a solution, so the next debug ranks it better or worse')
    .argument('<issueId>', 'issue id from `debug`')
    .requiredOption('-s, --solution <id|new>', 'solution id from `debug`, or `new` to record your own fix')
    .addOption(new Option('-o, --outcome <outcome>', 'did it fix the error').choices(['success', 'failure']).makeOptionMandatory())
    .option('--seconds <n>', 'time it took to resolve, in seconds')
    .option('--env <name>', 'environment it was tried in')
    .option('--description <text>', 'with --solution new: what the fix is, in one line')
    .option('--step <text>', 'with --solution new: a step (repeatable, in order)', collect)
    .option('--command <argv...>', 'with --solution new: the command that applies the fix, as separate arguments')
    .action(run(async () => (await import('./commands/resolve.js')).resolveCommand));

  const issues = program.command('issues').description('the learning issue log in .infra-ops/issue-log/');
  common(issues.command('list'))
    .description('list known issues, most recent first')
    .option('--category <name>', 'only this category')
    .option('--all', 'include the starter knowledge base', false)
    .option('--limit <n>', 'most issues to list', '50')
    .action(run(async () => (await import('./commands/issues.js')).issuesListCommand));
  common(issues.command('show'))
    .description('one issue with its occurrences and every solution with its record')
    .argument('<issueId>')
    .action(run(async () => (await import('./commands/issues.js')).issuesShowCommand));
  common(issues.command('stats'))
    .description('totals, categories, automation rate, average resolution time')
    .action(run(async () => (await import('./commands/issues.js')).issuesStatsCommand));
  common(issues.command('verify'))
    .description('check the log: torn or invalid lines are reported with their line numbers')
    .action(run(async () => (await import('./commands/issues.js')).issuesVerifyCommand));
  common(issues.command('export'))
    .description('write the whole log as one issue-log.json document (stdout, or --output)')
    .option('--output <file>', 'write to this file instead of stdout')
    .action(run(async () => (await import('./commands/issues.js')).issuesExportCommand));
  common(issues.command('import'))
    .description('read an issue-log.json document into the log (importing twice changes nothing)')
    .argument('<file>')
    .action(run(async () => (await import('./commands/issues.js')).issuesImportCommand));

  common(program.command('status'))
    .description('what this project has: config, environments, issue log, and which tools are installed')
    .action(run(async () => (await import('./commands/status.js')).statusCommand));

  common(program.command('rules'))
    .description('list the built-in Terraform rules: id, severity, title, and the checkov/tfsec/trivy ids they match')
    .action(run(async () => (await import('./commands/rules.js')).rulesCommand));

  const test = common(program.command('test'))
    .description('test a Terraform directory before (pre) or after (post) deploying: scanners, rules, compliance, cost, state, health')
    .argument('[dir]', 'Terraform root module (default: iac.dir from the config, else the project folder)')
    .option('--env <name>', 'environment whose config (budget, tags, naming, gate, health checks) applies (required)')
    .addOption(new Option('--phase <phase>', 'pre: before apply; post: after apply').choices(['pre', 'post']).default('pre'))
    .option('--scanners <list>', 'comma list of builtin,checkov,tfsec,trivy (default: builtin + every installed scanner)')
    .option('--format <list>', 'also write these reports beside the JSON one: md,sarif,junit')
    .option('--plan <file>', 'pre: `terraform show -json` of a plan, for an exact cost estimate')
    .option('--infracost <file>', 'pre: infracost `breakdown --format json` output, used instead of the shipped price table')
    .option('--state <file>', 'post: a state file or `terraform show -json` output (default: run `terraform show -json`)')
    .option('--timeout <seconds>', 'per external tool run (default 300)')
    .option('--no-save', 'do not write the report or update history')
    .action(run(async () => (await import('./commands/test.js')).testCommand));
  // --env, --json and -C are the parent's options (commander gives them to `test`): read with optsWithGlobals.
  test
    .command('history')
    .description("an environment's test runs: pass rate, findings and cost over time (--env <name> required; --json)")
    .configureHelp({ showGlobalOptions: true })
    .option('--limit <n>', 'most recent runs to list', '20')
    .action(run(async () => (await import('./commands/test-history.js')).testHistoryCommand));

  // Later capabilities: listed so users can find them, answered plainly.
  for (const [name, what] of [
    ['deploy', 'the staged deploy workflow'],
    ['diagnose', 'Kubernetes pod/workload diagnosis'],
    ['platform', 'platform health gates'],
    ['operate', 'Day-2 Kubernetes operations'],
  ] as const) {
    common(program.command(name))
      .description(`${what} (not available in this version)`)
      .allowUnknownOption(true)
      .allowExcessArguments(true)
      .action(unavailable(name, what));
  }
  return program;
}

export async function main(argv: string[] = process.argv): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version exit 0; every parse error is a usage error (2).
      process.exitCode = err.exitCode === 0 ? EXIT.ok : EXIT.usage;
      return;
    }
    emitError(err, { json: argv.includes('--json') });
  }
}
