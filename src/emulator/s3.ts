/**
 * S3 over restXml, path-style (/bucket/key): CreateBucket, HeadBucket, ListBuckets, PutObject (with
 * If-None-Match/If-Match, metadata, SSE and the bucket's default encryption, Object Lock and its default
 * retention, CRC32/MD5/SHA checks, aws-chunked bodies), GetObject (with Range), HeadObject, DeleteObject,
 * ListObjectsV2, and the bucket settings an archive is judged by (s3-bucket-config.ts). Buckets belong to
 * one account.
 */
import { createHash } from 'node:crypto';
import { decodeAwsChunked } from './aws-chunked.js';
import { crc32Base64 } from './crc32.js';
import { ServiceError, header, type ApiRequest, type HttpResponse } from './http-types.js';
import type { Bucket, StoredObject } from './s3-store.js';
import {
  BUCKET_CONFIG_QUERIES,
  defaultRetentionFor,
  deleteBucketPolicy,
  deletePublicAccessBlock,
  getBucketEncryption,
  getBucketPolicy,
  getBucketVersioning,
  getObjectLockConfiguration,
  getObjectRetention,
  getPublicAccessBlock,
  putBucketEncryption,
  putBucketPolicy,
  putBucketVersioning,
  putObjectLockConfiguration,
  putPublicAccessBlock,
} from './s3-bucket-config.js';
import { deniedBy, explicitDeny, policyRequest } from './s3-bucket-policy.js';
import { accessDenied } from './service-errors.js';
import type { EmulatorState, RawRequest, ServiceModule } from './state.js';
import { restXmlError } from './wire.js';
import { el, escapeXml, text, XML_DECLARATION } from './xml.js';

const NS = 'http://s3.amazonaws.com/doc/2006-03-01/';
const BUCKET_NAME = /^(?!xn--)(?!.*\.\.)(?!\d+\.\d+\.\d+\.\d+$)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

interface Target {
  bucket?: string;
  key?: string;
}

function target(raw: RawRequest): Target {
  const host = (header(raw.headers, 'host') ?? '').split(':')[0] ?? '';
  const path = raw.url.pathname;
  // Virtual-hosted style works for *.localhost names; path style is the norm against an emulator.
  // s3.<region>.localhost is a region's endpoint addressed path style; <bucket>.s3.<region>.localhost virtual-hosted.
  const name = host.endsWith('.localhost') ? host.slice(0, -'.localhost'.length) : undefined;
  const regional = name === undefined ? null : /^(?:(.+)\.)?s3[.-][a-z]{2}(?:-[a-z]+)+-\d$/.exec(name);
  const hosted = regional ? regional[1] : name;
  if (hosted !== undefined) {
    const key = path.length > 1 ? decodeURIComponent(path.slice(1)) : undefined;
    return key === undefined ? { bucket: hosted } : { bucket: hosted, key };
  }
  const m = /^\/([^/]+)(?:\/(.*))?$/.exec(path);
  if (!m?.[1]) return {};
  const bucket = decodeURIComponent(m[1]);
  return m[2] === undefined || m[2] === '' ? { bucket } : { bucket, key: decodeURIComponent(m[2]) };
}

function operation(raw: RawRequest): string {
  const t = target(raw);
  const q = raw.url.searchParams;
  if (!t.bucket) return raw.method === 'GET' ? 'ListBuckets' : 'Unknown';
  if (t.key === undefined) {
    const sub = Object.entries(BUCKET_CONFIG_QUERIES).find(([query]) => q.has(query))?.[1];
    if (sub !== undefined && (raw.method === 'GET' || raw.method === 'PUT' || raw.method === 'DELETE')) {
      return `${raw.method === 'GET' ? 'Get' : raw.method === 'PUT' ? 'Put' : 'Delete'}${sub}`;
    }
    switch (raw.method) {
      case 'PUT':
        return 'CreateBucket';
      case 'HEAD':
        return 'HeadBucket';
      case 'GET':
        return q.get('list-type') === '2' ? 'ListObjectsV2' : q.has('location') ? 'GetBucketLocation' : 'ListObjects';
      default:
        return 'Unknown';
    }
  }
  switch (raw.method) {
    case 'PUT':
      return header(raw.headers, 'x-amz-copy-source') ? 'CopyObject' : 'PutObject';
    case 'GET':
      return q.has('retention') ? 'GetObjectRetention' : 'GetObject';
    case 'HEAD':
      return 'HeadObject';
    case 'DELETE':
      return 'DeleteObject';
    default:
      return 'Unknown';
  }
}

