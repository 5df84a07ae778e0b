import cron from 'node-cron';
import type { Config } from '../config/config.js';
import { runJob, UsageError } from './commands.js';
import type { Logger } from './log.js';

/**
 * Wraps a job so a tick that arrives while the previous run is still going is skipped (and logged), never
 * stacked: two overlapping reviews would double the rate-limited CloudTrail reads. A failed run is logged
 * and the schedule goes on.
 */
export function nonOverlapping(job: () => Promise<void>, log: Logger): () => Promise<'ran' | 'skipped' | 'failed'> {
  let running = false;
  return async () => {
    if (running) {
      log('schedule.skipped', { reason: 'previous run still in progress' }, 'warn');
      return 'skipped';
    }
    running = true;
    try {
      await job();
      return 'ran';
    } catch (e) {
      log('schedule.run.failed', { error: (e as Error).message }, 'error');
      return 'failed';
    } finally {
      running = false;
    }
  };
}

/** Keeps the process up and starts a review on the cron expression until SIGTERM or SIGINT. */
export async function scheduleCommand(opts: { config: Config; log: Logger }): Promise<void> {
  const { cron: expression, timezone } = opts.config.schedule;
  if (!cron.validate(expression)) throw new UsageError(`schedule.cron "${expression}" is not a valid cron expression`);
  const tick = nonOverlapping(async () => {
    const r = await runJob({ config: opts.config, log: opts.log });
    opts.log('schedule.run.done', { runId: r.review.runId, deliveryErrors: r.deliveryErrors.length });
  }, opts.log);
  const task = cron.schedule(expression, () => void tick(), { timezone });
  opts.log('schedule.started', { cron: expression, timezone });
  await new Promise<void>((resolve) => {
    const stop = (signal: string): void => {
      opts.log('schedule.stopping', { signal });
      void task.stop();
      resolve();
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}
