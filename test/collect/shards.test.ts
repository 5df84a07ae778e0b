import { describe, expect, it } from 'vitest';
import { ShardMergeError, mergeSnapshotParts, shardOf } from '../../src/collect/shards.js';
import type { Snapshot } from '../../src/model/snapshot.js';
import { account, snapshot } from '../analyze/builders.js';

const ORG_ACCOUNTS = ['111111111111', '222222222222', '333333333333', '444444444444', '555555555555', '666666666666'];

function part(index: number, count: number, collectedAt: string, accountIds: string[], group = 'access-review-29384756'): Snapshot {
  const snap = snapshot(accountIds.map((id) => account([], { accountId: id })), {
    runId: `run-${index}`,
    collectedAt,
    shard: { index, count, group },
  });
  snap.scope.window = { start: new Date(Date.parse(collectedAt) - 90 * 86_400_000).toISOString(), end: collectedAt };
  snap.organization = { id: 'o-abc123def4', managementAccountId: ORG_ACCOUNTS[0]!, accounts: ORG_ACCOUNTS.map((id) => ({ id, name: `acct-${id.slice(0, 1)}`, status: 'ACTIVE' })) };
  return snap;
}

const byShard = (count: number) => (i: number) => ORG_ACCOUNTS.filter((id) => shardOf(id, count) === i);
const options = (count: number) => ({ runId: 'merged-run', count, group: 'access-review-29384756', inScope: (org: NonNullable<Snapshot['organization']>) => org.accounts });

describe('shardOf', () => {
  it('is stable, in range, and spreads a large organization evenly', () => {
    expect(shardOf('123456789012', 8)).toBe(shardOf('123456789012', 8));
    const counts = new Array<number>(8).fill(0);
    for (let i = 0; i < 4000; i++) counts[shardOf(String(100000000000 + i * 7919), 8)]! += 1;
    expect(Math.min(...counts)).toBeGreaterThan(400);
    expect(Math.max(...counts)).toBeLessThan(600);
    expect(shardOf('123456789012', 1)).toBe(0);
  });
});

describe('mergeSnapshotParts', () => {
  it('joins every shard\'s accounts into one snapshot over the union of their windows', () => {
    const shardAccounts = byShard(3);
    const parts = [
      part(2, 3, '2026-11-29T06:04:00.000Z', shardAccounts(2)),
      part(0, 3, '2026-11-29T06:01:00.000Z', shardAccounts(0)),
      part(1, 3, '2026-11-29T06:02:30.000Z', shardAccounts(1)),
    ];
    const merged = mergeSnapshotParts(parts, options(3));
    expect(merged.runId).toBe('merged-run');
    expect(merged.shard).toBeUndefined();
    expect(merged.accounts.map((a) => a.accountId)).toEqual(ORG_ACCOUNTS);
    expect(merged.collectedAt).toBe('2026-11-29T06:04:00.000Z');
    expect(merged.scope.window).toEqual({ start: '2026-08-31T06:01:00.000Z', end: '2026-11-29T06:04:00.000Z' });
    expect(merged.organization?.accounts).toHaveLength(6);
  });

  it('keeps the accounts of a shard that delivered nothing, as failed collection, not as absent', () => {
    const shardAccounts = byShard(3);
    const merged = mergeSnapshotParts([part(0, 3, '2026-11-29T06:01:00.000Z', shardAccounts(0)), part(2, 3, '2026-11-29T06:03:00.000Z', shardAccounts(2))], options(3));
    expect(merged.accounts.map((a) => a.accountId)).toEqual(ORG_ACCOUNTS);
    const lost = merged.accounts.filter((a) => a.coverage.some((c) => c.errorCode === 'ShardMissing'));
    expect(lost.map((a) => a.accountId)).toEqual(shardAccounts(1));
    expect(lost[0]?.coverage[0]).toMatchObject({ source: 'sts', status: 'failed' });
    expect(lost[0]?.coverage[0]?.detail).toContain('Shard 1 of 3 (group access-review-29384756) delivered no part');
  });

  it('refuses parts of another group or count, a shard twice, and a non-part', () => {
    const a = part(0, 2, '2026-11-29T06:01:00.000Z', ['111111111111']);
    expect(() => mergeSnapshotParts([a, part(1, 3, '2026-11-29T06:01:00.000Z', [])], options(2))).toThrow(ShardMergeError);
    expect(() => mergeSnapshotParts([a, part(1, 2, '2026-11-29T06:01:00.000Z', [], 'other-group')], options(2))).toThrow(/other-group/);
    expect(() => mergeSnapshotParts([a, part(0, 2, '2026-11-29T06:02:00.000Z', [])], options(2))).toThrow(/shard 0 delivered two parts/);
    const { shard: _s, ...plain } = a;
    expect(() => mergeSnapshotParts([plain], options(2))).toThrow(/not a shard part/);
    expect(() => mergeSnapshotParts([], options(2))).toThrow(/no parts/);
  });
});
