/**
 * Progress of a long collection: accounts done of total, CloudTrail pages read, and an ETA. With event
 * history, CloudTrail's LookupEvents limit (requestsPerSecond per account and region) is what bounds a run,
 * so the ETA is the CloudTrail pages still expected (the average per finished account, times the accounts
 * left) divided by the pages per second the limit allows for the accounts that can run at once. The
 * organization trail has no such limit (S3 answers as fast as the reader reads): its ETA is the pace so far
 * carried forward, and says so. Athena gives no ETA at all: a query reports the bytes it has scanned so far
 * but not how many it will scan, so the line counts queries, requests and bytes instead of guessing. On a
 * terminal the line is redrawn in place; otherwise (a container's log) a JSON heartbeat line is logged at an
 * interval.
 */
import type { AthenaQueryProgress, CollectProgress } from '../collect/index.js';
import type { Logger } from './log.js';
import { formatByteCount } from '../model/byte-count.js';

export interface ProgressState {
  accountsTotal: number;
  accountsDone: number;
  cloudtrailPages: number;
  /** Set once the collection has chosen; event history when absent. */
  usageSource?: 'event-history' | 'organization-trail' | 'athena';
  trailRequests?: number;
  /** Athena runs: requests made, queries started and finished, bytes the queries have scanned so far. */
  athenaRequests?: number;
  athenaQueriesStarted?: number;
  athenaQueriesFinished?: number;
  athenaScannedBytes?: number;
  /** Seconds since the accounts were counted, for the trail's pace. */
  elapsedSeconds?: number;
}

export interface RateLimits {
  requestsPerSecond: number;
  regions: number;
  concurrency: number;
}

/** Whether the ETA follows the rate limit or the pace so far (nothing limits the trail's reads but the reader). */
export function etaBasis(s: ProgressState, limits: RateLimits): 'rate-limit' | 'pace' {
  return s.usageSource === 'organization-trail' || limits.regions === 0 ? 'pace' : 'rate-limit';
}

/** Seconds left, or undefined until one account has finished (before that there is no average to go on). */
export function etaSeconds(s: ProgressState, limits: RateLimits): number | undefined {
  if (s.accountsTotal === 0 || s.accountsDone === 0) return undefined;
  const left = s.accountsTotal - s.accountsDone;
  if (left <= 0) return 0;
  if (etaBasis(s, limits) === 'pace') {
    if (s.elapsedSeconds === undefined) return undefined;
    return Math.ceil((s.elapsedSeconds / s.accountsDone) * left);
  }
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
  if (s.usageSource === 'athena') {
    const started = s.athenaQueriesStarted ?? 0;
    const queries = started === 0 ? 'no query started yet' : `${s.athenaQueriesFinished ?? 0} of ${started} quer${started === 1 ? 'y' : 'ies'} finished`;
    return `collecting: ${s.accountsDone}/${s.accountsTotal} account(s), Athena: ${queries}, ${s.athenaRequests ?? 0} request(s), ${formatByteCount(s.athenaScannedBytes ?? 0)} scanned so far (Athena gives no ETA)`;
  }
  const eta = etaSeconds(s, limits);
  const read = s.usageSource === 'organization-trail' ? `${s.trailRequests ?? 0} trail S3 request(s)` : `${s.cloudtrailPages} CloudTrail page(s)`;
  const when = eta === undefined ? 'after the first account' : eta > 0 && etaBasis(s, limits) === 'pace' ? `${formatDuration(eta)} at the pace so far` : formatDuration(eta);
  return `collecting: ${s.accountsDone}/${s.accountsTotal} account(s), ${read}, ETA ${when}`;
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
  /** Milliseconds, for the pace of a trail read (Date.now unless a test drives it). */
  now?: () => number;
}): ProgressReporter {
  const state: ProgressState = { accountsTotal: 0, accountsDone: 0, cloudtrailPages: 0 };
  /** Each Athena query's last report, so a poll's bytes replace that query's earlier figure, not add to it. */
  const queries = new Map<number, AthenaQueryProgress>();
  const now = opts.now ?? Date.now;
  let startedMs: number | undefined;
  const current = (): ProgressState => (startedMs === undefined ? state : { ...state, elapsedSeconds: (now() - startedMs) / 1000 });
  let drawn = false;
  let dirty = false;
  const draw = (): void => {
    if (!dirty) return;
    dirty = false;
    drawn = true;
    opts.write(`\r\x1b[K${progressLine(current(), opts.limits)}`);
  };
  const heartbeat = (): void => {
    const s = current();
    const eta = s.usageSource === 'athena' ? undefined : etaSeconds(s, opts.limits);
    const { elapsedSeconds: _elapsed, ...fields } = s;
    opts.log('progress', {
      ...fields,
      ...(eta === undefined ? {} : { etaSeconds: eta, ...(etaBasis(s, opts.limits) === 'pace' ? { etaBasis: 'pace so far' } : {}) }),
    });
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
      startedMs ??= now();
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
    usageSource(source) {
      state.usageSource = source;
      if (source === 'organization-trail') state.trailRequests ??= 0;
      if (source === 'athena') Object.assign(state, { athenaQueriesStarted: 0, athenaQueriesFinished: 0, athenaRequests: 0, athenaScannedBytes: 0 });
      changed();
    },
    athenaRequest() {
      state.athenaRequests = (state.athenaRequests ?? 0) + 1;
      changed();
    },
    athenaQuery(update) {
      queries.set(update.key, update);
      let finished = 0;
      let bytes = 0;
      for (const q of queries.values()) {
        if (q.finished) finished += 1;
        bytes += q.scannedBytes;
      }
      Object.assign(state, { athenaQueriesStarted: queries.size, athenaQueriesFinished: finished, athenaScannedBytes: bytes });
      changed();
    },
    trailRequest() {
      state.trailRequests = (state.trailRequests ?? 0) + 1;
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
