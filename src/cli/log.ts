/** Structured logs: one JSON object a line on stderr, so stdout stays for command output. */
export type LogFields = Record<string, unknown>;
export type Logger = (event: string, fields?: LogFields, level?: 'info' | 'warn' | 'error') => void;

export function jsonLogger(write: (line: string) => void = (l) => process.stderr.write(l), clock: () => Date = () => new Date()): Logger {
  return (event, fields = {}, level = 'info') => {
    write(`${JSON.stringify({ time: clock().toISOString(), level, event, ...fields })}\n`);
  };
}

export const silentLogger: Logger = () => undefined;

/**
 * Process warnings (deprecations, the AWS SDK's notice about an old Node) as log lines: Node's default
 * printer writes several plain-text lines to stderr, which breaks a JSON-lines log for whoever parses it.
 */
export function routeWarningsTo(
  log: Logger,
  proc: Pick<NodeJS.Process, 'listeners' | 'removeAllListeners' | 'removeListener' | 'on'> = process,
): () => void {
  const previous = proc.listeners('warning') as ((w: Error) => void)[];
  proc.removeAllListeners('warning');
  const listener = (w: Error & { code?: string }): void => {
    log('process.warning', { name: w.name, message: w.message.replace(/\s+/g, ' ').trim(), ...(w.code ? { code: w.code } : {}) }, 'warn');
  };
  proc.on('warning', listener);
  // main() also runs in-process (tests, embedding): hand the warnings back to whoever listened before.
  return () => {
    proc.removeListener('warning', listener);
    for (const l of previous) proc.on('warning', l);
  };
}
