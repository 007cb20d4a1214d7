import { firstCapture, firstResolved, type Resolver } from './shared.js';

/** googleapi / gcloud / gRPC status wording. */
export const GCP_SIGNAL =
  /googleapi|\bgcloud\b|googleapis\.com|\bGoogle Compute Engine\b|\bPERMISSION_DENIED\b|\bRESOURCE_EXHAUSTED\b|\bFAILED_PRECONDITION\b|\bINVALID_ARGUMENT\b|Quota '[A-Z0-9_]+' exceeded|project_number:|\bgooglecompute\b|\bgoogle_[a-z_]+|\bprojects\/[\w-]+\/(?:zones|regions|locations|global)\/|GoogleBaseError|GoogleJsonResponseException|googleapiclient|Google API error|\bZONE_RESOURCE_POOL_EXHAUSTED/;

export function detectGcp(t: string): boolean {
  return GCP_SIGNAL.test(t);
}

// googleapi appends ", <reason>" to its message; one-word reasons cannot be told from prose, so only these are accepted.
const ONE_WORD_REASONS = new Set(['forbidden', 'invalid', 'required', 'conflict', 'unauthorized', 'duplicate', 'deleted']);
const GOOGLEAPI = /googleapi: Error (\d{3}): ([^\n]{0,2000})/;
const TRAILING_REASON = /,\s*([a-z][A-Za-z]{2,40})\b/g;

function googleapiCode(t: string): string | null {
  const m = GOOGLEAPI.exec(t);
  if (!m) return null;
  for (const r of (m[2] ?? '').matchAll(TRAILING_REASON)) {
    const word = r[1] ?? '';
    if (/[A-Z]/.test(word) || ONE_WORD_REASONS.has(word)) return word;
  }
  // A bare "Error 403" with no reason is still a code; the status is all there is.
  return m[1] ?? null;
}

const GRPC_STATUSES = new Set([
  'PERMISSION_DENIED', 'RESOURCE_EXHAUSTED', 'FAILED_PRECONDITION', 'INVALID_ARGUMENT', 'NOT_FOUND', 'ALREADY_EXISTS',
  'UNAUTHENTICATED', 'UNAVAILABLE', 'DEADLINE_EXCEEDED', 'ABORTED', 'OUT_OF_RANGE', 'UNIMPLEMENTED', 'CANCELLED', 'DATA_LOSS',
]);

// Compute operation codes (ZONE_RESOURCE_POOL_EXHAUSTED…) are nested inside a gRPC status and say more than it does.
const OPERATION_CODE_PATTERNS: readonly RegExp[] = [
  /\bcode: ([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)\b/g, // gcloud YAML error dump
  /\[([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)\]/g, // "[CODE] 'message'" in operation errors
  /\b([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)(?=: | The )/g, // "CODE: The zone …"
];

function operationCode(t: string): string | null {
  for (const re of OPERATION_CODE_PATTERNS) {
    for (const m of t.matchAll(re)) {
      const code = m[1] ?? '';
      if (!GRPC_STATUSES.has(code)) return code;
    }
  }
  return null;
}

const OTHER_CODE_PATTERNS: readonly RegExp[] = [
  /\bGoogle API error \(\d{3} ([a-z][A-Za-z]{2,40})\)/,
  /\b(PERMISSION_DENIED|RESOURCE_EXHAUSTED|FAILED_PRECONDITION|INVALID_ARGUMENT|NOT_FOUND|ALREADY_EXISTS|UNAUTHENTICATED|UNAVAILABLE|DEADLINE_EXCEEDED|ABORTED|OUT_OF_RANGE|UNIMPLEMENTED|CANCELLED|DATA_LOSS)\b/,
  /"reason"\s*:\s*"([a-z][A-Za-z]{2,40})"/,
  /'reason': '([a-z][A-Za-z]{2,40})'/, // Python client's error details
  /<HttpError (\d{3}) when requesting/, // Python client, no reason printed
  /\b(invalid_grant|invalid_client|unauthorized_client|invalid_scope|invalid_rapt)\b/, // OAuth token endpoint errors
];

export function extractGcpCode(t: string): string | null {
  return googleapiCode(t) ?? operationCode(t) ?? firstCapture(t, OTHER_CODE_PATTERNS);
}

// GCP resource types as Google writes them: `compute.instances`, taken from IAM permissions or gcloud command groups.
const TYPE_RESOLVERS: readonly Resolver[] = [
  { re: /\bRequired ['"]([a-z]+\.[A-Za-z]+)\.[A-Za-z]+['"] permission/, map: (m) => m[1] ?? null },
  { re: /\bPermission ['"]([a-z]+\.[A-Za-z]+)\.[A-Za-z]+['"] denied/, map: (m) => m[1] ?? null },
  { re: /\(gcloud\.([a-z0-9-]+(?:\.[a-z0-9-]+){0,4})\.[a-z0-9-]+\)/, map: (m) => m[1] ?? null },
];

export function gcpResourceType(t: string): string | null {
  return firstResolved(t, TYPE_RESOLVERS);
}
