/**
 * Collection spread over worker threads gives the snapshot the main thread gives, turns a worker's failure
 * into coverage gaps for its unfinished accounts, and leaves no thread behind. Workers run the built
 * entry (dist/, compiled by the global setup) against the emulator in this process.
 */
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { createClientFactory } from '../../src/collect/clients.js';
import { collectSnapshot, type CollectContext } from '../../src/collect/index.js';
import { dealAccounts, workerCount } from '../../src/collect/worker-pool.js';
import { resolveConfig } from '../../src/config/load-config.js';
import { assumableFromOutsideAccount } from '../../src/analyze/least-privilege/outside-account.js';
import type { Config } from '../../src/config/config.js';
import type { Snapshot } from '../../src/model/snapshot.js';

const NOW = new Date('2026-11-20T12:00:00.000Z');
const CLI_ENTRY = new URL('../../dist/cli/collect-worker.js', import.meta.url);
const fixture = (name: string) => new URL(`./fixtures/${name}`, import.meta.url);

const threads = (): number => readdirSync('/proc/self/task').length;

/** Waits (generously: a loaded machine) until the process has no more threads than before. */
async function threadsBackTo(baseline: number): Promise<number> {
  for (let i = 0; i < 100 && threads() > baseline; i++) await new Promise((r) => setTimeout(r, 100));
  return threads();
}

/** Access Advisor's jobs get a new id and times on every run; everything else must match byte for byte. */
const JOB_FIELDS = new Set(['jobId', 'jobCreatedAt', 'jobCompletedAt']);
function withoutJobIds(s: Snapshot): Snapshot {
  return JSON.parse(JSON.stringify(s), (k, v: unknown) => (JOB_FIELDS.has(k) ? undefined : v)) as Snapshot;
}

