/**
 * `check`'s archive items against the emulator through the product's own client factory: the bucket as
 * the emulator starts it (Object Lock on, nothing else), then locked down the way the README says, with
 * the shipped bucket policy, then with the reads refused.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PutBucketEncryptionCommand, PutBucketPolicyCommand, PutObjectLockConfigurationCommand, PutPublicAccessBlockCommand } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { checkArchiveProtection } from '../../src/cli/check.js';
import { createClientFactory, type ClientFactory } from '../../src/collect/clients.js';
import { resolveConfig } from '../../src/config/load-config.js';
import type { Config } from '../../src/config/config.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';

const KEY = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
let emu: RunningEmulator;
let clients: ClientFactory;
let config: Config;

const byCheck = async (): Promise<Record<string, [string, string]>> =>
  Object.fromEntries((await checkArchiveProtection(config, clients)).map((i) => [i.check, [i.status, i.detail]]));

/** The shipped policy with the emulator's bucket, organization, and the job's identity in place of the examples. */
function shippedPolicyFor(callerArn: string, keyArn: string): string {
  const management = emu.org.organization.managementAccountId;
  return readFileSync(new URL('../../docs/iam/archive-bucket-policy.json', import.meta.url), 'utf8')
    .replaceAll('example-access-review-archive', emu.org.archiveBucket)
    .replaceAll('arn:aws:iam::111122223333:role/AccessReviewCollector', callerArn)
    .replaceAll('arn:aws:iam::111122223333:role/AccessReviewAuditor', `arn:aws:iam::${management}:role/AccessReviewAuditor`)
    .replaceAll('o-exampleorgid', emu.org.organization.id)
    .replaceAll(KEY, keyArn);
}

beforeAll(async () => {
  // The shipped policy refuses plain HTTP; the emulator stands for an S3 endpoint reached over TLS.
  emu = await startEmulator({ seed: 7, org: { memberAccounts: 1, rolesPerAccount: 4, eventsPerAccount: 10 }, assumeTls: true });
  config = resolveConfig({ aws: { endpoint: emu.endpoint, s3ForcePathStyle: true }, archive: { bucket: emu.org.archiveBucket } }, {});
  clients = createClientFactory(config.aws, emu.credentials);
}, 60_000);
afterAll(async () => emu?.close());

describe('check: the archive bucket through the SDK', () => {
  it('on the bucket as created, warns for each setting left to do, with one read per setting and no write', async () => {
    emu.resetCalls();
    const r = await byCheck();
    expect(emu.calls()).toEqual({
      'organizations:DescribeOrganization': 1,
      's3:GetBucketEncryption': 1,
      's3:GetBucketPolicy': 1,
      's3:GetBucketVersioning': 1,
      's3:GetObjectLockConfiguration': 1,
      's3:GetPublicAccessBlock': 1,
      'sts:GetCallerIdentity': 1,
    });
    expect(Object.keys(r)).toEqual(['archive-lock', 'archive-public', 'archive-sse', 'archive-policy']);
    expect(r['archive-lock']?.[0]).toBe('warn');
    expect(r['archive-lock']?.[1]).toMatch(/^Object Lock is on but nothing gets a retention/);
    expect(r['archive-public']?.[1]).toMatch(/^No Block Public Access on the bucket/);
    expect(r['archive-sse']?.[1]).toMatch(/^Default encryption is SSE-S3 only/);
    expect(r['archive-policy']?.[1]).toMatch(/^No bucket policy/);
  });

  it('locked down as the README says, with the shipped bucket policy, every item passes', async () => {
    const s3 = clients.s3();
    const bucket = emu.org.archiveBucket;
    const caller = (await clients.sts().send(new GetCallerIdentityCommand({}))).Arn ?? '';
    const key = `arn:aws:kms:us-east-1:${emu.org.organization.managementAccountId}:key/archive`;
    await s3.send(new PutObjectLockConfigurationCommand({ Bucket: bucket, ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 400 } } } }));
    await s3.send(
      new PutPublicAccessBlockCommand({ Bucket: bucket, PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true } }),
    );
    await s3.send(new PutBucketEncryptionCommand({ Bucket: bucket, ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: key }, BucketKeyEnabled: true }] } }));
    await s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: shippedPolicyFor(caller, key) }));
    config = { ...config, archive: { ...config.archive, kmsKeyId: key } };
    const r = await byCheck();
    expect(r).toEqual({
      'archive-lock': ['ok', 'Object Lock on, default retention COMPLIANCE for 400 day(s).'],
      'archive-public': ['ok', 'Block Public Access: all four settings on.'],
      'archive-sse': ['ok', `Default encryption SSE-KMS (${key}); the job writes with archive.kmsKeyId ${key}.`],
      'archive-policy': [
        'ok',
        `The bucket policy denies overwrites (writes without If-None-Match), deletes by access-review, requests without TLS, writes without the archive key, principals outside the organization.`,
      ],
    });
  });

  it('says so when the job may not read the settings', async () => {
    const management = emu.org.organization.managementAccountId;
    emu.setFaults({ denyOperations: { [management]: ['s3:GetBucketPolicy', 's3:GetObjectLockConfiguration', 's3:GetBucketVersioning'] } });
    try {
      const r = await byCheck();
      expect(r['archive-lock']?.[1]).toMatch(/^Cannot read the Object Lock configuration: s3:GetBucketObjectLockConfiguration was denied \(AccessDenied\)/);
      expect(r['archive-policy']?.[1]).toMatch(/^Cannot read the bucket policy: s3:GetBucketPolicy was denied \(AccessDenied\)/);
      expect(r['archive-public']?.[0]).toBe('ok');
    } finally {
      emu.setFaults({});
    }
  });
});
