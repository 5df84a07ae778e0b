/**
 * A sharded collection as a Kubernetes Indexed Job runs it: the same config in every shard, the index
 * from JOB_COMPLETION_INDEX, the parts meeting in the archive, the last shard merging. Judged by the
 * archived review: every account exactly once, one merge however the shards race.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import type { Review } from '../../src/model/review.js';
import { cli as runCli, type CliResult } from './cli-process.js';

describe('sharded collection end to end', () => {
  let emu: RunningEmulator;
  let s3: S3Client;
  let config: string;
  let activeAccounts: string[];

  const cli = (args: string[], env: Record<string, string>): Promise<CliResult> => runCli(args, { ...emu.env(), ...env });
  const shard = (group: string, index: number, count = 3) =>
    cli(['run', '--config', config, '--no-pdf'], { JOB_COMPLETION_INDEX: String(index), ACCESS_REVIEW_SHARD_COUNT: String(count), ACCESS_REVIEW_RUN_GROUP: group });
  const keys = async (prefix: string): Promise<string[]> =>
    ((await s3.send(new ListObjectsV2Command({ Bucket: emu.org.archiveBucket, Prefix: prefix }))).Contents ?? []).map((c) => c.Key ?? '').sort();
  const reviewsFor = async (runIds: Set<string> | undefined = undefined): Promise<Review[]> => {
    const all = (await keys(`sharded/organization-${emu.org.organization.id}/`)).filter((k) => k.endsWith('/review.json'));
    const out: Review[] = [];
    for (const k of all) {
      const body = await (await s3.send(new GetObjectCommand({ Bucket: emu.org.archiveBucket, Key: k }))).Body!.transformToString();
      const review = JSON.parse(body) as Review;
      if (!runIds || runIds.has(review.runId)) out.push(review);
    }
    return out;
  };

  beforeAll(async () => {
    emu = await startEmulator({ seed: 7, org: { memberAccounts: 5, rolesPerAccount: 12, eventsPerAccount: 60 } });
    activeAccounts = emu.org.accounts.filter((a) => a.status === 'ACTIVE').map((a) => a.id).sort();
    s3 = new S3Client({ endpoint: emu.endpoint, region: emu.region, credentials: emu.credentials, forcePathStyle: true });
    const work = await mkdtemp(path.join(tmpdir(), 'ar-shards-'));
    config = path.join(work, 'config.json');
    await writeFile(
      config,
      JSON.stringify({ scope: { mode: 'organization' }, aws: { s3ForcePathStyle: true }, regions: emu.org.regions, archive: { bucket: emu.org.archiveBucket, prefix: 'sharded' } }),
    );
  }, 300_000);

  afterAll(async () => emu?.close());

  it('the shards write parts, the last one merges, and the review covers every account once', async () => {
    const first = await shard('nightly-1', 0);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^Shard 0 of 3 \(group nightly-1\): \d+ account\(s\) collected; part written to s3:\/\/.+\/sharded\/parts\/nightly-1\/part-0-of-3\.json\nWaiting for shard\(s\) 1, 2: the last to finish merges\.\n$/);
    expect((await shard('nightly-1', 2)).stdout).toContain('Waiting for shard(s) 1:');
    const last = await shard('nightly-1', 1);
    expect(last.code).toBe(0);
    expect(last.stdout).toContain('This shard completed the set and merged it.');
    const [review, ...more] = await reviewsFor();
    expect(more).toEqual([]);
    expect(review!.accounts.map((a) => a.accountId).sort()).toEqual(activeAccounts);
    expect(review!.coverage.filter((c) => c.status === 'failed')).toEqual([]);
    const rolesPerAccount = new Map(emu.org.accounts.map((a) => [a.id, a.roles.length]));
    for (const a of review!.accounts) expect(a.roles.length).toBe(rolesPerAccount.get(a.accountId));
    expect(await keys('sharded/parts/nightly-1/')).toEqual([
      'sharded/parts/nightly-1/merge.claim',
      'sharded/parts/nightly-1/part-0-of-3.json',
      'sharded/parts/nightly-1/part-1-of-3.json',
      'sharded/parts/nightly-1/part-2-of-3.json',
    ]);
  }, 300_000);

  it('shards racing to the finish merge exactly once', async () => {
    const before = (await reviewsFor()).length;
    const results = await Promise.all([0, 1, 2].map((i) => shard('nightly-2', i)));
    expect(results.map((r) => r.code)).toEqual([0, 0, 0]);
    expect(results.filter((r) => r.stdout.includes('merged it'))).toHaveLength(1);
    expect((await reviewsFor()).length).toBe(before + 1);
  }, 300_000);

  it('a retried shard keeps its part, collects nothing again, and does not merge a merged set twice', async () => {
    const before = (await reviewsFor()).length;
    emu.resetCalls();
    const again = await shard('nightly-1', 0);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Shard 0 of 3 (group nightly-1): its part was already written by an earlier attempt');
    expect(again.stdout).toContain('Another shard is merging the set.');
    expect(Object.keys(emu.calls()).filter((k) => k.startsWith('iam:') || k.startsWith('cloudtrail:'))).toEqual([]);
    expect((await reviewsFor()).length).toBe(before);
  }, 300_000);

  it('a retried last shard whose first attempt died before merging completes the merge', async () => {
    await shard('nightly-4', 0);
    await shard('nightly-4', 1);
    // The last shard's part landed, but its pod died before the merge check: the part is there, no claim.
    const earlier = JSON.parse(
      await (await s3.send(new GetObjectCommand({ Bucket: emu.org.archiveBucket, Key: 'sharded/parts/nightly-1/part-2-of-3.json' }))).Body!.transformToString(),
    ) as { shard: { group: string } };
    earlier.shard.group = 'nightly-4';
    await s3.send(new PutObjectCommand({ Bucket: emu.org.archiveBucket, Key: 'sharded/parts/nightly-4/part-2-of-3.json', Body: JSON.stringify(earlier) }));
    const before = (await reviewsFor()).length;
    const retry = await shard('nightly-4', 2);
    expect(retry.stdout).toContain('This shard completed the set and merged it.');
    expect((await reviewsFor()).length).toBe(before + 1);
  }, 300_000);

  it('merge by hand refuses an incomplete set, and with --allow-missing marks the missing shard\'s accounts', async () => {
    await shard('nightly-3', 0);
    await shard('nightly-3', 2);
    const refused = await cli(['merge', '--config', config, '--group', 'nightly-3', '--no-pdf'], {});
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('group nightly-3 lacks the parts of shard(s) 1 of 3');
    const merged = await cli(['merge', '--config', config, '--group', 'nightly-3', '--allow-missing', '--no-pdf'], {});
    expect(merged.code).toBe(0);
    const runId = /Report folder: .*\/runs\/(\S+)/.exec(merged.stdout)?.[1] ?? /Archived: s3:\/\/\S+\/(\d{8}T\d{6}Z-[0-9a-f]{6})\//.exec(merged.stdout)?.[1];
    const [review] = await reviewsFor(new Set([runId!]));
    expect(review!.accounts.map((a) => a.accountId).sort()).toEqual(activeAccounts);
    const gaps = review!.coverage.filter((c) => c.errorCode === 'ShardMissing');
    expect(gaps.length).toBeGreaterThan(0);
    expect(review!.findings.some((f) => f.ruleId === 'coverage-collection-gap' && gaps.some((g) => g.accountId === f.accountId))).toBe(true);
  }, 300_000);
});
