/**
 * How the archive bucket is protected, for `check`: Object Lock (or at least versioning), Block Public
 * Access, default encryption, and what the bucket policy denies. Reads only — five Get calls on the
 * bucket — and each read that is refused is said as such, with the permission that would show it.
 * Reading (I/O) and judging (pure) are apart, so the judgement is tested on plain values.
 */
import {
  GetBucketEncryptionCommand,
  GetBucketPolicyCommand,
  GetBucketVersioningCommand,
  GetObjectLockConfigurationCommand,
  GetPublicAccessBlockCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { judgeArchivePolicy, PolicyTextError } from './archive-policy.js';

export type Read<T> = { state: 'ok'; value: T } | { state: 'absent' } | { state: 'denied'; code: string } | { state: 'error'; detail: string };

export interface LockSettings {
  mode?: 'GOVERNANCE' | 'COMPLIANCE';
  days?: number;
  years?: number;
}

export interface PublicAccessSettings {
  BlockPublicAcls?: boolean;
  IgnorePublicAcls?: boolean;
  BlockPublicPolicy?: boolean;
  RestrictPublicBuckets?: boolean;
}

export interface ArchiveProtectionReads {
  /** Object Lock enabled, with its default retention if one is set. */
  objectLock: Read<LockSettings>;
  versioning: Read<'Enabled' | 'Suspended' | 'Never'>;
  publicAccessBlock: Read<PublicAccessSettings>;
  encryption: Read<{ algorithm: string; kmsKeyId?: string }>;
  policy: Read<string>;
}

export interface ProtectionItem {
  check: string;
  status: 'ok' | 'warn' | 'fail';
  detail: string;
}

export interface ArchiveProtectionSettings {
  bucket: string;
  prefix: string;
  kmsKeyId?: string;
  objectLock?: { mode: 'GOVERNANCE' | 'COMPLIANCE'; days: number };
}

/** The identity the job runs as, and its organization when known. */
export interface ArchiveCaller {
  principalArn: string;
  accountId: string;
  organizationId?: string;
}

const NOT_CONFIGURED = new Set([
  'NoSuchBucketPolicy',
  'ObjectLockConfigurationNotFoundError',
  'NoSuchPublicAccessBlockConfiguration',
  'ServerSideEncryptionConfigurationNotFoundError',
]);

async function read<T>(call: () => Promise<T | undefined>): Promise<Read<T>> {
  try {
    const value = await call();
    return value === undefined ? { state: 'absent' } : { state: 'ok', value };
  } catch (e) {
    const err = e as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
    const code = err?.name ?? 'Error';
    if (NOT_CONFIGURED.has(code)) return { state: 'absent' };
    if (code === 'AccessDenied' || err?.$metadata?.httpStatusCode === 403) return { state: 'denied', code };
    return { state: 'error', detail: `${code}: ${err?.message ?? String(e)}` };
  }
}

export async function readArchiveProtection(s3: S3Client, bucket: string): Promise<ArchiveProtectionReads> {
  const [objectLock, versioning, publicAccessBlock, encryption, policy] = await Promise.all([
    read(async () => {
      const c = (await s3.send(new GetObjectLockConfigurationCommand({ Bucket: bucket }))).ObjectLockConfiguration;
      if (c?.ObjectLockEnabled !== 'Enabled') return undefined;
      const r = c.Rule?.DefaultRetention;
      return { ...(r?.Mode ? { mode: r.Mode } : {}), ...(r?.Days ? { days: r.Days } : {}), ...(r?.Years ? { years: r.Years } : {}) };
    }),
    read(async () => (await s3.send(new GetBucketVersioningCommand({ Bucket: bucket }))).Status ?? 'Never'),
    read(async () => (await s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket }))).PublicAccessBlockConfiguration),
    read(async () => {
      const rule = (await s3.send(new GetBucketEncryptionCommand({ Bucket: bucket }))).ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault;
      return rule?.SSEAlgorithm ? { algorithm: rule.SSEAlgorithm, ...(rule.KMSMasterKeyID ? { kmsKeyId: rule.KMSMasterKeyID } : {}) } : undefined;
    }),
    read(async () => (await s3.send(new GetBucketPolicyCommand({ Bucket: bucket }))).Policy),
  ]);
  return { objectLock, versioning, publicAccessBlock, encryption, policy };
}