function noSuchBucket(name: string): ServiceError {
  return new ServiceError('NoSuchBucket', 'The specified bucket does not exist', 404, { fields: { BucketName: name } });
}

function noSuchKey(key: string): ServiceError {
  return new ServiceError('NoSuchKey', 'The specified key does not exist.', 404, { fields: { Key: key } });
}

function ownedBucket(req: ApiRequest, state: EmulatorState, name: string): Bucket {
  const b = state.s3.buckets.get(name);
  if (!b) throw noSuchBucket(name);
  if (b.ownerAccountId !== req.principal.accountId) throw accessDenied('s3', req.principal.arn, 's3:*');
  return b;
}

function baseHeaders(req: ApiRequest): Record<string, string> {
  return { 'x-amz-request-id': req.requestId, 'x-amz-id-2': hostId(req.requestId) };
}

function hostId(requestId: string): string {
  return Buffer.from(`emulator/${requestId}`).toString('base64');
}

function xmlResponse(req: ApiRequest, body: string): HttpResponse {
  return { status: 200, headers: { ...baseHeaders(req), 'content-type': 'application/xml' }, body: XML_DECLARATION + body };
}

function createBucket(req: ApiRequest, state: EmulatorState, name: string): HttpResponse {
  if (!BUCKET_NAME.test(name)) throw new ServiceError('InvalidBucketName', 'The specified bucket is not valid.', 400, { fields: { BucketName: name } });
  const existing = state.s3.buckets.get(name);
  if (existing) {
    if (existing.ownerAccountId === req.principal.accountId) {
      throw new ServiceError('BucketAlreadyOwnedByYou', 'Your previous request to create the named bucket succeeded and you already own it.', 409, { fields: { BucketName: name } });
    }
    throw new ServiceError('BucketAlreadyExists', 'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.', 409, { fields: { BucketName: name } });
  }
  const location = /<LocationConstraint>([^<]*)<\/LocationConstraint>/.exec(req.body.toString('utf8'))?.[1];
  const lock = (header(req.headers, 'x-amz-bucket-object-lock-enabled') ?? '').toLowerCase() === 'true';
  state.s3.create(name, req.principal.accountId, location || 'us-east-1', lock, state.clock());
  return { status: 200, headers: { ...baseHeaders(req), location: `/${name}` }, body: '' };
}

function headBucket(req: ApiRequest, state: EmulatorState, name: string): HttpResponse {
  const b = ownedBucket(req, state, name);
  return { status: 200, headers: { ...baseHeaders(req), 'x-amz-bucket-region': b.region, 'x-amz-access-point-alias': 'false' }, body: '' };
}

function listBuckets(req: ApiRequest, state: EmulatorState): HttpResponse {
  const mine = [...state.s3.buckets.values()].filter((b) => b.ownerAccountId === req.principal.accountId).sort((a, b) => a.name.localeCompare(b.name));
  const buckets = mine.map((b) => el('Bucket', text('Name', b.name), text('CreationDate', b.createdAt.toISOString()), text('BucketRegion', b.region))).join('');
  return xmlResponse(
    req,
    `<ListAllMyBucketsResult xmlns="${NS}">` +
      el('Owner', text('ID', canonicalId(req.principal.accountId)), text('DisplayName', `account-${req.principal.accountId}`)) +
      el('Buckets', buckets) +
      `</ListAllMyBucketsResult>`,
  );
}

function canonicalId(accountId: string): string {
  return createHash('sha256').update(`canonical:${accountId}`).digest('hex');
}

function badDigest(algorithm: string): ServiceError {
  return new ServiceError('BadDigest', `The ${algorithm} you specified did not match the calculated checksum.`, 400);
}

/** Checks every checksum the client sent, in headers or aws-chunked trailers, against the body. */
function verifyChecksums(body: Buffer, sent: Record<string, string | undefined>): 'CRC32' | undefined {
  const md5 = sent['content-md5'];
  if (md5 !== undefined && createHash('md5').update(body).digest('base64') !== md5) {
    throw new ServiceError('BadDigest', 'The Content-MD5 you specified did not match what we received.', 400);
  }
  const crc = sent['x-amz-checksum-crc32'];
  if (crc !== undefined && crc32Base64(body) !== crc) throw badDigest('CRC32');
  const sha256 = sent['x-amz-checksum-sha256'];
  if (sha256 !== undefined && createHash('sha256').update(body).digest('base64') !== sha256) throw badDigest('SHA256');
  const sha1 = sent['x-amz-checksum-sha1'];
  if (sha1 !== undefined && createHash('sha1').update(body).digest('base64') !== sha1) throw badDigest('SHA1');
  return crc !== undefined ? 'CRC32' : undefined;
}

