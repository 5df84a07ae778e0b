/**
 * S3 bucket sub-resources a compliance archive is judged by, over restXml: the bucket policy (?policy),
 * Object Lock configuration (?object-lock), Block Public Access (?publicAccessBlock), versioning
 * (?versioning), default encryption (?encryption), and an object's retention (?retention). Reads answer
 * with S3's own "not configured" errors, so the SDK raises the same exception names it does against AWS.
 */
import { ServiceError, type ApiRequest, type HttpResponse } from './http-types.js';
import type { Bucket, PublicAccessBlock, StoredObject } from './s3-store.js';
import { el, text, XML_DECLARATION } from './xml.js';

const NS = 'http://s3.amazonaws.com/doc/2006-03-01/';

export const BUCKET_CONFIG_QUERIES = {
  policy: 'BucketPolicy',
  'object-lock': 'ObjectLockConfiguration',
  publicAccessBlock: 'PublicAccessBlock',
  versioning: 'BucketVersioning',
  encryption: 'BucketEncryption',
} as const;

type Headers = Record<string, string>;

function xml(headers: Headers, body: string): HttpResponse {
  return { status: 200, headers: { ...headers, 'content-type': 'application/xml' }, body: XML_DECLARATION + body };
}

function ok(headers: Headers, status = 200): HttpResponse {
  return { status, headers, body: '' };
}

/** The text of the first <name> element, for the flat request documents these operations take. */
function field(body: string, name: string): string | undefined {
  return new RegExp(`<${name}>\\s*([^<]*?)\\s*</${name}>`).exec(body)?.[1];
}

function malformedXml(): ServiceError {
  return new ServiceError('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema', 400);
}

function bool(body: string, name: string): boolean {
  const v = field(body, name);
  if (v === undefined) return false;
  if (v !== 'true' && v !== 'false') throw malformedXml();
  return v === 'true';
}

export function getBucketPolicy(bucket: Bucket, headers: Headers): HttpResponse {
  if (bucket.policy === undefined) {
    throw new ServiceError('NoSuchBucketPolicy', 'The bucket policy does not exist', 404, { fields: { BucketName: bucket.name } });
  }
  return { status: 200, headers: { ...headers, 'content-type': 'application/json' }, body: bucket.policy };
}

export function putBucketPolicy(bucket: Bucket, req: ApiRequest, headers: Headers): HttpResponse {
  const policy = req.body.toString('utf8');
  let doc: unknown;
  try {
    doc = JSON.parse(policy);
  } catch {
    throw new ServiceError('MalformedPolicy', 'Policies must be valid JSON and the first byte must be \'{\'', 400);
  }
  const statements = (doc as { Statement?: unknown } | null)?.Statement;
  if (statements === undefined || (Array.isArray(statements) && statements.length === 0)) {
    throw new ServiceError('MalformedPolicy', 'Missing required field Statement', 400);
  }
  bucket.policy = policy;
  return ok(headers, 204);
}

export function deleteBucketPolicy(bucket: Bucket, headers: Headers): HttpResponse {
  delete bucket.policy;
  return ok(headers, 204);
}

export function getObjectLockConfiguration(bucket: Bucket, headers: Headers): HttpResponse {
  if (!bucket.objectLockEnabled) {
    throw new ServiceError('ObjectLockConfigurationNotFoundError', 'Object Lock configuration does not exist for this bucket', 404, { fields: { BucketName: bucket.name } });
  }
  const r = bucket.defaultRetention;
  const rule = r ? el('Rule', el('DefaultRetention', text('Mode', r.mode), text('Days', r.days), text('Years', r.years))) : '';
  return xml(headers, `<ObjectLockConfiguration xmlns="${NS}">${text('ObjectLockEnabled', 'Enabled')}${rule}</ObjectLockConfiguration>`);
}

export function putObjectLockConfiguration(bucket: Bucket, req: ApiRequest, headers: Headers): HttpResponse {
  const body = req.body.toString('utf8');
  if (field(body, 'ObjectLockEnabled') !== 'Enabled') throw malformedXml();
  // Since November 2023 Object Lock can be turned on for an existing bucket, provided it is versioned.
  if (!bucket.objectLockEnabled && bucket.versioning !== 'Enabled') {
    throw new ServiceError('InvalidBucketState', 'Versioning must be \'Enabled\' on the bucket to apply a Object Lock configuration', 409);
  }
  const mode = field(body, 'Mode');
  const days = field(body, 'Days');
  const years = field(body, 'Years');
  if (mode === undefined && days === undefined && years === undefined) {
    delete bucket.defaultRetention;
  } else {
    if (mode !== 'GOVERNANCE' && mode !== 'COMPLIANCE') throw malformedXml();
    if ((days === undefined) === (years === undefined)) throw malformedXml();
    const n = Number(days ?? years);
    if (!Number.isInteger(n) || n <= 0) throw new ServiceError('InvalidArgument', 'Default retention period must be a positive integer value', 400);
    bucket.defaultRetention = { mode, ...(days !== undefined ? { days: n } : { years: n }) };
  }
  bucket.objectLockEnabled = true;
  return ok(headers);
}