function cannotRead(what: string, r: { state: 'denied'; code: string } | { state: 'error'; detail: string }, permission: string): string {
  return r.state === 'denied'
    ? `Cannot read ${what}: ${permission} was denied (${r.code}); grant it to the job's role to see this.`
    : `Cannot read ${what}: ${r.detail}.`;
}

function period(l: LockSettings): string {
  return l.years !== undefined ? `${l.years} year(s)` : `${l.days ?? 0} day(s)`;
}

function periodDays(l: LockSettings): number {
  return l.years !== undefined ? l.years * 365 : (l.days ?? 0);
}

const ENABLE_LOCK =
  'turn on Object Lock (versioning Enabled, then PutObjectLockConfiguration with ObjectLockEnabled=Enabled and a DefaultRetention: Mode COMPLIANCE or GOVERNANCE, Days = the audit period)';

function judgeLock(r: ArchiveProtectionReads, s: ArchiveProtectionSettings): ProtectionItem {
  const item = (status: ProtectionItem['status'], detail: string): ProtectionItem => ({ check: 'archive-lock', status, detail });
  const lock = r.objectLock;
  const job = s.objectLock;
  if (lock.state === 'ok') {
    const d = lock.value;
    if (d.mode === undefined) {
      return job
        ? item('ok', `Object Lock on, no default retention; the job locks each object it writes ${job.mode} for ${job.days} day(s) (archive.objectLock). Objects written any other way get none: set a default retention too.`)
        : item('warn', `Object Lock is on but nothing gets a retention: archived runs can still be deleted. Set a default retention (PutObjectLockConfiguration Rule.DefaultRetention, Mode COMPLIANCE, Days = the audit period) or archive.objectLock.`);
    }
    const bucketRule = `Object Lock on, default retention ${d.mode} for ${period(d)}`;
    if (job && d.mode === 'COMPLIANCE' && job.mode === 'GOVERNANCE') {
      return item('warn', `${bucketRule}, but archive.objectLock.mode GOVERNANCE overrides it on every object the job writes with a mode that can be lifted: set archive.objectLock.mode to COMPLIANCE, or remove archive.objectLock.`);
    }
    if (job && job.days < periodDays(d)) {
      return item('warn', `${bucketRule}, but archive.objectLock.days ${job.days} shortens it on every object the job writes: set archive.objectLock.days to at least ${periodDays(d)}, or remove archive.objectLock.`);
    }
    const effective = job ? `; the job locks each object ${job.mode} for ${job.days} day(s)` : '';
    const governance =
      (job?.mode ?? d.mode) === 'GOVERNANCE' ? ' GOVERNANCE mode can be lifted by a principal allowed s3:BypassGovernanceRetention: deny it in the bucket policy, or use COMPLIANCE.' : '';
    return item('ok', `${bucketRule}${effective}.${governance}`);
  }
  if (lock.state === 'absent' && job) {
    return item('fail', `archive.objectLock is set but the bucket has no Object Lock: S3 refuses every archive write with a retention. Either ${ENABLE_LOCK}, or remove archive.objectLock.`);
  }
  const lockText = lock.state === 'absent' ? 'No Object Lock.' : cannotRead('the Object Lock configuration', lock, 's3:GetBucketObjectLockConfiguration');
  const v = r.versioning;
  const versionText =
    v.state === 'ok'
      ? v.value === 'Enabled'
        ? 'Versioning is Enabled, so an overwritten or deleted object keeps its earlier version — but anyone allowed s3:DeleteObjectVersion can remove those'
        : 'Versioning is off, so a deleted or overwritten object is gone for good'
      : v.state === 'denied'
        ? `Versioning unknown (s3:GetBucketVersioning denied, ${v.code})`
        : v.state === 'error'
          ? `Versioning unknown (${v.detail})`
          : 'Versioning unknown';
  const fix = lock.state === 'absent' ? ` To keep archived runs for the audit period, ${ENABLE_LOCK}.` : '';
  return item('warn', `${lockText} ${versionText}.${fix}`);
}

