/**
 * Incremental usage through the whole run against the emulator: a run a week after the previous one finds
 * the previous snapshot in the archive, reads only the new events, and reviews exactly the usage a full
 * read of the window gives.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { runJob } from '../../src/cli/commands.js';
import type { PipelineResult } from '../../src/cli/pipeline.js';
import { resolveConfig } from '../../src/config/load-config.js';
import type { Snapshot } from '../../src/model/snapshot.js';

const NOW = new Date('2026-11-20T12:00:00.000Z');
const WEEK = 7 * 86_400_000;

describe('incremental CloudTrail reads across runs', () => {
  let emu: RunningEmulator;
  let out: string;
  const logs: { event: string; fields: Record<string, unknown> }[] = [];

  const run = async (now: Date, prefix: string, incremental = true): Promise<{ result: PipelineResult; lookups: number; listings: number }> => {
    emu.resetCalls();
    const config = resolveConfig(
      {
        scope: { mode: 'organization', concurrency: 4 },
        aws: { endpoint: emu.endpoint, s3ForcePathStyle: true },
        regions: emu.org.regions,
        cloudtrail: { incremental },
        archive: { bucket: emu.org.archiveBucket, prefix },
        output: { dir: path.join(out, prefix), formats: ['json'] },
      },
      {},
    );
    const result = await runJob({ config, now, credentials: emu.credentials, log: (event, fields = {}) => logs.push({ event, fields }) });
    return { result, lookups: emu.calls()['cloudtrail:LookupEvents'] ?? 0, listings: emu.calls()['s3:ListObjectsV2'] ?? 0 };
  };
  const snapshotOf = (r: PipelineResult): Snapshot => JSON.parse(new TextDecoder().decode(r.artifacts.find((a) => a.name === 'snapshot.json')!.body)) as Snapshot;

  let first: Awaited<ReturnType<typeof run>>;
  let second: Awaited<ReturnType<typeof run>>;
  let full: Awaited<ReturnType<typeof run>>;

  beforeAll(async () => {
    emu = await startEmulator({ seed: 11, now: NOW, lookupEventsPerSecond: 0, org: { memberAccounts: 3, rolesPerAccount: 12, eventsPerAccount: 800 } });
    out = await mkdtemp(path.join(tmpdir(), 'ar-incremental-'));
    first = await run(new Date(NOW.getTime() - WEEK), 'weekly');
    second = await run(NOW, 'weekly');
    full = await run(NOW, 'fresh', false);
  }, 300_000);
  afterAll(async () => emu?.close());

  it('the later run reviews exactly the usage a full read gives', () => {
    const usage = (r: PipelineResult) => snapshotOf(r).accounts.map((a) => [a.accountId, a.usage.assumptions, a.usage.regions]);
    expect(usage(second.result)).toEqual(usage(full.result));
    expect(second.result.review.accounts.flatMap((a) => a.roles.map((r) => [r.arn, r.usage]))).toEqual(
      full.result.review.accounts.flatMap((a) => a.roles.map((r) => [r.arn, r.usage])),
    );
    expect(snapshotOf(second.result).accounts.map((a) => a.usage.ledger)).toEqual(snapshotOf(full.result).accounts.map((a) => a.usage.ledger));
  });

  it('and reads a fraction of the events, saying so in coverage', () => {
    const read = (r: PipelineResult) => snapshotOf(r).accounts.reduce((n, a) => n + a.usage.eventsRead, 0);
    expect(read(second.result)).toBeLessThan(read(full.result) / 4);
    // Each range costs at least one call per event name and region, so at this small scale calls fall less
    // than events do; on a busy account (thousands of pages) they fall with the events.
    expect(second.lookups).toBeLessThan(full.lookups);
    expect(logs.some((l) => l.event === 'collect.ledgers.from' && String(l.fields.folder).includes(first.result.review.runId))).toBe(true);
    // The scope's history is listed once, for both the ledger and the diff against the previous review.
    expect(second.listings).toBe(1);
    expect(second.result.review.changes?.previousRunId).toBe(first.result.review.runId);
    const trail = second.result.review.coverage.filter((c) => c.source === 'cloudtrail');
    expect(trail.length).toBeGreaterThan(0);
    for (const c of trail) expect(c.detail).toMatch(/earlier day\(s\) reused from the previous run's ledger\.$/);
  });

  it('when the new reads fail, the reused days still count and no ledger is handed on', async () => {
    emu.setFaults({ throttle: { 'cloudtrail:LookupEvents': 1 } });
    try {
      const config = resolveConfig(
        {
          scope: { mode: 'organization', concurrency: 4 },
          aws: { endpoint: emu.endpoint, s3ForcePathStyle: true, maxAttempts: 1 },
          regions: emu.org.regions,
          archive: { bucket: emu.org.archiveBucket, prefix: 'weekly' },
          output: { dir: path.join(out, 'throttled'), formats: ['json'] },
        },
        {},
      );
      const result = await runJob({ config, now: new Date(NOW.getTime() + 3_600_000), credentials: emu.credentials, log: () => undefined });
      const snap = snapshotOf(result);
      expect(result.review.coverage.filter((c) => c.source === 'cloudtrail').every((c) => c.status === 'failed')).toBe(true);
      for (const a of snap.accounts) expect(a.usage.ledger).toBeUndefined();
      // The week-old run's days are real usage: the review still shows them instead of nothing.
      const counted = snap.accounts.reduce((n, a) => n + a.usage.assumptions.reduce((m, x) => m + x.count, 0), 0);
      const previously = snapshotOf(second.result).accounts.reduce((n, a) => n + a.usage.assumptions.reduce((m, x) => m + x.count, 0), 0);
      expect(counted).toBeGreaterThan(previously * 0.8);
      expect(counted).toBeLessThanOrEqual(previously);
    } finally {
      emu.setFaults({});
    }
  }, 300_000);

  it('a previous snapshot that no longer matches its manifest is not reused', async () => {
    const { PutObjectCommand, S3Client, ListObjectsV2Command } = await import('@aws-sdk/client-s3');
    const s3 = new S3Client({ endpoint: emu.endpoint, region: emu.region, credentials: emu.credentials, forcePathStyle: true });
    // Someone with plain PutObject on an unlocked prefix replaces the newest snapshot with one claiming no use.
    const keys = ((await s3.send(new ListObjectsV2Command({ Bucket: emu.org.archiveBucket, Prefix: 'fresh/' }))).Contents ?? []).map((c) => c.Key!);
    const key = keys.find((k) => k.endsWith('/snapshot.json'))!;
    const forged = snapshotOf(full.result);
    for (const a of forged.accounts) for (const l of a.usage.ledger ?? []) l.rows = [];
    await s3.send(new PutObjectCommand({ Bucket: emu.org.archiveBucket, Key: key, Body: JSON.stringify(forged) }));
    logs.length = 0;
    const again = await run(new Date(NOW.getTime() + 3_600_000), 'fresh');
    const refused = logs.find((l) => l.event === 'collect.ledgers.unavailable');
    expect(String(refused?.fields.error)).toContain("does not match its manifest's SHA-256; not reusing it");
    // It read the whole window instead of trusting the forged ledger.
    const read = (r: PipelineResult) => snapshotOf(r).accounts.reduce((n, a) => n + a.usage.eventsRead, 0);
    expect(read(again.result)).toBeGreaterThanOrEqual(read(full.result));
    for (const c of again.result.review.coverage.filter((x) => x.source === 'cloudtrail')) expect(c.detail).not.toContain('reused');
  }, 300_000);
});
