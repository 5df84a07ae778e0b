/**
 * Usage from a trail's log files in S3 instead of event history: no 90-day limit and no 2 requests a
 * second, since listing and reading objects is as fast as S3 answers. It reads the same AssumeRole* records
 * event history serves, so the same UsageAccumulator turns them into the same aggregates and ledger days.
 *
 * Layout (CloudTrail's documented one): [prefix/]AWSLogs/[o-org-id/]<account>/CloudTrail/<region>/YYYY/MM/DD/
 * <account>_CloudTrail_<region>_<YYYYMMDDTHHmmZ>_<unique>.json.gz, each a gzipped {"Records":[...]}. A file
 * sits in the folder of the day it was delivered, so an event late in a day can be in the next day's folder.
 */
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { gunzip, gunzipSync } from 'node:zlib';
import { GetObjectCommand, ListObjectsV2Command, type ListObjectsV2CommandOutput, type S3Client } from '@aws-sdk/client-s3';
import type { CoverageItem } from '../model/snapshot.js';
import { assumeEventOfRecord, isoTime, type AssumeEvent } from './assume-events.js';
import { LogFormatError, parseLogRecords, selectLogRecords } from './log-records.js';
import { mapBounded } from './bounded.js';
import type { CloudTrailScan } from './cloudtrail.js';
import { describeError, failureFields, type DescribedError } from './errors.js';
import { trailRegionHint } from './region-hints.js';
import type { LedgerDays, ReadRange } from './usage-ledger.js';

export interface TrailLocation {
  bucket: string;
  prefix?: string;
  /** Set for an organization trail (AWSLogs/<org-id>/<account>/...); absent for an account trail. */
  organizationId?: string;
  /** The trail's KMS key: S3 decrypts with it, so reading needs kms:Decrypt on it. */
  kmsKeyId?: string;
}

export interface TrailReadOptions {
  accountId: string;
  region: string;
  ranges: readonly ReadRange[];
  eventNames: readonly string[];
  /** Objects read at once for this account and region. */
  concurrency: number;
  onEvent: (e: AssumeEvent) => void;
  /** Counted once per S3 request, for progress. */
  onRequest?: () => void;
}

/** A log object that could not be used, and why. */
export interface TrailObjectFailure {
  key: string;
  day: string;
  reason: string;
}

export interface TrailScan extends CloudTrailScan {
  objectsRead: number;
  /** Records of an event already counted (CloudTrail delivered it twice), left out. */
  duplicates: number;
  /** Day folders (YYYY-MM-DD) with an object that could not be read: read again by the next run. */
  failedDays: string[];
  failures: TrailObjectFailure[];
}

const DAY_MS = 86_400_000;
/** CloudTrail delivers within about 15 minutes; an hour of the next day's files covers late ones. */
const SPILL_MS = 60 * 60_000;
/** A decompressed log file is a few MB at most; anything far larger is refused rather than held. */
const MAX_LOG_BYTES = 512 * 1024 * 1024;
const NAMED_FAILURES = 10;
/** Compressed log files up to this size (a few MB inflated, milliseconds) are inflated on the main thread. */
const INFLATE_HERE_BYTES = 256 * 1024;
const gunzipAsync = promisify(gunzip);

export function trailUri(loc: TrailLocation): string {
  return `s3://${loc.bucket}/${loc.prefix ? loc.prefix.replace(/\/+$/, '') + '/' : ''}`;
}

/** The key prefix of an account's log files, up to AWSLogs/[org/]<account>/ (or its region's folder). */
export function trailAccountPrefix(loc: TrailLocation, accountId: string, region?: string): string {
  const base = loc.prefix ? `${loc.prefix.replace(/\/+$/, '')}/` : '';
  const org = loc.organizationId ? `${loc.organizationId}/` : '';
  return `${base}AWSLogs/${org}${accountId}/${region ? `CloudTrail/${region}/` : ''}`;
}

const ymd = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/**
 * The day folders to read for the ranges: every day a range touches, and the next day's first hour as a
 * spill-over for late deliveries (`until` is then the latest delivery stamp worth reading, HHmm).
 */
