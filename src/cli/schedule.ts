import cron from 'node-cron';
import type { Config } from '../config/config.js';
import { clientsFor, runJob, UsageError } from './commands.js';
import type { Logger } from './log.js';
import type { ProgressReporter } from './progress.js';

export interface Serialized {
  /** Starts the job unless a run is still going. */
  tick(): Promise<'ran' | 'skipped' | 'failed'>;
  /** Resolves when no run is in progress (at once if none is). */
  idle(): Promise<void>;
}

/**
 * Wraps a job so a tick that arrives while the previous run is still going is skipped (and logged), never
 * stacked: two overlapping reviews would double the rate-limited CloudTrail reads. A failed run is logged
 * and the schedule goes on.
 */
export function nonOverlapping(job: () => Promise<void>, log: Logger): Serialized {
  let current: Promise<unknown> | undefined;
  return {
    async tick() {
      if (current) {
        log('schedule.skipped', { reason: 'previous run still in progress' }, 'warn');
        return 'skipped';
      }
      const run = job();
      current = run.catch(() => undefined);
      try {
        await run;
        return 'ran';
      } catch (e) {
        log('schedule.run.failed', { error: (e as Error).message }, 'error');
        return 'failed';
      } finally {
        current = undefined;
      }
    },
    async idle() {
      await current;
    },
  };
}

/**
 * Keeps the process up and starts a review on the cron expression. On SIGTERM or SIGINT it stops
 * scheduling and lets a run in progress finish (a killed run leaves an archive folder without its
 * manifest); a second signal exits at once.
 */
export async function scheduleCommand(opts: { config: Config; log: Logger; preflight?: boolean; progress?: () => ProgressReporter }): Promise<void> {
  const { cron: expression, timezone } = opts.config.schedule;
  if (!cron.validate(expression)) throw new UsageError(`schedule.cron "${expression}" is not a valid cron expression`);
  const serial = nonOverlapping(async () => {
    const progress = opts.progress?.();
    try {
      const r = await runJob({ config: opts.config, log: opts.log, ...(progress ? { progress } : {}) });
      opts.log('schedule.run.done', { runId: r.review.runId, deliveryErrors: r.deliveryErrors.length });
    } finally {
      progress?.stop();
    }
  }, opts.log);
  const task = cron.schedule(expression, () => void serial.tick(), { timezone });
  opts.log('schedule.started', { cron: expression, timezone });
  // A weekly schedule would otherwise learn of a missing permission a week from now.
  if (opts.preflight !== false) void preflight(opts.config, opts.log);
  await new Promise<void>((resolve) => {
    const stop = (signal: string): void => {
      opts.log('schedule.stopping', { signal });
      void task.stop();
      process.once('SIGTERM', () => process.exit(143));
      process.once('SIGINT', () => process.exit(130));
      void serial.idle().then(resolve);
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}

async function preflight(config: Config, log: Logger): Promise<void> {
  try {
    const { runChecks } = await import('./check.js');
    const items = await runChecks(config, clientsFor({ config }));
    const problems = items.filter((i) => i.status === 'fail' || i.status === 'warn');
    for (const p of problems) log('schedule.preflight.problem', { ...p }, p.status === 'fail' ? 'error' : 'warn');
    log('schedule.preflight', { failed: items.filter((i) => i.status === 'fail').length, warnings: items.filter((i) => i.status === 'warn').length, ok: items.filter((i) => i.status === 'ok').length });
  } catch (e) {
    log('schedule.preflight.failed', { error: (e as Error).message }, 'error');
  }
}
