/**
 * Error normalization: turns one concrete error message into a stable *pattern*, so
 * that two occurrences of the same error (different ids, names, times, addresses,
 * wrapping, colours, line endings) give the same string, and different errors don't.
 *
 * Pipeline (one pass): drop Terraform source snippets, unwrapErrorText, redactSecrets,
 * cap, then the masking rules below in order, then lower-case everything that was
 * not deliberately kept verbatim. A value a rule has decided on (a placeholder, or
 * a token kept as is) goes into a vault and is replaced in the working text by an
 * opaque marker, so later rules can neither mangle it nor be confused by it.
 *
 * Placeholders: <arn> <account-id> <request-id> <host-id> <encoded-message> <uuid>
 * <timestamp> <ip> <cidr> <host> <url> <email> <id> (AWS resource ids keep their
 * prefix: `sg-<id>`) <unique-id> <region> <zone> <instance-type> <path> <name> <values>
 * <hex> <opaque> <version> <num>, and `[REDACTED:<kind>]` from redaction.
 *
 * Cap: only the first MAX_INPUT_CHARS (64 KiB) of the unwrapped, redacted text are
 * normalized, and the pattern keeps at most MAX_PATTERN_CHARS (4,096) characters,
 * both cut at a space. Redaction itself always runs on the whole text.
 *
 * Idempotence: each rule leaves its own output alone, and the pattern is defined as
 * the fixed point of the pass (normally reached after one pass and checked by a
 * second), so normalizeError(normalizeError(x)) === normalizeError(x) holds even
 * where the pattern cap cuts a context a rule looked at.
 *
 * Linearity: every regex below is built so a backtracking engine stays linear:
 * tokens are matched as one maximal run of a single character class, started only
 * where a negative lookbehind (a superset of the run's class) says a run begins;
 * repetitions are either bounded or separated by a character the repeated part
 * cannot contain; finer classification happens in code or on short, bounded slices.
 */
import { isIPv6 } from 'node:net';
import { redactSecrets } from './redact.js';
import { stripAnsi, unwrapErrorText } from './unwrap.js';

/** Bump whenever the pattern of some input changes, so stored patterns can be re-derived. */
export const NORMALIZER_VERSION = 1;
export const MAX_INPUT_CHARS = 64 * 1024;
export const MAX_PATTERN_CHARS = 4096;

// ---------------------------------------------------------------------------
// Vault: markers are private-use characters, removed from the input beforehand.

const OPEN = '\uE000';
const CLOSE = '\uE001';
const DIGIT_BASE = 0xe010;
const MARKER_G = /\uE000([\uE010-\uE01F]{1,8})\uE001/g;
const MARKER_ONLY = /^(?:\uE000[\uE010-\uE01F]{1,8}\uE001)+$/;
const RESERVED_G = /[\uE000-\uE01F]/g;

export class Vault {
  private readonly values: string[] = [];
  private readonly index = new Map<string, number>();

  /** Store a final piece of pattern text and return its marker; equal values share a marker. */
  put(value: string): string {
    const flat = this.restore(value);
    let i = this.index.get(flat);
    if (i === undefined) {
      i = this.values.length;
      this.values.push(flat);
      this.index.set(flat, i);
    }
    let code = '';
    do {
      code = String.fromCharCode(DIGIT_BASE + (i % 16)) + code;
      i = Math.floor(i / 16);
    } while (i > 0);
    return OPEN + code + CLOSE;
  }

  restore(text: string): string {
    if (!text.includes(OPEN)) return text;
    return text.replace(MARKER_G, (_m, code: string) => {
      let i = 0;
      for (const ch of code) i = i * 16 + (ch.charCodeAt(0) - DIGIT_BASE);
      return this.values[i] ?? '';
    });
  }
}

export interface RuleContext {
  vault: Vault;
  /** Raw names masked in a clear context (quotes, parentheses, `name: x`), masked again wherever they recur bare. */
  learned: Map<string, string>;
}

export interface NormalizerRule {
  readonly name: string;
  apply(text: string, ctx: RuleContext): string;
}

export function createRuleContext(): RuleContext {
  return { vault: new Vault(), learned: new Map() };
}

const hasMarker = (s: string): boolean => s.includes(OPEN);
const MAX_LEARNED = 64;

function learn(ctx: RuleContext, raw: string, placeholder: string): void {
  // Only identifier-shaped names: a plain word ("count", "default") also occurs as an ordinary word.
  if (raw.length < 3 || raw.length > 256 || hasMarker(raw) || ctx.learned.size >= MAX_LEARNED) return;
  if (/^[a-z]+$/.test(raw) || /^[A-Z]?[a-z]+$/.test(raw) || /^[A-Z]+$/.test(raw)) return;
  if (!ctx.learned.has(raw)) ctx.learned.set(raw, placeholder);
}

// ---------------------------------------------------------------------------
// Shared vocabularies

const AWS_REGION_SRC =
  '(?:us|eu|ap|sa|ca|me|af|il|mx|cn)(?:-gov|-isob?)?-(?:north|south|east|west|central|northeast|northwest|southeast|southwest)-\\d{1,2}';
const GCP_REGION_SRC =
  '(?:us|europe|asia|australia|northamerica|southamerica|me|africa)-(?:central|east|west|north|south|northeast|northwest|southeast|southwest)\\d{1,2}';
const AZURE_REGIONS = [
  'eastus', 'eastus2', 'westus', 'westus2', 'westus3', 'centralus', 'northcentralus', 'southcentralus',
  'westcentralus', 'northeurope', 'westeurope', 'uksouth', 'ukwest', 'francecentral', 'germanywestcentral',
  'swedencentral', 'switzerlandnorth', 'norwayeast', 'polandcentral', 'italynorth', 'eastasia', 'southeastasia',
  'japaneast', 'japanwest', 'australiaeast', 'australiasoutheast', 'centralindia', 'southindia', 'koreacentral',
  'canadacentral', 'canadaeast', 'brazilsouth', 'southafricanorth', 'uaenorth', 'qatarcentral',
];

