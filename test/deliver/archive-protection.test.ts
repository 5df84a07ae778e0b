import { describe, expect, it } from 'vitest';
import { judgeArchiveProtection, principalOfCaller, type ArchiveProtectionReads } from '../../src/deliver/archive-protection.js';

const caller = { principalArn: 'arn:aws:iam::111122223333:role/AccessReviewCollector', accountId: '111122223333' };
const settings = { bucket: 'archive', prefix: 'access-review' };
const allBpa = { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true };
const strong: ArchiveProtectionReads = {
  objectLock: { state: 'ok', value: { mode: 'COMPLIANCE', days: 400 } },
  versioning: { state: 'ok', value: 'Enabled' },
  publicAccessBlock: { state: 'ok', value: allBpa },
  encryption: { state: 'ok', value: { algorithm: 'aws:kms', kmsKeyId: 'arn:aws:kms:us-east-1:111122223333:key/k1' } },
  policy: {
    state: 'ok',
    value: JSON.stringify({
      Statement: [
        { Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
        { Effect: 'Deny', Principal: '*', Action: 's3:PutObject', Resource: 'arn:aws:s3:::archive/*', Condition: { Null: { 's3:if-none-match': 'true' } } },
        { Effect: 'Deny', Principal: { AWS: caller.principalArn }, Action: 's3:Delete*', Resource: 'arn:aws:s3:::archive/*' },
        { Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*', Condition: { StringNotEqualsIfExists: { 'aws:PrincipalOrgID': 'o-abc' } } },
      ],
    }),
  },
};
const status = (reads: ArchiveProtectionReads, s: Parameters<typeof judgeArchiveProtection>[1] = settings) =>
  Object.fromEntries(judgeArchiveProtection(reads, s, caller).map((i) => [i.check, [i.status, i.detail]]));

describe('check: how the archive is protected', () => {
  it('a locked-down bucket passes every item, saying what holds', () => {
    const r = status(strong);
    expect(r['archive-lock']).toEqual(['ok', 'Object Lock on, default retention COMPLIANCE for 400 day(s).']);
    expect(r['archive-public']).toEqual(['ok', 'Block Public Access: all four settings on.']);
    expect(r['archive-sse']).toEqual(['ok', 'Default encryption SSE-KMS (arn:aws:kms:us-east-1:111122223333:key/k1).']);
    expect(r['archive-policy']).toEqual([
      'ok',
      'The bucket policy denies overwrites (writes without If-None-Match), deletes by AccessReviewCollector, requests without TLS, principals outside the organization.',
    ]);
  });

  it('warns on weak settings with the setting to change', () => {
    const r = status({
      objectLock: { state: 'absent' },
      versioning: { state: 'ok', value: 'Never' },
      publicAccessBlock: { state: 'ok', value: { ...allBpa, RestrictPublicBuckets: false } },
      encryption: { state: 'ok', value: { algorithm: 'AES256' } },
      policy: { state: 'absent' },
    });
    expect(r['archive-lock']?.[0]).toBe('warn');
    expect(r['archive-lock']?.[1]).toMatch(/^No Object Lock\. Versioning is off, so a deleted or overwritten object is gone for good\. .*PutObjectLockConfiguration/);
    expect(r['archive-public']).toEqual(['warn', 'Block Public Access is off for RestrictPublicBuckets: set it to true with PutPublicAccessBlock.']);
    expect(r['archive-sse']?.[1]).toMatch(/^Default encryption is SSE-S3 only: .*set archive\.kmsKeyId and the bucket default/);
    expect(r['archive-policy']?.[1]).toMatch(/^No bucket policy: .*Apply docs\/iam\/archive-bucket-policy\.json\.$/);
    expect(Object.values(r).every(([s]) => s === 'warn')).toBe(true);
  });

  it('a bucket policy that lacks the rules names each missing one', () => {
    const r = status({ ...strong, policy: { state: 'ok', value: JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*' }] }) } });
    expect(r['archive-policy']?.[0]).toBe('warn');
    expect(r['archive-policy']?.[1]).toBe(
      'In the bucket policy, writes without If-None-Match are not denied (Deny s3:PutObject with Null {"s3:if-none-match": "true"}); deletes by AccessReviewCollector are not denied (Deny s3:DeleteObject and s3:DeleteObjectVersion); requests without TLS are not denied (Deny with Bool {"aws:SecureTransport": "false"}); principals outside the organization are not denied (Deny with StringNotEqualsIfExists aws:PrincipalOrgID). See docs/iam/archive-bucket-policy.json.',
    );
  });

  it('says which permission is missing when a setting cannot be read', () => {
    const denied = { state: 'denied' as const, code: 'AccessDenied' };
    const r = status({ objectLock: denied, versioning: denied, publicAccessBlock: denied, encryption: denied, policy: denied });
    expect(r['archive-lock']).toEqual([
      'warn',
      "Cannot read the Object Lock configuration: s3:GetBucketObjectLockConfiguration was denied (AccessDenied); grant it to the job's role to see this. Versioning unknown (s3:GetBucketVersioning denied, AccessDenied).",
    ]);
    expect(r['archive-public']?.[1]).toContain('s3:GetBucketPublicAccessBlock was denied (AccessDenied)');
    expect(r['archive-sse']?.[1]).toContain('s3:GetEncryptionConfiguration was denied (AccessDenied)');
    expect(r['archive-policy']?.[1]).toMatch(/s3:GetBucketPolicy was denied \(AccessDenied\).* Whether it denies deletes and overwrites is unknown\.$/);
  });

  it('fails where the job itself would be refused: retention asked of a bucket without Object Lock, a policy denying its write', () => {
    const lock = { mode: 'COMPLIANCE' as const, days: 365 };
    const r = status({ ...strong, objectLock: { state: 'absent' } }, { ...settings, objectLock: lock });
    expect(r['archive-lock']?.[0]).toBe('fail');
    expect(r['archive-lock']?.[1]).toMatch(/^archive\.objectLock is set but the bucket has no Object Lock/);
    const frozen = { state: 'ok' as const, value: JSON.stringify({ Statement: [{ Sid: 'Frozen', Effect: 'Deny', Principal: '*', Action: 's3:PutObject', Resource: '*' }] }) };
    expect(status({ ...strong, policy: frozen })['archive-policy']?.[0]).toBe('fail');
  });

  it('weighs the job\'s own archive.objectLock against the bucket default', () => {
    expect(status(strong, { ...settings, objectLock: { mode: 'GOVERNANCE', days: 400 } })['archive-lock']?.[1]).toMatch(/archive\.objectLock\.mode GOVERNANCE overrides it/);
    expect(status(strong, { ...settings, objectLock: { mode: 'COMPLIANCE', days: 30 } })['archive-lock']?.[1]).toMatch(/archive\.objectLock\.days 30 shortens it.*at least 400/);
    const noRule: ArchiveProtectionReads = { ...strong, objectLock: { state: 'ok', value: {} } };
    expect(status(noRule)['archive-lock']?.[0]).toBe('warn');
    expect(status(noRule, { ...settings, objectLock: { mode: 'COMPLIANCE', days: 400 } })['archive-lock']?.[0]).toBe('ok');
  });

  it('compares the configured KMS key with the bucket default by key, whatever the spelling', () => {
    expect(status(strong, { ...settings, kmsKeyId: 'k1' })['archive-sse']?.[0]).toBe('ok');
    expect(status(strong, { ...settings, kmsKeyId: 'key/k2' })['archive-sse']?.[0]).toBe('warn');
  });

  it('policies name roles, not sessions', () => {
    expect(principalOfCaller('arn:aws:sts::111122223333:assumed-role/AccessReviewCollector/botocore-session-1')).toBe(caller.principalArn);
    expect(principalOfCaller('arn:aws:iam::111122223333:user/ci')).toBe('arn:aws:iam::111122223333:user/ci');
  });
});
