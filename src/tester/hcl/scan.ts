/**
 * A small lexical scanner for HCL text. `@cdktf/hcl2json` gives neither line numbers nor comments,
 * so we find top-level blocks (with their line ranges) and comments ourselves. It understands
 * quoted strings (with nested `${ ... }` interpolations), heredocs and all three comment styles,
 * which is enough that braces inside them do not upset the brace matching.
 */

export interface BlockSpan {
  /** `resource`, `data`, `module`, `variable`, ... */
  kind: string;
  /** Quoted labels after the block type: `["aws_s3_bucket", "logs"]`. */
  labels: string[];
  /** 1-based, the line of the block header. */
  startLine: number;
  /** 1-based, the line of the closing brace (the last line of the file when unterminated). */
  endLine: number;
}

export interface HclComment {
  /** 1-based line where the comment starts. */
  line: number;
  /** 1-based line where the comment ends (differs from `line` only for block comments). */
  endLine: number;
  /** Comment text without its `#`, `//` or `/* *\/` markers. */
  text: string;
  /** True when only whitespace precedes the comment on its line. */
  ownLine: boolean;
}

export interface ScanResult {
  blocks: BlockSpan[];
  comments: HclComment[];
}

const HEADER = /^\s*([A-Za-z_][A-Za-z0-9_-]*)((?:\s+(?:"(?:[^"\\]|\\.)*"|[A-Za-z_][A-Za-z0-9_-]*))*)\s*$/;
const LABEL = /"((?:[^"\\]|\\.)*)"|([A-Za-z_][A-Za-z0-9_-]*)/g;

export function scanHcl(text: string): ScanResult {
  const blocks: BlockSpan[] = [];
  const comments: HclComment[] = [];
  const n = text.length;
  let i = 0;
  let line = 1;
  let depth = 0;
  let header = '';
  let headerLine: number | null = null;
  let open: { kind: string; labels: string[]; startLine: number } | null = null;
  let lineHasCode = false;

  const newline = (): void => {
    line++;
    lineHasCode = false;
  };

  /** i at the opening quote; returns the index just after the closing quote. */
  const skipString = (start: number): number => {
    let j = start + 1;
    while (j < n) {
      const c = text[j];
      if (c === '\\') {
        j += 2;
        continue;
      }
      if (c === '"') return j + 1;
      if (c === '\n') return j; // unterminated on this line: let the main loop count the newline
      if ((c === '$' || c === '%') && text[j + 1] === c && text[j + 2] === '{') {
        j += 3; // `$${` / `%%{` escape a literal
        continue;
      }
      if ((c === '$' || c === '%') && text[j + 1] === '{') {
        j = skipInterpolation(j + 2);
        continue;
      }
      j++;
    }
    return j;
  };

  /** j just after `${`; returns the index just after the matching `}`. Counts newlines. */
  const skipInterpolation = (start: number): number => {
    let j = start;
    let d = 1;
    while (j < n) {
      const c = text[j];
      if (c === '\n') {
        newline();
        j++;
        continue;
      }
      if (c === '"') {
        j = skipString(j);
        continue;
      }
      if (c === '{') d++;
      else if (c === '}') {
        d--;
        if (d === 0) return j + 1;
      }
      j++;
    }
    return j;
  };

  while (i < n) {
    const c = text[i]!;
    // comments
    if (c === '#' || (c === '/' && text[i + 1] === '/')) {
      let j = text.indexOf('\n', i);
      if (j === -1) j = n;
      const body = text.slice(i + (c === '#' ? 1 : 2), j).replace(/\r$/, '');
      comments.push({ line, endLine: line, text: body, ownLine: !lineHasCode });
      i = j;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      let j = text.indexOf('*/', i + 2);
      if (j === -1) j = n;
      const body = text.slice(i + 2, j);
      const startLine = line;
      for (const ch of body) if (ch === '\n') newline();
      comments.push({ line: startLine, endLine: line, text: body, ownLine: !lineHasCode });
      i = Math.min(n, j + 2);
      continue;
    }
    if (c === '\n') {
      if (depth === 0 && open === null) {
        header = '';
        headerLine = null;
      }
      newline();
      i++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      if (depth === 0) header += c;
      i++;
      continue;
    }
    lineHasCode = true;
    if (c === '"') {
      const j = skipString(i);
      if (depth === 0) {
        if (headerLine === null) headerLine = line;
        header += text.slice(i, j);
      }
      i = j;
      continue;
    }
    if (c === '<' && text[i + 1] === '<') {
      const m = /^<<-?([A-Za-z_][A-Za-z0-9_]*)[ \t]*\r?\n/.exec(text.slice(i, i + 200));
      if (m) {
        const marker = m[1]!;
        let j = i + m[0].length;
        newline();
        for (;;) {
          if (j >= n) break;
          let e = text.indexOf('\n', j);
          if (e === -1) e = n;
          const l = text.slice(j, e).replace(/\r$/, '').trim();
          if (l === marker) {
            j = e;
            break;
          }
          if (e < n) newline();
          j = e + 1;
        }
        i = j;
        lineHasCode = true;
        continue;
      }
    }
    if (c === '{') {
      if (depth === 0) {
        const m = HEADER.exec(header);
        if (m) {
          const labels: string[] = [];
          for (const l of (m[2] ?? '').matchAll(LABEL)) labels.push(l[1] ?? l[2] ?? '');
          open = { kind: m[1]!, labels, startLine: headerLine ?? line };
        } else {
          open = { kind: '', labels: [], startLine: headerLine ?? line };
        }
      }
      depth++;
      i++;
      continue;
    }
    if (c === '}') {
      depth = Math.max(0, depth - 1);
      if (depth === 0 && open) {
        if (open.kind) blocks.push({ ...open, endLine: line });
        open = null;
        header = '';
        headerLine = null;
      }
      i++;
      continue;
    }
    if (depth === 0) {
      if (headerLine === null) headerLine = line;
      header += c;
    }
    i++;
  }
  if (open && open.kind) blocks.push({ ...open, endLine: line });
  return { blocks, comments };
}
