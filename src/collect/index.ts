import { SNAPSHOT_KIND, SNAPSHOT_SCHEMA_VERSION, type AccountSnapshot, type CoverageItem, type OrganizationInfo, type RoleRecord, type Snapshot, type TimeWindow, type UsageLedger } from '../model/snapshot.js';
import { accountConcurrency, athenaRegion, trailRegion, type Config } from '../config/config.js';
import { usageSourceLabel } from '../config/digest.js';
import type { ClientFactory } from './clients.js';
import { availableParallelism } from 'node:os';
import { collectAccount, whoAmI } from './account.js';
import { accountOptions, backgroundGate, collectOrgAccount, PageCountingLimiter, type AccountRunSetup } from './org-account.js';
import { collectInWorkers, workerCount } from './worker-pool.js';
import { collectOrganization, withTreeAndTags } from './organizations.js';
import { describeError, failureFields } from './errors.js';
import { RateLimiter } from './rate-limiter.js';
import { mapBounded } from './bounded.js';
import { shardOf } from './shards.js';
import { chooseUsageSource } from './usage-source.js';
import { bucketRegionOf } from './bucket-region.js';
import { AthenaUsage } from './athena-usage.js';
import { decodeLedger, planScan } from './usage-ledger.js';

export interface CollectContext {
  clients: ClientFactory;
  now: Date;
  runId: string;
  tool: { name: string; version: string };
  log?: (event: string, fields: Record<string, unknown>) => void;
  /**
   * The previous run's usage ledgers per account for this scope, when there is one: CloudTrail is then
   * read only after where they end. Failures to find them cost only time (a full read), never data.
   */
  /**
   * Whether a principal outside the role's account can assume it (the trust analysis, wired in by the CLI so
   * collection does not depend on analysis). Without it, last-accessed data is collected for every role.
   */
  assumableFromOutside?: (role: RoleRecord, accountId: string) => boolean;
  /** Replaces the pause between Access Advisor polls (tests). */
  sleep?: (ms: number) => Promise<void>;
  previousLedgers?: (scope: { mode: 'account' | 'organization'; organizationId?: string; accountId: string }) => Promise<ReadonlyMap<string, UsageLedger[]>>;
  /** Told how many accounts there are, each one finished, and each CloudTrail page requested. */
  progress?: CollectProgress;
  /**
   * Lets an organization's accounts be collected in worker threads (config scope.workers): the module a
   * worker runs, which calls runCollectWorker with this context's assumableFromOutside. Without it, or
   * with clients whose credentials cannot be sent to a thread, everything runs on the main thread.
   */
  workers?: { entry: URL };
  /** Aborted when the run is stopped: worker threads are terminated. */
  stop?: AbortSignal;
}

export interface CollectProgress {
  accountsTotal(n: number): void;
  accountDone(): void;
  cloudtrailPage(): void;
  /** Where usage is read from: the trail has no rate limit, so its time left cannot come from one. */
  usageSource?(source: 'event-history' | 'organization-trail' | 'athena'): void;
  /** Each S3 request to the trail bucket (listings and log files). */
  trailRequest?(): void;
  /** Each request to Athena (start, poll, result page, table metadata). */
  athenaRequest?(): void;
  /** A query's state as Athena last reported it, with the bytes it has scanned so far. */
  athenaQuery?(update: AthenaQueryProgress): void;
}

export interface AthenaQueryProgress {
  /** Ours, not Athena's query id: a query that failed to start has none. */
  key: number;
  finished: boolean;
  scannedBytes: number;
}

export { partitionOf } from './org-account.js';

/**
 * The window starts at the first UTC midnight inside the lookback (so it spans lookbackDays less under a
 * day): the usage ledger keeps whole UTC days, and a window that starts on one needs no partial first day
 * read again on every incremental run — a daily run then reads one range, the last day, per event name.
 */
export function reviewWindow(now: Date, lookbackDays: number): TimeWindow {
  const start = Math.ceil((now.getTime() - lookbackDays * 86_400_000) / 86_400_000) * 86_400_000;
  return { start: new Date(start).toISOString(), end: now.toISOString() };
}

/** Which organization accounts are in scope: active ones, narrowed by the allow and deny lists. */
export function accountsInScope(org: OrganizationInfo, config: Config['scope']): OrganizationInfo['accounts'] {
  return org.accounts.filter(
    (a) =>
      a.status === 'ACTIVE' &&
      (config.accounts.length === 0 || config.accounts.includes(a.id)) &&
      !config.excludeAccounts.includes(a.id),
  );
}

