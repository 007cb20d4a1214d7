import type { Verdict } from '../types.js';
import { blocks, boolAttr, hasDynamic, strAttr, UNKNOWN } from '../util.js';

/**
 * The value of `<block> { <attr> = ... }` as a boolean: `undefined` when the block or attribute is
 * absent, `'unknown'` when the block is dynamic, an expression, or the attribute is unresolved.
 */
export function nestedBool(body: Record<string, unknown>, block: string, attr: string): boolean | 'unknown' | undefined {
  if (hasDynamic(body, block)) return 'unknown';
  const raw = body[block];
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw === 'string') return 'unknown';
  const bs = blocks(body, block);
  if (bs.length === 0) return undefined;
  return boolAttr(bs[0]!, attr);
}

/** A nested string attribute, with the same conventions as `nestedBool`. */
export function nestedStr(body: Record<string, unknown>, block: string, attr: string): string | typeof UNKNOWN | undefined {
  if (hasDynamic(body, block)) return UNKNOWN;
  const raw = body[block];
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw === 'string') return UNKNOWN;
  const bs = blocks(body, block);
  if (bs.length === 0) return undefined;
  return strAttr(bs[0]!, attr);
}

/** pass when the flag is true, unknown when unresolved, fail when false or absent. */
export function requireTrue(v: boolean | 'unknown' | undefined): Verdict {
  if (v === 'unknown') return 'unknown';
  return v === true ? 'pass' : 'fail';
}

/**
 * pass when a non-empty literal string or a resource/data reference (`aws_kms_key.x.arn`) is set;
 * unknown for other expressions (variables, locals, module outputs may be null); fail when absent or empty.
 */
export function requireSet(body: Record<string, unknown>, key: string): Verdict {
  const raw = body[key];
  const v = strAttr(body, key);
  if (v === UNKNOWN) return typeof raw === 'string' && /^\$\{(data\.)?aws_[A-Za-z0-9_]+\.[A-Za-z0-9_-]+(\[[^\]]*\])?\.[A-Za-z_]+\}$/.test(raw.trim()) ? 'pass' : 'unknown';
  return v !== undefined && v.trim() !== '' ? 'pass' : 'fail';
}
