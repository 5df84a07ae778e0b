/**
 * The organization trail as CloudTrail delivers it: every account's events written into one S3 bucket as
 * gzipped JSON log files (`{"Records":[...]}`), one file per account, region and few minutes, under the
 * documented key layout. The files hold the same records event history serves, so a reader of either
 * source sees the same events.
 */
import { createHash, randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { crc32Base64 } from './crc32.js';
import type { SyntheticOrg } from './org-types.js';
import type { Bucket, S3Store, StoredObject } from './s3-store.js';

export const TRAIL_BUCKET = 'org-cloudtrail-logs';

export interface TrailFilesOptions {
  bucket?: string;
  /** The bucket's region (us-east-1 by default): a log-archive bucket often lives in another region than the run. */
  region?: string;
  /** The trail's S3 key prefix, before AWSLogs/. */
  prefix?: string;
  /** Organization trail layout (AWSLogs/<org-id>/<account>/...) or an account trail's (AWSLogs/<account>/...). */
  layout?: 'organization' | 'account';
  /** Log files are SSE-KMS encrypted with this key, as a trail with a KMS key writes them. */
  kmsKeyId?: string;
  /** One file per account, region and this many minutes of events. CloudTrail delivers about every 5. */
  minutesPerFile?: number;
  /**
   * CloudTrail now and then delivers an event twice (same eventID): every this-many-th event of an account
   * is also written into the file of the following slot, as a later delivery would.
   */
  duplicateEvery?: number;
}

export interface TrailFilesWritten {
  bucket: string;
  objects: number;
  /** Records written, duplicates included. */
  events: number;
  /** Records that repeat an event already written. */
  duplicates: number;
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** The folder a log file delivered at `deliveredMs` lands in, and its file name. */
export function trailLogKey(opts: { prefix?: string; organizationId?: string; accountId: string; region: string; deliveredMs: number; unique: string }): string {
  const d = new Date(opts.deliveredMs);
  const ymd = `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}`;
  const stamp = `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}Z`;
  const base = opts.prefix ? `${opts.prefix.replace(/\/+$/, '')}/` : '';
  const org = opts.organizationId ? `${opts.organizationId}/` : '';
  return `${base}AWSLogs/${org}${opts.accountId}/CloudTrail/${opts.region}/${ymd}/${opts.accountId}_CloudTrail_${opts.region}_${stamp}_${opts.unique}.json.gz`;
}

/** Stores one object as CloudTrail's delivery writes it (server-side encrypted, no client checksum). */
export function storeLogObject(bucket: Bucket, key: string, body: Buffer, at: Date, kmsKeyId?: string): void {
  const obj: StoredObject = {
    body,
    contentType: 'application/json',
    contentEncoding: 'gzip',
    metadata: {},
    etag: `"${createHash('md5').update(body).digest('hex')}"`,
    lastModified: new Date(Math.floor(at.getTime() / 1000) * 1000),
    crc32: crc32Base64(body),
    serverSideEncryption: kmsKeyId ? 'aws:kms' : 'AES256',
    ...(kmsKeyId ? { kmsKeyId } : {}),
  };
  bucket.objects.set(key, obj);
}

/** The trail bucket in the management account, created on first use. */
export function trailBucket(store: S3Store, org: SyntheticOrg, name: string, region = 'us-east-1'): Bucket {
  return store.buckets.get(name) ?? store.create(name, org.organization.managementAccountId, region, false, new Date(Date.parse(org.now) - 400 * 86_400_000));
}

/**
 * Writes every active account's history as trail log files. A file's folder and name carry its delivery
 * time (the end of its slot plus a few minutes, never after `now`), so events late in a UTC day can sit
 * in the next day's folder, as they do in AWS.
 */
export function writeTrailFiles(store: S3Store, org: SyntheticOrg, options: TrailFilesOptions = {}): TrailFilesWritten {
  const bucketName = options.bucket ?? TRAIL_BUCKET;
  const bucket = trailBucket(store, org, bucketName, options.region);
  const slotMs = (options.minutesPerFile ?? 5) * 60_000;
  const nowMs = Date.parse(org.now);
  const organizationId = (options.layout ?? 'organization') === 'organization' ? org.organization.id : undefined;
  let objects = 0;
  let events = 0;
  let duplicates = 0;
  const every = options.duplicateEvery ?? 0;
  for (const account of org.accounts) {
    if (account.status !== 'ACTIVE') continue;
    const files = new Map<string, { region: string; slot: number; records: string[] }>();
    const put = (region: string, slot: number, record: string): void => {
      const k = `${region}|${slot}`;
      let f = files.get(k);
      if (!f) files.set(k, (f = { region, slot, records: [] }));
      f.records.push(record);
    };
    account.events.forEach((e, i) => {
      const slot = Math.floor(Date.parse(e.eventTime) / slotMs);
      put(e.region, slot, e.cloudTrailEvent);
      if (every > 0 && i % every === every - 1) {
        put(e.region, slot + 1, e.cloudTrailEvent);
        duplicates += 1;
      }
    });
    for (const f of files.values()) {
      const deliveredMs = Math.min(nowMs, (f.slot + 1) * slotMs + 3 * 60_000);
      const key = trailLogKey({
        ...(options.prefix ? { prefix: options.prefix } : {}),
        ...(organizationId ? { organizationId } : {}),
        accountId: account.id,
        region: f.region,
        deliveredMs,
        unique: createHash('sha1').update(`${account.id}|${f.region}|${f.slot}`).digest('hex').slice(0, 16),
      });
      // The records are already JSON text: joining them avoids parsing every event again.
      const body = gzipSync(Buffer.from(`{"Records":[${f.records.join(',')}]}`));
      storeLogObject(bucket, key, body, new Date(deliveredMs), options.kmsKeyId);
      objects += 1;
      events += f.records.length;
    }
  }
  return { bucket: bucketName, objects, events, duplicates };
}

/** A random 16-character suffix, as CloudTrail's file names end. */
export function uniqueSuffix(): string {
  return randomBytes(8).toString('hex');
}
