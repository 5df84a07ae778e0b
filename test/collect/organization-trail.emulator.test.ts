/**
 * Usage from the organization trail's log files against the emulator, which writes the same events it serves
 * through LookupEvents as gzipped trail files in its S3: both sources must give the same usage, ledger and
 * coverage status; the trail goes beyond 90 days, reads only new days incrementally, and names every log
 * file it could not use.
 */
import { gzipSync } from 'node:zlib';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, trailLogKey, type RunningEmulator } from '../../src/emulator/index.js';
import { resolveConfig } from '../../src/config/load-config.js';
import { validateAgainst } from '../../src/config/validate.js';
import type { Config } from '../../src/config/config.js';
import type { Snapshot } from '../../src/model/snapshot.js';
import { mergeSnapshotParts } from '../../src/collect/shards.js';
import { collect, configFor, NOW, trailSettings, usageOf, WEEK } from './usage-routes.js';

describe('usage from the organization trail', () => {
  let emu: RunningEmulator;
  let history: Snapshot;
  let trail: Snapshot;
  const told = { source: [] as string[], trailRequests: 0, pages: 0 };

  beforeAll(async () => {
    emu = await startEmulator({
      seed: 5,
      now: NOW,
      lookupEventsPerSecond: 0,
      org: { memberAccounts: 3, rolesPerAccount: 12, eventsPerAccount: 600 },
      // Every 25th event delivered twice: the trail must still count what event history counts.
      organizationTrail: { prefix: 'org-trail', duplicateEvery: 25 },
    });
    history = await collect(emu, configFor(emu, { source: 'event-history' }));
    emu.resetCalls();
    trail = await collect(emu, configFor(emu, { source: 'organization-trail', organizationTrail: trailSettings(emu) }), NOW, undefined, {
      progress: {
        accountsTotal: () => undefined,
        accountDone: () => undefined,
        cloudtrailPage: () => (told.pages += 1),
        usageSource: (s) => told.source.push(s),
        trailRequest: () => (told.trailRequests += 1),
      },
    });
  }, 300_000);
  afterAll(async () => emu?.close());

  it('the emulator delivers the history as gzipped log files in the documented layout', () => {
    const t = emu.trail!;
    expect(t.objects).toBeGreaterThan(100);
    const events = emu.org.accounts.filter((a) => a.status === 'ACTIVE').reduce((n, a) => n + a.events.length, 0);
    expect(t.duplicates).toBe(emu.org.accounts.filter((a) => a.status === 'ACTIVE').reduce((n, a) => n + Math.floor(a.events.length / 25), 0));
    expect(t.events).toBe(events + t.duplicates);
    const key = trailLogKey({ prefix: 'org-trail', organizationId: emu.org.organization.id, accountId: '111122223333', region: 'eu-west-1', deliveredMs: Date.parse('2026-03-04T05:06:00Z'), unique: 'abcd' });
    expect(key).toBe(`org-trail/AWSLogs/${emu.org.organization.id}/111122223333/CloudTrail/eu-west-1/2026/03/04/111122223333_CloudTrail_eu-west-1_20260304T0506Z_abcd.json.gz`);
  });

  it('gives exactly the usage, ledger and coverage status event history gives for the same events', () => {
    expect(trail.accounts.reduce((n, a) => n + a.usage.eventsRead, 0)).toBeGreaterThan(1000);
    expect(usageOf(trail)).toEqual(usageOf(history));
    expect(validateAgainst('snapshot.schema.json', JSON.parse(JSON.stringify(trail)))).toEqual([]);
  });

  it('counts an event CloudTrail delivered twice once, and says so', () => {
    const details = trail.accounts.flatMap((a) => a.coverage.filter((c) => c.source === 'cloudtrail').map((c) => c.detail ?? ''));
    const counted = details.map((d) => Number(/(\d+) duplicate deliver(?:y|ies) of an event \(same eventID\) counted once\./.exec(d)?.[1] ?? 0));
    // Only the AssumeRole* duplicates of each account's own copies are in the range read; at least some are.
    expect(counted.reduce((a, b) => a + b, 0)).toBeGreaterThan(10);
    expect(details.join(' ')).not.toMatch(/could not be checked for duplicate delivery/);
  });

  it('reads the trail with S3 calls only, and says where from', () => {
    const calls = emu.calls();
    expect(calls['cloudtrail:LookupEvents']).toBeUndefined();
    expect(calls['s3:GetObject']).toBeGreaterThan(100);
    // Progress hears of the source and of every trail request (its ETA then follows the pace, not a rate limit).
    expect(told).toEqual({ source: ['organization-trail'], trailRequests: (calls['s3:GetObject'] ?? 0) + (calls['s3:ListObjectsV2'] ?? 0), pages: 0 });
    const item = trail.accounts[0]!.coverage.find((c) => c.source === 'cloudtrail')!;
    expect(item.detail).toMatch(/^Organization trail s3:\/\/org-cloudtrail-logs\/org-trail\/ .*event\(s\) read for AssumeRole.* log file\(s\) in \d+ day folder\(s\)\./);
  });

  // After the test above, which counts the calls since the first collection.
  it('as the shards of an Indexed Job, each collecting its own accounts from the trail, merges to the same usage', async () => {
    const count = 3;
    const parts: Snapshot[] = [];
    for (let index = 0; index < count; index++) {
      const config = configFor(emu, { source: 'organization-trail', organizationTrail: trailSettings(emu) }, {
        scope: { mode: 'organization', concurrency: 4, shard: { index, count }, runGroup: 'trail-shards' },
        // Where the shards' parts would meet: collection alone writes nothing there.
        archive: { bucket: 'parts-meet-here' },
      });
      parts.push(await collect(emu, config));
    }
    // Each account in exactly one part.
    const owned = parts.map((p) => p.accounts.map((a) => a.accountId));
    expect(owned.flat().sort()).toEqual(trail.accounts.map((a) => a.accountId).sort());
    expect(new Set(owned.flat()).size).toBe(owned.flat().length);
    const merged = mergeSnapshotParts(parts, { runId: 'merged', count, group: 'trail-shards', inScope: (org) => org.accounts.filter((a) => a.status === 'ACTIVE') });
    expect(usageOf(merged)).toEqual(usageOf(trail));
  }, 300_000);

  it('reads only the new days incrementally and ends with the usage of a full read', async () => {
    const config = configFor(emu, { source: 'organization-trail', organizationTrail: trailSettings(emu) });
    const earlier = await collect(emu, config, new Date(NOW.getTime() - WEEK));
    emu.resetCalls();
    const later = await collect(emu, config, NOW, earlier);
    const incrementalGets = emu.calls()['s3:GetObject'] ?? 0;
    emu.resetCalls();
    const full = await collect(emu, config, NOW);
    const fullGets = emu.calls()['s3:GetObject'] ?? 0;
    // Events read differ by design: the later run read only the week.
    const withoutReads = (s: Snapshot) => usageOf(s).map(({ eventsRead: _read, ...rest }) => rest);
    expect(withoutReads(later)).toEqual(withoutReads(full));
    // A week and a spill-over day of 90: far fewer objects.
    expect(incrementalGets).toBeLessThan(fullGets / 5);
    expect(later.accounts[0]!.coverage.find((c) => c.source === 'cloudtrail')!.detail).toMatch(/earlier day\(s\) reused from the previous run's ledger/);
  }, 300_000);

  it('under S3 faults past the retries, every log file is either counted or named as a gap: nothing goes missing silently', async () => {
    const config = configFor(emu, { source: 'organization-trail', organizationTrail: trailSettings(emu) });
    config.aws.maxAttempts = 1;
    // One request at a time: the seeded faults then fall on the same files every run.
    config.scope.concurrency = 1;
    config.cloudtrail.organizationTrail!.concurrency = 1;
    emu.setFaults({ serverErrors: { 's3:GetObject': 0.001 } });
    let faulted: Snapshot;
    try {
      faulted = await collect(emu, config);
    } finally {
      emu.setFaults({});
    }
    const items = faulted.accounts.flatMap((a) => a.coverage.filter((c) => c.source === 'cloudtrail').map((c) => ({ accountId: a.accountId, ...c })));
    const hurt = items.filter((c) => c.status !== 'ok');
    // The faults did hit, and each hit region says so with a reason.
    expect(hurt.length).toBeGreaterThan(0);
    for (const c of hurt) expect(c.detail ?? '').toMatch(/could not|failed|InternalError|not read/i);
    // Where every region of an account reads "ok", its usage is exactly the fault-free read's.
    const clean = new Map(usageOf(trail).map((u) => [u.accountId, u]));
    let whole = 0;
    for (const u of usageOf(faulted)) {
      if (!u.coverage.every(([, status]) => status === 'ok')) continue;
      whole += 1;
      expect(u.assumptions).toEqual(clean.get(u.accountId)!.assumptions);
      expect(u.eventsRead).toBe(clean.get(u.accountId)!.eventsRead);
    }
    // A region that is not "ok" is never judged: its usage is left out, not counted as unused.
    for (const a of faulted.accounts) {
      for (const c of a.coverage.filter((i) => i.source === 'cloudtrail' && i.status !== 'ok')) expect(a.usage.regions).not.toContain(c.region);
    }
    // Both kinds are present, so neither check above is vacuous (the rate is chosen for it; faults are seeded).
    expect(whole).toBeGreaterThan(0);
    expect(whole + new Set(hurt.map((c) => c.accountId)).size).toBe(faulted.accounts.length);
  }, 300_000);
});

describe('trail log files that cannot be used', () => {
  let emu: RunningEmulator;
  let s3: S3Client;
  let account: string;
  const DAY = '2026/11/10';

  beforeAll(async () => {
    emu = await startEmulator({ seed: 9, now: NOW, lookupEventsPerSecond: 0, org: { memberAccounts: 1, rolesPerAccount: 10, eventsPerAccount: 300 }, organizationTrail: {} });
    account = emu.org.accounts.find((a) => !a.isManagement && a.status === 'ACTIVE')!.id;
    s3 = new S3Client({ region: 'us-east-1', endpoint: emu.endpoint, forcePathStyle: true, credentials: emu.credentials, requestChecksumCalculation: 'WHEN_REQUIRED' });
    const put = (key: string, body: Buffer) => s3.send(new PutObjectCommand({ Bucket: emu.trail!.bucket, Key: key, Body: body }));
    const base = `AWSLogs/${emu.org.organization.id}/${account}/CloudTrail/us-east-1/${DAY}/${account}_CloudTrail_us-east-1_20261110T1200Z_`;
    await put(`${base}notgzip.json.gz`, Buffer.from('{"Records":[]}'));
    await put(`${base}badjson.json.gz`, gzipSync(Buffer.from('{"Records":[{"eventName":')));
    await put(`${base}norecords.json.gz`, gzipSync(Buffer.from('{"records":[]}')));
  }, 120_000);
  afterAll(async () => {
    s3?.destroy();
    await emu?.close();
  });

  it('names each bad object and its reason, keeps the rest, and stops the ledger before that day', async () => {
    const config = configFor(emu, { source: 'organization-trail', organizationTrail: trailSettings(emu) });
    const snap = await collect(emu, config);
    const acct = snap.accounts.find((a) => a.accountId === account)!;
    const item = acct.coverage.find((c) => c.source === 'cloudtrail' && c.region === 'us-east-1')!;
    expect(item.status).toBe('partial');
    expect(item.detail).toContain('3 log file(s) could not be used (day(s) 2026-11-10 are read again next run).');
    expect(item.detail).toMatch(/Log file not gzip \(no gzip header\): s3:\/\/org-cloudtrail-logs\/AWSLogs\/.*_notgzip\.json\.gz\./);
    expect(item.detail).toMatch(/Log file not valid JSON: .*: s3:\/\/org-cloudtrail-logs\/AWSLogs\/.*_badjson\.json\.gz\./);
    expect(item.detail).toMatch(/Log file not a CloudTrail log file \(no Records array\): s3:\/\/org-cloudtrail-logs\/AWSLogs\/.*_norecords\.json\.gz\./);
    // Usage is incomplete for the region, so it is not judged; the good files' events are still counted.
    expect(acct.usage.regions).not.toContain('us-east-1');
    expect(acct.usage.assumptions.length).toBeGreaterThan(0);
    const ledger = acct.usage.ledger!.find((l) => l.region === 'us-east-1')!;
    expect(ledger.coveredUntil).toBe('2026-11-09T00:00:00.000Z');
    expect(Math.max(...ledger.rows.map((r) => Date.parse(`${r[0]}T00:00:00Z`)))).toBeLessThan(Date.parse('2026-11-09T00:00:00Z'));
    // The other region had nothing wrong.
    expect(acct.coverage.find((c) => c.source === 'cloudtrail' && c.region === 'eu-west-1')!.status).toBe('ok');

    // The next run reads the failed day again (and only from the ledger's end on).
    emu.resetCalls();
    const again = await collect(emu, config, new Date(NOW.getTime() + 3_600_000), snap);
    const item2 = again.accounts.find((a) => a.accountId === account)!.coverage.find((c) => c.source === 'cloudtrail' && c.region === 'us-east-1')!;
    expect(item2.detail).toMatch(/not gzip \(no gzip header\): \S+_notgzip\.json\.gz\./);
    expect(item2.status).toBe('partial');
    // Only the days from the ledger's end (2026-11-09) on were read again, not the 90 days.
    const gets = emu.calls()['s3:GetObject'] ?? 0;
    expect(gets).toBeGreaterThan(3);
    expect(gets).toBeLessThan(200);
  }, 300_000);

  it('an account the trail does not deliver is missing usage, not unused', async () => {
    const config = configFor(emu, { source: 'organization-trail', organizationTrail: { bucket: emu.trail!.bucket, organizationId: 'o-doesnotexist1' } });
    const snap = await collect(emu, config);
    for (const a of snap.accounts) {
      const items = a.coverage.filter((c) => c.source === 'cloudtrail');
      expect(items.map((c) => c.status)).toEqual(['failed', 'failed']);
      expect(items[0]!.detail).toContain('the trail holds no log file at all for this account and region');
      expect(a.usage.regions).toEqual([]);
    }
  }, 300_000);
});

describe('windows beyond 90 days', () => {
  let emu: RunningEmulator;

  beforeAll(async () => {
    emu = await startEmulator({
      seed: 3,
      now: NOW,
      lookupEventsPerSecond: 0,
      org: { memberAccounts: 1, rolesPerAccount: 10, eventsPerAccount: 400, days: 300 },
      organizationTrail: { layout: 'account' },
    });
  }, 120_000);
  afterAll(async () => emu?.close());

  it('the trail reviews 200 days (account-trail layout); event history reviews 90 and says so', async () => {
    const fromTrail = await collect(emu, configFor(emu, { source: 'organization-trail', lookbackDays: 200, organizationTrail: trailSettings(emu) }));
    expect(fromTrail.scope.window).toEqual({ start: '2026-05-05T00:00:00.000Z', end: NOW.toISOString() });
    const fromHistory = await collect(emu, configFor(emu, { source: 'event-history', lookbackDays: 200 }));
    expect(fromHistory.scope.window.start).toBe('2026-08-23T00:00:00.000Z');
    const note = fromHistory.accounts[0]!.coverage.find((c) => c.source === 'cloudtrail')!.detail;
    expect(note).toContain('200 days were asked for, but event history keeps 90: this review covers 90 days');
    const older = (s: Snapshot) => s.accounts.reduce((n, a) => n + a.usage.eventsRead, 0);
    expect(older(fromTrail)).toBeGreaterThan(older(fromHistory));
  }, 300_000);

  it('auto takes the trail when it can list a log file, event history otherwise, and says which', async () => {
    const auto = await collect(emu, configFor(emu, { source: 'auto', organizationTrail: trailSettings(emu) }));
    expect(auto.accounts[0]!.coverage.find((c) => c.source === 'cloudtrail')!.detail).toMatch(/^Organization trail .* Usage source: the organization trail \(auto\)\.$/);
    const fallback = await collect(emu, configFor(emu, { source: 'auto', organizationTrail: { bucket: 'no-such-trail-bucket' } }));
    expect(fallback.accounts[0]!.coverage.find((c) => c.source === 'cloudtrail')!.detail).toMatch(
      /Usage source: CloudTrail event history \(auto: the organization trail s3:\/\/no-such-trail-bucket\/ could not be used: .*NoSuchBucket/,
    );
  }, 300_000);

  it('config refuses the trail source without a trail, and more than 400 days', () => {
    expect(() => resolveConfig({ cloudtrail: { source: 'organization-trail' } }, {})).toThrow(/needs cloudtrail.organizationTrail.bucket/);
    expect(() => resolveConfig({ cloudtrail: { lookbackDays: 401 } }, {})).toThrow(/lookbackDays: must be <= 400/);
    expect(resolveConfig({}, { ACCESS_REVIEW_USAGE_SOURCE: 'auto', ACCESS_REVIEW_TRAIL_BUCKET: 'trail-bucket' }).cloudtrail).toMatchObject({
      source: 'auto',
      organizationTrail: { bucket: 'trail-bucket', concurrency: 16 },
    });
  });
});
