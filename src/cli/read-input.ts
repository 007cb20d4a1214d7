import { readFile, stat } from 'node:fs/promises';
import { CliError, EXIT } from './exit-codes.js';

/** Largest error text accepted: bigger inputs are logs, not error messages. */
export const MAX_INPUT_BYTES = 5 * 1024 * 1024;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_INPUT_BYTES) throw new CliError(`stdin is larger than ${MAX_INPUT_BYTES} bytes; pass the error itself, not a whole log`, EXIT.usage, 'input.too-large');
    chunks.push(chunk);
  }
  return decodeText(Buffer.concat(chunks), 'stdin');
}

/** UTF-8, or UTF-16 with a BOM (what PowerShell's `>` writes); binary data is refused. */
export function decodeText(buf: Buffer, where: string): string {
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return buf.subarray(2).toString('utf16le');
  if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) return Buffer.from(buf.subarray(2)).swap16().toString('utf16le');
  if (buf.subarray(0, 8192).includes(0)) throw new CliError(`${where} looks like binary data, not an error message`, EXIT.usage, 'input.binary');
  const text = buf.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export async function readTextFile(file: string, what = 'file'): Promise<string> {
  let info;
  try {
    info = await stat(file);
  } catch (err) {
    throw new CliError(`cannot read ${what} ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`, EXIT.usage, 'input.unreadable');
  }
  if (!info.isFile()) throw new CliError(`${what} ${file} is not a regular file`, EXIT.usage, 'input.unreadable');
  if (info.size > MAX_INPUT_BYTES) {
    throw new CliError(`${what} ${file} is ${info.size} bytes (limit ${MAX_INPUT_BYTES}); pass the error itself, not a whole log`, EXIT.usage, 'input.too-large');
  }
  return decodeText(await readFile(file), `${what} ${file}`);
}

/** The error text from --error, --error-file, or piped stdin — exactly one of them. */
export async function readErrorText(opts: { error?: string; errorFile?: string }): Promise<string> {
  if (opts.error !== undefined && opts.errorFile !== undefined) {
    throw new CliError('give the error with --error or --error-file, not both', EXIT.usage, 'input.conflict');
  }
  let text: string;
  if (opts.error !== undefined) text = opts.error;
  else if (opts.errorFile === '-') text = await readStdin();
  else if (opts.errorFile !== undefined) text = await readTextFile(opts.errorFile, 'error file');
  else if (!process.stdin.isTTY) text = await readStdin();
  else throw new CliError('no error given: use --error "<text>", --error-file <file>, or pipe it on stdin', EXIT.usage, 'input.empty');
  if (text.trim() === '') throw new CliError('the error text is empty', EXIT.usage, 'input.empty');
  return text;
}
