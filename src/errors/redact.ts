/**
 * Secret redaction. Runs before an error message is stored, printed or normalized,
 * and replaces each secret with `[REDACTED:<kind>]`.
 *
 * Kinds: private-key, aws-access-key-id, aws-secret-access-key, github-token,
 * gitlab-token, slack-token, slack-webhook, google-api-key, jwt, bearer-token,
 * basic-auth, authorization, password, secret, token, api-key, signature, credential.
 *
 * Identifiers that merely look random (ARNs, request ids, UUIDs, digests, account
 * ids) are left alone: they are not secrets, and the normalizer masks them.
 *
 * Every rule is linear in the input: each regex either starts only where the
 * previous character cannot continue the token (a negative lookbehind on the
 * token's own character class, so a run is entered once, not at every offset), or
 * has bounded quantifiers, and no regex nests unbounded quantifiers over
 * overlapping classes. The whole text is redacted; there is no length cap here,
 * because a cap would let a secret past it leak.
 */

export interface RedactionRule {
  readonly name: string;
  apply(text: string): string;
}

const mark = (kind: string): string => `[REDACTED:${kind}]`;
/** Already-redacted values are skipped so redaction is idempotent. */
const ALREADY = '(?!\\[REDACTED:)';

// ---------------------------------------------------------------------------
// Private key blocks

const PEM_BEGIN = /-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----/g;
// Body of a block whose END line is missing (truncated logs): base64, PEM headers, escaped newlines.
const PEM_BODY = /(?:[A-Za-z0-9+/=\s,:-]|\\[nr])*/y;

function redactPrivateKeys(text: string): string {
  if (!text.includes('PRIVATE KEY')) return text;
  let out = '';
  let pos = 0;
  // Position of the next `-----END ` at or after the last search point; -1 once none is left (keeps the scan linear).
  let nextEnd = -2;
  PEM_BEGIN.lastIndex = 0;
  for (let m = PEM_BEGIN.exec(text); m !== null; m = PEM_BEGIN.exec(text)) {
    const start = m.index;
    const bodyStart = start + m[0].length;
    if (nextEnd !== -1 && nextEnd < bodyStart) nextEnd = text.indexOf('-----END ', bodyStart);
    let stop: number;
    if (nextEnd !== -1) {
      const close = text.indexOf('-----', nextEnd + 9);
      stop = close !== -1 && close - nextEnd <= 80 ? close + 5 : nextEnd + 9;
    } else {
      PEM_BODY.lastIndex = bodyStart;
      PEM_BODY.exec(text);
      stop = PEM_BODY.lastIndex;
    }
    out += text.slice(pos, start) + mark('private-key');
    pos = stop;
    PEM_BEGIN.lastIndex = stop;
  }
  return out + text.slice(pos);
}

// ---------------------------------------------------------------------------
// Key/value secrets: `password=…`, `"client_secret": "…"`, `Password=…;`, `X-Amz-Security-Token: …`

const SECRET_LAST_WORDS: ReadonlyArray<readonly [string, string]> = [
  ['password', 'password'],
  ['passwd', 'password'],
  ['passphrase', 'password'],
  ['pwd', 'password'],
  ['secret', 'secret'],
  ['token', 'token'],
  ['apikey', 'api-key'],
  ['signature', 'signature'],
  ['sig', 'signature'],
  ['credential', 'credential'],
  ['credentials', 'credential'],
  ['auth', 'credential'],
];
/** `<word>_key` is a secret for these words (api_key, secret_access_key, AccountKey, SharedAccessKey…). */
const KEY_QUALIFIERS = new Set([
  'api', 'secret', 'private', 'account', 'signing', 'encryption', 'master', 'client',
  'storage', 'subscription', 'primary', 'secondary', 'sas', 'shared', 'access',
]);

function splitKey(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((p) => p !== '');
}

