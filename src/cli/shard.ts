/**
 * Sharded runs: `run` with scope.shard collects one shard and writes its part; the shard that completes
 * the set claims the merge and runs analyze -> render -> deliver on the merged snapshot. `merge` does the
 * same by hand, for a set whose last shard failed (with --allow-missing, the gaps are marked).
 */
import type { Config } from '../config/config.js';
import { validateAgainst } from '../config/validate.js';
import { collectSnapshot, accountsInScope } from '../collect/index.js';
import { mergeSnapshotParts } from '../collect/shards.js';
import type { ClientFactory } from '../collect/clients.js';
import { claimMerge, listParts, readPart, writePart, type PartRef } from '../deliver/shard-parts.js';
import type { ArchiveSettings } from '../deliver/s3-archive.js';
import type { ShardInfo, Snapshot } from '../model/snapshot.js';
import { clientsFor, collectContext, deliverSnapshot, newRunId, UsageError, type RunOptions } from './commands.js';
import type { Logger } from './log.js';
import type { PipelineResult } from './pipeline.js';

export interface ShardRunResult {
  shard: ShardInfo;
  partUri: string;
  accounts: number;
  /** Shards whose parts were not there yet when this one finished (empty when it merged). */
  waitingFor: number[];
  /** The part was already there from an earlier attempt of this shard; nothing was collected. */
  reused: boolean;
  /** Present when this shard completed the set and won the merge. */
  merged?: PipelineResult;
}

function archiveSettings(config: Config): ArchiveSettings {
  if (!config.archive.bucket) throw new UsageError('sharded runs need archive.bucket: the shards meet there');
  return { bucket: config.archive.bucket, prefix: config.archive.prefix, ...(config.archive.kmsKeyId ? { kmsKeyId: config.archive.kmsKeyId } : {}) };
}

function missingIndices(parts: readonly PartRef[], count: number): number[] {
  const have = new Set(parts.filter((p) => p.count === count).map((p) => p.index));
  return [...Array(count).keys()].filter((i) => !have.has(i));
}

export async function runShard(opts: RunOptions): Promise<ShardRunResult> {
  const { shard, runGroup } = opts.config.scope;
  if (!shard || !runGroup) throw new UsageError('runShard needs scope.shard and scope.runGroup');
  const now = opts.now ?? new Date();
  const clients = clientsFor(opts);
  const settings = archiveSettings(opts.config);
  const runId = newRunId(now);
  opts.log('shard.start', { runId, group: runGroup, shard: `${shard.index}/${shard.count}` });
  const info: ShardInfo = { ...shard, group: runGroup };
  // A retried shard (the pod died after writing) finds its part and goes straight to the merge check.
  const existing = (await listParts(clients.s3(), settings, runGroup)).find((p) => p.index === shard.index && p.count === shard.count);
  let result: ShardRunResult;
  if (existing) {
    opts.log('shard.part.exists', { key: existing.key });
    result = { shard: info, partUri: `s3://${settings.bucket}/${existing.key}`, accounts: 0, waitingFor: [], reused: true };
  } else {
    const ctx = collectContext(opts.config, clients, now, runId, opts.log);
    const part = await collectSnapshot(opts.config, opts.progress ? { ...ctx, progress: opts.progress } : ctx);
    const key = await writePart(clients.s3(), settings, part);
    opts.log('shard.part.written', { key, accounts: part.accounts.length });
    result = { shard: info, partUri: `s3://${settings.bucket}/${key}`, accounts: part.accounts.length, waitingFor: [], reused: false };
  }

  const parts = await listParts(clients.s3(), settings, runGroup);
  const waitingFor = missingIndices(parts, shard.count);
  if (waitingFor.length > 0) {
    opts.log('shard.waiting', { group: runGroup, missing: waitingFor });
    return { ...result, waitingFor };
  }
  if (!(await claimMerge(clients.s3(), settings, runGroup, { claimant: `shard ${shard.index} run ${runId}`, at: now }))) {
    opts.log('shard.merge.claimed-elsewhere', { group: runGroup });
    return result;
  }
  return { ...result, merged: await mergeAndDeliver(opts.config, clients, runGroup, parts, shard.count, false, now, opts.log) };
}

/** The by-hand merge; the shard count comes from the parts when the config does not give it. */
export async function mergeCommand(opts: RunOptions & { group: string; allowMissing: boolean }): Promise<PipelineResult> {
  const clients = clientsFor(opts);
  const settings = archiveSettings(opts.config);
  const parts = await listParts(clients.s3(), settings, opts.group);
  const counts = [...new Set(parts.map((p) => p.count))];
  const count = opts.config.scope.shard?.count ?? counts[0];
  if (count === undefined) throw new UsageError(`no parts of group ${opts.group} under s3://${settings.bucket}/${settings.prefix}`);
  if (counts.length > 1) throw new UsageError(`group ${opts.group} holds parts of different shard counts (${counts.join(', ')})`);
  return mergeAndDeliver(opts.config, clients, opts.group, parts, count, opts.allowMissing, opts.now ?? new Date(), opts.log);
}

async function mergeAndDeliver(
  config: Config,
  clients: ClientFactory,
  group: string,
  listed: readonly PartRef[],
  count: number,
  allowMissing: boolean,
  now: Date,
  log: Logger,
): Promise<PipelineResult> {
  const settings = archiveSettings(config);
  // Parts are write-once, so the listing the caller just made is still the set.
  const refs = listed.filter((p) => p.count === count);
  const missing = missingIndices(refs, count);
  if (missing.length > 0 && !allowMissing) {
    throw new UsageError(`group ${group} lacks the parts of shard(s) ${missing.join(', ')} of ${count}; re-run them, or merge with --allow-missing to review the rest with the gap marked`);
  }
  const parts: Snapshot[] = [];
  for (const ref of refs) {
    const value = await readPart(clients.s3(), settings.bucket, ref.key);
    const errors = validateAgainst('snapshot.schema.json', value);
    if (errors.length > 0) throw new Error(`part s3://${settings.bucket}/${ref.key} does not match the snapshot schema: ${errors.slice(0, 5).join('; ')}`);
    parts.push(value as Snapshot);
  }
  const merged = mergeSnapshotParts(parts, { runId: newRunId(now), count, group, inScope: (org) => accountsInScope(org, config.scope) });
  log('shard.merged', { group, parts: parts.length, missing, accounts: merged.accounts.length, runId: merged.runId });
  const { shard: _shard, runGroup: _group, ...scope } = config.scope;
  return deliverSnapshot(merged, { ...config, scope }, clients, now, log);
}
