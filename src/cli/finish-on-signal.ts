/**
 * For one-shot commands under an orchestrator (ECS stopTimeout, a pod's termination grace period): the first
 * SIGTERM or SIGINT is logged and the run goes on, so it finishes its archive rather than leaving a run
 * folder without its manifest; a second signal exits at once, and the orchestrator's SIGKILL bounds the wait.
 */
import type { Logger } from './log.js';

export function finishOnSignal(log: Logger, what: string): () => void {
  const first = (signal: 'SIGTERM' | 'SIGINT') => (): void => {
    log('run.stop.requested', { signal, note: `finishing the ${what} in progress; a second signal exits at once` }, 'warn');
    process.removeListener('SIGTERM', onTerm);
    process.removeListener('SIGINT', onInt);
    process.once('SIGTERM', () => process.exit(143));
    process.once('SIGINT', () => process.exit(130));
  };
  const onTerm = first('SIGTERM');
  const onInt = first('SIGINT');
  process.once('SIGTERM', onTerm);
  process.once('SIGINT', onInt);
  return () => {
    process.removeListener('SIGTERM', onTerm);
    process.removeListener('SIGINT', onInt);
  };
}
