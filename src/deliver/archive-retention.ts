/**
 * For `verify` of an archived run: does every object of the run stay locked as long as configured? Where
 * the bucket has Object Lock, each object's retention (GetObjectRetention) must reach the run's start plus
 * the configured period — archive.objectLock when the job sets it, else the bucket's default retention —
 * in a mode at least as strict. An object that cannot be read is said to be unchecked, never passed.
 */
import { GetObjectLockConfigurationCommand, GetObjectRetentionCommand, type S3Client } from '@aws-sdk/client-s3';

export interface RetentionPeriod {
  mode: 'GOVERNANCE' | 'COMPLIANCE';
  days?: number;
  years?: number;
  /** Where the period comes from, for the report. */
  source: string;
}

export type ObjectRetention =
  | { state: 'ok'; mode: string; retainUntil: Date }
  | { state: 'none' }
  | { state: 'unreadable'; detail: string };

export interface RetentionLine {
  name: string;
  /** unlocked: no retention, and none is configured, so nothing was broken but nothing protects it. */
  status: 'ok' | 'failed' | 'unchecked' | 'unlocked';
  detail: string;
}

export type BucketLock = { state: 'on'; default?: RetentionPeriod } | { state: 'off' } | { state: 'unreadable'; detail: string };

function errorText(e: unknown, action: string): { code: string; text: string } {
  const err = e as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const code = err?.name ?? 'Error';
  const denied = code === 'AccessDenied' || err?.$metadata?.httpStatusCode === 403;
  return { code, text: denied ? `${action} was denied (${code})` : `${action} failed (${code}: ${err?.message ?? String(e)})` };
}

export async function readBucketLock(s3: S3Client, bucket: string): Promise<BucketLock> {
  try {
    const c = (await s3.send(new GetObjectLockConfigurationCommand({ Bucket: bucket }))).ObjectLockConfiguration;
    if (c?.ObjectLockEnabled !== 'Enabled') return { state: 'off' };
    const r = c.Rule?.DefaultRetention;
    if (!r?.Mode || (r.Days === undefined && r.Years === undefined)) return { state: 'on' };
    return { state: 'on', default: { mode: r.Mode, ...(r.Days !== undefined ? { days: r.Days } : { years: r.Years ?? 0 }), source: "the bucket's default retention" } };
  } catch (e) {
    const { code, text } = errorText(e, 's3:GetBucketObjectLockConfiguration');
    return code === 'ObjectLockConfigurationNotFoundError' ? { state: 'off' } : { state: 'unreadable', detail: text };
  }
}

export async function readObjectRetention(s3: S3Client, bucket: string, key: string): Promise<ObjectRetention> {
  try {
    const r = (await s3.send(new GetObjectRetentionCommand({ Bucket: bucket, Key: key }))).Retention;
    return r?.Mode && r.RetainUntilDate ? { state: 'ok', mode: r.Mode, retainUntil: r.RetainUntilDate } : { state: 'none' };
  } catch (e) {
    const { code, text } = errorText(e, 's3:GetObjectRetention');
    return code === 'NoSuchObjectLockConfiguration' ? { state: 'none' } : { state: 'unreadable', detail: text };
  }
}

/** The instant a period that starts at `from` ends. */
export function periodEnd(from: Date, p: Pick<RetentionPeriod, 'days' | 'years'>): Date {
  const end = new Date(from);
  if (p.years !== undefined) end.setUTCFullYear(end.getUTCFullYear() + p.years);
  else end.setUTCDate(end.getUTCDate() + (p.days ?? 0));
  return end;
}

export function describePeriod(p: RetentionPeriod): string {
  return `${p.mode} for ${p.years !== undefined ? `${p.years} year(s)` : `${p.days ?? 0} day(s)`} (${p.source})`;
}