function putObject(req: ApiRequest, state: EmulatorState, bucketName: string, key: string): HttpResponse {
  const bucket = ownedBucket(req, state, bucketName);
  const h = (name: string) => header(req.headers, name);
  const encoding = (h('content-encoding') ?? '').split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  const chunked = encoding.includes('aws-chunked') || (h('x-amz-content-sha256') ?? '').startsWith('STREAMING-');
  let body = req.body;
  const sent: Record<string, string | undefined> = {
    'content-md5': h('content-md5'),
    'x-amz-checksum-crc32': h('x-amz-checksum-crc32'),
    'x-amz-checksum-sha256': h('x-amz-checksum-sha256'),
    'x-amz-checksum-sha1': h('x-amz-checksum-sha1'),
  };
  if (chunked) {
    try {
      const decoded = decodeAwsChunked(req.body);
      body = decoded.body;
      for (const [k, v] of Object.entries(decoded.trailers)) if (k.startsWith('x-amz-checksum-')) sent[k] = v;
    } catch (e) {
      throw new ServiceError('IncompleteBody', `You did not provide the number of bytes specified by the Content-Length HTTP header: ${String(e)}`, 400);
    }
    const declared = h('x-amz-decoded-content-length');
    if (declared !== undefined && Number(declared) !== body.length) {
      throw new ServiceError('IncompleteBody', 'You did not provide the number of bytes specified by the Content-Length HTTP header', 400);
    }
  }
  const existing = bucket.objects.get(key);
  const ifNoneMatch = h('if-none-match');
  if (ifNoneMatch !== undefined && ifNoneMatch.trim() === '*' && existing) {
    throw new ServiceError('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', 412, { fields: { Condition: 'If-None-Match' } });
  }
  const ifMatch = h('if-match');
  if (ifMatch !== undefined) {
    if (!existing) throw noSuchKey(key);
    if (ifMatch.trim() !== existing.etag && ifMatch.trim() !== '*') {
      throw new ServiceError('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', 412, { fields: { Condition: 'If-Match' } });
    }
  }
  const lockMode = h('x-amz-object-lock-mode');
  const retainUntil = h('x-amz-object-lock-retain-until-date');
  if (lockMode !== undefined || retainUntil !== undefined) {
    if (!bucket.objectLockEnabled) throw new ServiceError('InvalidRequest', 'Bucket is missing Object Lock Configuration', 400);
    if (lockMode === undefined || retainUntil === undefined) {
      throw new ServiceError('InvalidArgument', 'x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied', 400);
    }
    if (lockMode !== 'GOVERNANCE' && lockMode !== 'COMPLIANCE') throw new ServiceError('InvalidArgument', 'Unknown wormMode directive.', 400);
    if (!Object.values(sent).some((v) => v !== undefined)) {
      throw new ServiceError('InvalidRequest', 'Content-MD5 OR x-amz-checksum- HTTP header is required for Put Object requests with Object Lock parameters', 400);
    }
  }
  const algorithm = verifyChecksums(body, sent);
  const metadata: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (k.startsWith('x-amz-meta-') && v !== undefined) metadata[k.slice('x-amz-meta-'.length)] = Array.isArray(v) ? v.join(',') : v;
  }
  // Without its own, an object takes the bucket's default encryption.
  const sentSse = h('x-amz-server-side-encryption');
  const sse = sentSse ?? bucket.encryption.algorithm;
  if (sse !== 'AES256' && sse !== 'aws:kms' && sse !== 'aws:kms:dsse') {
    throw new ServiceError('InvalidArgument', 'The encryption method specified is not supported', 400);
  }
  const sentKey = sentSse !== undefined ? h('x-amz-server-side-encryption-aws-kms-key-id') : bucket.encryption.kmsKeyId;
  const kmsKeyId = sse.startsWith('aws:kms') ? (sentKey ?? `arn:aws:kms:${bucket.region}:${bucket.ownerAccountId}:alias/aws/s3`) : undefined;
  const retention = lockMode !== undefined && retainUntil !== undefined ? { mode: lockMode, retainUntil } : defaultRetentionFor(bucket, state.clock());
  const contentEncoding = encoding.filter((e) => e !== 'aws-chunked').join(',');
  const obj: StoredObject = {
    body,
    contentType: h('content-type') ?? 'binary/octet-stream',
    metadata,
    etag: `"${createHash('md5').update(body).digest('hex')}"`,
    lastModified: new Date(Math.floor(state.clock().getTime() / 1000) * 1000),
    crc32: crc32Base64(body),
    serverSideEncryption: sse,
    ...(contentEncoding ? { contentEncoding } : {}),
    ...(algorithm ? { checksumAlgorithm: algorithm } : {}),
    ...(kmsKeyId ? { kmsKeyId } : {}),
    ...(retention ? { objectLockMode: retention.mode, objectLockRetainUntil: retention.retainUntil } : {}),
    ...(bucket.objectLockEnabled ? { versionId: createHash('sha1').update(`${key}:${req.requestId}`).digest('base64url').slice(0, 32) } : {}),
  };
  bucket.objects.set(key, obj);
  const headers: Record<string, string> = { ...baseHeaders(req), etag: obj.etag, 'x-amz-server-side-encryption': sse };
  if (obj.kmsKeyId) headers['x-amz-server-side-encryption-aws-kms-key-id'] = obj.kmsKeyId;
  if (algorithm) {
    headers['x-amz-checksum-crc32'] = obj.crc32;
    headers['x-amz-checksum-type'] = 'FULL_OBJECT';
  }
  if (obj.versionId) headers['x-amz-version-id'] = obj.versionId;
  return { status: 200, headers, body: '' };
}