export function trailDays(ranges: readonly ReadRange[]): Map<string, { until?: string }> {
  const days = new Map<string, { until?: string }>();
  for (const r of ranges) {
    const start = Math.floor(Date.parse(r.start) / DAY_MS) * DAY_MS;
    const end = Date.parse(r.end);
    const last = r.endExclusive ? end - 1 : end;
    for (let d = start; d <= last; d += DAY_MS) days.set(ymd(d), {});
    const spill = ymd(Math.floor(last / DAY_MS) * DAY_MS + DAY_MS);
    if (!days.has(spill)) days.set(spill, { until: stamp(last + SPILL_MS) });
  }
  return new Map([...days.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
}

const stamp = (ms: number): string => new Date(ms).toISOString().replace(/[-:]/g, '').slice(0, 13) + 'Z';

/** The delivery stamp in a log file's name (YYYYMMDDTHHmmZ), when it follows CloudTrail's naming. */
function deliveryStamp(key: string): string | undefined {
  return /_(\d{8}T\d{4}Z)_[^_/]*$/.exec(key)?.[1];
}

function inRange(ranges: readonly ReadRange[], t: string): boolean {
  return ranges.some((r) => t >= r.start && (r.endExclusive ? t < r.end : t <= r.end));
}

class ObjectError extends Error {}

/**
 * Gunzips one log object; refuses what is not gzip, or is absurdly large. The compressed file (tens of KB
 * to a few MB) is gathered first and inflated in one call: streaming it through a Gunzip transform cost
 * the main thread more in per-chunk bookkeeping than the inflating itself.
 */
export async function readLogText(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      if (size === 0 && chunk.length > 0 && (chunk[0] !== 0x1f || (chunk.length > 1 && chunk[1] !== 0x8b))) throw new ObjectError('not gzip (no gzip header)');
      size += chunk.length;
      if (size > MAX_LOG_BYTES) throw new ObjectError(`larger than ${MAX_LOG_BYTES / 1024 / 1024} MB`);
      chunks.push(chunk);
    }
  } catch (e) {
    if (e instanceof ObjectError) throw e;
    throw new ObjectError(`cannot be read: ${(e as Error).message}`);
  }
  if (size === 0) throw new ObjectError('empty object');
  const gz = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size);
  if (gz[1] !== 0x8b) throw new ObjectError('not gzip (no gzip header)');
  try {
    // Output in one piece (inflatedSizeHint): each 16 KB default piece is another round (and, async,
    // another trip back to the main thread) and a copy at the end. A small file is inflated right here:
    // the thread pool's stream machinery cost about as much CPU as inflating a 10-20 KB file itself; only
    // a large one, which would hold the event loop, goes to the pool.
    const options = { maxOutputLength: MAX_LOG_BYTES, chunkSize: inflatedSizeHint(gz) };
    return gz.length <= INFLATE_HERE_BYTES ? gunzipSync(gz, options) : await gunzipAsync(gz, options);
  } catch (e) {
    if (e instanceof RangeError || (e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw new ObjectError(`larger than ${MAX_LOG_BYTES / 1024 / 1024} MB uncompressed`);
    throw new ObjectError(`not valid gzip: ${(e as Error).message}`);
  }
}

/**
 * The output piece size for inflating `gz`: gzip's trailer (ISIZE) states the inflated length, so one piece
 * one byte larger holds it all — no second piece, no concatenating copy, no garbage to collect. The
 * trailer is only a hint (a damaged one must not make the reader allocate hundreds of MB): past 64 times
 * the compressed size, 8 times is used, as before, and zlib adds pieces as needed.
 */
export function inflatedSizeHint(gz: Buffer): number {
  const stated = gz.length >= 18 ? gz.readUInt32LE(gz.length - 4) : 0;
  const size = stated > 0 && stated <= gz.length * 64 ? stated + 1 : gz.length * 8;
  return Math.min(MAX_LOG_BYTES, Math.max(1024, size));
}

/** Gunzips one log object and parses all its records; refuses what is not a trail log. */
export async function readLogRecords(body: Readable): Promise<unknown[]> {
  const text = await readLogText(body);
  try {
    return parseLogRecords(text);
  } catch (e) {
    throw e instanceof LogFormatError ? new ObjectError(e.message) : e;
  }
}

function eventName(record: unknown): string | undefined {
  const n = typeof record === 'object' && record !== null ? (record as { eventName?: unknown }).eventName : undefined;
  return typeof n === 'string' ? n : undefined;
}

function eventId(record: unknown): string | undefined {
  const n = typeof record === 'object' && record !== null ? (record as { eventID?: unknown }).eventID : undefined;
  return typeof n === 'string' && n !== '' ? n : undefined;
}

/**
 * The event ids counted lately, to count a duplicate delivery once without keeping every id of the window.
 * CloudTrail puts an event in the folder of the day it delivers it, that day or (late in the day) the
 * next; folders are read in order, so once every file still open is from day D or later, the ids of
 * events before D-1 cannot come back in the normal course and are forgotten. A record whose event day
 * has been forgotten (delivered more than a day late) is counted and reported as not checked.
 */
export class RecentEventIds {
  private readonly byDay = new Map<string, Set<string>>();
  private readonly open = new Map<string, number>();
  private forgottenBefore = '';

  /** A file of this day folder is being read. */
  opened(folderDay: string): void {
    this.open.set(folderDay, (this.open.get(folderDay) ?? 0) + 1);
  }

  /** A file of this day folder is done: forget the days no open or later file can repeat. */
  closed(folderDay: string): void {
    const left = (this.open.get(folderDay) ?? 1) - 1;
    if (left > 0) this.open.set(folderDay, left);
    else this.open.delete(folderDay);
    let oldest = folderDay;
    for (const d of this.open.keys()) if (d < oldest) oldest = d;
    const keepFrom = new Date(Date.parse(`${oldest}T00:00:00.000Z`) - DAY_MS).toISOString().slice(0, 10);
    if (keepFrom <= this.forgottenBefore) return;
    this.forgottenBefore = keepFrom;
    for (const d of this.byDay.keys()) if (d < keepFrom) this.byDay.delete(d);
  }

  /** 'new' the first time an id is seen, 'seen' after; 'unchecked' when its day is already forgotten. */
  first(id: string, eventDay: string): 'new' | 'seen' | 'unchecked' {
    if (eventDay < this.forgottenBefore) return 'unchecked';
    let ids = this.byDay.get(eventDay);
    if (!ids) this.byDay.set(eventDay, (ids = new Set()));
    if (ids.has(id)) return 'seen';
    ids.add(id);
    return 'new';
  }

  /** Ids held now (for tests and benchmarks: memory follows the days in flight, not the window). */
  get size(): number {
    let n = 0;
    for (const ids of this.byDay.values()) n += ids.size;
    return n;
  }
}

function eventTime(record: unknown): string | undefined {
  const t = typeof record === 'object' && record !== null ? (record as { eventTime?: unknown }).eventTime : undefined;
  return typeof t === 'string' ? isoTime(t) : undefined;
}

/** The SDK's GetObject body as a Node stream. */
export function toReadable(body: unknown): Readable {
  if (body instanceof Readable) return body;
  if (body && typeof (body as { transformToWebStream?: unknown }).transformToWebStream === 'function') {
    return Readable.fromWeb((body as { transformToWebStream: () => import('node:stream/web').ReadableStream }).transformToWebStream());
  }
  throw new ObjectError('the response had no body');
}

/**
 * Reads one account's log files in one region for the ranges: lists each day folder, reads its objects a
 * few at a time, keeps the records of the event names asked for whose time is in a range (the same
 * predicate LookupEvents applies), and hands each role assumption to `onEvent`. Only one file's records are
 * held per object in flight. An object that cannot be read, unzipped or parsed is named in the coverage item
 * with its reason, and its day is reported so the ledger does not vouch for it.
 */
export async function scanTrailAssumeEvents(s3: S3Client, loc: TrailLocation, opts: TrailReadOptions): Promise<TrailScan> {
  const names = new Set(opts.eventNames);
  const regionPrefix = trailAccountPrefix(loc, opts.accountId, opts.region);
  const days = trailDays(opts.ranges);
  let eventsRead = 0;
  let assumptions = 0;
  let objectsRead = 0;
  let apiCalls = 0;
  const failures: TrailObjectFailure[] = [];
  let listFailure: { day: string; error: DescribedError } | undefined;
  let lastFailure: DescribedError | undefined;
  const call = (): void => {
    apiCalls += 1;
    opts.onRequest?.();
  };

  const seen = new RecentEventIds();
  let duplicates = 0;
  let unchecked = 0;
  const readObject = async (day: string, key: string): Promise<void> => {
    seen.opened(day);
    try {
      call();
      let out;
      try {
        out = await s3.send(new GetObjectCommand({ Bucket: loc.bucket, Key: key }));
      } catch (e) {
        const d = describeError(e, 's3:GetObject');
        lastFailure = d;
        const message = e instanceof Error ? e.message : String(e);
        const kms = /kms/i.test(message) || d.code.startsWith('KMS');
        const why = `${d.code}${d.httpStatus !== undefined ? `, HTTP ${d.httpStatus}` : ''}: ${message}`;
        throw new ObjectError(kms ? `cannot be decrypted (${why})` : `cannot be read (${why})`);
      }
      const text = await readLogText(toReadable(out.Body));
      let records: unknown[];
      try {
        records = selectLogRecords(text, opts.eventNames).records;
      } catch (e) {
        throw e instanceof LogFormatError ? new ObjectError(e.message) : e;
      }
      objectsRead += 1;
      for (const rec of records) {
        const name = eventName(rec);
        if (name === undefined || !names.has(name)) continue;
        const t = eventTime(rec);
        if (t === undefined || !inRange(opts.ranges, t)) continue;
        // CloudTrail delivers an event twice now and then (same eventID): it is counted once.
        const id = eventId(rec);
        const first = id === undefined ? 'unchecked' : seen.first(id, t.slice(0, 10));
        if (first === 'seen') {
          duplicates += 1;
          continue;
        }
        if (first === 'unchecked') unchecked += 1;
        eventsRead += 1;
        const e = assumeEventOfRecord(rec);
        if (e) {
          assumptions += 1;
          opts.onEvent(e);
        }
      }
    } catch (e) {
      failures.push({ key, day, reason: e instanceof ObjectError ? e.message : `cannot be read: ${(e as Error).message}` });
    } finally {
      seen.closed(day);
    }
  };

  // One listing per run of consecutive days, from the first day's folder on (StartAfter) and stopped past
  // the last: a listing page holds up to 1000 keys, so a sparse account costs a few calls for its whole
  // window rather than one per day. The next page is fetched while this one's objects are read.
  const runs: { first: string; last: string }[] = [];
  for (const day of days.keys()) {
    const prev = runs[runs.length - 1];
    if (prev && Date.parse(`${day}T00:00:00Z`) - Date.parse(`${prev.last}T00:00:00Z`) === DAY_MS) prev.last = day;
    else runs.push({ first: day, last: day });
  }
  const folder = (day: string): string => `${regionPrefix}${day.replace(/-/g, '/')}/`;
  const dayOfKey = (key: string): string | undefined => {
    const m = /^(\d{4})\/(\d{2})\/(\d{2})\//.exec(key.slice(regionPrefix.length));
    return m ? `${m[1]}-${m[2]}-${m[3]}` : undefined;
  };
  for (const run of runs) {
    if (listFailure) break;
    const list = (token: string | undefined) => {
      call();
      return s3
        .send(new ListObjectsV2Command({ Bucket: loc.bucket, Prefix: regionPrefix, ...(token ? { ContinuationToken: token } : { StartAfter: folder(run.first) }) }))
        .catch((e: unknown) => {
          const d = describeError(e, 's3:ListObjectsV2');
          lastFailure = d;
          listFailure ??= { day: run.first, error: d };
          return undefined;
        });
    };
    let pending: ReturnType<typeof list> | undefined = list(undefined);
    while (pending) {
      const page: ListObjectsV2CommandOutput | undefined = await pending;
      if (!page) break;
      const keys: { key: string; day: string }[] = [];
      let past = false;
      for (const c of page.Contents ?? []) {
        if (c.Key === undefined) continue;
        const day = dayOfKey(c.Key);
        if (day === undefined) continue;
        if (day > run.last) {
          past = true;
          break;
        }
        const until = days.get(day)?.until;
        // A spill-over day: only the files delivered in its first hour can hold the previous day's events.
        if (until !== undefined) {
          const stampOf = deliveryStamp(c.Key);
          if (stampOf !== undefined && stampOf > until) {
            if (day !== run.last) continue;
            past = true;
            break;
          }
        }
        if (days.has(day)) keys.push({ key: c.Key, day });
      }
      pending = page.IsTruncated && !past && page.NextContinuationToken ? list(page.NextContinuationToken) : undefined;
      await mapBounded(keys, opts.concurrency, ({ key, day }) => readObject(day, key));
    }
  }

  // No file at all in the folders read: a quiet stretch, or a trail that does not deliver this account and
  // region here (a wrong prefix or organization id). Only the second would make every trust look unused.
  let undelivered = false;
  if (objectsRead === 0 && failures.length === 0 && !listFailure) {
    try {
      call();
      const any = await s3.send(new ListObjectsV2Command({ Bucket: loc.bucket, Prefix: regionPrefix, MaxKeys: 1 }));
      undelivered = (any.KeyCount ?? any.Contents?.length ?? 0) === 0;
    } catch (e) {
      const d = describeError(e, 's3:ListObjectsV2');
      lastFailure = d;
      listFailure = { day: [...days.keys()][0] ?? '', error: d };
    }
  }
  const failedDays = [...new Set([...failures.map((f) => f.day), ...(listFailure ? [listFailure.day] : [])])].sort();
  const denied = listFailure?.error.accessDenied ?? false;
  const status: CoverageItem['status'] = undelivered ? 'failed' : failures.length === 0 && !listFailure ? 'ok' : denied || (listFailure && assumptions === 0) || (objectsRead === 0 && failures.length > 0) ? 'failed' : 'partial';
  const where = `Organization trail ${trailUri(loc)} (${regionPrefix})`;
  const span = opts.ranges.map((r) => `from ${r.start} to ${r.end}`).join(' and ');
  // Grouped by reason: a key refused for every file would otherwise repeat one sentence hundreds of times.
  const byReason = new Map<string, string[]>();
  for (const f of failures) byReason.set(f.reason, [...(byReason.get(f.reason) ?? []), `s3://${loc.bucket}/${f.key}`]);
  const named = [...byReason.entries()].map(([reason, uris]) => {
    const shown = uris.slice(0, NAMED_FAILURES);
    return `${uris.length === 1 ? 'Log file' : `${uris.length} log files`} ${reason}: ${shown.join(', ')}${uris.length > shown.length ? ` and ${uris.length - shown.length} more` : ''}.`;
  });
  // What the duplicate check did, in words only when it did something.
  const dedup = [
    ...(duplicates > 0 ? [`${duplicates} duplicate deliver${duplicates === 1 ? 'y' : 'ies'} of an event (same eventID) counted once.`] : []),
    ...(unchecked > 0 ? [`${unchecked} record(s) delivered more than a day after the event, or without an eventID, could not be checked for duplicate delivery.`] : []),
  ].join(' ');
  const dayList = failedDays.length <= 10 ? failedDays.join(', ') : `${failedDays.length} days from ${failedDays[0]} to ${failedDays[failedDays.length - 1]}`;
  const detail = undelivered
    ? `Usage data missing: ${where}: the trail holds no log file at all for this account and region, so it does not deliver them here (check the bucket, prefix and organization id, and that the trail covers this region).`
    : status === 'ok'
      ? `${where}: ${eventsRead} event(s) read for ${opts.eventNames.join(', ')} ${span}, from ${objectsRead} log file(s) in ${days.size} day folder(s).${dedup ? ` ${dedup}` : ''}`
      : [
          `Usage data incomplete: ${where}:`,
          ...(listFailure ? [`listing ${listFailure.day} failed: ${listFailure.error.detail}${trailRegionHint(listFailure.error)}`] : []),
          ...(failures.length > 0 ? [`${failures.length} log file(s) could not be used (day(s) ${dayList} are read again next run).`] : []),
          ...named,
          `${eventsRead} event(s) read from ${objectsRead} log file(s).`,
          ...(dedup ? [dedup] : []),
        ].join(' ');
  return {
    eventsRead,
    assumptions,
    objectsRead,
    duplicates,
    failedDays,
    failures,
    coverage: {
      source: 'cloudtrail',
      region: opts.region,
      status,
      detail,
      apiCalls,
      ...(status !== 'ok' && lastFailure ? failureFields(lastFailure) : {}),
    },
  };
}

/**
 * A ledger that stops before the first day folder that could not be read: those days (and the day before,
 * whose late events that folder may hold) are read again next run, the days before are reused.
 */
export function ledgerBefore(ledger: LedgerDays, failedDay: string): LedgerDays {
  const until = new Date(Date.parse(`${failedDay}T00:00:00.000Z`) - DAY_MS).toISOString();
  if (until >= ledger.coveredUntil) return ledger;
  return { ...ledger, coveredUntil: until, days: ledger.days.filter((d) => `${d.day}T00:00:00.000Z` < until) };
}
