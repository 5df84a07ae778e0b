/**
 * Where the shards of one collection meet: {prefix}/parts/{group}/part-{index}-of-{count}.json, written
 * once each, plus a merge claim that exactly one shard wins. Outside the scope folders, so the search for
 * the previous review never sees a part.
 */
import { paginateListObjectsV2, type S3Client } from '@aws-sdk/client-s3';
import type { Snapshot } from '../model/snapshot.js';
import { joinKey } from './layout.js';
import { encodeCompactJson, encodeJson } from './manifest.js';
import { ArchiveConflictError, getObjectBytes, putObjectOnce, type ArchiveSettings } from './s3-archive.js';

const PART = /\/part-(\d+)-of-(\d+)\.json$/;

export function partsPrefix(prefix: string, group: string): string {
  return joinKey(prefix, 'parts', group);
}

export function partKey(prefix: string, group: string, index: number, count: number): string {
  return `${partsPrefix(prefix, group)}/part-${index}-of-${count}.json`;
}

/** A part is written once: a retried shard whose part exists is told so, rather than replacing it. */
export async function writePart(s3: S3Client, settings: ArchiveSettings, part: Snapshot): Promise<string> {
  if (!part.shard) throw new Error('access-review: only a shard part can be written as a part.');
  const key = partKey(settings.prefix, part.shard.group, part.shard.index, part.shard.count);
  await putObjectOnce(s3, settings, key, encodeCompactJson(part), 'application/json');
  return key;
}

export interface PartRef {
  key: string;
  index: number;
  count: number;
}

export async function listParts(s3: S3Client, settings: ArchiveSettings, group: string): Promise<PartRef[]> {
  const refs: PartRef[] = [];
  for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: settings.bucket, Prefix: `${partsPrefix(settings.prefix, group)}/` })) {
    for (const o of page.Contents ?? []) {
      const m = PART.exec(o.Key ?? '');
      if (m) refs.push({ key: o.Key ?? '', index: Number(m[1]), count: Number(m[2]) });
    }
  }
  return refs.sort((a, b) => a.index - b.index);
}

export async function readPart(s3: S3Client, bucket: string, key: string): Promise<unknown> {
  const bytes = await getObjectBytes(s3, bucket, key);
  if (!bytes) throw new Error(`access-review: part s3://${bucket}/${key} vanished while merging.`);
  return JSON.parse(new TextDecoder().decode(bytes));
}

/**
 * Exactly one caller gets true: the claim is a conditional create, so when the last two shards finish
 * together and both see a complete set, only one merges and delivers.
 */
export async function claimMerge(s3: S3Client, settings: ArchiveSettings, group: string, claim: { claimant: string; at: Date }): Promise<boolean> {
  try {
    await putObjectOnce(s3, settings, `${partsPrefix(settings.prefix, group)}/merge.claim`, encodeJson({ claimant: claim.claimant, at: claim.at.toISOString() }), 'application/json');
    return true;
  } catch (e) {
    if (e instanceof ArchiveConflictError) return false;
    throw e;
  }
}