function objectHeaders(req: ApiRequest, o: StoredObject, withChecksum: boolean): Record<string, string> {
  const headers: Record<string, string> = {
    ...baseHeaders(req),
    'content-type': o.contentType,
    'content-length': String(o.body.length),
    etag: o.etag,
    'last-modified': o.lastModified.toUTCString(),
    'accept-ranges': 'bytes',
    'x-amz-server-side-encryption': o.serverSideEncryption,
  };
  if (o.contentEncoding) headers['content-encoding'] = o.contentEncoding;
  if (o.kmsKeyId) headers['x-amz-server-side-encryption-aws-kms-key-id'] = o.kmsKeyId;
  for (const [k, v] of Object.entries(o.metadata)) headers[`x-amz-meta-${k}`] = v;
  if (o.objectLockMode) headers['x-amz-object-lock-mode'] = o.objectLockMode;
  if (o.objectLockRetainUntil) headers['x-amz-object-lock-retain-until-date'] = o.objectLockRetainUntil;
  if (o.versionId) headers['x-amz-version-id'] = o.versionId;
  if (withChecksum && o.checksumAlgorithm && (header(req.headers, 'x-amz-checksum-mode') ?? '').toUpperCase() === 'ENABLED') {
    headers['x-amz-checksum-crc32'] = o.crc32;
    headers['x-amz-checksum-type'] = 'FULL_OBJECT';
  }
  return headers;
}

function notModified(req: ApiRequest, o: StoredObject): boolean {
  const inm = header(req.headers, 'if-none-match');
  return inm !== undefined && (inm.trim() === o.etag || inm.trim() === '*');
}

function getObject(req: ApiRequest, state: EmulatorState, bucketName: string, key: string, head: boolean): HttpResponse {
  const bucket = ownedBucket(req, state, bucketName);
  const o = bucket.objects.get(key);
  if (!o) throw noSuchKey(key);
  // S3 decrypts SSE-KMS objects with the caller's own kms:Decrypt permission, and says so when it is missing.
  if (o.kmsKeyId && !head && state.faults.deniesDecrypt(o.kmsKeyId)) {
    throw new ServiceError(
      'AccessDenied',
      `User: ${req.principal.arn} is not authorized to perform: kms:Decrypt on resource: ${o.kmsKeyId} because no identity-based policy allows the kms:Decrypt action`,
      403,
    );
  }
  if (notModified(req, o)) return { status: 304, headers: { ...baseHeaders(req), etag: o.etag }, body: '' };
  const range = header(req.headers, 'range');
  const m = range === undefined ? null : /^bytes=(\d*)-(\d*)$/.exec(range.trim());
  if (m && !head) {
    const size = o.body.length;
    const startRaw = m[1] ?? '';
    const endRaw = m[2] ?? '';
    const start = startRaw === '' ? Math.max(0, size - Number(endRaw)) : Number(startRaw);
    const end = startRaw === '' || endRaw === '' ? size - 1 : Math.min(Number(endRaw), size - 1);
    if (start >= size || start > end) {
      throw new ServiceError('InvalidRange', 'The requested range is not satisfiable', 416, { fields: { RangeRequested: range ?? '', ActualObjectSize: String(size) } });
    }
    const part = o.body.subarray(start, end + 1);
    return {
      status: 206,
      headers: { ...objectHeaders(req, o, false), 'content-length': String(part.length), 'content-range': `bytes ${start}-${end}/${size}` },
      body: part,
    };
  }
  return { status: 200, headers: objectHeaders(req, o, true), body: head ? '' : o.body };
}