const BPA_FIELDS = ['BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets'] as const;

export function getPublicAccessBlock(bucket: Bucket, headers: Headers): HttpResponse {
  const b = bucket.publicAccessBlock;
  if (!b) {
    throw new ServiceError('NoSuchPublicAccessBlockConfiguration', 'The public access block configuration was not found', 404, { fields: { BucketName: bucket.name } });
  }
  return xml(headers, `<PublicAccessBlockConfiguration xmlns="${NS}">${BPA_FIELDS.map((f) => text(f, b[f])).join('')}</PublicAccessBlockConfiguration>`);
}

export function putPublicAccessBlock(bucket: Bucket, req: ApiRequest, headers: Headers): HttpResponse {
  const body = req.body.toString('utf8');
  if (!body.includes('PublicAccessBlockConfiguration')) throw malformedXml();
  const config = Object.fromEntries(BPA_FIELDS.map((f) => [f, bool(body, f)])) as unknown as PublicAccessBlock;
  bucket.publicAccessBlock = config;
  return ok(headers);
}

export function deletePublicAccessBlock(bucket: Bucket, headers: Headers): HttpResponse {
  delete bucket.publicAccessBlock;
  return ok(headers, 204);
}

export function getBucketVersioning(bucket: Bucket, headers: Headers): HttpResponse {
  return xml(headers, `<VersioningConfiguration xmlns="${NS}">${text('Status', bucket.versioning)}</VersioningConfiguration>`);
}

export function putBucketVersioning(bucket: Bucket, req: ApiRequest, headers: Headers): HttpResponse {
  const status = field(req.body.toString('utf8'), 'Status');
  if (status !== 'Enabled' && status !== 'Suspended') throw malformedXml();
  if (status === 'Suspended' && bucket.objectLockEnabled) {
    throw new ServiceError('InvalidBucketState', 'An Object Lock configuration is present on this bucket, so the versioning state cannot be changed.', 409);
  }
  bucket.versioning = status;
  return ok(headers);
}

export function getBucketEncryption(bucket: Bucket, headers: Headers): HttpResponse {
  const e = bucket.encryption;
  const rule = el(
    'Rule',
    el('ApplyServerSideEncryptionByDefault', text('SSEAlgorithm', e.algorithm), text('KMSMasterKeyID', e.kmsKeyId)),
    text('BucketKeyEnabled', e.bucketKeyEnabled ?? false),
  );
  return xml(headers, `<ServerSideEncryptionConfiguration xmlns="${NS}">${rule}</ServerSideEncryptionConfiguration>`);
}

export function putBucketEncryption(bucket: Bucket, req: ApiRequest, headers: Headers): HttpResponse {
  const body = req.body.toString('utf8');
  const algorithm = field(body, 'SSEAlgorithm');
  if (algorithm !== 'AES256' && algorithm !== 'aws:kms' && algorithm !== 'aws:kms:dsse') throw malformedXml();
  const kmsKeyId = field(body, 'KMSMasterKeyID');
  if (kmsKeyId !== undefined && algorithm === 'AES256') {
    throw new ServiceError('InvalidArgument', 'a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse', 400);
  }
  bucket.encryption = { algorithm, ...(kmsKeyId ? { kmsKeyId } : {}), ...(bool(body, 'BucketKeyEnabled') ? { bucketKeyEnabled: true } : {}) };
  return ok(headers);
}

export function getObjectRetention(bucket: Bucket, o: StoredObject, headers: Headers): HttpResponse {
  if (!bucket.objectLockEnabled) throw new ServiceError('InvalidRequest', 'Bucket is missing Object Lock Configuration', 400);
  if (!o.objectLockMode || !o.objectLockRetainUntil) {
    throw new ServiceError('NoSuchObjectLockConfiguration', 'The specified object does not have a ObjectLock configuration', 404);
  }
  return xml(headers, `<Retention xmlns="${NS}">${text('Mode', o.objectLockMode)}${text('RetainUntilDate', new Date(o.objectLockRetainUntil).toISOString())}</Retention>`);
}

/** The retention Object Lock's default rule gives an object written at `at` without its own. */
export function defaultRetentionFor(bucket: Bucket, at: Date): { mode: string; retainUntil: string } | undefined {
  const r = bucket.defaultRetention;
  if (!bucket.objectLockEnabled || !r) return undefined;
  const until = new Date(at);
  if (r.years !== undefined) until.setUTCFullYear(until.getUTCFullYear() + r.years);
  else until.setUTCDate(until.getUTCDate() + (r.days ?? 0));
  return { mode: r.mode, retainUntil: until.toISOString() };
}
