/** Structured logs: one JSON object a line on stderr, so stdout stays for command output. */
export type LogFields = Record<string, unknown>;
export type Logger = (event: string, fields?: LogFields, level?: 'info' | 'warn' | 'error') => void;

export function jsonLogger(write: (line: string) => void = (l) => process.stderr.write(l), clock: () => Date = () => new Date()): Logger {
  return (event, fields = {}, level = 'info') => {
    write(`${JSON.stringify({ time: clock().toISOString(), level, event, ...fields })}\n`);
  };
}

export const silentLogger: Logger = () => undefined;