function deleteObject(req: ApiRequest, state: EmulatorState, bucketName: string, key: string): HttpResponse {
  const bucket = ownedBucket(req, state, bucketName);
  const o = bucket.objects.get(key);
  const bypass = (header(req.headers, 'x-amz-bypass-governance-retention') ?? '').toLowerCase() === 'true';
  const locked = o?.objectLockMode === 'COMPLIANCE' || (o?.objectLockMode === 'GOVERNANCE' && !bypass);
  if (locked && o?.objectLockRetainUntil && Date.parse(o.objectLockRetainUntil) > state.clock().getTime()) {
    throw new ServiceError('AccessDenied', 'Access Denied because object protected by object lock.', 403);
  }
  bucket.objects.delete(key);
  sortedKeys.delete(bucket.objects);
  return { status: 204, headers: baseHeaders(req), body: '' };
}

// A bucket's keys sorted once and reused until a key is added or deleted: a trail bucket holds hundreds of
// thousands of log files, and sorting them for every page would make listing quadratic.
const sortedKeys = new WeakMap<Bucket['objects'], string[]>();

/** Keys after `after` that start with `prefix`, in order, as a lazy sequence. */
function* keysFrom(bucket: Bucket, prefix: string, after: string): Generator<string> {
  let keys = sortedKeys.get(bucket.objects);
  if (!keys || keys.length !== bucket.objects.size) {
    keys = [...bucket.objects.keys()].sort();
    sortedKeys.set(bucket.objects, keys);
  }
  const from = after > prefix ? after : prefix;
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((keys[mid] as string) < from) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < keys.length; i++) {
    const k = keys[i] as string;
    if (!k.startsWith(prefix)) {
      if (k > prefix) return;
      continue;
    }
    if (k > after) yield k;
  }
}

function listObjectsV2(req: ApiRequest, state: EmulatorState, bucketName: string): HttpResponse {
  const bucket = ownedBucket(req, state, bucketName);
  const q = req.url.searchParams;
  const prefix = q.get('prefix') ?? '';
  const delimiter = q.get('delimiter') ?? '';
  const maxKeys = Math.min(1000, Math.max(0, Number(q.get('max-keys') ?? '1000')));
  const token = q.get('continuation-token');
  const startAfter = q.get('start-after') ?? '';
  const urlEncode = q.get('encoding-type') === 'url';
  const fetchOwner = q.get('fetch-owner') === 'true';
  let after = startAfter;
  if (token !== null) {
    try {
      after = Buffer.from(token, 'base64url').toString('utf8');
    } catch {
      throw new ServiceError('InvalidArgument', 'The continuation token provided is incorrect', 400);
    }
  }
  const enc = (s: string): string => (urlEncode ? encodeURIComponent(s).replace(/%2F/g, '/') : s);
  const keys = keysFrom(bucket, prefix, after);
  const contents: string[] = [];
  const prefixes: string[] = [];
  const seenPrefixes = new Set<string>();
  let last = '';
  let truncated = false;
  for (const k of keys) {
    let entry: { prefix: string } | { key: string };
    if (delimiter) {
      const i = k.indexOf(delimiter, prefix.length);
      entry = i >= 0 ? { prefix: k.slice(0, i + delimiter.length) } : { key: k };
    } else entry = { key: k };
    if ('prefix' in entry && seenPrefixes.has(entry.prefix)) {
      last = k;
      continue;
    }
    if (contents.length + prefixes.length >= maxKeys) {
      truncated = true;
      break;
    }
    if ('prefix' in entry) {
      seenPrefixes.add(entry.prefix);
      prefixes.push(el('CommonPrefixes', text('Prefix', enc(entry.prefix))));
    } else {
      const o = bucket.objects.get(k);
      if (!o) continue;
      contents.push(
        el(
          'Contents',
          text('Key', enc(k)),
          text('LastModified', o.lastModified.toISOString()),
          text('ETag', o.etag),
          o.checksumAlgorithm ? text('ChecksumAlgorithm', o.checksumAlgorithm) + text('ChecksumType', 'FULL_OBJECT') : '',
          text('Size', o.body.length),
          fetchOwner ? el('Owner', text('ID', canonicalId(bucket.ownerAccountId))) : '',
          text('StorageClass', 'STANDARD'),
        ),
      );
    }
    last = k;
  }
  const body =
    `<ListBucketResult xmlns="${NS}">` +
    text('Name', bucket.name) +
    text('Prefix', enc(prefix)) +
    (delimiter ? text('Delimiter', enc(delimiter)) : '') +
    text('MaxKeys', maxKeys) +
    text('KeyCount', contents.length + prefixes.length) +
    text('IsTruncated', truncated) +
    (urlEncode ? text('EncodingType', 'url') : '') +
    (token !== null ? text('ContinuationToken', token) : '') +
    (truncated ? text('NextContinuationToken', Buffer.from(last).toString('base64url')) : '') +
    (startAfter ? text('StartAfter', enc(startAfter)) : '') +
    contents.join('') +
    prefixes.join('') +
    `</ListBucketResult>`;
  return xmlResponse(req, body);
}