const TLDS = new Set([
  'com', 'net', 'org', 'io', 'dev', 'app', 'cloud', 'co', 'ai', 'us', 'uk', 'de', 'fr', 'jp', 'in', 'eu', 'gov',
  'edu', 'mil', 'info', 'biz', 'me', 'tech', 'xyz', 'site', 'online', 'ca', 'au', 'nl', 'se', 'ch', 'br', 'cn',
  'aws', 'internal', 'local', 'localdomain', 'lan', 'corp', 'svc', 'example', 'test', 'invalid', 'ly', 'gg',
  'so', 'tv', 'run', 'cc', 'es', 'it', 'pl', 'ru', 'kr', 'sg', 'hk', 'tw', 'nz', 'ie', 'be', 'at', 'dk', 'no',
  'fi', 'pt', 'cz', 'il', 'za', 'mx', 'ar', 'cl', 'digital', 'systems', 'services', 'network', 'works',
]);
/** Well-known public domains, kept literally: [suffix, how many extra labels in front still count]. */
const KEEP_DOMAINS: ReadonlyArray<readonly [string, number]> = [
  ['k8s.io', 2], ['kubernetes.io', 2], ['x-k8s.io', 2], ['karpenter.sh', 1], ['karpenter.k8s.aws', 0],
  ['helm.sh', 1], ['docker.io', 1], ['docker.com', 1], ['gcr.io', 1], ['ghcr.io', 0], ['quay.io', 0],
  ['pkg.dev', 1], ['terraform.io', 1], ['hashicorp.com', 1], ['github.com', 1], ['githubusercontent.com', 1],
  ['gitlab.com', 1], ['googleapis.com', 1], ['google.com', 1], ['azure.com', 1], ['microsoftonline.com', 1],
  ['microsoft.com', 1], ['istio.io', 2], ['cert-manager.io', 2], ['coreos.com', 2], ['argoproj.io', 2],
  ['fluxcd.io', 2], ['crossplane.io', 2], ['cilium.io', 2], ['projectcalico.org', 2], ['eksctl.io', 1],
  ['bitnami.com', 1], ['letsencrypt.org', 2], ['public.ecr.aws', 0], ['amazon.com', 1],
];
const AWS_ENDPOINT = new RegExp(
  `^([a-z][a-z0-9-]{0,40})(\\.(?:fips|dualstack))?(?:\\.(${AWS_REGION_SRC}))?\\.amazonaws\\.com(\\.cn)?$`,
);

function keepDomain(host: string): boolean {
  const h = host.toLowerCase();
  for (const [suffix, extra] of KEEP_DOMAINS) {
    if (h === suffix) return true;
    if (h.endsWith(`.${suffix}`)) {
      const labels = h.slice(0, -suffix.length - 1).split('.').length;
      if (labels <= extra) return true;
    }
  }
  return false;
}

const FILE_EXT =
  'tf|tfvars|tfstate|tfplan|hcl|json|ya?ml|tpl|tmpl|sh|bash|py|go|js|mjs|ts|rb|java|txt|log|zip|tgz|tar|gz|pem|crt|cer|key|pub|conf|cfg|ini|env|lock|toml|xml|csv|md|j2|ps1|sql|properties';

// ---------------------------------------------------------------------------
// Context around a match (always a short, bounded slice).

