/**
 * Input decoding shared by the cost parsers: bytes or text in, JSON value out, with errors that name
 * the file and say what is wrong (UTF-16 saved by PowerShell `>`, truncated output, wrapper noise).
 */
import { jsonErrorOffset } from '../scanners/common.js';

export class CostInputError extends Error {
  constructor(
    readonly file: string,
    readonly detail: string,
    /** Offset into the decoded text where JSON parsing failed, when known. */
    readonly position?: number,
  ) {
    super(`cannot parse ${file}: ${detail}`);
    this.name = 'CostInputError';
  }
}

/**
 * Decode bytes or text to a JS string. Bytes: UTF-8 (optional BOM), UTF-16LE/BE with BOM.
 * Text that was UTF-16LE mis-read as UTF-8 (U+FFFD U+FFFD then char/NUL pairs) is recovered when
 * it is pure ASCII; otherwise a clear error asks for the bytes or a UTF-8 re-save.
 */
export function decodeInput(input: string | Uint8Array, file: string): string {
  if (typeof input !== 'string') {
    let b = input;
    // A UTF-16 file with an odd byte count: something appended a lone byte (seen: a bare 0x0A after
    // PowerShell's CRLF). Drop it rather than decode it as U+FFFD.
    const utf16Bom = b.length >= 2 && ((b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff));
    if (utf16Bom && b.length % 2 === 1) b = b.subarray(0, b.length - 1);
    if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) return new TextDecoder('utf-16le').decode(b.subarray(2));
    if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) return new TextDecoder('utf-16be').decode(b.subarray(2));
    if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return new TextDecoder('utf-8').decode(b.subarray(3));
    if (b.length >= 4 && b[1] === 0 && b[3] === 0 && b[0] !== 0) return new TextDecoder('utf-16le').decode(b);
    return new TextDecoder('utf-8').decode(b);
  }
  if (input.startsWith('\uFEFF')) return input.slice(1);
  const mojibake = input.startsWith('\uFFFD\uFFFD') || input.slice(0, 200).includes('\u0000');
  if (!mojibake) return input;
  let body = input.startsWith('\uFFFD\uFFFD') ? input.slice(2) : input;
  if (body.length % 2 === 1 && /\s$/.test(body)) body = body.slice(0, -1); // stray trailing byte
  // UTF-16LE ASCII read as UTF-8: every odd char is NUL.
  let ok = body.length % 2 === 0;
  for (let i = 1; ok && i < body.length; i += 2) if (body[i] !== '\u0000' || body.charCodeAt(i - 1) > 0x7f) ok = false;
  if (ok) {
    let out = '';
    for (let i = 0; i < body.length; i += 2) out += body[i];
    return out;
  }
  throw new CostInputError(
    file,
    'input looks UTF-16 encoded (byte-order mark / NUL bytes), e.g. saved by PowerShell `>`; pass the raw bytes or re-save it as UTF-8',
  );
}

function lineCol(text: string, pos: number): string {
  const before = text.slice(0, pos);
  const line = before.split('\n').length;
  return `line ${line}, column ${pos - before.lastIndexOf('\n')}`;
}

/** `JSON.parse` with a file name and position in the error; truncated input is called truncated. */
export function parseJsonText(text: string, file: string): unknown {
  if (text.trim() === '') throw new CostInputError(file, 'input is empty');
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const pos = jsonErrorOffset(text);
    if (pos >= text.trimEnd().length) {
      throw new CostInputError(
        file,
        `truncated JSON: input ends at position ${pos} (${lineCol(text, pos)}) inside an unfinished value`,
        pos,
      );
    }
    const near = JSON.stringify(text.slice(pos, pos + 20));
    throw new CostInputError(file, `invalid JSON at position ${pos} (${lineCol(text, pos)}) near ${near}: ${msg}`, pos);
  }
}

export type JsonObject = Record<string, unknown>;
export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
