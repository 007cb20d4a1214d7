/** Process exit codes, the same for every command (README "Exit codes"). */
export const EXIT = {
  ok: 0,
  /** Findings or failure: e.g. `debug` found no known solution. */
  failure: 1,
  /** Usage or input error: bad flag, unreadable file, malformed JSON/YAML, bad config field. */
  usage: 2,
  /** Blocked: a dependency is missing, or the capability is not available in this version. */
  blocked: 3,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An error the user can act on: printed as one line on stderr (or as JSON with --json), never as a stack. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode = EXIT.usage,
    /** Machine-readable code, e.g. `config.invalid`, `input.empty`. */
    readonly code = 'input.invalid',
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
