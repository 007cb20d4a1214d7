/**
 * Undo presentation that varies between two captures of the same error:
 * ANSI colour codes, Terraform's diagnostic box (`╷`, `│`, `╵`), CRLF, tabs and
 * hard line wrapping. The result keeps line breaks only where the text has a
 * blank line (a paragraph break); everything else is joined with single spaces.
 */
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

export function unwrapErrorText(text: string): string {
  const lines = stripAnsi(text).replace(/\r\n?/g, '\n').split('\n');
  const paragraphs: string[] = [];
  let current: string[] = [];
  for (const raw of lines) {
    // Terraform's diagnostic gutter: "╷", "│ text", "╵" (and the ASCII "|" some CI logs turn it into).
    const line = raw.replace(/^\s*[╷╵]\s*$/, '').replace(/^\s*[│|](?: |$)/, '').replace(/\t/g, ' ').trim();
    if (line === '') {
      if (current.length > 0) paragraphs.push(current.join(' '));
      current = [];
    } else {
      current.push(line);
    }
  }
  if (current.length > 0) paragraphs.push(current.join(' '));
  return paragraphs.join('\n').replace(/ {2,}/g, ' ');
}
