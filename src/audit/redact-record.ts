import { redactSecrets, secretKindForKey } from '../errors/redact.js';

const FLAG = /^--?([A-Za-z][A-Za-z0-9_.-]*)$/;
const MARK = '[REDACTED:';

function count(s: string): number {
  let n = 0;
  for (let i = s.indexOf(MARK); i !== -1; i = s.indexOf(MARK, i + 1)) n++;
  return n;
}

/**
 * An argv with secrets replaced: each argument through redactSecrets (`--password=x`,
 * `--from-literal=token=x`, `Authorization: Bearer x`), and the value after a flag that names a
 * secret (`--token x`, `-p x` is not a name and stays).
 */
export function redactArgv(argv: readonly string[]): string[] {
  const out = argv.map((a) => redactSecrets(a));
  for (let i = 0; i + 1 < out.length; i++) {
    const m = FLAG.exec(out[i]!);
    if (!m) continue;
    const kind = secretKindForKey(m[1]!);
    const next = out[i + 1]!;
    if (kind !== null && !next.startsWith('-') && !next.startsWith(MARK)) out[i + 1] = `${MARK}${kind}]`;
  }
  return out;
}

function isStrings(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}

/** Deep copy of `value` with every string redacted (argvs pairwise too: `argv`, and `commands` given as argvs) and how many secrets went. */
export function redactRecord<T>(value: T): { value: T; redactions: number } {
  let redactions = 0;
  const argv = (v: string[]): string[] => {
    const r = redactArgv(v);
    redactions += count(r.join('\u0000')) - count(v.join('\u0000'));
    return r;
  };
  const walk = (v: unknown, key?: string): unknown => {
    if (typeof v === 'string') {
      const r = redactSecrets(v);
      redactions += count(r) - count(v);
      return r;
    }
    if (Array.isArray(v)) {
      if (key === 'argv' && isStrings(v)) return argv(v);
      return v.map((x) => (key === 'commands' && isStrings(x) ? argv(x) : walk(x)));
    }
    if (v !== null && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = walk(x, k);
      return out;
    }
    return v;
  };
  return { value: walk(value) as T, redactions };
}
