/**
 * Usage through Amazon Athena against the emulator, whose Athena runs the product's SQL in a real engine
 * over the same trail log files the direct reader reads: both routes must give the same usage, ledger and
 * coverage status for the same events; incremental runs ask only for the new days; a failed query is a
 * coverage gap with Athena's reason, never a crash.
 */
import { gzipSync } from 'node:zlib';
import { AthenaClient, type GetQueryResultsCommandOutput } from '@aws-sdk/client-athena';
import { ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ATHENA_RESULTS_BUCKET, startEmulator, trailLogKey, type RunningEmulator } from '../../src/emulator/index.js';
import { createClientFactory } from '../../src/collect/clients.js';
import { preflightAws } from '../../src/collect/preflight.js';
import { resolveConfig } from '../../src/config/load-config.js';
import { validateAgainst } from '../../src/config/validate.js';
import type { Config } from '../../src/config/config.js';
import type { Snapshot } from '../../src/model/snapshot.js';
import { progressReporter } from '../../src/cli/progress.js';
import { AthenaUsage, USAGE_COLUMNS } from '../../src/collect/athena-usage.js';
import { reviewWindow } from '../../src/collect/index.js';
import { planScan, UsageAccumulator } from '../../src/collect/usage-ledger.js';
import { ATHENA_DEFAULTS } from '../../src/config/config.js';
import { collect, configFor as trailConfig, NOW, trailSettings, usageOf, WEEK } from './usage-routes.js';

const OUTPUT = `s3://${ATHENA_RESULTS_BUCKET}/access-review/`;
const configFor = (emu: RunningEmulator, cloudtrail: Record<string, unknown>): Config => trailConfig(emu, cloudtrail, { lastAccessed: { enabled: false } });

const athenaRoute = (emu: RunningEmulator, athena: Record<string, unknown> = {}) => ({
  source: 'athena',
  organizationTrail: trailSettings(emu),
  athena: { outputLocation: OUTPUT, ...athena },
});

/** Every log file of the emulator's trail, with its size. */
async function trailObjects(emu: RunningEmulator): Promise<{ key: string; size: number }[]> {
  const s3 = new S3Client({ region: 'us-east-1', endpoint: emu.endpoint, forcePathStyle: true, credentials: emu.credentials });
  const out: { key: string; size: number }[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: emu.trail!.bucket, ...(token ? { ContinuationToken: token } : {}) }));
    for (const o of page.Contents ?? []) if (o.Key?.includes('/CloudTrail/')) out.push({ key: o.Key, size: o.Size ?? 0 });
    token = page.NextContinuationToken;
  } while (token);
  s3.destroy();
  return out;
}