/**
 * Accounts by the events their previous ledgers counted, most first: when more accounts are in scope than
 * run at once, the one that takes longest starts first instead of last. Without ledgers, the given order.
 */
export function largestFirst<T extends { id: string }>(targets: readonly T[], ledgers: ReadonlyMap<string, UsageLedger[]>): T[] {
  const weight = (id: string): number => (ledgers.get(id) ?? []).reduce((s, l) => s + l.rows.reduce((n, r) => n + r[2], 0), 0);
  const w = new Map(targets.map((t) => [t.id, weight(t.id)]));
  return [...targets].sort((a, b) => (w.get(b.id) ?? 0) - (w.get(a.id) ?? 0));
}

/** Collects every account in scope into one snapshot. An account that fails is recorded, never dropped. */
export async function collectSnapshot(config: Config, ctx: CollectContext): Promise<Snapshot> {
  const log = ctx.log ?? (() => undefined);
  // Under "auto", a result bucket in another region than Athena's rules Athena out: it would refuse every query.
  const athenaResults = { athenaRegion: athenaRegion(config), bucketRegion: (bucket: string) => bucketRegionOf(ctx.clients.s3(athenaRegion(config)), bucket) };
  const usageSource = config.cloudtrail.enabled
    ? await chooseUsageSource(config, () => ctx.clients.s3(trailRegion(config)), () => ctx.clients.athena(athenaRegion(config)), athenaResults)
    : undefined;
  if (usageSource) log('collect.usage-source', { source: usageSource.source, lookbackDays: usageSource.lookbackDays, ...(usageSource.note ? { note: usageSource.note } : {}) });
  const window = reviewWindow(ctx.now, usageSource?.lookbackDays ?? config.cloudtrail.lookbackDays);
  const progress = ctx.progress;
  if (usageSource) progress?.usageSource?.(usageSource.source === 'athena' ? 'athena' : usageSource.trail ? 'organization-trail' : 'event-history');
  const onTrailRequest = progress?.trailRequest ? () => progress.trailRequest?.() : undefined;
  const limiter = progress ? new PageCountingLimiter(config.cloudtrail.requestsPerSecond, () => progress.cloudtrailPage()) : new RateLimiter(config.cloudtrail.requestsPerSecond);
  const selfAccount = await whoAmI(ctx.clients);
  let ledgers: ReadonlyMap<string, UsageLedger[]> = new Map();
  const athena =
    usageSource?.athena && usageSource.source === 'athena'
      ? new AthenaUsage({
          client: ctx.clients.athena(athenaRegion(config)),
          settings: usageSource.athena,
          region: athenaRegion(config),
          bucketRegion: (bucket: string) => bucketRegionOf(ctx.clients.s3(athenaRegion(config)), bucket),
          ...(usageSource.trail ? { trail: usageSource.trail } : {}),
          eventNames: config.cloudtrail.eventNames,
          window,
          log,
          ...(ctx.sleep ? { sleep: ctx.sleep } : {}),
          ...(progress?.athenaRequest ? { onRequest: () => progress.athenaRequest?.() } : {}),
          ...(progress?.athenaQuery ? { onQuery: (u: AthenaQueryProgress) => progress.athenaQuery?.(u) } : {}),
        })
      : undefined;
  // Athena's queries cover every account in scope at once, so they start before the accounts are collected,
  // each account and region planned exactly as collectAccount will plan it (same ledger, same window).
  const startAthena = (accountIds: readonly string[]): void => {
    athena?.start(
      accountIds.flatMap((accountId) =>
        config.regions.map((region) => {
          const previous = ledgers.get(accountId)?.find((l) => l.region === region);
          return { accountId, region, plan: planScan(previous ? decodeLedger(previous) : undefined, window, config.cloudtrail.eventNames) };
        }),
      ),
    );
  };
  const background = backgroundGate();
  const setup = (): AccountRunSetup => ({
    config,
    background,
    window,
    ...(usageSource ? { usageSource } : {}),
    clients: ctx.clients,
    limiter,
    ledgers,
    ...(athena ? { athena } : {}),
    ...(onTrailRequest ? { onTrailRequest } : {}),
    ...(ctx.assumableFromOutside ? { assumableFromOutside: ctx.assumableFromOutside } : {}),
    ...(ctx.sleep ? { sleep: ctx.sleep } : {}),
  });
  const loadLedgers = async (scope: { mode: 'account' | 'organization'; organizationId?: string; accountId: string }): Promise<void> => {
    if (!ctx.previousLedgers || !config.cloudtrail.enabled || !config.cloudtrail.incremental) return;
    try {
      ledgers = await ctx.previousLedgers(scope);
      log('collect.ledgers', { accounts: ledgers.size });
    } catch (e) {
      log('collect.ledgers.unavailable', { error: (e as Error).message });
    }
  };

  let organization: OrganizationInfo | undefined;
  let accounts: AccountSnapshot[];
  let orgFailure: CoverageItem | undefined;
  if (config.scope.mode === 'organization') {
    try {
      organization = await collectOrganization(ctx.clients.organizations());
    } catch (e) {
      const d = describeError(e, 'organizations:ListAccounts');
      orgFailure = {
        source: 'organizations',
        status: 'failed',
        ...failureFields(d),
        detail: `The organization could not be listed, so only account ${selfAccount} was reviewed: ${d.detail} Run from the management account or a delegated administrator.`,
      };
      log('collect.organization.failed', { error: d.code });
    }
    if (organization) {
      // Only ownership reads the tree and tags; their failures are coverage items, never the run's end.
      organization = await withTreeAndTags(ctx.clients.organizations(), organization);
      for (const item of organization.coverage ?? []) if (item.status !== 'ok') log('collect.organization.partial', { source: item.source, error: item.errorCode });
    }
  }
  await loadLedgers(
    organization ? { mode: 'organization', organizationId: organization.id, accountId: selfAccount } : { mode: 'account', accountId: selfAccount },
  );
  if (organization) {
    const shard = config.scope.shard;
    const targets = accountsInScope(organization, config.scope).filter((a) => !shard || shardOf(a.id, shard.count) === shard.index);
    log('collect.organization', { organizationId: organization.id, accounts: targets.length, ...(shard ? { shard: `${shard.index}/${shard.count}` } : {}) });
    progress?.accountsTotal(targets.length);
    startAthena(targets.map((a) => a.id));
    const byId = new Map<string, AccountSnapshot>();
    const ordered = largestFirst(targets, ledgers);
    const concurrency = accountConcurrency(config.scope.concurrency, targets.length);
    const origin = ctx.clients.origin;
    // A test's sleep replacement cannot be sent to a thread: with one, the accounts stay on this thread.
    const workers = ctx.workers && origin && !ctx.sleep && !athena ? workerCount(config.scope.workers, targets.length, availableParallelism()) : 0;
    if (workers > 0 && ctx.workers && origin) {
      log('collect.workers', { workers, accounts: targets.length });
      const snaps = await collectInWorkers({
        entry: ctx.workers.entry,
        groups: workers,
        concurrency,
        accounts: ordered.map((a) => ({ id: a.id, name: a.name })),
        ledgers,
        job: {
          config,
          window,
          ...(usageSource ? { usageSource } : {}),
          selfAccount,
          aws: origin.settings,
          ...(origin.credentials ? { credentials: origin.credentials } : {}),
          assumableFromOutside: ctx.assumableFromOutside !== undefined,
        },
        log,
        ...(progress ? { onPage: () => progress.cloudtrailPage(), onAccount: () => progress.accountDone() } : {}),
        ...(ctx.stop ? { stop: ctx.stop } : {}),
      });
      for (const snap of snaps) byId.set(snap.accountId, snap);
    } else {
      const run = setup();
      await mapBounded(ordered, concurrency, async (account) => {
        byId.set(account.id, await collectOrgAccount(run, selfAccount, account, log));
        progress?.accountDone();
      });
    }
    // Scheduled largest first, reported in the organization's order.
    accounts = targets.map((a) => byId.get(a.id) as AccountSnapshot);
  } else {
    progress?.accountsTotal(1);
    startAthena([selfAccount]);
    const snap = await collectAccount(ctx.clients, accountOptions(setup(), selfAccount));
    progress?.accountDone();
    if (orgFailure) snap.coverage.unshift(orgFailure);
    accounts = [snap];
  }

  return {
    kind: SNAPSHOT_KIND,
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    runId: ctx.runId,
    collectedAt: ctx.now.toISOString(),
    tool: ctx.tool,
    scope: {
      mode: config.scope.mode,
      regions: config.regions,
      window,
      collectedWith: {
        usageSource: usageSourceLabel(config.cloudtrail),
        lookbackDays: config.cloudtrail.lookbackDays,
        cloudtrailEnabled: config.cloudtrail.enabled,
        incremental: config.cloudtrail.incremental,
        accessAnalyzerEnabled: config.accessAnalyzer.enabled,
      },
    },
    ...(organization ? { organization } : {}),
    accounts,
    ...(config.scope.shard && config.scope.runGroup ? { shard: { ...config.scope.shard, group: config.scope.runGroup } } : {}),
  };
}

