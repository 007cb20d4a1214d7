/**
 * BadCommand: the container's command cannot be executed — RunContainerError / StartError with
 * `exec: "x": executable file not found in $PATH`, exit code 127 (not found) or 126 (not executable).
 */
import { arr, containerEvents, logLines, type ContainerView, type PodContext } from '../context.js';
import { crashCommands, crashEvidence, stateWords } from '../crash.js';
import { applyStep, eventEv, logEv, specEv, specRef, type ContainerRule, type Finding } from '../finding.js';
import { EXEC_FAILURE, START_FAILURE_REASONS, isCrashing, lastTermination } from '../signals.js';

function match(ctx: PodContext, c: ContainerView): Finding | null {
  if (!isCrashing(ctx, c)) return null;
  const t = lastTermination(c);
  const w = c.waiting;
  const byWaiting = w?.reason === 'RunContainerError' || (w?.reason === 'CreateContainerError' && EXEC_FAILURE.test(w.message ?? '')) || (w?.reason === 'StartError');
  const byReason = !!t?.reason && START_FAILURE_REASONS.has(t.reason);
  const byExit = t?.exitCode === 127 || t?.exitCode === 126;
  const byMessage = EXEC_FAILURE.test(t?.message ?? '') || EXEC_FAILURE.test(w?.message ?? '');
  const failedEvent = containerEvents(ctx, c).filter((e) => e.reason === 'Failed' && EXEC_FAILURE.test(e.message)).at(-1) ?? null;
  if (!byWaiting && !byReason && !byExit && !byMessage && !failedEvent) return null;
  // A RunContainerError about mounts is a volume problem, not the command.
  if (/error mounting|mount.*(not a directory|no such file)|subpath/i.test(`${w?.message ?? ''} ${t?.message ?? ''}`) && !/executable file not found/.test(`${w?.message ?? ''} ${t?.message ?? ''}`)) return null;
  const evidence = crashEvidence(c, t);
  if (w?.message && w.reason !== 'CrashLoopBackOff') evidence.push({ source: 'status', path: `${c.statusPath}.state.waiting.message`, text: w.message.slice(0, 400) });
  if (failedEvent) evidence.push(eventEv(failedEvent));
  const { lines, previous } = logLines(ctx, c);
  const logHit = [...lines].reverse().find((l) => EXEC_FAILURE.test(l) || /not found|permission denied/i.test(l));
  if (logHit) evidence.push(logEv(c.name, previous, logHit));
  const cmd = arr(c.spec.command).filter((x) => typeof x === 'string') as string[];
  const args = arr(c.spec.args).filter((x) => typeof x === 'string') as string[];
  const text = `${w?.message ?? ''} ${t?.message ?? ''} ${failedEvent?.message ?? ''} ${logHit ?? ''}`;
  const exe = /exec: "([^"]+)"/.exec(text)?.[1] ?? /(?:^|\s)(?:\/bin\/sh: \d+: )?(\S+): (?:command )?not found/.exec(text)?.[1] ?? cmd[0] ?? null;
  const argv = [...cmd.map((v, i) => ({ v, path: `${c.specPath}.command[${i}]` })), ...args.map((v, i) => ({ v, path: `${c.specPath}.args[${i}]` }))];
  const quoted = argv.find((a) => exe && a.v.includes(exe)) ?? argv[0];
  if (quoted) evidence.push(specEv(quoted.path, quoted.v));
  let why = 'its command cannot be executed';
  if (/executable file not found|not found/i.test(text) || t?.exitCode === 127) why = `command ${exe ? `"${exe}" ` : ''}is not found in the image`;
  else if (/permission denied/i.test(text) || t?.exitCode === 126) why = `command ${exe ? `"${exe}" ` : ''}is not executable (permission denied)`;
  else if (/exec format error/i.test(text)) why = 'the image was built for another CPU architecture (exec format error)';
  else if (/no such file or directory/i.test(text)) why = `${exe ? `"${exe}"` : 'the entrypoint'} does not exist in the image`;
  // A status field stating it is direct; an exit code 126/127 or an event is one step removed.
  const confidence: Finding['confidence'] = byWaiting || byReason || byMessage ? 'high' : 'medium';
  return {
    rootCause: 'BadCommand',
    container: c,
    summary: `Container ${c.name} ${stateWords(c)}: ${why}${t?.exitCode !== null && t?.exitCode !== undefined ? ` (exit ${t.exitCode})` : ''}.`,
    evidence,
    commands: crashCommands(ctx, c),
    steps: [
      `Check ${specRef(c)}.command/args${cmd.length || args.length ? ` (${JSON.stringify([...cmd, ...args])})` : ''} against the image's entrypoint: \`docker run --rm --entrypoint sh ${c.image ?? '<image>'} -c 'command -v ${exe ?? '<cmd>'}'\`.`,
      `Fix the command (full path, right binary name, executable bit, image for this architecture). ${applyStep(ctx)}`,
    ],
    confidence,
  };
}

export const badCommandRule: ContainerRule = { scope: 'container', labels: ['BadCommand'], priority: 65, match };