describe('usage through Athena', () => {
  let emu: RunningEmulator;
  let direct: Snapshot;
  let athena: Snapshot;
  const logged: { event: string; fields: Record<string, unknown> }[] = [];
  const heartbeats: Record<string, unknown>[] = [];

  beforeAll(async () => {
    emu = await startEmulator({
      seed: 5,
      now: NOW,
      lookupEventsPerSecond: 0,
      org: { memberAccounts: 3, rolesPerAccount: 12, eventsPerAccount: 600 },
      organizationTrail: { prefix: 'org-trail' },
    });
    direct = await collect(emu, configFor(emu, { source: 'organization-trail', lookbackDays: 200, organizationTrail: trailSettings(emu) }));
    emu.resetCalls();
    const progress = progressReporter({
      limits: { requestsPerSecond: 2, regions: emu.org.regions.length, concurrency: 4 },
      tty: false,
      write: () => undefined,
      log: (event, fields = {}) => void (event === 'progress' && heartbeats.push(fields)),
      heartbeatMs: 3_600_000,
    });
    athena = await collect(emu, configFor(emu, { ...athenaRoute(emu), lookbackDays: 200 }), NOW, undefined, { log: (event, fields) => logged.push({ event, fields }), progress });
    progress.stop();
  }, 300_000);
  afterAll(async () => emu?.close());

  it('gives exactly the usage, ledger and coverage status the direct reader gives for the same events', () => {
    expect(athena.accounts.reduce((n, a) => n + a.usage.eventsRead, 0)).toBeGreaterThan(1000);
    expect(usageOf(athena)).toEqual(usageOf(direct));
    expect(validateAgainst('snapshot.schema.json', JSON.parse(JSON.stringify(athena)))).toEqual([]);
  });

  it('creates its table, runs one query for every account and region, and names it in the coverage', async () => {
    const calls = emu.calls();
    expect(calls['cloudtrail:LookupEvents']).toBeUndefined();
    expect(calls['s3:GetObject']).toBeUndefined();
    // The CREATE EXTERNAL TABLE, then the one usage query.
    expect(calls['athena:StartQueryExecution']).toBe(2);
    const query = logged.find((l) => l.event === 'collect.athena.query')!;
    // ok: the emulator would have failed it with CONSTRAINT_VIOLATION had it not named account and region.
    expect(query.fields).toMatchObject({ ok: true, accounts: athena.accounts.length, regions: emu.org.regions.length });
    // The bytes of the log files in the days, accounts and regions asked for: the trail holds events from
    // before the 200 days too, so a query that reported the whole table would say more.
    const firstDay = athena.scope.window.start.slice(0, 10).replace(/-/g, '/');
    const files = await trailObjects(emu);
    const read = files.filter((f) => athena.accounts.some((a) => f.key.includes(`/${a.accountId}/CloudTrail/`)) && (/\/(\d{4}\/\d{2}\/\d{2})\/[^/]+$/.exec(f.key)?.[1] ?? '') >= firstDay);
    expect(read.length).toBeGreaterThan(0);
    expect(query.fields.scannedBytes).toBe(read.reduce((n, f) => n + f.size, 0));
    const item = athena.accounts[0]!.coverage.find((c) => c.source === 'cloudtrail' && c.status === 'ok')!;
    expect(item.detail).toMatch(/^Amazon Athena \(table default\.access_review_cloudtrail_[0-9a-f]{10}, workgroup primary\): \d+ event\(s\) read for AssumeRole, AssumeRoleWithSAML, AssumeRoleWithWebIdentity from .*; query [0-9a-f-]{36} \(shared by every account and region with the same days\), [\d.]+ (KB|MB) scanned\.$/);
    expect(item.detail).toContain(String(query.fields.queryId));
  });

  it('progress tells Athena\'s own story: its queries, its requests and the bytes scanned, none of them counted as CloudTrail pages', () => {
    const calls = emu.calls();
    const athenaCalls = Object.entries(calls).filter(([k]) => k.startsWith('athena:')).reduce((n, [, v]) => n + v, 0);
    const query = logged.find((l) => l.event === 'collect.athena.query')!;
    // The heartbeat the reporter logs when the last account is done.
    expect(heartbeats.at(-1)).toEqual({
      accountsTotal: athena.accounts.length,
      accountsDone: athena.accounts.length,
      cloudtrailPages: 0,
      usageSource: 'athena',
      athenaRequests: athenaCalls,
      athenaQueriesStarted: 2,
      athenaQueriesFinished: 2,
      athenaScannedBytes: query.fields.scannedBytes,
    });
  });

  it('asks only for the new days incrementally and ends with the usage of a full query', async () => {
    const config = configFor(emu, { ...athenaRoute(emu), lookbackDays: 200 });
    const earlier = await collect(emu, config, new Date(NOW.getTime() - WEEK));
    const queries: Record<string, unknown>[] = [];
    const later = await collect(emu, config, NOW, earlier, { log: (event, fields) => void (event === 'collect.athena.query' && queries.push(fields)) });
    const withoutReads = (s: Snapshot) => usageOf(s).map(({ eventsRead: _read, ...rest }) => rest);
    expect(withoutReads(later)).toEqual(withoutReads(athena));
    expect(later.accounts[0]!.coverage.find((c) => c.source === 'cloudtrail' && c.status === 'ok')!.detail).toMatch(/earlier day\(s\) reused from the previous run's ledger/);
    // One query for every account and region (their ledgers end together); which day partitions it names is
    // asserted in athena-usage.test.ts.
    expect(queries).toHaveLength(1);
    expect(queries[0]).toMatchObject({ ok: true, accounts: later.accounts.length });
    // Only the new days' log files are read (and charged), not the whole window's.
    const full = logged.find((l) => l.event === 'collect.athena.query')!.fields.scannedBytes as number;
    expect(queries[0]!.scannedBytes).toBeGreaterThan(0);
    expect(queries[0]!.scannedBytes as number).toBeLessThan(full / 4);
  }, 300_000);

  it('auto takes Athena when its workgroup answers, and says so', async () => {
    const auto = await collect(emu, configFor(emu, { ...athenaRoute(emu), source: 'auto' }));
    expect(auto.accounts[0]!.coverage.find((c) => c.source === 'cloudtrail')!.detail).toMatch(/Usage source: Amazon Athena over the organization trail \(auto\)\.$/);
    const fallback = await collect(emu, configFor(emu, { ...athenaRoute(emu, { workGroup: 'nope' }), source: 'auto' }));
    expect(fallback.accounts[0]!.coverage.find((c) => c.source === 'cloudtrail')!.detail).toMatch(
      /Usage source: the organization trail \(auto; Athena could not be used: .*WorkGroup nope is not found/,
    );
  }, 300_000);
});

describe('Athena queries that fail', () => {
  let emu: RunningEmulator;

  beforeAll(async () => {
    emu = await startEmulator({ seed: 9, now: NOW, lookupEventsPerSecond: 0, org: { memberAccounts: 1, rolesPerAccount: 6, eventsPerAccount: 100 }, organizationTrail: {} });
  }, 120_000);
  afterAll(async () => emu?.close());

  it('a log file Athena cannot read fails the query: every account and region is a gap with Athena\'s reason', async () => {
    const account = emu.org.accounts.find((a) => !a.isManagement && a.status === 'ACTIVE')!.id;
    const s3 = new S3Client({ region: 'us-east-1', endpoint: emu.endpoint, forcePathStyle: true, credentials: emu.credentials, requestChecksumCalculation: 'WHEN_REQUIRED' });
    const key = trailLogKey({ organizationId: emu.org.organization.id, accountId: account, region: 'us-east-1', deliveredMs: Date.parse('2026-11-10T12:00:00Z'), unique: 'broken' });
    await s3.send(new PutObjectCommand({ Bucket: emu.trail!.bucket, Key: key, Body: gzipSync(Buffer.from('{"Records":[{"eventName":')) }));
    const snap = await collect(emu, configFor(emu, athenaRoute(emu)));
    for (const a of snap.accounts) {
      const items = a.coverage.filter((c) => c.source === 'cloudtrail');
      expect(items.map((c) => c.status)).toEqual(items.map(() => 'failed'));
      expect(items[0]!.detail).toMatch(/^Usage data missing: Amazon Athena .*: query [0-9a-f-]{36} ended FAILED: HIVE_CURSOR_ERROR: .*broken\.json\.gz.* Usage unknown for this account and region, not unused/);
      expect(items[0]!.errorCode).toBe('AthenaQueryFailed');
      expect(a.usage.regions).toEqual([]);
      expect(a.usage.ledger ?? []).toEqual([]);
    }
    await s3.send(new PutObjectCommand({ Bucket: emu.trail!.bucket, Key: key, Body: gzipSync(Buffer.from('{"Records":[]}')) }));
    s3.destroy();
  }, 300_000);

  it('a table that is not there, or no output location, is a gap naming the problem', async () => {
    const missing = await collect(emu, configFor(emu, { source: 'athena', athena: { table: 'cloudtrail_logs', outputLocation: OUTPUT } }));
    const item = missing.accounts[0]!.coverage.find((c) => c.source === 'cloudtrail')!;
    expect(item.status).toBe('failed');
    expect(item.detail).toMatch(/could not run: .*Table cloudtrail_logs not found/);
    const noOutput = await collect(emu, configFor(emu, { source: 'athena', organizationTrail: trailSettings(emu), athena: {} }));
    expect(noOutput.accounts[0]!.coverage.find((c) => c.source === 'cloudtrail')!.detail).toMatch(/No output location provided/);
  }, 300_000);

  it('an account the table does not see is missing usage, not unused', async () => {
    const checks: Record<string, unknown>[] = [];
    const snap = await collect(emu, configFor(emu, { source: 'athena', organizationTrail: { bucket: emu.trail!.bucket, organizationId: 'o-doesnotexist1' }, athena: { outputLocation: OUTPUT } }), NOW, undefined, {
      log: (event, fields) => void (event === 'collect.athena.delivery-check' && checks.push(fields)),
    });
    // The emulator fails a query without static equality conditions on the injected account and region
    // (CONSTRAINT_VIOLATION, as Athena does): the delivery check, like the usage query, supplies them.
    expect(checks).toHaveLength(1);
    expect(checks[0]).toMatchObject({ ok: true, scannedBytes: 0 });
    for (const a of snap.accounts) {
      const items = a.coverage.filter((c) => c.source === 'cloudtrail');
      expect(items.map((c) => c.status)).toEqual(items.map(() => 'failed'));
      expect(items[0]!.detail).toContain('the table holds no CloudTrail record at all for this account and region');
    }
  }, 300_000);

  it('check verifies the workgroup, the result location, the database and a named table', async () => {
    const check = async (cloudtrail: Record<string, unknown>) => {
      const config = configFor(emu, cloudtrail);
      return (await preflightAws(config, createClientFactory(config.aws, emu.credentials))).filter((i) => i.check === 'athena').map((i) => [i.status, i.detail]);
    };
    expect(await check(athenaRoute(emu))).toEqual([
      ['ok', 'Workgroup primary in us-east-1 enabled (Athena engine version 3).'],
      ['ok', `Query results go to ${OUTPUT} (bucket listable; writes are not tried).`],
      ['ok', 'Database AwsDataCatalog.default exists.'],
      ['ok', 'The run creates its CloudTrail table in default if it is not there (CREATE EXTERNAL TABLE IF NOT EXISTS; needs glue:CreateTable).'],
    ]);
    const broken = await check({ source: 'athena', athena: { table: 'cloudtrail_logs', outputLocation: 's3://no-such-results-bucket/x/' } });
    expect(broken.map(([status]) => status)).toEqual(['ok', 'fail', 'ok', 'fail']);
    expect(broken[1]![1]).toMatch(/NoSuchBucket/);
    expect(broken[3]![1]).toMatch(/Table cloudtrail_logs not found/);
    const auto = await check({ ...athenaRoute(emu, { workGroup: 'nope' }), source: 'auto' });
    expect(auto).toEqual([['warn', expect.stringMatching(/WorkGroup nope is not found.* Under "auto" the run reads the trail directly, or event history, instead\.$/)]]);
    // Athena reads the trail with the collector's credentials: the trail's own checks fail the check too.
    const config = configFor(emu, athenaRoute(emu));
    const trailItems = (await preflightAws(config, createClientFactory(config.aws, emu.credentials))).filter((i) => i.check === 'organization-trail');
    expect(trailItems.length).toBeGreaterThan(0);
    expect((await preflightAws(config, createClientFactory(config.aws, emu.credentials))).some((i) => i.check === 'cloudtrail')).toBe(false);
  }, 300_000);

  it('config: "athena" needs cloudtrail.athena, and "create" needs the trail', () => {
    expect(() => resolveConfig({ cloudtrail: { source: 'athena' } }, {})).toThrow(/needs cloudtrail.athena/);
    expect(() => resolveConfig({ cloudtrail: { source: 'athena', athena: {} } }, {})).toThrow(/"create" needs cloudtrail.organizationTrail/);
    expect(resolveConfig({}, { ACCESS_REVIEW_USAGE_SOURCE: 'athena', ACCESS_REVIEW_ATHENA_TABLE: 'cloudtrail_logs', ACCESS_REVIEW_ATHENA_OUTPUT: 's3://results-bucket/x/' }).cloudtrail.athena).toEqual({
      workGroup: 'primary',
      database: 'default',
      table: 'cloudtrail_logs',
      catalog: 'AwsDataCatalog',
      maxWaitSeconds: 900,
      outputLocation: 's3://results-bucket/x/',
      // aws.region, written out.
      region: 'us-east-1',
    });
  });
});

describe('Athena results read page by page', () => {
  const NAMES = ['AssumeRole', 'AssumeRoleWithSAML', 'AssumeRoleWithWebIdentity'];
  let emu: RunningEmulator;

  beforeAll(async () => {
    emu = await startEmulator({ seed: 11, now: NOW, lookupEventsPerSecond: 0, org: { memberAccounts: 2, rolesPerAccount: 6, eventsPerAccount: 120 }, organizationTrail: {} });
  }, 120_000);
  afterAll(async () => emu?.close());

  /**
   * The route run directly, every account and region's scan fed to its own accumulator, over the real SDK
   * client; `tamper` may rewrite a GetQueryResults page as it comes off the wire.
   */
  async function route(opts: { pageSize?: number; now?: Date; lookbackDays?: number; tamper?: (output: GetQueryResultsCommandOutput, page: number) => void }) {
    const client = new AthenaClient({ region: 'us-east-1', endpoint: emu.endpoint, credentials: emu.credentials, maxAttempts: 2 });
    let page = 0;
    const tamper = opts.tamper;
    if (tamper) {
      client.middlewareStack.add(
        (next, context) => async (args) => {
          const out = await next(args);
          if (context.commandName === 'GetQueryResultsCommand') tamper(out.output as GetQueryResultsCommandOutput, page++);
          return out;
        },
        { step: 'initialize', name: 'tamperResults' },
      );
    }
    const window = reviewWindow(opts.now ?? NOW, opts.lookbackDays ?? 200);
    const targets = emu.org.accounts.filter((a) => a.status === 'ACTIVE').flatMap((a) => emu.org.regions.map((region) => ({ accountId: a.id, region, plan: planScan(undefined, window, NAMES) })));
    const logged: { event: string; fields: Record<string, unknown> }[] = [];
    const athena = new AthenaUsage({
      client,
      settings: { ...ATHENA_DEFAULTS, outputLocation: OUTPUT },
      trail: { bucket: emu.trail!.bucket, ...(emu.trail!.prefix ? { prefix: emu.trail!.prefix } : {}), ...(emu.trail!.organizationId ? { organizationId: emu.trail!.organizationId } : {}) },
      eventNames: NAMES,
      window,
      log: (event, fields) => logged.push({ event, fields }),
      ...(opts.pageSize ? { resultPageSize: opts.pageSize } : {}),
    });
    emu.resetCalls();
    athena.start(targets);
    const pairs = [];
    for (const t of targets) {
      const acc = new UsageAccumulator(t.accountId, t.plan, window);
      const scan = await athena.scan(t.accountId, t.region, t.plan, acc);
      const { apiCalls: _calls, ...coverage } = scan.coverage;
      // The query id differs from run to run; everything else must not.
      pairs.push({ accountId: t.accountId, eventsRead: scan.eventsRead, assumptions: scan.assumptions, coverage: { ...coverage, detail: (coverage.detail ?? '').replace(/query [0-9a-f-]{36}/, 'query <id>') }, usage: acc.finish(t.region, NAMES) });
    }
    client.destroy();
    const query = logged.find((l) => l.event === 'collect.athena.query')!.fields;
    return { pairs, query, calls: emu.calls() };
  }

  it('gives the same usage whatever the result page size', async () => {
    const byPage = await route({ pageSize: 1000 });
    const rows = byPage.query.rows as number;
    expect(rows).toBeGreaterThan(20);
    expect(byPage.pairs.reduce((n, p) => n + p.assumptions, 0)).toBeGreaterThan(100);
    expect(byPage.pairs.some((p) => p.usage.ledger.days.length > 0)).toBe(true);
    expect(byPage.pairs.every((p) => p.coverage.status === 'ok')).toBe(true);
    for (const pageSize of [1, 2]) {
      const paged = await route({ pageSize });
      expect(paged.query.rows).toBe(rows);
      // One page of `pageSize` rows at a time (with the header row on the first), plus the table's DDL's page.
      expect(paged.calls['athena:GetQueryResults']).toBe(Math.ceil((rows + 1) / pageSize) + 1);
      expect(paged.pairs).toEqual(byPage.pairs);
    }
  }, 300_000);

  it('a malformed row on a later page fails the query as before, and no row of its earlier pages is counted', async () => {
    const eventsColumn = USAGE_COLUMNS.indexOf('events');
    let tampered = -1;
    const out = await route({
      pageSize: 2,
      // Page 0 is the DDL's; page 1 the usage query's first; page 3 a later one.
      tamper: (output, page) => {
        if (page !== 3) return;
        output.ResultSet!.Rows![1]!.Data![eventsColumn]!.VarCharValue = 'many';
        tampered = page;
      },
    });
    expect(tampered).toBe(3);
    // Reading stops at the unreadable page: the rest would cost calls for nothing.
    expect(out.calls['athena:GetQueryResults']).toBe(4);
    const nothing = (p: (typeof out.pairs)[number]) => new UsageAccumulator(p.accountId, planScan(undefined, reviewWindow(NOW, 200), NAMES), reviewWindow(NOW, 200)).finish(p.coverage.region!, NAMES);
    for (const p of out.pairs) {
      expect(p.coverage).toMatchObject({ status: 'failed', errorCode: 'AthenaResultUnreadable' });
      expect(p.coverage.detail).toMatch(/^Usage data missing: Amazon Athena \(table default\.access_review_cloudtrail_[0-9a-f]{10}, workgroup primary\): the result of query <id> could not be read: column events is not a number: many\.$/);
      expect([p.eventsRead, p.assumptions]).toEqual([0, 0]);
      expect(p.usage).toEqual(nothing(p));
    }
  }, 300_000);

  it('an empty result is usage of nothing for every account and region the trail delivers, in one page', async () => {
    // A week after the trail's last record: the day partitions asked for hold no record.
    const out = await route({ now: new Date(NOW.getTime() + 30 * 86_400_000), lookbackDays: 7 });
    expect(out.query).toMatchObject({ ok: true, rows: 0 });
    expect(out.calls['athena:GetQueryResults']).toBeGreaterThanOrEqual(2);
    for (const p of out.pairs) {
      expect(p.coverage.status).toBe('ok');
      expect(p.coverage.detail).toMatch(/: 0 event\(s\) read for AssumeRole, AssumeRoleWithSAML, AssumeRoleWithWebIdentity from /);
      expect([p.eventsRead, p.assumptions, p.usage.assumptions]).toEqual([0, 0, []]);
    }
  }, 300_000);
});
