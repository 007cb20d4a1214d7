/**
 * Shared helpers for the scanner-output parsers (checkov, tfsec, trivy, SARIF). Every parser is a
 * pure function from the tool's text output to `{ findings, problems }`: `problems` collects things
 * worth telling the user that do not stop parsing (parse errors reported by the tool itself,
 * absolute paths that could not be made relative, unknown severities…); malformed input throws a
 * {@link ScannerParseError} naming the tool, the file and what is wrong.
 */
import type { Finding, ScannerTool, Severity } from '../finding.js';
import { SEVERITIES } from '../finding.js';

export interface ParseResult {
  findings: Finding[];
  problems: string[];
}

export interface ParseOptions {
  /** Name of the file the text came from, for error messages (default `<input>`). */
  file?: string;
  /** Directory the tool scanned; absolute paths under it are made relative to it. */
  baseDir?: string;
}

export class ScannerParseError extends Error {
  constructor(
    readonly tool: ScannerTool | 'sarif',
    readonly file: string,
    readonly detail: string,
  ) {
    super(`${tool}: cannot parse ${file}: ${detail}`);
    this.name = 'ScannerParseError';
  }
}

type JsonObject = Record<string, unknown>;

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function str(v: unknown): string | null {
  return typeof v === 'string' && v.length > 0 ? v : null;
}

export function int(v: unknown): number | null {
  if (typeof v === 'number' && Number.isInteger(v) && v > 0) return v;
  if (typeof v === 'string' && /^\d+$/.test(v) && Number(v) > 0) return Number(v);
  return null;
}

function lineCol(text: string, pos: number): string {
  const before = text.slice(0, pos);
  const line = before.split('\n').length;
  const col = pos - before.lastIndexOf('\n');
  return `line ${line}, column ${col}`;
}

/**
 * `JSON.parse` with errors a human can act on: UTF-16 files (PowerShell `>` redirection writes
 * UTF-16LE with a BOM) and truncated output are recognised and reported with a position.
 * A UTF-8 BOM is accepted and stripped.
 */
export function parseJson(tool: ScannerTool | 'sarif', file: string, text: string): unknown {
  if (typeof text !== 'string') throw new ScannerParseError(tool, file, 'input is not text');
  // UTF-16 read as UTF-8 shows up as U+FFFD U+FFFD (the FF FE / FE FF BOM bytes) and/or NUL chars.
  if (text.startsWith('\uFFFD\uFFFD') || text.startsWith('\uFFFE') || text.slice(0, 200).includes('\u0000')) {
    throw new ScannerParseError(
      tool,
      file,
      'input looks UTF-16 encoded (byte-order mark / NUL bytes), e.g. saved by PowerShell `>`; re-save it as UTF-8',
    );
  }
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  if (body.trim() === '') throw new ScannerParseError(tool, file, 'input is empty');
  try {
    return JSON.parse(body) as unknown;
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const pos = jsonErrorOffset(body);
    if (pos >= body.trimEnd().length) {
      throw new ScannerParseError(tool, file, `truncated JSON: input ends at position ${pos} (${lineCol(body, pos)}) inside an unfinished value`);
    }
    const near = JSON.stringify(body.slice(pos, pos + 20));
    throw new ScannerParseError(tool, file, `invalid JSON at position ${pos} (${lineCol(body, pos)}) near ${near}: ${msg}`);
  }
}

/**
 * Offset of the first JSON syntax error in `text` (text.length when the input simply stops).
 * Node 20's `JSON.parse` messages do not always carry a position, so we find it ourselves; only
 * called after `JSON.parse` failed.
 */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const n = text.length;
  class Stop {
    constructor(readonly at: number) {}
  }
  const ws = () => {
    while (i < n && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const fail = (): never => {
    throw new Stop(Math.min(i, n));
  };
  const lit = (word: string) => {
    for (const ch of word) {
      if (i >= n || text[i] !== ch) fail();
      i++;
    }
  };
  const string = () => {
    i++; // opening quote
    while (i < n && text[i] !== '"') {
      if (text[i] === '\\') i++;
      else if (text.charCodeAt(i) < 0x20) fail();
      i++;
    }
    if (i >= n) fail();
    i++;
  };
  const number = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m || m[0] === '' || m[0] === '-') fail();
    i += m![0].length;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === undefined) fail();
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') return void i++;
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        string();
        ws();
        if (text[i] !== ':') fail();
        i++;
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return void i++;
        else fail();
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return void i++;
        else fail();
      }
    }
    if (c === '"') return string();
    if (c === 't') return lit('true');
    if (c === 'f') return lit('false');
    if (c === 'n') return lit('null');
    return number();
  };
  try {
    value();
    ws();
    return i; // trailing garbage starts here
  } catch (e) {
    if (e instanceof Stop) return e.at;
    throw e;
  }
}

/** Tool severity strings to ours. Old tfsec used ERROR/WARNING/INFO; trivy has UNKNOWN. */
export function normaliseSeverity(v: unknown): Severity | null {
  if (typeof v !== 'string') return null;
  const s = v.trim().toUpperCase();
  if ((SEVERITIES as readonly string[]).includes(s)) return s as Severity;
  if (s === 'ERROR') return 'HIGH';
  if (s === 'WARNING' || s === 'WARN' || s === 'MODERATE') return 'MEDIUM';
  if (s === 'INFO' || s === 'NOTE' || s === 'NONE') return 'LOW';
  return null;
}

/**
 * A path as reported by a tool, relative to the scanned directory with `/` separators.
 * checkov writes `/modules/x/main.tf` meaning "relative to the scan root": the leading `/` is
 * stripped. For real absolute paths (tfsec writes `/tmp/.../code/main.tf`) pass `baseDir`;
 * without it such paths are kept as given and `onAbsolute` is called once so the caller can
 * record a problem.
 */
export function relPath(
  p: unknown,
  opts: { baseDir?: string | undefined; leadingSlashIsRoot?: boolean },
  onAbsolute?: (p: string) => void,
): string | null {
  let s = str(p);
  if (s === null) return null;
  s = s.replace(/\\/g, '/');
  if (s.startsWith('file://')) s = decodeURIComponent(s.slice('file://'.length));
  if (opts.baseDir) {
    const base = opts.baseDir.replace(/\\/g, '/').replace(/\/+$/, '') + '/';
    if (s.startsWith(base)) return s.slice(base.length);
  }
  if (s.startsWith('./')) s = s.slice(2);
  if (s.startsWith('/') || /^[A-Za-z]:\//.test(s)) {
    if (opts.leadingSlashIsRoot) return s.replace(/^\/+/, '');
    onAbsolute?.(s);
  }
  return s;
}

/** `AVD-AWS-0086` ⇄ `AWS-0086` (trivy dropped the `AVD-` prefix in its 2025 checks bundle). */
export function avdForms(id: string): { short: string; avd: string } | null {
  const m = /^(?:AVD-)?([A-Z][A-Z0-9]*-\d{3,})$/i.exec(id);
  if (!m || !m[1]) return null;
  const short = m[1].toUpperCase();
  return { short, avd: `AVD-${short}` };
}

export function uniq(xs: Array<string | null | undefined>, exclude?: string): string[] {
  const out: string[] = [];
  for (const x of xs) if (x && x !== exclude && !out.includes(x)) out.push(x);
  return out;
}
