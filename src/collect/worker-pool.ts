/**
 * Collection spread over worker threads: the per-page work (SDK, JSON, aggregation) of a large
 * organization needs more than one core to keep pace with CloudTrail's per-account limit. Accounts are
 * dealt to groups largest first, so each group carries a like share; each worker has its own clients
 * and rate limiter, which stays right because the limit's key is the account and region and an account
 * belongs to one group. A worker that fails or exits early costs only its unfinished accounts, each
 * recorded with the reason; an aborted run terminates every worker.
 */
import { Worker } from 'node:worker_threads';
import type { AccountSnapshot, UsageLedger } from '../model/snapshot.js';
import { unreachableAccount } from './account.js';
import { WORKER_KIND, type WorkerJob, type WorkerMessage } from './worker-protocol.js';

export interface PoolOptions {
  /** The worker's module: it calls runCollectWorker (worker.ts). */
  entry: URL;
  groups: number;
  /** Accounts collected at once across every worker. */
  concurrency: number;
  /** Largest first. */
  accounts: { id: string; name?: string }[];
  ledgers: ReadonlyMap<string, UsageLedger[]>;
  job: Omit<WorkerJob, 'kind' | 'accounts' | 'ledgers' | 'concurrency'>;
  log: (event: string, fields: Record<string, unknown>) => void;
  onPage?: () => void;
  onAccount?: (snapshot: AccountSnapshot) => void;
  stop?: AbortSignal;
}

/** Most worker threads "auto" starts; beyond a few cores the emulated or real AWS side is the limit. */
export const AUTO_WORKERS_MAX = 8;
/**
 * Below this many accounts "auto" collects on the main thread. Workers cost CPU (each loads the SDK, every
 * account is copied back) and memory (each holds its accounts until they are sent); they pay only where one
 * core cannot keep up with CloudTrail's floor. Measured: 20 accounts × 2,000 roles needed 85 s of CPU
 * against a 190 s floor (docs/performance.md), about 4.3 s an account against a floor that
 * does not grow with accounts, so one core runs out near 44 such accounts; 30 leaves it headroom.
 */
export const AUTO_WORKERS_MIN_ACCOUNTS = 30;

/**
 * Worker threads for a scope of `accounts` accounts on `cores` cores; 0 means the main thread. "auto":
 * one a core (the main thread only relays), none for a small scope or a single core.
 */
export function workerCount(setting: number | 'auto', accounts: number, cores: number): number {
  const n = setting === 'auto' ? (accounts >= AUTO_WORKERS_MIN_ACCOUNTS ? Math.min(cores, AUTO_WORKERS_MAX) : 0) : setting;
  const capped = Math.min(n, accounts);
  return capped >= 2 ? capped : 0;
}

/** Deals accounts (largest first) round-robin: group sizes differ by at most one, big ones spread out. */
export function dealAccounts<T>(accounts: readonly T[], groups: number): T[][] {
  const out: T[][] = Array.from({ length: Math.max(1, Math.min(groups, accounts.length)) }, () => []);
  accounts.forEach((a, i) => out[i % out.length]?.push(a));
  return out;
}

/** The account as the report shows it when its worker stopped before sending it. */
export function workerLostAccount(account: { id: string; name?: string }, reason: string): AccountSnapshot {
  return unreachableAccount(account.id, account.name, {
    source: 'sts',
    status: 'failed',
    errorCode: 'CollectorWorkerFailed',
    detail: `Nothing was collected from this account: the collector's worker thread stopped before finishing it (${reason}). The next run collects it again.`,
  });
}

/** Collects the accounts in worker threads; resolves with every account's snapshot, in no particular order. */
export async function collectInWorkers(opts: PoolOptions): Promise<AccountSnapshot[]> {
  const groups = dealAccounts(opts.accounts, opts.groups);
  const perGroup = Math.max(1, Math.ceil(opts.concurrency / groups.length));
  const results = await Promise.all(groups.map((accounts, index) => runGroup(opts, accounts, index, perGroup)));
  return results.flat();
}

function runGroup(opts: PoolOptions, accounts: { id: string; name?: string }[], index: number, concurrency: number): Promise<AccountSnapshot[]> {
  const ids = new Set(accounts.map((a) => a.id));
  const job: WorkerJob = {
    ...opts.job,
    kind: WORKER_KIND,
    accounts,
    ledgers: [...opts.ledgers].filter(([id]) => ids.has(id)),
    concurrency,
  };
  return new Promise((resolve) => {
    const got = new Map<string, AccountSnapshot>();
    let settled = false;
    const worker = new Worker(opts.entry, { workerData: job });
    const finish = (failure?: string): void => {
      if (settled) return;
      settled = true;
      opts.stop?.removeEventListener('abort', onAbort);
      const lost = accounts.filter((a) => !got.has(a.id));
      const reason = failure ?? 'it ended without sending every account';
      if (lost.length > 0) opts.log('collect.worker.failed', { worker: index, accounts: lost.map((a) => a.id), error: reason });
      for (const a of lost) {
        const snapshot = workerLostAccount(a, reason);
        got.set(a.id, snapshot);
        opts.onAccount?.(snapshot);
      }
      const result = accounts.map((a) => got.get(a.id) as AccountSnapshot);
      // Resolved once the thread is gone: terminate() also ends one that said done but holds open sockets.
      worker.terminate().then(
        () => resolve(result),
        () => resolve(result),
      );
    };
    const onAbort = (): void => finish('the run was stopped');
    opts.stop?.addEventListener('abort', onAbort, { once: true });
    if (opts.stop?.aborted) onAbort();
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'page') opts.onPage?.();
      else if (m.type === 'log') opts.log(m.event, { ...m.fields, worker: index });
      else if (m.type === 'account' && ids.has(m.snapshot.accountId)) {
        got.set(m.snapshot.accountId, m.snapshot);
        opts.onAccount?.(m.snapshot);
      } else if (m.type === 'done') finish();
    });
    // An uncaught error is followed by 'exit'; accounts the worker sent before it still arrive until then.
    let error: string | undefined;
    worker.on('error', (e: Error) => (error ??= e.message || String(e)));
    worker.on('exit', (code) => finish(error ?? (code === 0 ? undefined : `exit code ${code}`)));
  });
}