/** The one or two words just before `offset`, lower-cased: [nearest, previous]. */
function wordsBefore(text: string, offset: number): [string, string] {
  const slice = text.slice(Math.max(0, offset - 64), offset);
  const m = /(?:([A-Za-z][A-Za-z0-9_.-]*)[\s"'`=:]{1,4})?([A-Za-z][A-Za-z0-9_.-]*)[\s"'`=:({[]{0,4}$/.exec(slice);
  return [(m?.[2] ?? '').toLowerCase(), (m?.[1] ?? '').toLowerCase()];
}

function singular(w: string): string[] {
  const out = [w];
  if (w.endsWith('ies')) out.push(`${w.slice(0, -3)}y`);
  if (w.endsWith('es')) out.push(w.slice(0, -2));
  if (w.endsWith('s')) out.push(w.slice(0, -1));
  return out;
}

/** Does the context word (or its dotted head/tail, or its singular) belong to `set`? */
function ctxIn(word: string, set: ReadonlySet<string>): boolean {
  if (word === '') return false;
  const parts = word.includes('.') ? [word, word.split('.')[0]!, word.split('.').pop()!] : [word];
  return parts.some((p) => singular(p).some((s) => set.has(s)));
}

/** Words after which a quoted token is schema (kept): k8s resource kinds, Terraform argument names, codes, actions. */
const KEEP_CTX = new Set([
  'code', 'errorcode', 'error_code', 'kind', 'resource', 'version', 'apiversion', 'field', 'argument', 'attribute',
  'block', 'parameter', 'param', 'property', 'action', 'permission', 'verb', 'quota', 'metric', 'limit', 'reason',
  'type', 'status', 'state', 'phase', 'condition', 'operation', 'method', 'api', 'feature', 'setting', 'option',
  'flag', 'mode', 'provider', 'plugin', 'header', 'label', 'annotation', 'key', 'effect', 'event', 'capability',
  'engine', 'protocol', 'scheme', 'format', 'algorithm', 'sku', 'tier', 'scope', 'dimension', 'unit',
]);
/** Words after which a quoted token is an object's own name (masked). */
const MASK_CTX = new Set([
  'bucket', 'namespace', 'pod', 'deployment', 'service', 'secret', 'configmap', 'serviceaccount', 'ingress', 'node',
  'nodepool', 'nodeclaim', 'nodeclass', 'ec2nodeclass', 'nodegroup', 'cluster', 'release', 'chart', 'repository',
  'repo', 'stack', 'role', 'rolebinding', 'clusterrole', 'clusterrolebinding', 'user', 'username', 'group', 'policy',
  'policies', 'instance', 'table', 'queue', 'topic', 'function', 'volume', 'disk', 'image', 'reference', 'file',
  'directory', 'dir', 'workspace', 'module', 'variable', 'output', 'project', 'account', 'subscription', 'vault',
  'keyvault', 'database', 'db', 'host', 'hostname', 'domain', 'certificate', 'cert', 'alias', 'snapshot', 'vpc',
  'subnet', 'network', 'firewall', 'route', 'record', 'location', 'region', 'zone', 'environment', 'env', 'profile',
  'context', 'job', 'cronjob', 'daemonset', 'statefulset', 'replicaset', 'pvc', 'persistentvolumeclaim',
  'persistentvolume', 'pv', 'storageclass', 'endpoint', 'container', 'app', 'application', 'registry', 'registries',
  'tag', 'branch', 'commit', 'path', 'email', 'value', 'id', 'identifier', 'client', 'principal', 'object',
  'template', 'gateway', 'loadbalancer', 'balancer', 'listener', 'targetgroup', 'keypair', 'pool', 'scaleset', 'vm',
  'machine', 'workload', 'tenant', 'org', 'organization', 'folder', 'owner', 'member', 'team', 'dataset', 'schema',
  'index', 'share', 'container', 'blob', 'script', 'pipeline', 'workflow', 'step', 'hook', 'webhook',
  'plan', 'distribution', 'origin', 'listener', 'rule', 'rds', 'cache', 'replication', 'filesystem', 'mount',
]);
/** `<word> named "x"`: the name is schema for these words (Terraform arguments, functions, attributes). */
const KEEP_NAMED = new Set([
  'argument', 'attribute', 'function', 'field', 'block', 'parameter', 'type', 'provider', 'key', 'label',
  'annotation', 'setting', 'option', 'property', 'method', 'operation', 'action', 'permission', 'metric', 'quota',
  'kind',
]);

const HARD_KEEP = [
  /^[a-z0-9-]{2,32}:[A-Za-z*][A-Za-z0-9*]*$/, // IAM action (s3:PutObject), k8s system group (system:masters)
  /^(?:[a-z0-9.-]+\/)?v\d+(?:(?:alpha|beta)\d+)?$/, // API version
  /^(?:true|false|null|nil|none|yes|no|enabled|disabled|on|off)$/i,
];
const SOFT_KEEP = [
  /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/, // UPPER_SNAKE: quota names, enums, error codes
  /^[A-Z][A-Za-z0-9]*[a-z][A-Za-z0-9]*$/, // PascalCase: error codes, kinds
  /^[a-z]+[A-Z][A-Za-z0-9]*$/, // camelCase: parameter and field names
  /^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$/, // snake_case: Terraform argument names
];

type Decision = 'keep' | 'mask' | 'leave';

const PLACEHOLDER_G = /<[a-z][a-z0-9:_-]{0,39}>|\[REDACTED:[a-z0-9-]{1,40}\]/gi;

/**
 * `content` is decided on as the next pass will see it (markers restored to their placeholder text), so a
 * pass and the pass after it agree.
 */
function decide(content: string, w1: string, w2: string, where: 'quote' | 'paren'): Decision {
  if (content.includes('<') || content.includes('[REDACTED:')) {
    const rest = content.replace(PLACEHOLDER_G, '');
    if (rest === content) return 'leave';
    // `sg-<id>`, `system:serviceaccount:<name>:<name>`, `projects/<name>/…`: already masked where it matters.
    if (/^[A-Za-z0-9]{0,12}[-:./]?$/.test(rest) || /^(?:system|projects|organizations|folders|module)[:./]/i.test(rest)) {
      return 'leave';
    }
    // A name built around a masked part (an image on a masked registry) is still a name.
    return ctxIn(w1, MASK_CTX) ? 'mask' : 'leave';
  }
  if (HARD_KEEP.some((re) => re.test(content))) return 'keep';
  if (/^[a-z0-9.-]+(?:\/[A-Za-z0-9._-]+)?$/i.test(content) && content.includes('.') && keepDomain(content.split('/')[0]!)) {
    return 'keep';
  }
  if (w1 === 'group' && w2 === 'api') return 'keep';
  if (w1 === 'named' || w1 === 'name' || w1 === 'called') return ctxIn(w2, KEEP_NAMED) ? 'keep' : 'mask';
  if (ctxIn(w1, KEEP_CTX)) return 'keep';
  if (ctxIn(w1, MASK_CTX)) return 'mask';
  // Terraform provider validation: `Error: "bucket_prefix" cannot be...` names an argument.
  if (w1 === 'error' && /^[a-z][a-z0-9_]*$/.test(content)) return 'keep';
  if (SOFT_KEEP.some((re) => re.test(content))) return 'keep';
  if (where === 'paren') return /[0-9._/:@-]/.test(content) ? 'mask' : 'keep';
  return 'mask';
}

const NUMERIC_LIKE = /^[+-]?[vVxX]?\d[\d.,]*[A-Za-z%]{0,3}$/;

// ---------------------------------------------------------------------------
// Structured identifiers

function maskAzurePath(path: string, startInProvider: boolean): string {
  const segs = path.split('/');
  const lastNonEmpty = segs.filter((s) => s !== '').pop()?.toLowerCase() ?? '';
  const isAction = /^(?:read|write|delete|action|\*)$/.test(lastNonEmpty) || path.includes('*');
  if (startInProvider && isAction) return path.toLowerCase();
  const out: string[] = [];
  let mode: 'pairs' | 'namespace' | 'type' | 'name' = startInProvider ? 'namespace' : 'pairs';
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i]!;
    const lower = seg.toLowerCase();
    if (seg === '') {
      out.push('');
      continue;
    }
    if (lower === 'providers' && mode !== 'namespace') {
      out.push(lower);
      mode = 'namespace';
      continue;
    }
    switch (mode) {
      case 'pairs': {
        out.push(lower);
        const value = segs[i + 1];
        if (value === undefined) break;
        i++;
        out.push(value === '' ? '' : lower === 'subscriptions' ? '<uuid>' : '<name>');
        break;
      }
      case 'namespace':
        out.push(lower);
        mode = 'type';
        break;
      case 'type':
        out.push(lower);
        mode = 'name';
        break;
      case 'name':
        out.push(i === segs.length - 1 && isAction ? lower : '<name>');
        mode = 'type';
        break;
    }
  }
  return out.join('/');
}

function maskGcpPath(path: string): string {
  const segs = path.split('/');
  const out: string[] = [];
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i]!;
    const lower = seg.toLowerCase();
    if (seg === '' || lower === 'global' || lower === 'aggregated') {
      out.push(lower);
      continue;
    }
    out.push(seg);
    const value = segs[i + 1];
    if (value === undefined) break;
    i++;
    if (value === '' || value === '-' || value === '*' || value.toLowerCase() === 'global' || MARKER_ONLY.test(value)) {
      out.push(value.toLowerCase());
    } else if (lower === 'zones') out.push('<zone>');
    else if (lower === 'regions' || lower === 'locations') out.push('<region>');
    else out.push('<name>');
  }
  return out.join('/');
}

/**
 * `module.web.aws_lb.this["a"].arn` → `module.<name>.aws_lb.<name>.arn`: keep the resource type, module and
 * attribute words, mask the names. Instance keys (`[0]`, `["blue"]`) only pick an instance of the same resource,
 * so they go with the name. Returns the masked address and the unparsed rest of the run, or null.
 */
