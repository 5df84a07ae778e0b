/**
 * One organization account's collection, the same whether it runs on the main thread or in a worker
 * thread (worker.ts): enter the account, collect it, or record why it could not be entered.
 */
import type { AccountSnapshot, RoleRecord, TimeWindow, UsageLedger } from '../model/snapshot.js';
import { trailRegion, type Config } from '../config/config.js';
import type { ClientFactory } from './clients.js';
import { assumeFailure, collectAccount, unreachableAccount, whoAmI, type AccountCollectOptions } from './account.js';
import { RateLimiter } from './rate-limiter.js';
import { Gate } from './bounded.js';
import type { UsageSourceChoice } from './usage-source.js';
import type { AthenaUsage } from './athena-usage.js';

/** Every LookupEvents page takes one token, so counting tokens counts pages without touching the scan. */
export class PageCountingLimiter extends RateLimiter {
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

/** What every account of one run shares; plain data except the clients, the limiter and the hooks. */
export interface AccountRunSetup {
  config: Config;
  window: TimeWindow;
  usageSource?: UsageSourceChoice;
  clients: ClientFactory;
  /** One per thread: its keys are account-region pairs, and an account is only ever in one thread. */
  limiter: RateLimiter;
  ledgers: ReadonlyMap<string, UsageLedger[]>;
  assumableFromOutside?: (role: RoleRecord, accountId: string) => boolean;
  sleep?: (ms: number) => Promise<void>;
  /** The run's Athena queries (main thread only: they cover every account at once). */
  athena?: AthenaUsage;
  /** Called on each S3 request to the trail bucket (the progress line's pace). */
  onTrailRequest?: () => void;
  /** One per thread, shared by its accounts: see Gate. */
  background?: Gate;
}

export function accountOptions(setup: AccountRunSetup, accountId: string, accountName?: string): AccountCollectOptions {
  const { config, usageSource } = setup;
  const previousLedgers = setup.ledgers.get(accountId);
  return {
    accountId,
    ...(accountName ? { accountName } : {}),
    regions: config.regions,
    window: setup.window,
    cloudtrail: {
      enabled: config.cloudtrail.enabled,
      eventNames: config.cloudtrail.eventNames,
      limiter: setup.limiter,
      ...(setup.athena
        ? { athena: setup.athena }
        : usageSource?.trail
          ? {
              trail: {
                s3: setup.clients.s3(trailRegion(config)),
                location: usageSource.trail,
                concurrency: config.cloudtrail.organizationTrail?.concurrency ?? 16,
                ...(setup.onTrailRequest ? { onRequest: setup.onTrailRequest } : {}),
              },
            }
          : {}),
      ...(usageSource?.note ? { sourceNote: usageSource.note } : {}),
    },
    accessAnalyzer: config.accessAnalyzer,
    lastAccessed: {
      enabled: config.lastAccessed.enabled,
      selection: config.lastAccessed.roles,
      ...(setup.assumableFromOutside ? { assumableFromOutside: setup.assumableFromOutside } : {}),
      concurrency: config.lastAccessed.concurrency,
      maxWaitMs: config.lastAccessed.maxWaitSeconds * 1000,
      pollMs: config.lastAccessed.pollSeconds * 1000,
      ...(setup.sleep ? { sleep: setup.sleep } : {}),
    },
    ...(previousLedgers ? { previousLedgers } : {}),
    ...(setup.background ? { background: setup.background } : {}),
  };
}

/**
 * Requests in flight at once, per thread, for the work off CloudTrail's critical path. Enough to keep
 * that work well ahead of the floor (each request is a few milliseconds round trip; fifty accounts'
 * Access Advisor and Access Analyzer need a few hundred a second), few enough that a LookupEvents
 * response never queues behind hundreds of them.
 */
export const BACKGROUND_REQUESTS = 16;

export function backgroundGate(): Gate {
  return new Gate(BACKGROUND_REQUESTS);
}

export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** Enters a member account through the read-only role (the caller's own account as it is) and collects it. */
export async function collectOrgAccount(
  setup: AccountRunSetup,
  selfAccount: string,
  account: { id: string; name?: string },
  log: (event: string, fields: Record<string, unknown>) => void,
): Promise<AccountSnapshot> {
  const started = Date.now();
  let clients = setup.clients;
  if (account.id !== selfAccount) {
    const roleArn = `arn:${partitionOf(setup.config.aws.region)}:iam::${account.id}:role/${setup.config.scope.memberRoleName}`;
    clients = setup.clients.assume(roleArn, setup.config.scope.memberRoleExternalId);
    try {
      await whoAmI(clients);
    } catch (e) {
      const item = assumeFailure(e, roleArn);
      log('collect.account.unreachable', { accountId: account.id, error: item.errorCode });
      return unreachableAccount(account.id, account.name, item);
    }
  }
  // The trail, when read, is read with the collector's own S3 client (setup.clients), not the member's.
  const snap = await collectAccount(clients, accountOptions(setup, account.id, account.name));
  log('collect.account', { accountId: account.id, roles: snap.roles.length, ms: Date.now() - started });
  return snap;
}