const BPA_FIELDS = ['BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets'] as const;

function judgePublicAccess(r: ArchiveProtectionReads): ProtectionItem {
  const item = (status: ProtectionItem['status'], detail: string): ProtectionItem => ({ check: 'archive-public', status, detail });
  const b = r.publicAccessBlock;
  if (b.state === 'denied' || b.state === 'error') return item('warn', cannotRead('Block Public Access', b, 's3:GetBucketPublicAccessBlock'));
  if (b.state === 'absent') {
    return item('warn', 'No Block Public Access on the bucket (the account-wide setting is not read here): set all four (BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets) to true with PutPublicAccessBlock.');
  }
  const off = BPA_FIELDS.filter((f) => b.value[f] !== true);
  return off.length === 0
    ? item('ok', 'Block Public Access: all four settings on.')
    : item('warn', `Block Public Access is off for ${off.join(', ')}: set ${off.length === 1 ? 'it' : 'them'} to true with PutPublicAccessBlock.`);
}

/** Key ids compare by what they name: an ARN and the bare key id (or alias) it ends with are the same key. */
function sameKey(a: string, b: string): boolean {
  const tail = (k: string) => k.replace(/^arn:[^:]+:kms:[^:]*:\d*:/, '').replace(/^key\//, '');
  return a === b || tail(a) === tail(b);
}

function judgeEncryption(r: ArchiveProtectionReads, s: ArchiveProtectionSettings): ProtectionItem {
  const item = (status: ProtectionItem['status'], detail: string): ProtectionItem => ({ check: 'archive-sse', status, detail });
  const e = r.encryption;
  if (e.state === 'denied' || e.state === 'error') return item('warn', cannotRead('the default encryption', e, 's3:GetEncryptionConfiguration'));
  if (e.state === 'absent') return item('warn', 'No default encryption on the bucket: set SSE-KMS (PutBucketEncryption with SSEAlgorithm aws:kms and the archive key).');
  const { algorithm, kmsKeyId } = e.value;
  const kms = algorithm.startsWith('aws:kms');
  if (s.kmsKeyId) {
    if (kms && kmsKeyId && !sameKey(kmsKeyId, s.kmsKeyId)) {
      return item('warn', `Default encryption uses key ${kmsKeyId} but archive.kmsKeyId is ${s.kmsKeyId}: make them one key, so one key policy decides who can read the archive.`);
    }
    return kms
      ? item('ok', `Default encryption SSE-KMS (${kmsKeyId ?? 'the AWS managed key'}); the job writes with archive.kmsKeyId ${s.kmsKeyId}.`)
      : item('warn', `The job writes SSE-KMS with ${s.kmsKeyId}, but the bucket default is ${algorithm}: objects written any other way skip the key policy. Set the default to aws:kms with the same key.`);
  }
  return kms
    ? item('ok', `Default encryption SSE-KMS (${kmsKeyId ?? 'the AWS managed key'}).`)
    : item('warn', `Default encryption is ${algorithm === 'AES256' ? 'SSE-S3' : algorithm} only: anyone allowed s3:GetObject reads the reports. SSE-KMS adds the key policy as a second gate: set archive.kmsKeyId and the bucket default (PutBucketEncryption, aws:kms) to the archive key.`);
}

function callerName(arn: string): string {
  return /:(role|user)\/(?:.*\/)?([^/]+)$/.exec(arn)?.[2] ?? arn;
}

function judgePolicy(r: ArchiveProtectionReads, s: ArchiveProtectionSettings, caller: ArchiveCaller): ProtectionItem {
  const item = (status: ProtectionItem['status'], detail: string): ProtectionItem => ({ check: 'archive-policy', status, detail });
  const p = r.policy;
  if (p.state === 'denied' || p.state === 'error') return item('warn', `${cannotRead('the bucket policy', p, 's3:GetBucketPolicy')} Whether it denies deletes and overwrites is unknown.`);
  if (p.state === 'absent') {
    return item('warn', 'No bucket policy: deletes and overwrites are held back only by IAM policies, which anyone with IAM rights can widen. Apply docs/iam/archive-bucket-policy.json.');
  }
  let facts;
  try {
    facts = judgeArchivePolicy(p.value, {
      bucket: s.bucket,
      prefix: s.prefix,
      caller: { principalArn: caller.principalArn, accountId: caller.accountId },
      ...(caller.organizationId ? { organizationId: caller.organizationId } : {}),
      ...(s.kmsKeyId ? { kmsKeyId: s.kmsKeyId } : {}),
    });
  } catch (e) {
    if (e instanceof PolicyTextError) return item('warn', `The bucket policy could not be read: ${e.message}.`);
    throw e;
  }
  const who = callerName(caller.principalArn);
  const notEvaluated = facts.unevaluated.length > 0 ? ` Not evaluated (conditions this check does not read): ${facts.unevaluated.join(', ')}.` : '';
  if (facts.deniesOwnWrite) {
    return item('fail', `Statement ${facts.deniesOwnWrite} of the bucket policy refuses the job's own archive write (PutObject with If-None-Match over TLS${s.kmsKeyId ? `, SSE-KMS ${s.kmsKeyId}` : ''}, as ${who}): runs would not be archived.`);
  }
  const holds: string[] = [];
  const missing: string[] = [];
  (facts.overwritesDenied ? holds : missing).push(
    facts.overwritesDenied ? 'overwrites (writes without If-None-Match)' : 'writes without If-None-Match are not denied (Deny s3:PutObject with Null {"s3:if-none-match": "true"})',
  );
  (facts.deletesDenied ? holds : missing).push(facts.deletesDenied ? `deletes by ${who}` : `deletes by ${who} are not denied (Deny s3:DeleteObject and s3:DeleteObjectVersion)`);
  (facts.tlsOnly ? holds : missing).push(facts.tlsOnly ? 'requests without TLS' : 'requests without TLS are not denied (Deny with Bool {"aws:SecureTransport": "false"})');
  if (facts.kmsKeyRequired !== undefined) {
    (facts.kmsKeyRequired ? holds : missing).push(facts.kmsKeyRequired ? 'writes without the archive key' : `writes without SSE-KMS key ${s.kmsKeyId} are not denied`);
  }
  (facts.outsideOrganizationDenied ? holds : missing).push(
    facts.outsideOrganizationDenied ? 'principals outside the organization' : 'principals outside the organization are not denied (Deny with StringNotEqualsIfExists aws:PrincipalOrgID)',
  );
  const denied = holds.length > 0 ? `The bucket policy denies ${holds.join(', ')}.` : '';
  return missing.length === 0
    ? item('ok', `${denied}${notEvaluated}`)
    : item('warn', `${denied ? `${denied} But ` : 'In the bucket policy, '}${missing.join('; ')}. See docs/iam/archive-bucket-policy.json.${notEvaluated}`);
}

export function judgeArchiveProtection(reads: ArchiveProtectionReads, settings: ArchiveProtectionSettings, caller: ArchiveCaller): ProtectionItem[] {
  return [judgeLock(reads, settings), judgePublicAccess(reads), judgeEncryption(reads, settings), judgePolicy(reads, settings, caller)];
}

/** The role an assumed-role session belongs to (policies name roles, not sessions); other ARNs as they are. */
export function principalOfCaller(arn: string): string {
  const m = /^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)\/[^/]+$/.exec(arn);
  return m ? `arn:${m[1]}:iam::${m[2]}:role/${m[3]}` : arn;
}