/** The redaction kind when `key` names a secret, else null. */
export function secretKindForKey(key: string): string | null {
  const parts = splitKey(key);
  const last = parts[parts.length - 1];
  if (last === undefined) return null;
  const prev = parts[parts.length - 2];
  if (last === 'key' && prev !== undefined && KEY_QUALIFIERS.has(prev)) {
    // A bare `access_key` is the (non-secret) key id; `secret_access_key` / `shared_access_key` are secrets.
    if (prev === 'access') {
      const before = parts[parts.length - 3];
      if (before === 'secret') return 'aws-secret-access-key';
      return before === 'shared' ? 'secret' : null;
    }
    return prev === 'api' ? 'api-key' : 'secret';
  }
  for (const [word, kind] of SECRET_LAST_WORDS) {
    // Suffix match covers glued names (PGPASSWORD, apitoken, clientsecret).
    if (last === word || (word.length >= 5 && last.endsWith(word))) return kind;
  }
  return null;
}

// Only the key and separator are matched; the value is parsed only after a secret key, so a non-secret
// `args: --password=x` does not swallow the secret assignment inside its value.
const KV_KEY = /(?<![A-Za-z0-9_.-])(-{0,2})([A-Za-z][A-Za-z0-9_.-]{0,63})(["']?)([ \t]{0,3}[:=][ \t]{0,3})/g;
const KV_QUOTED = /"[^"\r\n\x00-\x1f]{1,1024}"|'[^'\r\n\x00-\x1f]{1,1024}'/y;
const KV_BARE = /[^\s"',;&)}\]<>\x00-\x1f\x7f]+/y;

function redactKeyValues(text: string): string {
  let out = '';
  let pos = 0;
  let bareEnd = 0;
  KV_KEY.lastIndex = 0;
  for (let m = KV_KEY.exec(text); m !== null; m = KV_KEY.exec(text)) {
    const key = m[2]!;
    const kind = secretKindForKey(key);
    if (kind === null) continue;
    const valueStart = KV_KEY.lastIndex;
    if (text.startsWith('[REDACTED:', valueStart)) continue;
    let value: string;
    KV_QUOTED.lastIndex = valueStart;
    const q = KV_QUOTED.exec(text);
    if (q !== null) value = q[0];
    else {
      // Every start inside one bare run ends where that run ends: scan each run once (keeps `a:a:a:…` linear).
      if (valueStart >= bareEnd) {
        KV_BARE.lastIndex = valueStart;
        bareEnd = KV_BARE.exec(text) === null ? valueStart : KV_BARE.lastIndex;
      }
      value = text.slice(valueStart, bareEnd);
    }
    if (value === '') {
      KV_KEY.lastIndex = valueStart;
      continue;
    }
    const quoted = value.startsWith('"') || value.startsWith("'");
    const inner = quoted ? value.slice(1, -1) : value;
    const sep = m[4]!;
    KV_KEY.lastIndex = valueStart;
    if (inner === '' || /^[*x]+$/i.test(inner) || inner.startsWith('[REDACTED:')) continue;
    // `key: value` is also prose ("token: expired"); without quotes only a value that looks generated counts.
    if (!sep.includes('=') && !quoted && m[3] === '' && !(inner.length >= 8 && /\d/.test(inner.slice(0, 256)))) continue;
    if (kind === 'credential' && inner.length < 8) continue;
    const redacted =
      kind === 'secret' && /^[A-Za-z0-9/+]{40}$/.test(inner) && /aws|access/i.test(key)
        ? mark('aws-secret-access-key')
        : mark(kind);
    const quote = quoted ? value[0]! : '';
    out += text.slice(pos, valueStart) + quote + redacted + quote;
    pos = valueStart + value.length;
    KV_KEY.lastIndex = pos;
  }
  return out + text.slice(pos);
}

// ---------------------------------------------------------------------------
// Rules, in order: specific formats first so the kind is precise, generic key/value last.

export const REDACTION_RULES: readonly RedactionRule[] = [
  { name: 'private-key', apply: redactPrivateKeys },
  {
    name: 'aws-access-key-id',
    apply: (t) => t.replace(/(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Za-z0-9])/g, mark('aws-access-key-id')),
  },
  {
    name: 'github-token',
    apply: (t) =>
      t.replace(
        /(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{30,251}|github_pat_[A-Za-z0-9_]{22,255})(?![A-Za-z0-9_])/g,
        mark('github-token'),
      ),
  },
  {
    name: 'gitlab-token',
    apply: (t) => t.replace(/(?<![A-Za-z0-9_-])glpat-[A-Za-z0-9_-]{20,255}(?![A-Za-z0-9_-])/g, mark('gitlab-token')),
  },
  {
    name: 'slack-webhook',
    apply: (t) => t.replace(/https:\/\/hooks\.slack\.com\/services\/[A-Za-z0-9/_-]{10,300}/g, mark('slack-webhook')),
  },
  {
    name: 'slack-token',
    apply: (t) => t.replace(/(?<![A-Za-z0-9-])xox[abposer]-[A-Za-z0-9-]{10,250}(?![A-Za-z0-9-])/g, mark('slack-token')),
  },
  {
    name: 'google-api-key',
    apply: (t) => t.replace(/(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])/g, mark('google-api-key')),
  },
  {
    name: 'jwt',
    apply: (t) =>
      t.replace(/(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g, mark('jwt')),
  },
  {
    name: 'authorization-header',
    apply: (t) =>
      t.replace(
        new RegExp(
          '(?<![A-Za-z0-9_-])((?:proxy-)?authorization["\']?[ \\t]{0,3}[:=][ \\t]{0,3}["\']?)' +
            ALREADY +
            '(?:(bearer|basic|token|digest|negotiate|ntlm|apikey|sso-key)[ \\t]+)?' +
            ALREADY +
            // A scheme whose credential is already redacted is not itself the credential (idempotence).
            '(?!(?:bearer|basic|token|digest|negotiate|ntlm|apikey|sso-key)[ \\t]+\\[REDACTED:)' +
            '([^\\s"\',;]+)',
          'gi',
        ),
        (_m, head: string, scheme: string | undefined) => {
          const s = scheme?.toLowerCase();
          const kind = s === 'bearer' ? 'bearer-token' : s === 'basic' ? 'basic-auth' : 'authorization';
          return head + (scheme !== undefined ? `${scheme} ` : '') + mark(kind);
        },
      ),
  },
  {
    name: 'bearer-token',
    apply: (t) =>
      t.replace(
        new RegExp('(?<![A-Za-z0-9_-])(bearer[ \\t]+)' + ALREADY + '([A-Za-z0-9._~+/=-]{16,})', 'gi'),
        // Prose says "bearer token"; a real token is long and has digits.
        (whole, head: string, token: string) => (/\d/.test(token) ? head + mark('bearer-token') : whole),
      ),
  },
  {
    name: 'url-password',
    apply: (t) =>
      t.replace(
        new RegExp(
          '(?<![A-Za-z0-9+.-])([A-Za-z][A-Za-z0-9+.-]{0,20}://[^\\s:/@"\'<>]{0,256}:)' + ALREADY + '([^\\s/"\'<>]{1,256})@',
          'g',
        ),
        (_m, head: string) => `${head}${mark('password')}@`,
      ),
  },
  {
    name: 'aws-secret-access-key',
    // The credentials-file / `aws configure list` layout: the key name, blanks, then the 40-char secret.
    apply: (t) =>
      t.replace(
        /(?<![A-Za-z0-9_])((?:aws[_-]?)?secret[_-]?(?:access[_-]?)?key[ \t]+)([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/gi,
        (_m, head: string) => head + mark('aws-secret-access-key'),
      ),
  },
  { name: 'key-value', apply: redactKeyValues },
];

/** Replace each secret in `text` with `[REDACTED:<kind>]`. Idempotent; never throws on string input. */
export function redactSecrets(text: string): string {
  let out = typeof text === 'string' ? text : String(text);
  for (const rule of REDACTION_RULES) out = rule.apply(out);
  return out;
}
