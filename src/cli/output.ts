import { CliError, EXIT, type ExitCode } from './exit-codes.js';

export interface OutputOptions {
  json: boolean;
}

/** Colour only on a TTY and never when NO_COLOR is set (https://no-color.org). */
export function useColor(stream: NodeJS.WriteStream = process.stdout): boolean {
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  if (process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== '0') return true;
  return Boolean(stream.isTTY);
}

const codes = { red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36, gray: 90, bold: 1, dim: 2 } as const;
export type Colour = keyof typeof codes;

export function paint(text: string, colour: Colour, stream?: NodeJS.WriteStream): string {
  return useColor(stream) ? `\x1b[${codes[colour]}m${text}\x1b[0m` : text;
}


export interface CommandResult<T> {
  data: T;
  human: (data: T) => string;
  exitCode?: ExitCode;
}

export function emit<T>(result: CommandResult<T>, opts: OutputOptions): void {
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(result.data, null, 2)}\n`);
  } else {
    const text = result.human(result.data);
    if (text) process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }
  process.exitCode = result.exitCode ?? EXIT.ok;
}

/** Errors: one line on stderr; with --json also a JSON document on stdout so a caller always gets JSON. */
export function emitError(err: unknown, opts: OutputOptions): void {
  const known = err instanceof CliError;
  const message = err instanceof Error ? err.message : String(err);
  const exitCode: ExitCode = known ? err.exitCode : EXIT.failure;
  const code = known ? err.code : 'internal';
  if (opts.json) {
    const doc: Record<string, unknown> = { error: { code, message } };
    if (known && err.details !== undefined) (doc.error as Record<string, unknown>).details = err.details;
    process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
  }
  process.stderr.write(`${paint('infra-ops:', 'red', process.stderr)} ${message}\n`);
  if (!known && process.env.INFRA_OPS_DEBUG && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
  process.exitCode = exitCode;
}