/**
 * A bucket answers only in its own region, in the two ways S3 refuses a request that is not:
 * - sent to another region's endpoint (a regional listener, or a Host naming s3.<region>): 301
 *   PermanentRedirect with the endpoint to use in <Endpoint>, the <Bucket>, and x-amz-bucket-region.
 *   https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html (PermanentRedirect, 301) and
 *   https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingRouting.html (permanent redirects).
 *   A bucket of a region launched after 20 March 2019 gets 400 IllegalLocationConstraintException instead.
 * - sent where the bucket lives (the main endpoint stands for every region, as the DNS-routed names do) but
 *   signed for another region: 400 AuthorizationHeaderMalformed naming the region it expected in <Region>,
 *   with x-amz-bucket-region (ErrorResponses.html, AuthorizationHeaderMalformed).
 * A HEAD gets only the status and the header (HeadBucket: "a message body is not included"). GetBucketLocation
 * answers from any region, as it must for a client to find a bucket's region; CreateBucket names its own.
 */
// Regions launched after 20 March 2019 (the opt-in ones): "if a request arrives at the wrong Amazon S3
// location, Amazon S3 returns an HTTP 400 Bad Request error" (UsingRouting.html) rather than a redirect.
const OPT_IN_REGIONS = new Set([
  'af-south-1', 'ap-east-1', 'ap-east-2', 'ap-south-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-5', 'ap-southeast-6', 'ap-southeast-7',
  'ca-west-1', 'eu-central-2', 'eu-south-1', 'eu-south-2', 'il-central-1', 'me-central-1', 'me-south-1', 'mx-central-1',
]);

function enforceRegion(req: ApiRequest, state: EmulatorState, bucketName: string): void {
  if (req.operation === 'GetBucketLocation' || req.operation === 'CreateBucket') return;
  const bucket = state.s3.buckets.get(bucketName);
  if (!bucket) return;
  if (req.endpointRegion && req.endpointRegion !== bucket.region) {
    if (OPT_IN_REGIONS.has(bucket.region)) {
      throw new ServiceError('IllegalLocationConstraintException', `The ${bucket.region} location constraint is incompatible for the region specific endpoint this request was sent to.`, 400, {
        headers: { 'x-amz-bucket-region': bucket.region },
      });
    }
    const endpoint = state.endpoints.regional.get(bucket.region) ?? state.endpoints.main;
    throw new ServiceError('PermanentRedirect', 'The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.', 301, {
      fields: { Endpoint: endpoint, Bucket: bucketName },
      headers: { 'x-amz-bucket-region': bucket.region },
    });
  }
  if (!req.region || bucket.region === req.region) return;
  throw new ServiceError('AuthorizationHeaderMalformed', `The authorization header is malformed; the region '${req.region}' is wrong; expecting '${bucket.region}'`, 400, {
    fields: { Region: bucket.region },
    headers: { 'x-amz-bucket-region': bucket.region },
  });
}

