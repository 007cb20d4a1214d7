import { Command, CommanderError, Option } from 'commander';
import pkg from '../../package.json' with { type: 'json' };
import { EXIT } from './exit-codes.js';
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

export function buildProgram(): Command {
  const program = new Command('infra-ops')
    .description('A senior SRE in your terminal: test and deploy Terraform, diagnose and operate Kubernetes, debug errors with a learning issue log.')
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

  const approval = program.command('approval').description('risk tiers of cluster actions, review requests and decisions with SLAs (.infra-ops/approvals/)');
  const actionFlags = (cmd: Command): Command =>
    common(cmd)
      .option('--verb <verb>', 'what the action does: delete, drain, cordon, restart, rollback, scale, patch, set-resources, set-image, apply, exec, get…')
      .option('--kind <kind>', 'what it acts on: pod, deployment, pvc, pv, namespace, node… (kubectl short names work)')
      .option('-n, --namespace <ns>', 'namespace of the object')
      .option('--name <name>', 'name of the object')
      .option('--env <name>', 'environment the cluster belongs to (required)')
      .option('--production', 'treat the environment as production (default: config, else a name like prod)')
      .option('--no-production', 'treat the environment as non-production');
  actionFlags(approval.command('tier'))
    .description('the risk tier of an action (trivial, low, medium, critical), the rule that decided it and its review SLA')
    .action(run(async () => (await import('./commands/approval.js')).approvalTierCommand));
  actionFlags(approval.command('request'))
    .description('ask for review of an action: records id, tier, deadline; trivial actions are auto-approved')
    .option('--reason <text>', 'why the action is needed (e.g. the diagnosis)')
    .option('--requested-by <name>', 'who asks (default: $USER)')
    .action(run(async () => (await import('./commands/approval.js')).approvalRequestCommand));
  common(approval.command('decide'))
    .description('approve, reject or conditionally approve a pending request')
    .argument('<id>', 'request id from `approval request` (apr-…)')
    .addOption(new Option('--decision <decision>', 'the decision').choices(['approve', 'reject', 'conditional']).makeOptionMandatory())
    .requiredOption('--approver <name>', 'who decides (not the requester, for medium and critical)')
    .option('--justification <text>', 'why (required to reject, and for critical actions)')
    .option('--condition <text>', 'with conditional: a condition the action must meet (repeatable)', collect)
    .action(run(async () => (await import('./commands/approval.js')).approvalDecideCommand));
  common(approval.command('list'))
    .description('requests with their status and SLA; breaches are decisions after the deadline or requests still pending past it')
    .option('--pending', 'only undecided requests', false)
    .option('--breached', 'only SLA breaches (exit 1 when there is any)', false)
    .action(run(async () => (await import('./commands/approval.js')).approvalListCommand));

  const audit = program.command('audit').description('the hash-chained audit trail of medium and critical actions (.infra-ops/audit/)');
  common(audit.command('record'))
    .description('append the record (PHR) of an action: before-state, analysis, approval, safety checks, commands, after-state, rollback')
    .requiredOption('-f, --file <file>', 'the record as JSON (schemas/audit-record.schema.json)')
    .action(run(async () => (await import('./commands/audit.js')).auditRecordCommand));
  common(audit.command('list'))
    .description('the records, oldest first')
    .action(run(async () => (await import('./commands/audit.js')).auditListCommand));
  common(audit.command('show'))
    .description('one record in full, and whether it is intact')
    .argument('<id>', 'phr-<seq> or the seq number')
    .action(run(async () => (await import('./commands/audit.js')).auditShowCommand));
  common(audit.command('verify'))
    .description('check the chain: names edited, removed, reordered or truncated records (exit 1)')
    .option('--anchor <seq:hash>', 'a head printed by an earlier verify: also fails when records were cut from the end')
    .action(run(async () => (await import('./commands/audit.js')).auditVerifyCommand));
  common(audit.command('repair'))
    .description('set aside a torn last line (crash mid-write, cut file) so records can be appended again; nothing else changes')
    .action(run(async () => (await import('./commands/audit.js')).auditRepairCommand));

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

  const diagnose = program.command('diagnose').description('Kubernetes diagnosis: root cause with evidence and remediation (kubectl, or objects from files)');
  for (const [sub, arg, what, fn] of [
    ['pod', '[name]', 'a pod: the root cause (CrashLoopBackOff and why, OOMKilled, image pull, Pending, config, probes…), failing container, evidence, remediation', 'diagnosePodCommand'],
    ['deployment', '[name]', 'a deployment: stuck rollout, unavailable replicas, and why the newest ReplicaSet\'s pods fail', 'diagnoseDeploymentCommand'],
    ['node', '[name]', 'a node: NotReady and its condition (CNI, runtime, kubelet stopped posting), pressure, cordon, taints', 'diagnoseNodeCommand'],
    ['service', '[name]', 'a service: selector matching no pods, no ready endpoints, targetPort not exposed', 'diagnoseServiceCommand'],
    ['namespace', '<namespace>', 'every unhealthy pod of a namespace, grouped by root cause', 'diagnoseNamespaceCommand'],
  ] as const) {
    common(diagnose.command(sub))
      .description(what)
      .argument(arg, sub === 'namespace' ? 'the namespace' : `${sub} name (optional with --file/--pod-file holding one)`)
      .option('-n, --namespace <ns>', 'namespace (default: the kubectl context\'s)')
      .option('--context <name>', 'kubectl context')
      .option('--kubeconfig <file>', 'kubeconfig file')
      .option('--file <file>', 'objects from a file instead of the cluster: JSON or YAML, a List, any kinds (repeatable)', collect)
      .option('--pod-file <file>', 'pod(s) from a file (`kubectl get pod -o json|yaml`; repeatable)', collect)
      .option('--events-file <file>', 'events from a file (`kubectl get events -o json`; repeatable)', collect)
      .option('--logs-file <[container[:previous]=]file>', 'container logs from a file (repeatable; without a name: the failing container)', collect)
      .option('--timeout <seconds>', 'per kubectl call (default 30)')
      .option('--now <time>', 'reference time for "how long ago" (ISO; default now)')
      .action(run(async () => (await import('./commands/diagnose.js'))[fn]));
  }

  const platform = program.command('platform').description('platform health gates: nodes, CoreDNS, Helm releases, Pending pods; phases and their gates declared in config');
  const platformOptions = (c: Command): Command =>
    common(c)
      .option('--context <name>', 'kubectl context')
      .option('--kubeconfig <file>', 'kubeconfig file')
      .option('--from-dir <dir>', 'read recorded `kubectl get … -o json` files instead of the cluster: nodes.json, deployments.json, pods.json, events.json, helm-secrets.json')
      .option('--timeout <seconds>', 'per kubectl call (default: platform.timeoutSeconds, else 30)')
      .option('--now <time>', 'reference time for "stuck since" judgements (ISO; default now)');
  platformOptions(platform.command('status'))
    .description('everything at a glance: nodes Ready, CoreDNS, Helm releases (needsRepair and the repair), Pending pods with their events')
    .option('-n, --namespace <ns>', 'only this namespace for Helm releases and Pending pods (repeatable; default: all)', collect)
    .option('--dns <name>', 'cluster DNS deployment, name or namespace/name (default: platform.dnsDeployment, else kube-system/coredns)')
    .action(run(async () => (await import('./commands/platform.js')).platformStatusCommand));
  platformOptions(platform.command('check'))
    .description('judge a phase and the phases it depends on: completed (exit 0), blocked (exit 3: blockers and the phase to fix first) or error (exit 1: cluster unreadable)')
    .option('--phase <name>', 'phase to check (from platform.phases in the config; default phases: cluster, networking)')
    .action(run(async () => (await import('./commands/platform.js')).platformCheckCommand));

  common(program.command('deploy'))
    .description('staged deploy: validate → pre-tests → preview (saved plan) → approval → apply that plan → post-tests → verify; stops at approval (exit 0, awaiting_approval), blocked exits 3')
    .argument('[dir]', 'Terraform root module (default: iac.dir from the config, else the project folder)')
    .option('--env <name>', 'environment to deploy (required)')
    .option('--skip-tests', 'skip the pre-deployment tests (recorded; production needs --justification)', false)
    .option('--override-findings', 'go on despite blocking findings (needs --justification; recorded)', false)
    .option('--justification <text>', 'why tests are skipped or findings overridden; for a critical approval: why it is approved')
    .option('--approve <runId>', 'resume a run awaiting approval: apply exactly its saved plan (refused if the plan changed)')
    .option('--approve-fix <runId>', "run the debugger's proposed automated fix for a failed apply, then retry the apply")
    .option('--approver <name>', 'who approved, in the conversation (with --approve / --approve-fix)')
    .option('--requested-by <name>', 'who asks for the deploy (default: $USER)')
    .option('--timeout <seconds>', 'per terraform run (default: test.timeoutSeconds, else 600)')
    .action(run(async () => (await import('./commands/deploy.js')).deployCommand));

  const operate = program.command('operate').description('Day-2 Kubernetes changes as sessions: propose (dry-run, policies, tier, digest), show, execute exactly what was approved, validate, rollback');
  common(operate.command('propose'))
    .description('store the commands (one kubectl/helm command per line) in a session: dry-run each, check policies, list patterns, compute the risk tier and the digest to approve')
    .option('--intent <text>', "what the change is for, in the user's words (required)")
    .option('--commands-file <file>', 'the commands, one per line; no shell: no pipes, &&, ;, redirects or $( ) (required)')
    .option('--manifest <file>', 'a manifest the commands apply with -f (multi-document YAML; repeatable)', collect)
    .option('-n, --namespace <ns>', 'namespace for commands that do not name one')
    .option('--env <name>', 'environment the cluster belongs to (required; decides the risk tier)')
    .option('--context <name>', "kubectl context (else kubectl's current one)")
    .option('--requested-by <name>', 'who asks for the change (default: $USER)')
    .action(run(async () => (await import('./commands/operate.js')).operateProposeCommand));
  common(operate.command('show'))
    .description('a session: its commands, dry-run, policies, patterns, tier, digest, approval and results')
    .argument('<id>', 'session id (op-…)')
    .action(run(async () => (await import('./commands/operate.js')).operateShowCommand));
  common(operate.command('execute'))
    .description('run exactly the approved commands, once: checks digest, expiry, policies and the recorded approval, dry-runs again, snapshots, continues on error')
    .argument('<id>', 'session id (op-…)')
    .option('--approve <digest>', 'the digest shown by propose/show that the user approved (required)')
    .option('--approver <name>', 'who approved (must match the recorded approval decision when one is required)')
    .action(run(async () => (await import('./commands/operate.js')).operateExecuteCommand));
  common(operate.command('validate'))
    .description('poll rollouts, Helm releases and objects of an executed session until settled, failed or timed out (exit 1 unless settled)')
    .argument('<id>', 'session id (op-…)')
    .option('--timeout <seconds>', 'give up after this long (default 300)')
    .action(run(async () => (await import('./commands/operate.js')).operateValidateCommand));
  common(operate.command('rollback'))
    .description('restore the snapshots taken before execution (re-create deleted objects, delete created ones, helm rollback)')
    .argument('<id>', 'session id (op-…)')
    .action(run(async () => (await import('./commands/operate.js')).operateRollbackCommand));
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
