import cron from 'node-cron';
import type { Config } from '../config/config.js';
import { runJob } from './commands.js';
import type { Logger } from './log.js';
import { UsageError } from './commands.js';

/**
 * Keeps the process up and starts a review on the cron expression. A tick that arrives while a review is
 * still running is skipped (logged), never stacked: two overlapping runs would double the API load.
 */
export async function scheduleCommand(opts: { config: Config; log: Logger }): Promise<void> {
  const { cron: expression, timezone } = opts.config.schedule;
  if (!cron.validate(expression)) throw new UsageError(`schedule.cron "${expression}" is not a valid cron expression`);
  let running = false;
  const tick = async (): Promise<void> => {
    if (running) {
      opts.log('schedule.skipped', { reason: 'previous run still in progress' }, 'warn');
      return;
    }
    running = true;
    try {
      const r = await runJob({ config: opts.config, log: opts.log });
      opts.log('schedule.run.done', { runId: r.review.runId, deliveryErrors: r.deliveryErrors.length });
    } catch (e) {
      opts.log('schedule.run.failed', { error: (e as Error).message }, 'error');
    } finally {
      running = false;
    }
  };
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
