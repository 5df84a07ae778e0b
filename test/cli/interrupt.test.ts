import { describe, expect, it } from 'vitest';
import { checkStop, InterruptedError, untilStopped, watchSignals } from '../../src/cli/interrupt.js';

describe('stopping a one-off run', () => {
  it('the first SIGINT or SIGTERM aborts the run with the exit code of that signal', () => {
    for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
      const logged: string[] = [];
      const watch = watchSignals((event) => logged.push(event));
      try {
        expect(() => checkStop(watch.signal, 'rendering')).not.toThrow();
        process.emit(signal);
        expect(logged).toEqual(['run.signal']);
        let thrown: unknown;
        try {
          checkStop(watch.signal, 'rendering');
        } catch (e) {
          thrown = e;
        }
        expect(thrown).toBeInstanceOf(InterruptedError);
        expect((thrown as InterruptedError).exitCode).toBe(code);
        expect((thrown as InterruptedError).message).toBe(`stopped by ${signal} during rendering; nothing was delivered`);
      } finally {
        watch.dispose();
      }
    }
  });

  it('abandons work in progress at once', async () => {
    const controller = new AbortController();
    const never = new Promise<string>(() => undefined);
    const waiting = untilStopped(never, controller.signal, 'collection');
    controller.abort('SIGTERM');
    await expect(waiting).rejects.toThrow('stopped by SIGTERM during collection; nothing was delivered');
    await expect(untilStopped(Promise.resolve('done'), new AbortController().signal, 'collection')).resolves.toBe('done');
  });
});
