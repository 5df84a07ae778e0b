/**
 * Progress of a long collection: accounts done of total, CloudTrail pages read, and an ETA. CloudTrail's
 * LookupEvents limit (requestsPerSecond per account and region) is what bounds a run, so the ETA is the
 * CloudTrail pages still expected (the average per finished account, times the accounts left) divided by
 * the pages per second the limit allows for the accounts that can run at once. On a terminal the line is
 * redrawn in place; otherwise (a container's log) a JSON heartbeat line is logged at an interval.
 */
import type { CollectProgress } from '../collect/index.js';
import type { Logger } from './log.js';

export interface ProgressState {
  accountsTotal: number;
  accountsDone: number;
  cloudtrailPages: number;
}

export interface RateLimits {
  requestsPerSecond: number;
  regions: number;
  concurrency: number;
}

/** Seconds left, or undefined until one account has finished (before that there is no average to go on). */
export function etaSeconds(s: ProgressState, limits: RateLimits): number | undefined {
  if (s.accountsTotal === 0 || s.accountsDone === 0) return undefined;
  const left = s.accountsTotal - s.accountsDone;
  if (left <= 0) return 0;
  const pagesPerAccount = s.cloudtrailPages / s.accountsDone;
  const pagesPerSecond = limits.requestsPerSecond * Math.max(1, limits.regions) * Math.max(1, Math.min(limits.concurrency, left));
  return Math.ceil((left * pagesPerAccount) / pagesPerSecond);
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  const m = Math.floor(seconds / 60);
  if (m < 60) return `${m}m ${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

export function progressLine(s: ProgressState, limits: RateLimits): string {
  const eta = etaSeconds(s, limits);
  return `collecting: ${s.accountsDone}/${s.accountsTotal} account(s), ${s.cloudtrailPages} CloudTrail page(s), ETA ${eta === undefined ? 'after the first account' : formatDuration(eta)}`;
}

export interface ProgressReporter extends CollectProgress {
  /** Ends the live line or the heartbeat (also done by itself when the last account finishes); idempotent. */
  stop(): void;
  /** Writes a log line without tearing the live line: cleared first, redrawn on the next tick. */
  print(line: string): void;
}

export function progressReporter(opts: {
  limits: RateLimits;
  /** A terminal: redraw one line. Otherwise: JSON heartbeat lines through `log`. */
  tty: boolean;
  write: (text: string) => void;
  log: Logger;
  heartbeatMs?: number;
}): ProgressReporter {
  const state: ProgressState = { accountsTotal: 0, accountsDone: 0, cloudtrailPages: 0 };
  let drawn = false;
  let dirty = false;
  const draw = (): void => {
    if (!dirty) return;
    dirty = false;
    drawn = true;
    opts.write(`\r\x1b[K${progressLine(state, opts.limits)}`);
  };
  const heartbeat = (): void => {
    const eta = etaSeconds(state, opts.limits);
    opts.log('progress', { ...state, ...(eta === undefined ? {} : { etaSeconds: eta }) });
  };
  // A terminal redraws at most 4 times a second however fast pages arrive; logs get one line an interval.
  const timer = setInterval(opts.tty ? draw : heartbeat, opts.tty ? 250 : (opts.heartbeatMs ?? 30_000));
  timer.unref();
  let stopped = false;
  const changed = (): void => {
    dirty = true;
  };
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    clearInterval(timer);
    if (opts.tty) {
      if (state.accountsTotal === 0) return;
      dirty = true;
      draw();
      opts.write('\n');
    } else if (state.accountsTotal > 0) {
      heartbeat();
    }
  };
  return {
    accountsTotal(n) {
      state.accountsTotal = n;
      changed();
    },
    accountDone() {
      state.accountsDone += 1;
      changed();
      if (state.accountsDone >= state.accountsTotal) stop();
    },
    cloudtrailPage() {
      state.cloudtrailPages += 1;
      changed();
    },
    stop,
    print(line) {
      if (opts.tty && drawn && !stopped) {
        opts.write(`\r\x1b[K${line}`);
        dirty = true;
      } else {
        opts.write(line);
      }
    },
  };
}