function maskTerraformAddress(run: string): { address: string; tail: string } | null {
  const SEG = /^([A-Za-z_][A-Za-z0-9_-]*)((?:\[(?:\d{1,6}|"[^"\s\]]{1,64}"|\*)\])?)/;
  const TYPE = /^[a-z][a-z0-9]*_[a-z0-9_]+$/;
  const out: string[] = [];
  let state: 'start' | 'module-name' | 'in-module' | 'type' | 'name' | 'attr' = 'start';
  let masked = false;
  let pos = 0;
  let end = 0;
  for (;;) {
    const m = SEG.exec(run.slice(pos, pos + 200));
    if (m === null) break;
    const lower = m[1]!.toLowerCase();
    if (state === 'module-name' || state === 'name') {
      out.push('<name>');
      masked = true;
      state = state === 'module-name' ? 'in-module' : 'attr';
    } else if (state === 'type') {
      out.push(lower);
      state = 'name';
    } else if (state === 'attr') {
      out.push(lower);
    } else if (lower === 'module') {
      out.push(lower);
      state = 'module-name';
    } else if (lower === 'data') {
      out.push(lower);
      state = 'type';
    } else if (state === 'start' && (lower === 'var' || lower === 'local')) {
      out.push(lower);
      state = 'name';
    } else if (TYPE.test(lower)) {
      out.push(lower);
      state = 'name';
    } else if (state === 'in-module') {
      // `module.vpc.vpc_id`: a module output.
      out.push(lower);
      state = 'attr';
    } else {
      return null;
    }
    end = pos + m[0].length;
    if (run[end] !== '.' || !/^[A-Za-z_]/.test(run.slice(end + 1, end + 2))) break;
    pos = end + 1;
  }
  return masked ? { address: out.join('.'), tail: run.slice(end) } : null;
}

// ---------------------------------------------------------------------------
// Numbers

const STATUS_BEFORE =
  /(?:status[ _-]?code|statuscode|status|http(?:\/[\d.]+)?|response(?: code)?|error|code|returned|got)[\s:=()"'[]{0,4}$/i;
const EXIT_BEFORE = /(?:exit(?: status| code)?|exitcode|errno|signal|rc)[\s:=()"'[]{0,4}$/i;
const STATUS_AFTER =
  /^[\s"')\]:-]{0,3}(?:forbidden|not found|unauthorized|bad request|conflict|too many requests|internal server error|bad gateway|service unavailable|gateway time-?out|precondition failed|method not allowed|gone|unprocessable entity|not modified|request timeout|payload too large|not implemented|request entity too large)/i;
const DURATION = /^(?:\d+(?:\.\d+)?(?:ns|us|ms|s|m|h|d))+$/;

function keepInteger(digits: string, text: string, offset: number, length: number): boolean {
  const before = text.slice(Math.max(0, offset - 32), offset);
  if (digits.length <= 3 && EXIT_BEFORE.test(before)) return true;
  if (!/^[1-5]\d\d$/.test(digits)) return false;
  return STATUS_BEFORE.test(before) || STATUS_AFTER.test(text.slice(offset + length, offset + length + 40));
}

function maskNumber(token: string, text: string, offset: number, v: Vault): string {
  let core = token;
  while (core.endsWith('.')) core = core.slice(0, -1);
  const trail = token.slice(core.length);
  if (core.length > 64) return /^\d+$/.test(core) ? v.put('<num>') + trail : token;
  const lower = core.toLowerCase();
  let ph: string | null = null;
  if (/^\d{12}$/.test(lower)) ph = '<account-id>';
  else if (/^1\d{9}(?:\d{3}|\.\d+)?$/.test(lower)) ph = '<timestamp>';
  else if (/^v?\d+(?:\.\d+){2,}$/.test(lower)) ph = '<version>';
  else if (/^x\d+$/.test(lower)) {
    // Event repeat counts, `(x5 over 10m)`; elsewhere `x509` and friends are words.
    return /^ over /i.test(text.slice(offset + core.length, offset + core.length + 6)) ? `x${v.put('<num>')}${trail}` : token;
  }
  else if (/^\d+$/.test(lower) && keepInteger(lower, text, offset, core.length)) return token;
  else if (/^\dxx$/.test(lower)) return token;
  else if (/^\d+(?:\.\d+)?(?:%|[a-z]{1,3})?$/.test(lower) || DURATION.test(lower)) ph = '<num>';
  return ph === null ? token : v.put(ph) + trail;
}

// ---------------------------------------------------------------------------
// Opaque tokens

function charClass(c: string): number {
  if (c >= 'a' && c <= 'z') return 0;
  if (c >= 'A' && c <= 'Z') return 1;
  if (c >= '0' && c <= '9') return 2;
  return 3;
}

function maskOpaque(token: string, v: Vault): string {
  let digits = 0;
  let letters = 0;
  let transitions = 0;
  let prev = -1;
  for (const c of token) {
    const k = charClass(c);
    if (k === 2) digits++;
    else if (k < 2) letters++;
    if (prev !== -1 && k !== prev) transitions++;
    prev = k;
  }
  if (digits === 0 || letters === 0) return token;
  if (/^[0-9a-f]+$/i.test(token)) return v.put('<hex>');
  if (digits < 2 || transitions < token.length * 0.3) return token;
  // Separator-joined words (x-amz-content-sha256, ipv6_cidr_block) are vocabulary, not random.
  if (token.split(/[_\-/+=]+/).every((seg) => /^[a-z]*\d*$/i.test(seg))) return token;
  return v.put('<opaque>');
}

// ---------------------------------------------------------------------------
// Kubernetes generated names

const K8S_SUFFIX = /^[bcdfghjklmnpqrstvwxz2456789]{5}$/;

function maskHyphenated(run: string, v: Vault): string {
  const lower = run.toLowerCase();
  const segs = lower.split('-');
  if (/^ip(?:-\d{1,3}){4}$/.test(lower)) return v.put('<host>');
  if (/^gke-[a-z0-9-]+-[0-9a-f]{8}-[a-z0-9]{4}$/.test(lower)) return v.put('<name>');
  if (/^aks-[a-z0-9]+-\d{8}-vmss[0-9a-z]{6}$/.test(lower)) return v.put('<name>');
  // A random hex segment (`eks-ng-1-abc12345-…`, `app-3f9a2c1d`) makes the whole name generated.
  if (segs.some((seg) => seg.length >= 8 && /^[0-9a-f]+$/.test(seg) && /\d/.test(seg) && /[a-f]/.test(seg))) return v.put('<name>');
  const last = segs[segs.length - 1]!;
  // A 5-char suffix from the k8s random alphabet (no vowels, no y): pod, job and node-claim names.
  if (K8S_SUFFIX.test(last) && !/^\d+$/.test(last)) return v.put('<name>');
  if (segs.some((s) => /^\d+$/.test(s))) {
    const num = v.put('<num>');
    return run
      .split('-')
      .map((s) => (/^\d+$/.test(s) ? num : s))
      .join('-');
  }
  return run;
}

// ---------------------------------------------------------------------------
// The rules, in order

const STOP_VALUES = new Set([
  'invalid', 'required', 'unsupported', 'forbidden', 'duplicate', 'not', 'too', 'internal', 'must', 'should',
  'the', 'a', 'an', 'is', 'cannot', 'unknown', 'empty', 'null', 'none', 'nil', 'true', 'false', 'missing', 'error',
  'undefined', 'no', 'and', 'or', 'of', 'in', 'for', 'with',
]);

function replaceLearned(text: string, ctx: RuleContext): string {
  if (ctx.learned.size === 0) return text;
  const ids = [...ctx.learned.keys()].sort((a, b) => b.length - a.length);
  let out = text;
  for (const id of ids) {
    const marker = ctx.vault.put(ctx.learned.get(id)!);
    let from = 0;
    let result = '';
    for (let at = out.indexOf(id, from); at !== -1; at = out.indexOf(id, from)) {
      const before = at === 0 ? '' : out[at - 1]!;
      const after = out[at + id.length] ?? '';
      const afterNext = out[at + id.length + 1] ?? '';
      const okBefore = !/[A-Za-z0-9_.-]/.test(before);
      const okAfter = !/[A-Za-z0-9_-]/.test(after) && !(after === '.' && /[A-Za-z0-9]/.test(afterNext));
      result += out.slice(from, at) + (okBefore && okAfter ? marker : id);
      from = at + id.length;
    }
    out = result + out.slice(from);
  }
  return out;
}

const put = (ctx: RuleContext, value: string): string => ctx.vault.put(value);
const trimTrailing = (s: string, chars: RegExp): [string, string] => {
  let end = s.length;
  while (end > 0 && chars.test(s[end - 1]!)) end--;
  return [s.slice(0, end), s.slice(end)];
};
const SENTENCE_END = /[.,:;]/;

export const NORMALIZER_RULES: readonly NormalizerRule[] = [
  {
    name: 'existing-placeholders',
    apply: (t, ctx) =>
      t
        .replace(/<[a-z][a-z0-9:_-]{0,39}>|\[REDACTED:[a-z0-9-]{1,40}\]/gi, (m) =>
          put(ctx, m.startsWith('[') ? m : m.toLowerCase()),
        ),
  },
  {
    name: 'encoded-message',
    apply: (t, ctx) =>
      t.replace(
        /(encoded (?:authorization failure )?message:?[ \t]{0,3})([A-Za-z0-9+/=_-]{16,})/gi,
        (_m, head: string) => head + put(ctx, '<encoded-message>'),
      ),
  },
  {
    name: 'request-id',
    apply: (t, ctx) =>
      t.replace(
        /(?<![A-Za-z0-9\uE000-\uE01F])((?:x-amz-|x-ms-)?(?:s3 )?(?:extended[ _-]?)?(?:request|host|correlation|tracking|trace|activity|client[ _-]?request|operation)[ _-]?id|x-amz-id-2)(["']?[ \t]{0,3}[:=][ \t]{0,3}["']?)([A-Za-z0-9+/=._:-]{4,})/gi,
        (_m, key: string, sep: string, value: string) => {
          const [, trail] = trimTrailing(value, SENTENCE_END);
          const ph = /host|id-2/i.test(key) ? '<host-id>' : '<request-id>';
          return key + sep + put(ctx, ph) + trail;
        },
      ),
  },
  {
    name: 'arn',
    apply: (t, ctx) =>
      t.replace(/(?<![A-Za-z0-9\uE000-\uE01F:_-])arn:aws[a-z-]{0,12}:[^\s"'`,;()<>[\]{}]*/gi, (m) => {
        const [, trail] = trimTrailing(m, SENTENCE_END);
        return put(ctx, '<arn>') + trail;
      }),
  },
  {
    name: 'url',
    apply: (t, ctx) =>
      t.replace(/(?<![A-Za-z0-9\uE000-\uE01F+.-])[A-Za-z][A-Za-z0-9+.-]{0,15}:\/\/[^\s"'`<>()[\]{}|\\]*/g, (m) => {
        const [url, trail] = trimTrailing(m, SENTENCE_END);
        const host = url.slice(url.indexOf('://') + 3).split(/[/?#]/)[0]!.replace(/^.*@/, '');
        // `localhost:8080` means "no kubeconfig": a distinct error, so it stays literal.
        if (/^localhost(?::\d+)?$/i.test(host)) return put(ctx, url.toLowerCase()) + trail;
        return put(ctx, '<url>') + trail;
      }),
  },
  {
    name: 'localhost',
    apply: (t, ctx) => t.replace(/(?<![A-Za-z0-9\uE000-\uE01F_.-])localhost(?::\d{1,5})?(?![A-Za-z0-9\uE000-\uE01F_-])/gi, (m) => put(ctx, m.toLowerCase())),
  },
  {
    name: 'email',
    apply: (t, ctx) =>
      t.replace(
        /(?<![A-Za-z0-9\uE000-\uE01F._%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(:[A-Za-z0-9._~/-]+)?/g,
        (m, scpPath: string | undefined) => {
          const [, trail] = trimTrailing(m, SENTENCE_END);
          return put(ctx, scpPath ? '<url>' : '<email>') + trail;
        },
      ),
  },
  {
    name: 'azure-id',
    apply: (t, ctx) =>
      t
        .replace(/(?<![A-Za-z0-9\uE000-\uE01F._/-])\/subscriptions\/[^\s"'`,;()<>[\]{}]+/gi, (m) => {
          const [id, trail] = trimTrailing(m, SENTENCE_END);
          return put(ctx, maskAzurePath(id, false)) + trail;
        })
        .replace(/(?<![A-Za-z0-9\uE000-\uE01F._/-])Microsoft\.[A-Za-z]+(?:\/[^\s"'`,;()<>[\]{}/]+)+/gi, (m) => {
          const [path, trail] = trimTrailing(m, SENTENCE_END);
          return put(ctx, maskAzurePath(path, true)) + trail;
        }),
  },
  {
    name: 'gcp-path',
    apply: (t, ctx) =>
      t.replace(
        /(\/\/[A-Za-z0-9.-]{1,80}\.googleapis\.com\/|(?<![A-Za-z0-9\uE000-\uE01F._/-]))((?:projects|organizations|folders|billingAccounts)\/[^\s"'`,;()<>[\]{}]+)/gi,
        (_m, prefix: string, path: string) => {
          const [p, trail] = trimTrailing(path, SENTENCE_END);
          return put(ctx, prefix.toLowerCase() + maskGcpPath(p)) + trail;
        },
      ),
  },
  {
    name: 'k8s-system-user',
    apply: (t, ctx) =>
      t.replace(
        /(?<![A-Za-z0-9\uE000-\uE01F:_-])system:(serviceaccounts?|node):([A-Za-z0-9._-]+)(?::([A-Za-z0-9._-]+))?/gi,
        (_m, kind: string, _a: string, b: string | undefined) =>
          put(ctx, `system:${kind.toLowerCase()}:<name>${b !== undefined ? ':<name>' : ''}`),
      ),
  },
  {
    name: 'uuid',
    apply: (t, ctx) =>
      t.replace(
        /(?<![A-Za-z0-9\uE000-\uE01F])[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?![A-Za-z0-9\uE000-\uE01F-])/gi,
        () => put(ctx, '<uuid>'),
      ),
  },
  {
    name: 'timestamp',
    apply: (t, ctx) => {
      const ts = (): string => put(ctx, '<timestamp>');
      return t
        .replace(
          /(?<![A-Za-z0-9\uE000-\uE01F])\d{4}-\d{2}-\d{2}(?:[Tt ]\d{2}:\d{2}(?::\d{2})?(?:[.,]\d{1,9})?)?(?:(?:z|[ ]?(?:utc|gmt|[+-]\d{2}:?\d{2})(?: (?:utc|gmt))?)(?![A-Za-z]))?/gi,
          ts,
        )
        .replace(/(?<![\d/])\d{4}\/\d{2}\/\d{2}(?:[ Tt]\d{2}:\d{2}(?::\d{2})?(?:\.\d{1,9})?)?/g, ts)
        .replace(
          /\b(?:mon|tue|wed|thu|fri|sat|sun)[a-z]{0,6},? \d{1,2}[ -](?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]{0,6}[ -]\d{2,4} \d{2}:\d{2}(?::\d{2})?(?: (?:gmt|utc|[+-]\d{4}))?/gi,
          ts,
        )
        .replace(
          /\b(?:(?:mon|tue|wed|thu|fri|sat|sun) )?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec) {1,2}\d{1,2},? (?:\d{4} )?\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?: (?:utc|gmt|[ecmp][sd]t))?(?: \d{4})?(?![A-Za-z0-9])/gi,
          ts,
        )
        .replace(/(?<![A-Za-z0-9\uE000-\uE01F])[IWEF]\d{4} \d{2}:\d{2}:\d{2}\.\d{6}/g, ts)
        .replace(/(?<![A-Za-z0-9\uE000-\uE01F:.])\d{1,2}:\d{2}:\d{2}(?:[.,]\d{1,9})?(?: ?(?:z|utc|gmt|[ap]m))?(?![A-Za-z0-9\uE000-\uE01F:])/gi, ts);
    },
  },
  {
    name: 'ip',
    apply: (t, ctx) =>
      t
        .replace(/\[([0-9A-Fa-f:.]{2,45})(?:%[A-Za-z0-9]{1,16})?\](?::\d{1,5})?/g, (m, addr: string) =>
          isIPv6(addr) ? put(ctx, '<ip>') : m,
        )
        .replace(
          /(?<![A-Za-z0-9\uE000-\uE01F:./])[0-9A-Fa-f:.]{2,64}(?:%[A-Za-z0-9]{1,16})?(?:\/\d{1,3})?(?![A-Za-z0-9\uE000-\uE01F:.%/])/g,
          (m) => {
            const [core, trail] = trimTrailing(m, /\./);
            const [addr, cidr] = core.split('/');
            if (!addr || !/[0-9a-f]/i.test(addr) || (!addr.includes('::') && addr.split(':').length < 8)) return m;
            if (!isIPv6(addr.replace(/%.*$/, ''))) return m;
            return put(ctx, cidr !== undefined ? '<cidr>' : '<ip>') + trail;
          },
        )
        .replace(
          /(?<![A-Za-z0-9\uE000-\uE01F.])(?:\d{1,3}\.){3}\d{1,3}(\/\d{1,2}(?!\d)|:\d{1,5}(?!\d))?(?![A-Za-z0-9\uE000-\uE01F]|\.\d)/g,
          (_m, suffix: string | undefined) => put(ctx, suffix?.startsWith('/') ? '<cidr>' : '<ip>'),
        ),
  },
  {
    name: 'host',
    apply: (t, ctx) =>
      t.replace(
        /(?<![A-Za-z0-9\uE000-\uE01F.@/_-])[A-Za-z0-9][A-Za-z0-9-]*(?:\.[A-Za-z0-9-]+)+(?::\d{1,5})?(?![A-Za-z0-9\uE000-\uE01F_-])/g,
        (m, offset: number, whole: string) => {
          const host = m.replace(/:\d+$/, '');
          const lower = host.toLowerCase();
          const tld = lower.slice(lower.lastIndexOf('.') + 1);
          if (keepDomain(lower)) return m;
          // `monitoring.coreos.com/v1`: an API group, schema not an address.
          if (/^\/v\d/.test(whole.slice(offset + m.length, offset + m.length + 3))) return m;
          const aws = AWS_ENDPOINT.exec(lower);
          // Keep `<service>.<region>.amazonaws.com`; a cluster or bucket label in front makes it an address.
          if (aws !== null && !/^[0-9a-f]{16,}$/.test(aws[1]!)) {
            const [, service, variant, region, cn] = aws;
            return `${service}${variant ?? ''}${region !== undefined ? `.${put(ctx, '<region>')}` : ''}.amazonaws.com${cn ?? ''}`;
          }
          if (!TLDS.has(tld)) return m;
          return put(ctx, '<host>');
        },
      ),
  },
  {
    name: 'aws-resource-id',
    apply: (t, ctx) =>
      t
        .replace(
          /(?<![A-Za-z0-9\uE000-\uE01F_-])(i|sg|sgr|vpc|subnet|ami|aki|ari|vol|eni|igw|eigw|nat|rtb|rtbassoc|acl|aclassoc|snap|eipalloc|eipassoc|lt|tgw|tgw-attach|tgw-rtb|vpce|vpce-svc|pcx|dopt|cgw|vgw|vpn|fs|fsap|fsmt|r|sir|pl|lgw|ipam|ipam-pool|fl|cr|dhcp|key|h|elb|vpc-flow-log|cvpn-endpoint|dedicated|ins|ri|sp|pool)-([0-9a-f]{8}|[0-9a-f]{17})(?![A-Za-z0-9\uE000-\uE01F_-])/gi,
          (_m, prefix: string) => put(ctx, `${prefix.toLowerCase()}-<id>`),
        )
        .replace(
          /(?<![A-Za-z0-9\uE000-\uE01F])(?:AROA|AIDA|AGPA|ANPA|ANVA|APKA|AIPA|ASCA)[A-Z0-9]{12,28}(?::[A-Za-z0-9._@=+-]{1,64})?(?![A-Za-z0-9\uE000-\uE01F])/g,
          () => put(ctx, '<unique-id>'),
        ),
  },
  {
    name: 'region',
    apply: (t, ctx) =>
      t
        .replace(
          new RegExp(`(?<![A-Za-z0-9\uE000-\uE01F-])${AWS_REGION_SRC}(-[a-z]{3}-\\d[a-z]|[a-z])?(?![A-Za-z0-9\uE000-\uE01F-])`, 'gi'),
          (_m, az: string | undefined) => put(ctx, az !== undefined ? '<zone>' : '<region>'),
        )
        .replace(/(?<![A-Za-z0-9\uE000-\uE01F-])[a-z]{2,4}\d-az\d{1,2}(?![A-Za-z0-9\uE000-\uE01F-])/gi, () => put(ctx, '<zone>'))
        .replace(
          new RegExp(`(?<![A-Za-z0-9\uE000-\uE01F-])${GCP_REGION_SRC}(-[a-f])?(?![A-Za-z0-9\uE000-\uE01F-])`, 'gi'),
          (_m, zone: string | undefined) => put(ctx, zone !== undefined ? '<zone>' : '<region>'),
        )
        .replace(new RegExp(`(?<![A-Za-z0-9\uE000-\uE01F_-])(?:${AZURE_REGIONS.join('|')})(?![A-Za-z0-9\uE000-\uE01F_-])`, 'gi'), () =>
          put(ctx, '<region>'),
        ),
  },
  {
    name: 'instance-type',
    apply: (t, ctx) =>
      t
        .replace(
          /(?<![A-Za-z0-9\uE000-\uE01F.-])(?:db\.|cache\.)?[a-z]{1,4}\d{1,2}[a-z]{0,4}(?:-flex)?\.(?:nano|micro|small|medium|large|xlarge|\d{1,2}xlarge|metal(?:-\d{2}xl)?)(?![A-Za-z0-9\uE000-\uE01F-]|\.[A-Za-z0-9])/gi,
          () => put(ctx, '<instance-type>'),
        )
        .replace(
          /(?<![A-Za-z0-9\uE000-\uE01F-])[a-z]{1,2}\d{1,2}[a-z]?-(?:standard|highmem|highcpu|megamem|ultramem|highgpu|megagpu|ultragpu|micro|small|medium|custom|hpc)(?:-\d{1,4}g?)*(?![A-Za-z0-9\uE000-\uE01F-])/gi,
          () => put(ctx, '<instance-type>'),
        )
        .replace(/(?<![A-Za-z0-9\uE000-\uE01F_])(?:Standard|Basic)_[A-Za-z0-9]+(?:_[A-Za-z0-9]+)*(?![A-Za-z0-9\uE000-\uE01F_])/g, (m) =>
          /\d/.test(m) ? put(ctx, '<instance-type>') : m,
        ),
  },
  {
    name: 'file-path',
    apply: (t, ctx) => {
      const path = (m: string): string => {
        const [, trail] = trimTrailing(m, SENTENCE_END);
        return put(ctx, '<path>') + trail;
      };
      return t
        .replace(
          /(?<![A-Za-z0-9\uE000-\uE01F_.~:/-])(?:~|\.{1,2})?\/[A-Za-z0-9_.@%+~/-]*[A-Za-z0-9_@%+~-](?::\d+(?:[,:]\d+(?:-\d+)?)?)?/g,
          path,
        )
        .replace(/(?<![A-Za-z0-9\uE000-\uE01F])[A-Za-z]:\\[^\s"'`<>|*?]+/g, path)
        .replace(
          new RegExp(
            `(?<![A-Za-z0-9\uE000-\uE01F_./-])\\.?[A-Za-z0-9_][A-Za-z0-9_./-]*\\.(?:${FILE_EXT})(?::\\d+(?:[,:]\\d+(?:-\\d+)?)?)?(?![A-Za-z0-9\uE000-\uE01F_-]|\\.[A-Za-z0-9])`,
            'gi',
          ),
          (m) => (keepDomain(m) ? m : path(m)),
        );
    },
  },
  {
    name: 'terraform',
    apply: (t, ctx) =>
      t
        .replace(
          /\b(resource|data)(\s{1,8})(["'])([a-z][a-z0-9]*_[a-z0-9_]+)\3(\s{1,8})(["'])[^"'\s]{1,128}\6/gi,
          (_m, kw: string, s1: string, q: string, type: string, s2: string, q2: string) =>
            put(ctx, `${kw.toLowerCase()}${s1}${q}${type.toLowerCase()}${q}${s2}${q2}<name>${q2}`),
        )
        .replace(/\b(module|variable|output)(\s{1,8})(["'])[^"'\s]{1,128}\3/gi, (_m, kw: string, s: string, q: string) =>
          put(ctx, `${kw.toLowerCase()}${s}${q}<name>${q}`),
        )
        .replace(
          /(?<![A-Za-z0-9\uE000-\uE01F_./-])(?:module|data|var|local|[a-z][a-z0-9]*_[a-z0-9_]+)(?:\.[A-Za-z_][A-Za-z0-9_-]*(?:\[(?:\d{1,6}|"[^"\s\]]{1,64}"|\*)\])?)+/gi,
          (m) => {
            const r = maskTerraformAddress(m);
            return r === null ? m : put(ctx, r.address) + r.tail;
          },
        ),
  },
  {
    name: 'quoted',
    apply: (t, ctx) =>
      t.replace(
        /(\\?)(["'`])([^"'`\s\\,;{}()[\]]{0,256})\1\2/g,
        (m, esc: string, q: string, raw: string, offset: number, whole: string) => {
          const content = ctx.vault.restore(raw);
          if (!/[A-Za-z0-9<]/.test(content) || /^<[a-z][a-z0-9:_-]{0,39}>$/.test(content) || NUMERIC_LIKE.test(content)) {
            return m;
          }
          // JSON keys ({"cpu": …}) are schema.
          const prev = whole.slice(Math.max(0, offset - 4), offset).trimEnd();
          const next = whole.slice(offset + m.length, offset + m.length + 4).trimStart();
          if (/[{,]$/.test(prev) && next.startsWith(':')) return esc + q + put(ctx, raw) + esc + q;
          const [w1, w2] = wordsBefore(whole, offset);
          const d = decide(content, w1, w2, 'quote');
          if (d === 'leave') return m;
          if (d === 'keep') return esc + q + put(ctx, raw) + esc + q;
          learn(ctx, raw, '<name>');
          return esc + q + put(ctx, '<name>') + esc + q;
        },
      ),
  },
  {
    name: 'parenthesized',
    apply: (t, ctx) =>
      t.replace(/(?<=^|[\s:,;])\(([^()\s"'`]{1,256})\)/g, (m, raw: string, offset: number, whole: string) => {
        const content = ctx.vault.restore(raw);
        if (/^<[a-z][a-z0-9:_-]{0,39}>$/.test(content) || NUMERIC_LIKE.test(content)) return m;
        const [w1, w2] = wordsBefore(whole, offset);
        const d = decide(content, w1, w2, 'paren');
        if (d === 'leave') return m;
        if (d === 'keep') return `(${put(ctx, raw)})`;
        learn(ctx, raw, '<name>');
        return `(${put(ctx, '<name>')})`;
      }),
  },
  {
    name: 'selector-values',
    // Karpenter/k8s requirements: `karpenter.sh/nodepool In [default gpu]`.
    apply: (t, ctx) =>
      t.replace(/(?<=[A-Za-z0-9./_-] )(In|NotIn)( )\[([^[\]]{1,512})\]/g, (m, op: string, sp: string, values: string) =>
        MARKER_ONLY.test(values.replace(/\s+/g, '')) ? m : `${op}${sp}[${put(ctx, '<values>')}]`,
      ),
  },
  {
    name: 'named-values',
    // `name: prod-eks`, `--cluster=prod`, `namespace=default`. Words that also head prose ("EC2 Instance: operation
    // error") only count with `=` or an id-shaped value.
    apply: (t, ctx) =>
      t.replace(
        /(?<![A-Za-z0-9\uE000-\uE01F_.-])(-{0,2})(name|cluster(?:[_-]?name)?|bucket(?:[_-]?name)?|namespace|ns|node(?:group|pool|claim)|release(?:[_-]?name)?|stack[_-]?name|username|who|project[_-]?id|resource[_-]?group|function[_-]?name|pod|node|user|project|instance|deployment|table|queue|image|host(?:name)?|profile|context|vault|account|stack|function|repository|repo)([ \t]{0,3}[:=][ \t]{0,3})([^\s"'`,;()<>[\]{}\uE000-\uE0FF]+)/gi,
        (m, dashes: string, key: string, sep: string, value: string) => {
          const [v, trail] = trimTrailing(value, SENTENCE_END);
          if (v === '' || STOP_VALUES.has(v.toLowerCase()) || NUMERIC_LIKE.test(v)) return m;
          const strong = /^(?:name|cluster|bucket|namespace|ns|node(?:group|pool|claim)|release|username|who|resource[_-]?group)|[_-]/i.test(key);
          if (!strong && !sep.includes('=') && !/[._/:@-]/.test(v)) return m;
          learn(ctx, v, '<name>');
          return dashes + key + sep + put(ctx, '<name>') + trail;
        },
      ),
  },
  { name: 'learned-names', apply: replaceLearned },
  {
    name: 'hyphenated',
    apply: (t, ctx) =>
      t.replace(
        /(?<![A-Za-z0-9\uE000-\uE01F_.:-])[A-Za-z0-9]+(?:-[A-Za-z0-9]+)+(?![A-Za-z0-9\uE000-\uE01F_-]|\.[A-Za-z0-9])/g,
        (m) => maskHyphenated(m, ctx.vault),
      ),
  },
  {
    name: 'opaque',
    apply: (t, ctx) => t.replace(/(?<![A-Za-z0-9\uE000-\uE01F+/=_-])[A-Za-z0-9+/=_-]{16,}/g, (m) => maskOpaque(m, ctx.vault)),
  },
  {
    name: 'number',
    apply: (t, ctx) =>
      t.replace(/(?<![A-Za-z0-9\uE000-\uE01F_.%-])[vVxX]?\d[A-Za-z0-9.%]*(?![A-Za-z0-9\uE000-\uE01F_.%-])/g, (m, offset: number, whole: string) =>
        maskNumber(m, whole, offset, ctx.vault),
      ),
  },
];

// ---------------------------------------------------------------------------
// Pass and entry point

/**
 * Terraform prints the offending source lines and value hints under `on main.tf line 12`:
 * `12: resource … {`, `├────`, `│ var.x is "y"`. They are the user's code, not the error.
 */
function dropSourceSnippets(text: string): string {
  if (!text.includes(' line ')) return text;
  const out: string[] = [];
  let inSnippet = false;
  for (const line of text.split('\n')) {
    const body = line.replace(/^\s{0,16}[│|]?\s{0,16}/, '');
    if (inSnippet && (/^\d{1,6}:(?:\s|$)/.test(body) || /^[├│└|]/.test(body))) continue;
    inSnippet = /^on \S{1,512} line \d/.test(body);
    out.push(line);
  }
  return out.join('\n');
}

function cutAtSpace(text: string, max: number): string {
  if (text.length <= max) return text;
  const space = text.lastIndexOf(' ', max);
  return (space >= max - 256 ? text.slice(0, space) : text.slice(0, max)).trimEnd();
}

/** One normalization pass; exported for tests (normalizeError iterates it to a fixed point). */
export function normalizeOnce(input: string): string {
  // Rules only look at ASCII case; lower-casing the rest now means no later lower-casing can turn
  // a character into ASCII (the Kelvin sign, dotted capital I) that the next pass would see differently.
  let s = stripAnsi(input.replace(RESERVED_G, ''))
    .replace(/[^\x00-\x7f]+/g, (m) => m.toLowerCase())
    .replace(/\r\n?/g, '\n');
  s = unwrapErrorText(dropSourceSnippets(s));
  // Line breaks carry no meaning once unwrapped; other control characters never do.
  s = s.replace(/[\u0000-\u001f\u007f-\u009f\s]+/g, ' ').trim();
  s = redactSecrets(s);
  s = cutAtSpace(s, MAX_INPUT_CHARS);
  const ctx = createRuleContext();
  for (const rule of NORMALIZER_RULES) s = rule.apply(s, ctx);
  s = ctx.vault.restore(s.toLowerCase());
  s = s.replace(/\s+/g, ' ').trim();
  // unwrapErrorText strips one diagnostic gutter per line; leave none for the next pass to strip.
  s = s.replace(/^(?:[│|╷╵](?: |$))+/, '').trim();
  return cutAtSpace(s, MAX_PATTERN_CHARS);
}

const MAX_PASSES = 4;

/**
 * The stable pattern of an error message (see the module comment). Never throws: input that is not a
 * string is stringified, and an unexpected internal failure yields `<unnormalizable>`.
 */
export function normalizeError(text: string): string {
  try {
    let current = normalizeOnce(typeof text === 'string' ? text : String(text));
    for (let i = 1; i < MAX_PASSES; i++) {
      const next = normalizeOnce(current);
      if (next === current) return current;
      current = next;
    }
    return current;
  } catch {
    return '<unnormalizable>';
  }
}
