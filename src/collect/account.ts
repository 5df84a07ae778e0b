import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { AccountSnapshot, AnalyzerFinding, AnalyzerRecord, AssumeAggregate, CoverageItem, RoleRecord, TimeWindow, UsageLedger } from '../model/snapshot.js';
import type { ClientFactory } from './clients.js';
import { collectIamInventory } from './iam.js';
import { collectAccessAnalyzer } from './access-analyzer.js';
import { collectLastAccessed } from './last-accessed.js';
import { scanAssumeEvents, type CloudTrailScan } from './cloudtrail.js';
import { ledgerBefore, scanTrailAssumeEvents, type TrailLocation } from './organization-trail.js';
import type { S3Client } from '@aws-sdk/client-s3';
import type { AthenaUsage } from './athena-usage.js';
import { UsageAccumulator, decodeLedger, encodeLedger, mergeAggregates, planScan } from './usage-ledger.js';
import { describeError, failureFields } from './errors.js';
import type { RateLimiter } from './rate-limiter.js';
import { through, type Gate } from './bounded.js';

export interface AccountCollectOptions {
  accountId: string;
  accountName?: string;
  regions: string[];
  window: TimeWindow;
  cloudtrail: {
    enabled: boolean;
    eventNames: string[];
    limiter: RateLimiter;
    /** Read usage from the trail's log files with this (the collector's own) S3 client instead of event history. */
    trail?: { s3: S3Client; location: TrailLocation; concurrency: number; onRequest?: () => void };
    /** Usage from Athena: the run's queries (started before the accounts) hold every account's share. */
    athena?: AthenaUsage;
    /** Why this source was chosen (configuration "auto"), added to each CloudTrail coverage item. */
    sourceNote?: string;
  };
  /** The previous run's usage ledgers of this account, to read only what is new. */
  previousLedgers?: readonly UsageLedger[];
  accessAnalyzer: { enabled: boolean };
  lastAccessed?: LastAccessedCollectOptions;
  /** Bounds the run's requests that CloudTrail's floor does not wait on (IAM, Access Advisor, Access Analyzer). */
  background?: Gate;
}

export interface LastAccessedCollectOptions {
  enabled: boolean;
  selection: 'outside-account' | 'all';
  /** Decides "outside-account" (the trust analysis, handed in by the CLI); without it every role is asked about. */
  assumableFromOutside?: (role: RoleRecord, accountId: string) => boolean;
  concurrency: number;
  maxWaitMs: number;
  pollMs: number;
  sleep?: (ms: number) => Promise<void>;
}

/** An account we could not enter: kept in the snapshot with the reason, so the report shows the gap. */
export function unreachableAccount(accountId: string, accountName: string | undefined, coverage: CoverageItem): AccountSnapshot {
  return {
    accountId,
    ...(accountName ? { accountName } : {}),
    roles: [],
    managedPolicies: [],
    accessAnalyzer: { analyzers: [], findings: [] },
    usage: { regions: [], eventsRead: 0, assumptions: [] },
    coverage: [coverage],
  };
}

/** Confirms the credentials work and which account they are for (the first call an assumed role makes). */
export async function whoAmI(clients: ClientFactory): Promise<string> {
  const id = await clients.sts().send(new GetCallerIdentityCommand({}));
  if (!id.Account) throw new Error('GetCallerIdentity returned no account');
  return id.Account;
}

/**
 * Everything one account contributes. Each source fails on its own: a denied CloudTrail call leaves the
 * IAM inventory in place and a coverage item explaining what is missing.
 */