describe('collection in worker threads', () => {
  let emu: RunningEmulator;
  let logs: { event: string; fields: Record<string, unknown> }[];

  const config = (workers: number | 'auto'): Config => {
    const c = resolveConfig(
      {
        scope: { mode: 'organization', workers },
        aws: { region: 'us-east-1', endpoint: emu.endpoint, s3ForcePathStyle: true, maxAttempts: 10 },
        regions: emu.org.regions,
      },
      {},
    );
    // The emulator's limit is off: these runs are about what is collected, not when.
    c.cloudtrail.requestsPerSecond = 1000;
    c.lastAccessed.pollSeconds = 0.02;
    return c;
  };
  const run = (cfg: Config, extra: Partial<CollectContext> = {}): Promise<Snapshot> =>
    collectSnapshot(cfg, {
      clients: createClientFactory(cfg.aws, emu.credentials),
      now: NOW,
      runId: 'workers',
      tool: { name: 'access-review', version: 'test' },
      assumableFromOutside: assumableFromOutsideAccount,
      workers: { entry: CLI_ENTRY },
      log: (event, fields) => logs.push({ event, fields }),
      ...extra,
    });

  let inProcess: Snapshot;
  let baselineThreads: number;

  beforeAll(async () => {
    logs = [];
    emu = await startEmulator({ seed: 11, now: NOW, lookupEventsPerSecond: 0, org: { memberAccounts: 4, rolesPerAccount: 12, eventsPerAccount: 900 } });
    // One run on this thread first: whatever threads the SDK, crypto and the emulator start are started.
    inProcess = await run(config(0));
    baselineThreads = threads();
  });
  afterAll(async () => emu?.close());

  it('collects the same snapshot as the main thread, usage byte for byte', async () => {
    logs = [];
    const pages: number[] = [];
    let done = 0;
    let total = 0;
    const inWorkers = await run(config(2), { progress: { accountsTotal: (n) => (total = n), accountDone: () => (done += 1), cloudtrailPage: () => pages.push(1) } });
    expect(logs.find((l) => l.event === 'collect.workers')?.fields).toEqual({ workers: 2, accounts: inProcess.accounts.length });
    // Each account was collected in one of the two workers.
    const byWorker = new Set(logs.filter((l) => l.event === 'collect.account').map((l) => l.fields['worker']));
    expect([...byWorker].sort()).toEqual([0, 1]);
    expect(inWorkers.accounts.map((a) => a.accountId)).toEqual(inProcess.accounts.map((a) => a.accountId));
    for (const [i, a] of inWorkers.accounts.entries()) {
      expect(a.usage.eventsRead).toBeGreaterThan(0);
      expect(JSON.stringify(a.usage)).toBe(JSON.stringify(inProcess.accounts[i]?.usage));
    }
    expect(JSON.stringify(withoutJobIds(inWorkers))).toBe(JSON.stringify(withoutJobIds(inProcess)));
    // Progress as on the main thread: every account, every LookupEvents page.
    expect(total).toBe(inProcess.accounts.length);
    expect(done).toBe(inProcess.accounts.length);
    const calls = inWorkers.accounts.flatMap((a) => a.coverage.filter((c) => c.source === 'cloudtrail').map((c) => c.apiCalls ?? 0)).reduce((s, n) => s + n, 0);
    expect(pages.length).toBe(calls);
    expect(await threadsBackTo(baselineThreads)).toBeLessThanOrEqual(baselineThreads);
  });

  it('reads incrementally from the previous ledgers as the main thread does', async () => {
    const ledgers = new Map(inProcess.accounts.map((a) => [a.accountId, a.usage.ledger ?? []]));
    const previousLedgers = async () => ledgers;
    const calls = (s: Snapshot) => s.accounts.flatMap((a) => a.coverage.filter((c) => c.source === 'cloudtrail').map((c) => c.apiCalls ?? 0));
    const main = await run(config(0), { previousLedgers });
    const threaded = await run(config(2), { previousLedgers });
    // Only the unsettled end of the window is read again: far fewer calls than the full read.
    expect(calls(main).reduce((s, n) => s + n, 0)).toBeLessThan(calls(inProcess).reduce((s, n) => s + n, 0) / 2);
    expect(calls(threaded)).toEqual(calls(main));
    expect(threaded.accounts.map((a) => JSON.stringify(a.usage))).toEqual(main.accounts.map((a) => JSON.stringify(a.usage)));
  });

  it('records the accounts of a worker that fails as failed coverage, and keeps what it sent', async () => {
    process.env['FAILING_WORKER_MODE'] = 'partial';
    try {
      logs = [];
      const snap = await run(config(2), { workers: { entry: fixture('failing-collect-worker.mjs') } });
      expect(snap.accounts.map((a) => a.accountId)).toEqual(inProcess.accounts.map((a) => a.accountId));
      const sent = snap.accounts.filter((a) => a.coverage[0]?.detail === 'sent before failing');
      const lost = snap.accounts.filter((a) => a.coverage[0]?.errorCode === 'CollectorWorkerFailed');
      // Two workers, each sent its first account before failing.
      expect(sent).toHaveLength(2);
      expect(lost).toHaveLength(snap.accounts.length - 2);
      for (const a of lost) {
        expect(a.coverage).toEqual([
          {
            source: 'sts',
            status: 'failed',
            errorCode: 'CollectorWorkerFailed',
            detail: "Nothing was collected from this account: the collector's worker thread stopped before finishing it (worker broke on purpose). The next run collects it again.",
          },
        ]);
        expect(a.roles).toEqual([]);
      }
      expect(logs.filter((l) => l.event === 'collect.worker.failed').flatMap((l) => l.fields['accounts'] as string[]).sort()).toEqual(lost.map((a) => a.accountId).sort());
      expect(await threadsBackTo(baselineThreads)).toBeLessThanOrEqual(baselineThreads);
    } finally {
      delete process.env['FAILING_WORKER_MODE'];
    }
  });

  it('fails a worker whose entry lacks the trust predicate the main thread uses, instead of asking Access Advisor about other roles', async () => {
    const snap = await run(config(2), { workers: { entry: fixture('no-predicate-collect-worker.mjs') } });
    for (const a of snap.accounts) {
      expect(a.coverage[0]?.errorCode).toBe('CollectorWorkerFailed');
      expect(a.coverage[0]?.detail).toContain('no trust predicate');
    }
  });

  it('terminates its workers when the run is stopped, recording every unfinished account', async () => {
    const stop = new AbortController();
    logs = [];
    const pending = run(config(2), {
      workers: { entry: fixture('hanging-collect-worker.mjs') },
      stop: stop.signal,
      log: (event, fields) => {
        logs.push({ event, fields });
        // Both workers are up and busy: stop the run.
        if (logs.filter((l) => l.event === 'test.hanging').length === 2) stop.abort('SIGTERM');
      },
    });
    const snap = await pending;
    expect(snap.accounts.every((a) => a.coverage[0]?.detail?.includes('(the run was stopped)'))).toBe(true);
    expect(await threadsBackTo(baselineThreads)).toBeLessThanOrEqual(baselineThreads);
  });

  it('stays on the main thread for a small scope, a single core, or credentials it cannot send', async () => {
    expect(workerCount('auto', 29, 2)).toBe(0);
    expect(workerCount('auto', 30, 2)).toBe(2);
    expect(workerCount('auto', 50, 1)).toBe(0);
    expect(workerCount('auto', 50, 32)).toBe(8);
    expect(workerCount(4, 3, 2)).toBe(3);
    expect(workerCount(1, 50, 2)).toBe(0);
    logs = [];
    const cfg = config(2);
    const snap = await run(cfg, { clients: createClientFactory(cfg.aws, async () => emu.credentials) });
    expect(logs.some((l) => l.event === 'collect.workers')).toBe(false);
    expect(snap.accounts.every((a) => a.coverage.every((c) => c.status === 'ok' || c.status === 'skipped'))).toBe(true);
  });

  it('deals accounts largest first round-robin', () => {
    expect(dealAccounts(['a', 'b', 'c', 'd', 'e'], 2)).toEqual([['a', 'c', 'e'], ['b', 'd']]);
    expect(dealAccounts(['a'], 4)).toEqual([['a']]);
  });
});
