/** Progress for long work goes to stderr (stdout stays one clean document), on a TTY or when asked. */
export function progress(message: string): void {
  if (process.stderr.isTTY || process.env.INFRA_OPS_PROGRESS === '1') process.stderr.write(`infra-ops: ${message}\n`);
}