export async function collectAccount(clients: ClientFactory, opts: AccountCollectOptions): Promise<AccountSnapshot> {
  const coverage: CoverageItem[] = [];
  const snapshot = unreachableAccount(opts.accountId, opts.accountName, { source: 'sts', status: 'ok', detail: 'Credentials accepted.' });
  snapshot.coverage = coverage;

  const iamTask = through(opts.background, () => collectIamInventory(clients.iam())).then(
    (inv) => {
      snapshot.roles = inv.roles;
      snapshot.managedPolicies = inv.managedPolicies;
      coverage.push({ source: 'iam', status: 'ok', detail: `${inv.roles.length} role(s), ${inv.managedPolicies.length} managed policy(ies).`, apiCalls: inv.apiCalls });
    },
    (e: unknown) => {
      const d = describeError(e, 'iam:GetAccountAuthorizationDetails');
      coverage.push({ source: 'iam', status: 'failed', detail: `Role inventory missing: ${d.detail}`, ...failureFields(d) });
    },
  );

  // Access Advisor needs the role list, so it follows the inventory; the other sources run alongside.
  const lastAccessedTask = iamTask.then(async () => {
    const la = opts.lastAccessed;
    if (!la?.enabled) {
      coverage.push({ source: 'iam-last-accessed', status: 'skipped', detail: 'Disabled in configuration: granted-vs-used permissions are not reviewed.' });
      return;
    }
    if (!coverage.some((c) => c.source === 'iam' && c.status === 'ok')) {
      coverage.push({ source: 'iam-last-accessed', status: 'skipped', detail: 'No role inventory, so no role to ask Access Advisor about.' });
      return;
    }
    const selection = la.selection === 'outside-account' && la.assumableFromOutside ? 'outside-account' : 'all';
    const chosen = selection === 'all' ? snapshot.roles : snapshot.roles.filter((r) => la.assumableFromOutside?.(r, opts.accountId));
    try {
      const result = await collectLastAccessed(clients.iam(), {
        roleArns: chosen.map((r) => r.arn),
        concurrency: la.concurrency,
        maxWaitMs: la.maxWaitMs,
        pollMs: la.pollMs,
        ...(la.sleep ? { sleep: la.sleep } : {}),
        ...(opts.background ? { gate: opts.background } : {}),
      });
      snapshot.lastAccessed = { selection, roles: result.roles };
      coverage.push(result.coverage);
    } catch (e) {
      const d = describeError(e, 'iam:GenerateServiceLastAccessedDetails');
      coverage.push({ source: 'iam-last-accessed', status: 'failed', detail: `Service last-accessed data missing: ${d.detail}`, errorCode: d.code });
    }
  });

  const analyzerTask = (async () => {
    if (!opts.accessAnalyzer.enabled) {
      coverage.push({ source: 'access-analyzer', status: 'skipped', detail: 'Disabled in configuration.' });
      return;
    }
    const analyzers: AnalyzerRecord[] = [];
    const findings: AnalyzerFinding[] = [];
    for (const region of opts.regions) {
      const r = await collectAccessAnalyzer(clients.accessAnalyzer(region), region, undefined, opts.background);
      analyzers.push(...r.analyzers);
      findings.push(...r.findings);
      coverage.push(r.coverage);
    }
    snapshot.accessAnalyzer = { analyzers, findings };
  })();

  const trailTask = (async () => {
    if (!opts.cloudtrail.enabled) {
      coverage.push({ source: 'cloudtrail', status: 'skipped', detail: 'Disabled in configuration: usage is not reviewed.' });
      return;
    }
    let eventsRead = 0;
    const okRegions: string[] = [];
    const perRegion: AssumeAggregate[][] = [];
    const ledger: UsageLedger[] = [];
    // Regions run side by side: the rate limit is per account and region.
    const scans = await Promise.all(
      opts.regions.map(async (region) => {
        const previous = opts.previousLedgers?.find((l) => l.region === region);
        const plan = planScan(previous ? decodeLedger(previous) : undefined, opts.window, opts.cloudtrail.eventNames);
        const usage = new UsageAccumulator(opts.accountId, plan, opts.window);
        const trail = opts.cloudtrail.trail;
        const athena = opts.cloudtrail.athena;
        const scan: CloudTrailScan & { failedDays?: string[] } = athena
          ? await athena.scan(opts.accountId, region, plan, usage)
          : trail
          ? await scanTrailAssumeEvents(trail.s3, trail.location, {
              accountId: opts.accountId,
              region,
              ranges: plan.reads,
              eventNames: opts.cloudtrail.eventNames,
              concurrency: trail.concurrency,
              onEvent: (e) => usage.add(e),
              ...(trail.onRequest ? { onRequest: trail.onRequest } : {}),
            })
          : await scanAssumeEvents(clients.cloudtrail(region), {
              accountId: opts.accountId,
              region,
              ranges: plan.reads,
              eventNames: opts.cloudtrail.eventNames,
              limiter: opts.cloudtrail.limiter,
              onEvent: (e) => usage.add(e),
            });
        if (opts.cloudtrail.sourceNote) scan.coverage.detail = `${scan.coverage.detail ?? ''} ${opts.cloudtrail.sourceNote}`.trim();
        // Settled as soon as the region's scan ends, not once every region's has: its accumulator (a map
        // entry and counters per ledger row) is then released while the other regions are still read,
        // instead of every region's being held at once at the end with the ledgers built from them.
        return { region, scan, ...settleRegion(usage, scan, region, opts.cloudtrail.eventNames) };
      }),
    );
    for (const { region, scan, assumptions, regionLedger, reusedDays } of scans) {
      eventsRead += scan.eventsRead;
      perRegion.push(assumptions);
      if (regionLedger) ledger.push(regionLedger);
      if (scan.coverage.status === 'ok') {
        okRegions.push(region);
        if (reusedDays > 0) scan.coverage.detail = `${scan.coverage.detail ?? ''} ${reusedDays} earlier day(s) reused from the previous run's ledger.`.trim();
      }
      coverage.push(scan.coverage);
    }
    snapshot.usage = {
      window: opts.window,
      regions: okRegions,
      eventsRead,
      assumptions: mergeAggregates(perRegion),
      ...(ledger.length > 0 ? { ledger } : {}),
    };
  })();

  await Promise.all([iamTask, lastAccessedTask, analyzerTask, trailTask]);
  coverage.sort((a, b) => a.source.localeCompare(b.source) || (a.region ?? '').localeCompare(b.region ?? ''));
  return snapshot;
}

