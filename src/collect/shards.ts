/**
 * Sharded collection for organizations too large for one run: each shard collects the accounts that hash
 * to its index, writes its part, and the parts merge into one snapshot. Assignment by hash of the account
 * id, not by position in the listing, so shards that list the organization minutes apart still agree on
 * who owns an account: none is collected twice, and an account only one shard saw is still collected.
 */
import { createHash } from 'node:crypto';
import {
  SNAPSHOT_KIND,
  SNAPSHOT_SCHEMA_VERSION,
  type AccountSnapshot,
  type OrganizationInfo,
  type Snapshot,
} from '../model/snapshot.js';
import { unreachableAccount } from './account.js';

export function shardOf(accountId: string, count: number): number {
  return createHash('sha256').update(accountId).digest().readUInt32BE(0) % count;
}

export class ShardMergeError extends Error {
  constructor(message: string) {
    super(`access-review: cannot merge the shard parts: ${message}`);
    this.name = 'ShardMergeError';
  }
}

export interface MergeOptions {
  runId: string;
  /** How many shards the collection was split into. */
  count: number;
  group: string;
  /** The organization accounts the review covers (accountsInScope): a missing shard's are marked, not lost. */
  inScope: (org: OrganizationInfo) => OrganizationInfo['accounts'];
}

/**
 * One snapshot from the parts of a sharded collection. Pure. Parts must agree on mode, organization,
 * shard count and group; a shard that delivered no part leaves its in-scope accounts in the review as
 * failed coverage, so the report shows the hole instead of a smaller, clean organization.
 */
export function mergeSnapshotParts(parts: readonly Snapshot[], options: MergeOptions): Snapshot {
  if (parts.length === 0) throw new ShardMergeError(`no parts of group ${options.group} were found.`);
  const byIndex = new Map<number, Snapshot>();
  for (const part of parts) {
    const shard = part.shard;
    if (!shard) throw new ShardMergeError(`run ${part.runId} is not a shard part.`);
    if (shard.group !== options.group || shard.count !== options.count) {
      throw new ShardMergeError(`part ${shard.index} belongs to ${shard.group} (${shard.count} shards), not ${options.group} (${options.count} shards).`);
    }
    if (byIndex.has(shard.index)) throw new ShardMergeError(`shard ${shard.index} delivered two parts.`);
    byIndex.set(shard.index, part);
  }
  const ordered = [...byIndex.entries()].sort(([a], [b]) => a - b).map(([, p]) => p);
  const first = ordered[0] as Snapshot;
  for (const part of ordered) {
    if (part.scope.mode !== first.scope.mode) throw new ShardMergeError('parts disagree on the scope mode.');
    if (part.organization?.id !== first.organization?.id) {
      throw new ShardMergeError(`parts come from different organizations (${first.organization?.id ?? 'none'}, ${part.organization?.id ?? 'none'}).`);
    }
  }

  const accounts = new Map<string, AccountSnapshot>();
  for (const part of ordered) {
    for (const account of part.accounts) if (!accounts.has(account.accountId)) accounts.set(account.accountId, account);
  }
  const organization = mergeOrganizations(ordered);
  const missing = [...Array(options.count).keys()].filter((i) => !byIndex.has(i));
  if (organization && missing.length > 0) {
    for (const account of options.inScope(organization)) {
      const shard = shardOf(account.id, options.count);
      if (accounts.has(account.id) || !missing.includes(shard)) continue;
      accounts.set(
        account.id,
        unreachableAccount(account.id, account.name, {
          source: 'sts',
          status: 'failed',
          errorCode: 'ShardMissing',
          detail: `Shard ${shard} of ${options.count} (group ${options.group}) delivered no part, so this account was not collected. Re-run that shard, then merge again.`,
        }),
      );
    }
  }

  const snapshot: Snapshot = {
    kind: SNAPSHOT_KIND,
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    runId: options.runId,
    collectedAt: maxIso(ordered.map((p) => p.collectedAt)),
    tool: first.tool,
    scope: {
      mode: first.scope.mode,
      regions: [...new Set(ordered.flatMap((p) => p.scope.regions))],
      window: { start: minIso(ordered.map((p) => p.scope.window.start)), end: maxIso(ordered.map((p) => p.scope.window.end)) },
    },
    accounts: [...accounts.values()].sort((a, b) => (a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : 0)),
  };
  if (organization) snapshot.organization = organization;
  return snapshot;
}

/** Every account any shard saw in the listing, the newest listing's status winning. */
function mergeOrganizations(parts: readonly Snapshot[]): OrganizationInfo | undefined {
  const withOrg = parts.filter((p) => p.organization !== undefined).sort((a, b) => (a.collectedAt < b.collectedAt ? -1 : 1));
  const newest = withOrg.at(-1)?.organization;
  if (!newest) return undefined;
  const accounts = new Map<string, OrganizationInfo['accounts'][number]>();
  for (const part of withOrg) for (const a of part.organization?.accounts ?? []) accounts.set(a.id, a);
  return { ...newest, accounts: [...accounts.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)) };
}

const minIso = (xs: string[]): string => xs.reduce((a, b) => (b < a ? b : a));
const maxIso = (xs: string[]): string => xs.reduce((a, b) => (b > a ? b : a));

