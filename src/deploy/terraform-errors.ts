/**
 * Reading Terraform's failures: which ones mean a dependency is missing (blocked: state locked by
 * someone else, no credentials, not initialised) and which one means the saved plan is stale.
 * Terraform prints these as plain text (with `-no-color`, without the box frame); the recorded
 * outputs are in test/fixtures/fake-bin/terraform-deploy/recorded/.
 */
import { redactSecrets } from '../errors/redact.js';
import type { StateLockInfo } from './types.js';

// ANSI codes and the diagnostic frame (│ ╷ ╵) terraform draws without -no-color.
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;
const FRAME = /^[ \t]*[│╷╵][ \t]?/;

export function plainLines(text: string): string[] {
  return text
    .replace(ANSI, '')
    .split(/\r?\n/)
    .map((l) => l.replace(FRAME, ''));
}

/** `Error acquiring the state lock` (terraform, tofu): the Lock Info block, else null. */
export function parseStateLock(text: string, now: Date = new Date()): StateLockInfo | null {
  const lines = plainLines(text);
  if (!lines.some((l) => /Error acquiring the state lock/i.test(l))) return null;
  const field = (name: string): string | null => {
    const re = new RegExp(`^\\s*${name}:\\s*(.*?)\\s*$`);
    for (const l of lines) {
      const m = re.exec(l);
      if (m) return m[1] === '' ? null : m[1]!;
    }
    return null;
  };
  const created = field('Created');
  return {
    id: field('ID'),
    path: field('Path'),
    operation: field('Operation'),
    who: field('Who'),
    version: field('Version'),
    created,
    ageSeconds: lockAge(created, now),
  };
}

/** `2026-11-23 14:16:44.11374449 +0000 UTC` (Go's time.String) → seconds before `now`. */
export function lockAge(created: string | null, now: Date): number | null {
  if (!created) return null;
  const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(\.\d+)? ([+-])(\d{2})(\d{2})/.exec(created);
  if (!m) return null;
  const frac = m[3] ? m[3].slice(0, 4) : '';
  const t = Date.parse(`${m[1]}T${m[2]}${frac}${m[4]}${m[5]}:${m[6]}`);
  if (Number.isNaN(t)) return null;
  return Math.max(0, Math.floor((now.getTime() - t) / 1000));
}

/** Provider errors that mean there are no usable credentials (AWS SDK v1/v2, SSO cache). */
const CREDENTIAL_ERRORS: readonly RegExp[] = [
  /No valid credential sources found/i,
  /no valid credential sources for Terraform AWS Provider found/i,
  /NoCredentialProviders/,
  /failed to refresh cached credentials/i,
];

export function isCredentialsError(text: string): boolean {
  return CREDENTIAL_ERRORS.some((re) => re.test(text));
}

export function isStalePlan(text: string): boolean {
  return /Saved plan is stale/i.test(text);
}

/** The error lines worth keeping as evidence: `Error: …` lines and the lines after them, redacted. */
export function keyLines(text: string, max = 12): string[] {
  const lines = plainLines(text).map((l) => l.trimEnd());
  const out: string[] = [];
  for (let i = 0; i < lines.length && out.length < max; i++) {
    const l = lines[i]!;
    if (/^(Error|Warning):/.test(l.trim()) && !/Unable to open CLI configuration file/.test(l)) {
      for (let j = i; j < lines.length && out.length < max && (j === i || !/^(Error|Warning):/.test(lines[j]!.trim())); j++) {
        if (lines[j]!.trim() !== '') out.push(redactSecrets(lines[j]!.trim()));
      }
    } else if (/^(Plan:|Apply complete!|No changes\.|Changes to Outputs:)/.test(l.trim())) {
      out.push(redactSecrets(l.trim()));
    }
  }
  return out;
}

/** The error text handed to the debugger: from the first `Error:` line on, redacted. */
export function errorText(stderr: string): string {
  const lines = plainLines(stderr);
  const at = lines.findIndex((l) => /^\s*Error:/.test(l));
  return redactSecrets((at >= 0 ? lines.slice(at) : lines).join('\n').trim());
}

/** A lock's age for people: 45s, 12m, 3h 5m, 2d. */
export function formatAge(seconds: number): string {
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 172_800) return `${Math.floor(seconds / 3600)}h ${Math.floor((seconds % 3600) / 60)}m`;
  return `${Math.floor(seconds / 86_400)}d`;
}
