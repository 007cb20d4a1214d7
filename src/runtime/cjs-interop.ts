/**
 * The namespace of a lazily imported CommonJS package. Node's ESM loader exposes its named exports;
 * the code-split bundle exposes `module.exports` as `default` only. Both shapes give the same object.
 */
export function cjsNamespace<T extends object>(mod: T): T {
  const fallback = (mod as { default?: unknown }).default;
  return fallback && (typeof fallback === 'object' || typeof fallback === 'function') ? { ...(fallback as T), ...mod } : mod;
}
