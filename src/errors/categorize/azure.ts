import { firstResolved, type Resolver } from './shared.js';

/** Azure Resource Manager, az CLI, Az PowerShell and azurerm wording. */
export const AZURE_SIGNAL =
  /\bazure|azurerm|autorest|Microsoft\.[A-Z][A-Za-z]+|\baz login\b|\bAADSTS\d+|\/subscriptions\/|\bResourceGroupNotFound\b|\bAuthorizationFailed\b|\bSkuNotAvailable\b|\bMissingSubscriptionRegistration\b|\bInvalidTemplateDeployment\b|\bStorageAccountAlreadyTaken\b|Total Regional Cores quota|aka\.ms\/|\bx-ms-(?:request-id|correlation-request-id|failure-cause)\b/i;

export function detectAzure(t: string): boolean {
  return AZURE_SIGNAL.test(t);
}

// Every shape Azure writes a code in; all occurrences are collected so the innermost can win.
const CODE_PATTERNS: readonly RegExp[] = [
  /(?<![A-Za-z])Code="([A-Za-z][\w.]{1,80})"/g,
  /(?<![A-Za-z])Code=([A-Za-z][\w.]{1,80});/g,
  /\bCode: ([A-Z][A-Za-z0-9.]{1,80})\b/g,
  /"code"\s*:\s*"([A-Za-z][\w.]{1,80})"/g,
  /\bErrorCode: ([A-Z][A-Za-z0-9]{1,80})/g,
  /<Code>([A-Z][A-Za-z0-9]{1,80})<\/Code>/g, // Storage XML error body
  /\bERROR CODE: ([A-Z][A-Za-z0-9]{1,80})/g,
  /\bError type: ([A-Z][A-Za-z0-9]{1,80})/g,
  // az CLI and azure-core exceptions (ResourceExistsError: …): "(Code) Message"
  /(?:^|ERROR: |azclierror: |\b[A-Z][A-Za-z]{2,40}Error: )\(([A-Z][a-z]+[A-Z][A-Za-z]{1,80})\) [A-Z]/gm,
  /\bwith error: ([A-Z][A-Za-z0-9]{1,80}):/g,
  /\(Code: ([A-Z][A-Za-z0-9]{1,80})[,)]/g,
  // azd "Deployment Error Details": "Code: message" per line, joined into sentences once unwrapped
  /(?:^|[.:] )([A-Z][a-z]+(?:[A-Z][a-z0-9]*){2,}): [A-Z]/gm,
  /\b(AADSTS\d{4,8})\b/g, // Entra ID sign-in errors
];

// Envelope codes that only say "see details"; a detail code is always more specific.
const WRAPPER_CODES = new Set(['InvalidTemplateDeployment', 'DeploymentFailed', 'PreflightValidationCheckFailed', 'ResourceDeploymentFailure']);

export function extractAzureCode(t: string): string | null {
  const found: { at: number; code: string }[] = [];
  for (const re of CODE_PATTERNS) {
    for (const m of t.matchAll(re)) if (m[1]) found.push({ at: m.index ?? 0, code: m[1] });
  }
  if (found.length === 0) return null;
  found.sort((a, b) => a.at - b.at);
  // Nested details are printed after their envelope, so the last non-wrapper code is the innermost.
  const specific = found.filter((f) => !WRAPPER_CODES.has(f.code));
  const pick = specific.length > 0 ? specific[specific.length - 1] : found[found.length - 1];
  return pick ? pick.code : null;
}

const TYPE_RESOLVERS: readonly Resolver[] = [
  { re: /\bperform action '(Microsoft\.[A-Za-z]+(?:\/[A-Za-z]+){1,6})\/(?:read|write|delete|action)'/, map: (m) => m[1] ?? null },
  // Policy assignments and management groups quoted in a denial are not the resource being deployed.
  { re: /\/providers\/(?!Microsoft\.Authorization\/policy|Microsoft\.Management\/)(Microsoft\.[A-Za-z]+\/[A-Za-z]+)\//, map: (m) => m[1] ?? null },
];

// An ID quoted as the blocker ("is in use by /subscriptions/…") is not the resource the operation was on.
const BLOCKER_ID = /\b(?:in use by|used by|referenced by|attached to) \/subscriptions\/\S{0,1000}/g;

export function azureResourceType(t: string): string | null {
  return firstResolved(t.includes('/subscriptions/') ? t.replace(BLOCKER_ID, '') : t, TYPE_RESOLVERS);
}
