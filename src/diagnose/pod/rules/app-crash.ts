/**
 * AppCrash: the process itself exits with an error (or exits at all, in a pod that restarts it).
 * Names the exit code and quotes the last log lines, recognising the usual tell-tales
 * (`no such file or directory`, `permission denied`, connection refused, panics).
 */
import { logLines } from '../context.js';
import { crashCommands, crashEvidence, stateWords } from '../crash.js';
import { applyStep, logEv, type ContainerRule, type Finding } from '../finding.js';
import { isCrashing, lastTermination } from '../signals.js';

const TELLS: [RegExp, string][] = [
  [/no such file or directory/i, 'a file it needs is missing (no such file or directory)'],
  [/permission denied|EACCES|operation not permitted/i, 'permission denied (file ownership, runAsUser or a read-only filesystem)'],
  [/read-only file system/i, 'it writes to a read-only filesystem'],
  [/connection refused|ECONNREFUSED|could not connect|connection timed out|getaddrinfo|no such host|Name or service not known|timeout expired/i, 'a dependency it connects to at start-up is unreachable'],
  [/address already in use|EADDRINUSE/i, 'its port is already in use'],
  [/panic:|Traceback \(most recent call last\)|Exception in thread|Unhandled exception|FATAL|fatal error|uncaught exception|Error: /i, 'it fails with an error at start-up'],
  [/(missing|required|not set|undefined).*(env|environment|variable|config)|(env|environment variable|config).*(missing|required|not set)/i, 'a required setting is missing'],
];

const EXIT_MEANING: Record<number, string> = {
  0: 'exits successfully, but this pod restarts it (restartPolicy Always): the process must keep running',
  1: 'exits with code 1 (application error)',
  2: 'exits with code 2 (misuse / bad arguments)',
  137: 'is killed with SIGKILL (exit 137)',
  139: 'crashes with a segmentation fault (exit 139)',
  143: 'is terminated with SIGTERM (exit 143)',
};

const OWNED_ELSEWHERE = new Set(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'CreateContainerConfigError', 'ErrImageNeverPull', 'RegistryUnavailable', 'ContainerCreating', 'PodInitializing']);

export const appCrashRule: ContainerRule = {
  scope: 'container',
  labels: ['AppCrash'],
  priority: 80,
  match(ctx, c) {
    if (!isCrashing(ctx, c)) return null;
    const t = lastTermination(c);
    const w = c.waiting?.reason;
    // Waiting reasons that other rules own (the process never ran): not a crash of the app.
    if (w && OWNED_ELSEWHERE.has(w)) return null;
    const evidence = crashEvidence(c, t);
    const { lines, previous } = logLines(ctx, c);
    const tail = lines.slice(-5);
    let tell: string | null = null;
    let tellLine: string | null = null;
    for (const [re, words] of TELLS) {
      const hit = [...tail].reverse().find((l) => re.test(l));
      if (hit) {
        tell = words;
        tellLine = hit;
        break;
      }
    }
    if (tellLine) evidence.push(logEv(c.name, previous, tellLine));
    const lastLine = tail.at(-1);
    if (lastLine && lastLine !== tellLine) evidence.push(logEv(c.name, previous, lastLine));
    const code = t?.exitCode ?? null;
    const how = code === null ? 'keeps exiting' : (EXIT_MEANING[code] ?? `exits with code ${code}`);
    let confidence: Finding['confidence'] = t ? (tail.length ? 'high' : 'medium') : 'low';
    if (code === 137 || code === 143) confidence = 'low';
    const quoted = tellLine ?? lastLine;
    return {
      rootCause: 'AppCrash',
      container: c,
      summary: `Container ${c.name} ${stateWords(c)}: the application ${how}${tell ? ` — ${tell}` : ''}${quoted ? `; last log: "${quoted.trim().slice(0, 160)}"` : t ? '; no logs were collected' : ''}.`,
      evidence,
      commands: crashCommands(ctx, c),
      steps: [
        `Read the previous run's logs (first command) for the error that ends the process${tell ? `: ${tell}` : ''}.`,
        `Fix the application or its configuration (env, mounted files, dependencies); ${applyStep(ctx)}`,
        'Restarting the pod does not help while the cause is in the image or its configuration.',
      ],
      confidence,
    };
  },
};
