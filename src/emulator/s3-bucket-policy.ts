/**
 * Enforces the Deny statements of a bucket policy on S3 requests, as S3 does: an explicit Deny that
 * matches the action, the resource, the principal and every condition refuses the request with
 * AccessDenied. Allow statements are not needed here (a bucket's owner account is allowed by the
 * emulator already, and other accounts are refused). Condition keys are taken from the request as S3
 * would: aws:SecureTransport is "false", since the emulator speaks plain HTTP on loopback, unless it was
 * started to stand for an endpoint behind TLS (`assumeTls`).
 */
import { header, ServiceError, type ApiRequest } from './http-types.js';
import type { Json } from './org-types.js';
import { operatorHolds, wildcardMatch } from './condition-operators.js';

/** The IAM action each emulated operation is authorized as (HeadObject as GetObject, as in S3). */
const ACTIONS: Record<string, string> = {
  PutObject: 's3:PutObject',
  CopyObject: 's3:PutObject',
  GetObject: 's3:GetObject',
  HeadObject: 's3:GetObject',
  DeleteObject: 's3:DeleteObject',
  GetObjectRetention: 's3:GetObjectRetention',
  ListObjectsV2: 's3:ListBucket',
  ListObjects: 's3:ListBucket',
  HeadBucket: 's3:ListBucket',
  GetBucketLocation: 's3:GetBucketLocation',
  GetBucketPolicy: 's3:GetBucketPolicy',
  PutBucketPolicy: 's3:PutBucketPolicy',
  DeleteBucketPolicy: 's3:DeleteBucketPolicy',
  GetObjectLockConfiguration: 's3:GetBucketObjectLockConfiguration',
  PutObjectLockConfiguration: 's3:PutBucketObjectLockConfiguration',
  GetPublicAccessBlock: 's3:GetBucketPublicAccessBlock',
  PutPublicAccessBlock: 's3:PutBucketPublicAccessBlock',
  DeletePublicAccessBlock: 's3:PutBucketPublicAccessBlock',
  GetBucketVersioning: 's3:GetBucketVersioning',
  PutBucketVersioning: 's3:PutBucketVersioning',
  GetBucketEncryption: 's3:GetEncryptionConfiguration',
  PutBucketEncryption: 's3:PutEncryptionConfiguration',
};

export interface BucketPolicyRequest {
  action: string;
  resource: string;
  principalArn: string;
  accountId: string;
  /** Condition keys present on the request, lower-case. */
  keys: Record<string, string>;
}

/** The request as a bucket policy sees it; undefined for operations a bucket policy does not govern. */
export function policyRequest(req: ApiRequest, bucket: string, key: string | undefined, orgId: string | undefined, secureTransport: boolean): BucketPolicyRequest | undefined {
  const action = ACTIONS[req.operation];
  if (!action) return undefined;
  const keys: Record<string, string> = {
    'aws:securetransport': String(secureTransport),
    'aws:principalarn': req.principal.roleArn ?? req.principal.arn,
    'aws:principalaccount': req.principal.accountId,
    'aws:principalisawsservice': 'false',
  };
  if (orgId) keys['aws:principalorgid'] = orgId;
  const fromHeader = (name: string, conditionKey: string) => {
    const v = header(req.headers, name);
    if (v !== undefined) keys[conditionKey] = v;
  };
  fromHeader('if-none-match', 's3:if-none-match');
  fromHeader('if-match', 's3:if-match');
  fromHeader('x-amz-server-side-encryption', 's3:x-amz-server-side-encryption');
  fromHeader('x-amz-server-side-encryption-aws-kms-key-id', 's3:x-amz-server-side-encryption-aws-kms-key-id');
  const resource = key === undefined || action === 's3:ListBucket' ? `arn:aws:s3:::${bucket}` : `arn:aws:s3:::${bucket}/${key}`;
  return { action, resource, principalArn: keys['aws:principalarn'] ?? req.principal.arn, accountId: req.principal.accountId, keys };
}

function strings(v: Json | undefined): string[] {
  if (v === undefined || v === null) return [];
  return (Array.isArray(v) ? v : [v]).map((x) => String(x));
}

function principalMatches(p: Json | undefined, r: BucketPolicyRequest): boolean {
  if (p === '*') return true;
  if (p === null || typeof p !== 'object' || Array.isArray(p)) return false;
  return strings(p.AWS).some((a) => a === '*' || a === r.accountId || a === `arn:aws:iam::${r.accountId}:root` || a === r.principalArn);
}

/** The Sid (or position) of the first Deny statement that refuses the request, if any. */
export function deniedBy(policyText: string, r: BucketPolicyRequest): string | undefined {
  let doc: Json;
  try {
    doc = JSON.parse(policyText) as Json;
  } catch {
    return undefined;
  }
  const raw = doc !== null && typeof doc === 'object' && !Array.isArray(doc) ? doc.Statement : undefined;
  const statements = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  for (const [i, s] of statements.entries()) {
    if (s === null || typeof s !== 'object' || Array.isArray(s) || s.Effect !== 'Deny') continue;
    const actionOk = s.Action !== undefined ? strings(s.Action).some((a) => wildcardMatch(a, r.action, true)) : s.NotAction !== undefined && !strings(s.NotAction).some((a) => wildcardMatch(a, r.action, true));
    const resourceOk = strings(s.Resource).some((p) => wildcardMatch(p, r.resource, false));
    if (!actionOk || !resourceOk || !principalMatches(s.Principal, r)) continue;
    const conditions = s.Condition;
    const blocks = conditions !== null && typeof conditions === 'object' && !Array.isArray(conditions) ? Object.entries(conditions) : [];
    const all = blocks.every(([operator, block]) =>
      block !== null && typeof block === 'object' && !Array.isArray(block) ? Object.entries(block).every(([k, v]) => operatorHolds(operator, r.keys[k.toLowerCase()], strings(v))) : false,
    );
    if (all) return typeof s.Sid === 'string' ? s.Sid : `statement ${i + 1}`;
  }
  return undefined;
}

/** S3's refusal by a bucket policy's explicit Deny. */
export function explicitDeny(req: ApiRequest, r: BucketPolicyRequest): ServiceError {
  return new ServiceError(
    'AccessDenied',
    `User: ${req.principal.arn} is not authorized to perform: ${r.action} on resource: "${r.resource}" with an explicit deny in a resource-based policy`,
    403,
  );
}
