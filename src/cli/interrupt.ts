/**
 * Stopping a one-off run on SIGTERM or SIGINT (a Job deleted, a node drained, Ctrl-C). The stage in
 * progress is abandoned (collection, analysis, rendering, a PDF being printed) or, once delivery has begun,
 * finished so the archive is whole; nothing half-made is delivered and the email is not sent. The
 * process then exits 128 + the signal number. A second signal exits at once, leaving at worst an archive
 * folder without its manifest, which `list` and `verify` show as incomplete.
 */
import type { Logger } from './log.js';

const EXIT_CODES: Record<string, number> = { SIGTERM: 143, SIGINT: 130 };

export class InterruptedError extends Error {
  readonly exitCode: number;
  constructor(
    readonly signal: string,
    readonly stage: string,
    /** What had already landed when the run stopped, for the operator. */
    note?: string,
  ) {
    super(`stopped by ${signal} during ${stage}${note ? `; ${note}` : '; nothing was delivered'}`);
    this.name = 'InterruptedError';
    this.exitCode = EXIT_CODES[signal] ?? 143;
  }
}

/** The run's stop signal: aborted by the first SIGTERM or SIGINT, with the signal's name as reason. */
export function watchSignals(log: Logger): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const handlers = new Map<NodeJS.Signals, () => void>();
  for (const sig of ['SIGTERM', 'SIGINT'] as const) {
    const handler = (): void => {
      if (controller.signal.aborted) {
        log('run.signal.again', { signal: sig }, 'warn');
        process.exit(EXIT_CODES[sig] ?? 143);
      }
      log('run.signal', { signal: sig }, 'warn');
      controller.abort(sig);
    };
    handlers.set(sig, handler);
    process.on(sig, handler);
  }
  return {
    signal: controller.signal,
    dispose: () => {
      for (const [sig, handler] of handlers) process.off(sig, handler);
    },
  };
}

/** Throws InterruptedError when the run was asked to stop; call it at each stage boundary. */
export function checkStop(stop: AbortSignal | undefined, stage: string, note?: string): void {
  if (stop?.aborted) throw new InterruptedError(String(stop.reason), stage, note);
}

/** Settles with `work`, or rejects with InterruptedError as soon as the run is asked to stop. */
export function untilStopped<T>(work: Promise<T>, stop: AbortSignal | undefined, stage: string): Promise<T> {
  if (!stop) return work;
  checkStop(stop, stage);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new InterruptedError(String(stop.reason), stage));
    stop.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => {
        stop.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        stop.removeEventListener('abort', onAbort);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
