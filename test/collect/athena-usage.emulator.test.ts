/**
 * Usage through Amazon Athena against the emulator, whose Athena runs the product's SQL in a real engine
 * over the same trail log files the direct reader reads: both routes must give the same usage, ledger and
 * coverage status for the same events; incremental runs ask only for the new days; a failed query is a
 * coverage gap with Athena's reason, never a crash.
 */
import { gzipSync } from 'node:zlib';
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
