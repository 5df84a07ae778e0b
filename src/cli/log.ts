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
export function routeWarningsTo(log: Logger, proc: Pick<NodeJS.Process, 'removeAllListeners' | 'on'> = process): void {
  proc.removeAllListeners('warning');
  proc.on('warning', (w: Error & { code?: string }) => {
    log('process.warning', { name: w.name, message: w.message.replace(/\s+/g, ' ').trim(), ...(w.code ? { code: w.code } : {}) }, 'warn');
  });
}