/** One object's retention against the required period from the run's start; S3 keeps whole seconds. */
export function judgeRetention(name: string, r: ObjectRetention, required: RetentionPeriod | undefined, runStart: Date): RetentionLine {
  if (r.state === 'unreadable') return { name, status: 'unchecked', detail: r.detail };
  if (r.state === 'none') {
    return required ? { name, status: 'failed', detail: `no retention: the object can be deleted at any time (configured ${describePeriod(required)})` } : { name, status: 'unlocked', detail: 'no retention (none is configured), so it can be deleted at any time' };
  }
  const until = r.retainUntil.toISOString();
  if (!required) return { name, status: 'ok', detail: `${r.mode} until ${until}` };
  const needed = periodEnd(runStart, required);
  const problems: string[] = [];
  if (Math.floor(r.retainUntil.getTime() / 1000) < Math.floor(needed.getTime() / 1000)) {
    problems.push(`retention ends ${until}, before the configured ${describePeriod(required)} from the run's start (${needed.toISOString()})`);
  }
  if (required.mode === 'COMPLIANCE' && r.mode !== 'COMPLIANCE') problems.push(`mode ${r.mode}, which can be lifted, where COMPLIANCE is configured`);
  return problems.length > 0 ? { name, status: 'failed', detail: problems.join('; ') } : { name, status: 'ok', detail: `${r.mode} until ${until}` };
}

export interface RunRetention {
  /** A line saying what was checked against what, or why nothing was. */
  summary: string;
  lines: RetentionLine[];
}

/** Every named object of a run under `prefix`, read side by side a few at a time. */
export async function checkRunRetention(
  s3: S3Client,
  bucket: string,
  prefix: string,
  names: readonly string[],
  runStart: Date,
  configured?: { mode: 'GOVERNANCE' | 'COMPLIANCE'; days: number },
): Promise<RunRetention> {
  const lock = await readBucketLock(s3, bucket);
  if (lock.state === 'off') return { summary: 'Object Lock: the bucket has none, so there is no retention to check.', lines: [] };
  if (lock.state === 'unreadable') return { summary: `Object Lock retention NOT CHECKED: ${lock.detail}.`, lines: [] };
  const required: RetentionPeriod | undefined = configured ? { ...configured, source: 'archive.objectLock' } : lock.default;
  const lines: RetentionLine[] = [];
  for (let i = 0; i < names.length; i += 8) {
    const batch = names.slice(i, i + 8);
    const read = await Promise.all(batch.map((n) => readObjectRetention(s3, bucket, `${prefix}/${n}`)));
    batch.forEach((n, j) => lines.push(judgeRetention(n, read[j] as ObjectRetention, required, runStart)));
  }
  const summary = required
    ? `Object Lock retention, required ${describePeriod(required)} from the run's start:`
    : 'Object Lock retention (no period configured: neither a bucket default retention nor archive.objectLock):';
  return { summary, lines };
}

const MARK = { ok: 'ok      ', failed: 'FAILED  ', unchecked: 'UNCHECKED ', unlocked: 'UNLOCKED ' } as const;

/**
 * The retention part of `verify`'s report: the object lines (after the hash lines), the closing lines
 * (after the hash verdict), and whether retention failed the verification.
 */
export interface RetentionReport {
  lines: string[];
  closing: string[];
  failed: boolean;
}

export function retentionReport(r: RunRetention, runId: string): RetentionReport {
  const count = (status: RetentionLine['status']) => r.lines.filter((l) => l.status === status).length;
  const closing: string[] = [];
  if (count('failed') > 0) closing.push(`Run ${runId}: ${count('failed')} object(s) locked for less than configured: retention verification FAILED.`);
  if (count('unchecked') > 0) closing.push(`Retention of ${count('unchecked')} object(s) could not be checked (see above).`);
  if (count('unlocked') > 0) {
    closing.push(`${count('unlocked')} object(s) have no retention: set a default retention on the bucket, or archive.objectLock, so later runs are locked.`);
  }
  return { lines: [r.summary, ...r.lines.map((l) => `${MARK[l.status]}${l.name}: ${l.detail}`)], closing, failed: count('failed') > 0 };
}
