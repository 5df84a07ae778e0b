/**
 * `check` for the trail route: the reads a trail-sourced run makes, each once — list the trail's prefix,
 * read (and so decrypt, when the trail has a KMS key) one log file, and find files for every account and
 * region in scope. A failure fails the check when the trail is the configured source, and warns under
 * "auto" (the run then falls back to event history).
 */
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { Config } from '../config/config.js';
import { mapBounded } from './bounded.js';
import { describeError } from './errors.js';
import { readLogRecords, toReadable, trailAccountPrefix, trailUri } from './organization-trail.js';
import type { CheckItem } from './preflight.js';
import { trailRegionHint } from './region-hints.js';
import { trailLocation, trailRootPrefix } from './usage-source.js';

export async function preflightTrail(config: Config, s3: S3Client, accounts: readonly string[]): Promise<CheckItem[]> {
  const settings = config.cloudtrail.organizationTrail;
  if (!config.cloudtrail.enabled || !settings || config.cloudtrail.source === 'event-history') return [];
  const loc = trailLocation(settings);
  // Athena reads the trail's files with the collector's own credentials, so its route needs these reads too.
  const bad: CheckItem['status'] = config.cloudtrail.source === 'organization-trail' || config.cloudtrail.source === 'athena' ? 'fail' : 'warn';
  const fallback = config.cloudtrail.source === 'auto' ? ' Under "auto" the run falls back to event history (90 days at most).' : '';
  const root = trailRootPrefix(loc);
  const items: CheckItem[] = [];

  let firstKey: string | undefined;
  try {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: loc.bucket, Prefix: root, MaxKeys: 1 }));
    firstKey = page.Contents?.[0]?.Key;
    items.push(
      firstKey
        ? { check: 'organization-trail', status: 'ok', detail: `s3://${loc.bucket}/${root} listable${settings.region ? ` in ${settings.region}` : ''}.` }
        : { check: 'organization-trail', status: bad, detail: `s3://${loc.bucket}/${root} holds no log file: check the bucket, prefix and organization id.${fallback}` },
    );
  } catch (e) {
    const d = describeError(e, `s3:ListBucket on ${trailUri(loc)}`);
    items.push({ check: 'organization-trail', status: bad, detail: `${d.detail}${trailRegionHint(d)}${fallback}` });
    return items;
  }

  if (firstKey) {
    try {
      const out = await s3.send(new GetObjectCommand({ Bucket: loc.bucket, Key: firstKey }));
      const records = await readLogRecords(toReadable(out.Body));
      const kms = out.ServerSideEncryption?.startsWith('aws:kms') ? ` (SSE-KMS with ${out.SSEKMSKeyId ?? 'a KMS key'}: decrypted)` : '';
      const mismatch = settings.kmsKeyId && out.SSEKMSKeyId && !out.SSEKMSKeyId.endsWith(settings.kmsKeyId) && settings.kmsKeyId !== out.SSEKMSKeyId;
      items.push({
        check: 'organization-trail',
        status: mismatch ? 'warn' : 'ok',
        detail: `Read s3://${loc.bucket}/${firstKey}: ${records.length} record(s)${kms}.${mismatch ? ` It is encrypted with ${out.SSEKMSKeyId}, not the configured ${settings.kmsKeyId}.` : ''}`,
      });
    } catch (e) {
      const d = describeError(e, `s3:GetObject on s3://${loc.bucket}/${firstKey}`);
      const kmsHint = settings.kmsKeyId || /kms/i.test(d.detail) ? ` Reading SSE-KMS log files also needs kms:Decrypt on ${settings.kmsKeyId ?? "the trail's key"}.` : '';
      const detail = e instanceof Error && !('$metadata' in e) ? `s3://${loc.bucket}/${firstKey} is not a readable trail log file: ${e.message}` : d.detail;
      items.push({ check: 'organization-trail', status: bad, detail: `${detail}${kmsHint}${fallback}` });
    }
  }

  // One listing per account and region in scope: an account the trail does not deliver would show no usage.
  const pairs = accounts.flatMap((account) => config.regions.map((region) => ({ account, region })));
  const perPair = await mapBounded(pairs, 8, async ({ account, region }): Promise<CheckItem> => {
    const prefix = trailAccountPrefix(loc, account, region);
    try {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: loc.bucket, Prefix: prefix, MaxKeys: 1 }));
      return (page.KeyCount ?? page.Contents?.length ?? 0) > 0
        ? { check: 'organization-trail', status: 'ok', detail: `Log files under ${prefix}.`, account, region }
        : { check: 'organization-trail', status: bad, detail: `No log file under s3://${loc.bucket}/${prefix}: the trail does not deliver this account and region there, so its usage would be missing.${fallback}`, account, region };
    } catch (e) {
      const d = describeError(e, `s3:ListBucket on s3://${loc.bucket}/${prefix}`);
      return { check: 'organization-trail', status: bad, detail: `${d.detail}${trailRegionHint(d)}`, account, region };
    }
  });
  items.push(...perPair);
  return items;
}