/**
 * A scanned region's aggregates and the ledger it hands to the next run. An incomplete region gives what it
 * has (the reused days are still sound) and no new ledger: the next run reads it whole. A trail whose
 * listing worked knows which day folders failed, so its ledger stops before them and the next run reads
 * only from there.
 */
function settleRegion(
  usage: UsageAccumulator,
  scan: CloudTrailScan & { failedDays?: string[] },
  region: string,
  eventNames: string[],
): { assumptions: AssumeAggregate[]; regionLedger?: UsageLedger; reusedDays: number } {
  if (scan.coverage.status === 'ok') {
    const done = usage.finishEncoded(region, eventNames);
    return { assumptions: done.assumptions, regionLedger: done.ledger, reusedDays: done.reusedDays };
  }
  const firstFailed = scan.coverage.status === 'partial' ? scan.failedDays?.[0] : undefined;
  if (!firstFailed) return { assumptions: usage.assumptions(), reusedDays: 0 };
  const done = usage.finish(region, eventNames);
  return { assumptions: done.assumptions, regionLedger: encodeLedger(ledgerBefore(done.ledger, firstFailed)), reusedDays: done.reusedDays };
}

export function assumeFailure(e: unknown, roleArn: string): CoverageItem {
  const d = describeError(e, `sts:AssumeRole into ${roleArn}`);
  return {
    source: 'sts',
    status: 'failed',
    ...failureFields(d),
    detail: d.accessDenied
      ? `Could not assume ${roleArn} (${d.code}): deploy the read-only member role and let the collector's role assume it. Nothing was collected from this account.`
      : `${d.detail} Nothing was collected from this account.`,
  };
}
