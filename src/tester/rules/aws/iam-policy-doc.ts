/**
 * Turns an IAM policy attribute into a JSON document when it is statically known: a JSON string
 * (heredoc or quoted) or a `jsonencode({...})` of literal HCL. Returns `'unknown'` otherwise.
 */
export function policyDocument(value: unknown): unknown {
  if (typeof value !== 'string') return value !== null && typeof value === 'object' ? value : 'unknown';
  const t = value.trim();
  const m = /^\$\{jsonencode\(([\s\S]*)\)\}$/.exec(t);
  if (m) return hclLiteralToJson(m[1]!);
  if (/\$\{|%\{/.test(t)) return 'unknown';
  try {
    return JSON.parse(t) as unknown;
  } catch {
    return 'unknown';
  }
}

const TOKEN = /\s+|#[^\n]*|\/\/[^\n]*|"(?:[^"\\]|\\.)*"|[A-Za-z_][A-Za-z0-9_.-]*|-?\d+(?:\.\d+)?|[{}[\],=:]|./g;

/** Literal HCL object/tuple syntax to a value; any reference, call or template → 'unknown'. */
function hclLiteralToJson(src: string): unknown {
  let out = '';
  let prevSignificant = '';
  for (const m of src.matchAll(TOKEN)) {
    let tok = m[0];
    if (/^\s+$/.test(tok)) {
      // a newline separates members: insert a comma if the previous token ended a value
      if (tok.includes('\n') && /["\w\]}]$/.test(prevSignificant)) {
        out += ',';
        prevSignificant = ',';
      }
      continue;
    }
    if (tok.startsWith('#') || tok.startsWith('//')) continue;
    if (tok.startsWith('"')) {
      if (/\$\{|%\{/.test(tok.replace(/\$\$\{/g, ''))) return 'unknown';
    } else if (/^[A-Za-z_]/.test(tok)) {
      const next = src.slice((m.index ?? 0) + tok.length).match(/^\s*([=:])/);
      if (next) tok = JSON.stringify(tok);
      else if (!['true', 'false', 'null'].includes(tok)) return 'unknown'; // a reference or function call
    } else if (tok === '=') tok = ':';
    else if (!/^[{}[\],:]$/.test(tok) && !/^-?\d/.test(tok)) return 'unknown';
    if ((tok === '}' || tok === ']') && prevSignificant === ',') out = out.replace(/,\s*$/, '');
    if (tok === ',' && prevSignificant === ',') continue;
    out += tok;
    prevSignificant = tok;
  }
  out = out.replace(/,(\s*[}\]])/g, '$1').replace(/([{[]),/g, '$1');
  try {
    return JSON.parse(out) as unknown;
  } catch {
    return 'unknown';
  }
}