/** A bucket policy's explicit Deny refuses the request before anything else looks at it. */
function enforceBucketPolicy(req: ApiRequest, state: EmulatorState, bucketName: string, key: string | undefined): void {
  const bucket = state.s3.buckets.get(bucketName);
  if (!bucket?.policy || bucket.ownerAccountId !== req.principal.accountId) return;
  const inOrg = state.accounts.has(req.principal.accountId) ? state.org.organization.id : undefined;
  const r = policyRequest(req, bucketName, key, inOrg, state.assumeTls);
  if (r && deniedBy(bucket.policy, r) !== undefined) throw explicitDeny(req, r);
}

export const s3Service: ServiceModule = {
  name: 's3',
  operation,
  handle(req, state) {
    const t = target(req);
    const op = req.operation;
    if (op === 'ListBuckets') return listBuckets(req, state);
    if (!t.bucket) throw new ServiceError('MethodNotAllowed', 'The specified method is not allowed against this resource.', 405);
    enforceRegion(req, state, t.bucket);
    enforceBucketPolicy(req, state, t.bucket, t.key);
    switch (op) {
      case 'CreateBucket':
        return createBucket(req, state, t.bucket);
      case 'HeadBucket':
        return headBucket(req, state, t.bucket);
      case 'ListObjectsV2':
        return listObjectsV2(req, state, t.bucket);
      case 'GetBucketPolicy':
        return getBucketPolicy(ownedBucket(req, state, t.bucket), baseHeaders(req));
      case 'PutBucketPolicy':
        return putBucketPolicy(ownedBucket(req, state, t.bucket), req, baseHeaders(req));
      case 'DeleteBucketPolicy':
        return deleteBucketPolicy(ownedBucket(req, state, t.bucket), baseHeaders(req));
      case 'GetObjectLockConfiguration':
        return getObjectLockConfiguration(ownedBucket(req, state, t.bucket), baseHeaders(req));
      case 'PutObjectLockConfiguration':
        return putObjectLockConfiguration(ownedBucket(req, state, t.bucket), req, baseHeaders(req));
      case 'GetPublicAccessBlock':
        return getPublicAccessBlock(ownedBucket(req, state, t.bucket), baseHeaders(req));
      case 'PutPublicAccessBlock':
        return putPublicAccessBlock(ownedBucket(req, state, t.bucket), req, baseHeaders(req));
      case 'DeletePublicAccessBlock':
        return deletePublicAccessBlock(ownedBucket(req, state, t.bucket), baseHeaders(req));
      case 'GetBucketVersioning':
        return getBucketVersioning(ownedBucket(req, state, t.bucket), baseHeaders(req));
      case 'PutBucketVersioning':
        return putBucketVersioning(ownedBucket(req, state, t.bucket), req, baseHeaders(req));
      case 'GetBucketEncryption':
        return getBucketEncryption(ownedBucket(req, state, t.bucket), baseHeaders(req));
      case 'PutBucketEncryption':
        return putBucketEncryption(ownedBucket(req, state, t.bucket), req, baseHeaders(req));
      case 'GetBucketLocation': {
        const b = ownedBucket(req, state, t.bucket);
        const loc = b.region === 'us-east-1' ? '' : escapeXml(b.region);
        return xmlResponse(req, `<LocationConstraint xmlns="${NS}">${loc}</LocationConstraint>`);
      }
    }
    const key = t.key;
    if (key === undefined) throw new ServiceError('NotImplemented', `${op} is not implemented by this emulator`, 501);
    switch (op) {
      case 'PutObject':
        return putObject(req, state, t.bucket, key);
      case 'GetObject':
        return getObject(req, state, t.bucket, key, false);
      case 'HeadObject':
        return getObject(req, state, t.bucket, key, true);
      case 'DeleteObject':
        return deleteObject(req, state, t.bucket, key);
      case 'GetObjectRetention': {
        const bucket = ownedBucket(req, state, t.bucket);
        const o = bucket.objects.get(key);
        if (!o) throw noSuchKey(key);
        return getObjectRetention(bucket, o, baseHeaders(req));
      }
      default:
        throw new ServiceError('NotImplemented', `${op} is not implemented by this emulator`, 501);
    }
  },
  renderError: (err, raw, requestId) => restXmlError(err, requestId, hostId(requestId), raw.method === 'HEAD'),
};
