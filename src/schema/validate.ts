import type { ErrorObject, ValidateFunction } from 'ajv';
import { cjsNamespace } from '../runtime/cjs-interop.js';

/** One schema violation, phrased for a person: where, what is wrong, what is allowed. */
export interface SchemaProblem {
  /** JSON pointer of the offending value, e.g. `/environments/test/budget/monthly`. */
  path: string;
  message: string;
  allowed?: unknown[];
}

// ajv is heavy to load and compile: done once, on first use only.
let ajvInstance: import('ajv').Ajv | undefined;
const compiled = new Map<object, ValidateFunction>();

async function ajv(): Promise<import('ajv').Ajv> {
  if (!ajvInstance) {
    const { Ajv } = cjsNamespace(await import('ajv'));
    ajvInstance = new Ajv({ allErrors: true, strict: false });
  }
  return ajvInstance;
}

export async function compileSchema(schema: object): Promise<ValidateFunction> {
  let fn = compiled.get(schema);
  if (!fn) {
    fn = (await ajv()).compile(schema);
    compiled.set(schema, fn);
  }
  return fn;
}

export function describeAjvErrors(errors: ErrorObject[] | null | undefined): SchemaProblem[] {
  const out: SchemaProblem[] = [];
  for (const e of errors ?? []) {
    let path = e.instancePath || '/';
    let message = e.message ?? 'is invalid';
    let allowed: unknown[] | undefined;
    if (e.keyword === 'additionalProperties') {
      const extra = (e.params as { additionalProperty: string }).additionalProperty;
      path = `${e.instancePath}/${extra}`;
      message = 'is not a known field';
    } else if (e.keyword === 'enum') {
      allowed = (e.params as { allowedValues: unknown[] }).allowedValues;
      message = 'must be one of the allowed values';
    } else if (e.keyword === 'const') {
      allowed = [(e.params as { allowedValue: unknown }).allowedValue];
      message = 'must be the allowed value';
    } else if (e.keyword === 'required') {
      path = `${e.instancePath}/${(e.params as { missingProperty: string }).missingProperty}`;
      message = 'is required';
    } else if (e.keyword === 'propertyNames') {
      path = `${e.instancePath}/${(e.params as { propertyName: string }).propertyName}`;
      message = 'is not a valid name';
    }
    // `if`/`anyOf` wrappers repeat what their branches said.
    if (e.keyword === 'if' || e.keyword === 'anyOf' || e.keyword === 'oneOf') continue;
    if (out.some((p) => p.path === path && p.message === message)) continue;
    out.push(allowed ? { path, message, allowed } : { path, message });
  }
  return out;
}

export async function validateAgainst(schema: object, value: unknown): Promise<SchemaProblem[]> {
  const fn = await compileSchema(schema);
  return fn(value) ? [] : describeAjvErrors(fn.errors);
}
