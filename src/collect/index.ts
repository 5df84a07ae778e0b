import { SNAPSHOT_KIND, SNAPSHOT_SCHEMA_VERSION, type AccountSnapshot, type CoverageItem, type OrganizationInfo, type RoleRecord, type Snapshot, type TimeWindow, type UsageLedger } from '../model/snapshot.js';
import { accountConcurrency, type Config } from '../config/config.js';
import type { ClientFactory } from './clients.js';
import { assumeFailure, collectAccount, unreachableAccount, whoAmI } from './account.js';
import { collectOrganization, withTreeAndTags } from './organizations.js';
import { describeError, failureFields } from './errors.js';
import { RateLimiter } from './rate-limiter.js';
import { mapBounded } from './bounded.js';
import { shardOf } from './shards.js';
import { chooseUsageSource } from './usage-source.js';
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
}

export interface CollectProgress {
  accountsTotal(n: number): void;
  accountDone(): void;
  cloudtrailPage(): void;
  /** Where usage is read from: the trail has no rate limit, so its time left cannot come from one. */
  usageSource?(source: 'event-history' | 'organization-trail'): void;
  /** Each S3 request to the trail bucket (listings and log files). */
  trailRequest?(): void;
}

/** Every LookupEvents page takes one token, so counting tokens counts pages without touching the scan. */
class PageCountingLimiter extends RateLimiter {
  constructor(
    perSecond: number,
    private readonly onPage: () => void,
  ) {
    super(perSecond);
  }

  override async take(key: string): Promise<void> {
    this.onPage();
    return super.take(key);
  }
}

export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

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
  const usageSource = config.cloudtrail.enabled ? await chooseUsageSource(config, () => ctx.clients.s3(), () => ctx.clients.athena()) : undefined;
  if (usageSource) log('collect.usage-source', { source: usageSource.source, lookbackDays: usageSource.lookbackDays, ...(usageSource.note ? { note: usageSource.note } : {}) });
  const window = reviewWindow(ctx.now, usageSource?.lookbackDays ?? config.cloudtrail.lookbackDays);
  const progress = ctx.progress;
  if (usageSource) progress?.usageSource?.(usageSource.trail ? 'organization-trail' : 'event-history');
  const onTrailRequest = progress?.trailRequest ? () => progress.trailRequest?.() : undefined;
  const limiter = progress ? new PageCountingLimiter(config.cloudtrail.requestsPerSecond, () => progress.cloudtrailPage()) : new RateLimiter(config.cloudtrail.requestsPerSecond);
  const selfAccount = await whoAmI(ctx.clients);
  let ledgers: ReadonlyMap<string, UsageLedger[]> = new Map();
  const athena =
    usageSource?.athena && usageSource.source === 'athena'
      ? new AthenaUsage({
          client: ctx.clients.athena(),
          settings: usageSource.athena,
          ...(usageSource.trail ? { trail: usageSource.trail } : {}),
          eventNames: config.cloudtrail.eventNames,
          window,
          log,
          ...(ctx.sleep ? { sleep: ctx.sleep } : {}),
          ...(progress ? { onRequest: () => progress.cloudtrailPage() } : {}),
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
  const accountOptions = (accountId: string, accountName?: string) => {
    const previousLedgers = ledgers.get(accountId);
    return {
      accountId,
      ...(accountName ? { accountName } : {}),
      regions: config.regions,
      window,
      cloudtrail: {
        enabled: config.cloudtrail.enabled,
        eventNames: config.cloudtrail.eventNames,
        limiter,
        ...(athena
          ? { athena }
          : usageSource?.trail
            ? { trail: { s3: ctx.clients.s3(), location: usageSource.trail, concurrency: config.cloudtrail.organizationTrail?.concurrency ?? 16, ...(onTrailRequest ? { onRequest: onTrailRequest } : {}) } }
            : {}),
        ...(usageSource?.note ? { sourceNote: usageSource.note } : {}),
      },
      accessAnalyzer: config.accessAnalyzer,
      lastAccessed: {
        enabled: config.lastAccessed.enabled,
        selection: config.lastAccessed.roles,
        ...(ctx.assumableFromOutside ? { assumableFromOutside: ctx.assumableFromOutside } : {}),
        concurrency: config.lastAccessed.concurrency,
        maxWaitMs: config.lastAccessed.maxWaitSeconds * 1000,
        pollMs: config.lastAccessed.pollSeconds * 1000,
        ...(ctx.sleep ? { sleep: ctx.sleep } : {}),
      },
      ...(previousLedgers ? { previousLedgers } : {}),
    };
  };
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
    const partition = partitionOf(config.aws.region);
    const byId = new Map<string, AccountSnapshot>();
    await mapBounded(largestFirst(targets, ledgers), accountConcurrency(config.scope.concurrency, targets.length), async (account) => {
      const started = Date.now();
      let clients = ctx.clients;
      if (account.id !== selfAccount) {
        const roleArn = `arn:${partition}:iam::${account.id}:role/${config.scope.memberRoleName}`;
        clients = ctx.clients.assume(roleArn, config.scope.memberRoleExternalId);
        try {
          await whoAmI(clients);
        } catch (e) {
          const item = assumeFailure(e, roleArn);
          log('collect.account.unreachable', { accountId: account.id, error: item.errorCode });
          byId.set(account.id, unreachableAccount(account.id, account.name, item));
          progress?.accountDone();
          return;
        }
      }
      const snap = await collectAccount(clients, accountOptions(account.id, account.name));
      log('collect.account', { accountId: account.id, roles: snap.roles.length, ms: Date.now() - started });
      byId.set(account.id, snap);
      progress?.accountDone();
    });
    // Scheduled largest first, reported in the organization's order.
    accounts = targets.map((a) => byId.get(a.id) as AccountSnapshot);
  } else {
    progress?.accountsTotal(1);
    startAthena([selfAccount]);
    const snap = await collectAccount(ctx.clients, accountOptions(selfAccount));
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
    scope: { mode: config.scope.mode, regions: config.regions, window },
    ...(organization ? { organization } : {}),
    accounts,
    ...(config.scope.shard && config.scope.runGroup ? { shard: { ...config.scope.shard, group: config.scope.runGroup } } : {}),
  };
}

