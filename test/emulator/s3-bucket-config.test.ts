import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateBucketCommand,
  DeleteBucketPolicyCommand,
  GetBucketEncryptionCommand,
  GetBucketPolicyCommand,
  GetBucketVersioningCommand,
  GetObjectLockConfigurationCommand,
  GetObjectRetentionCommand,
  GetPublicAccessBlockCommand,
  HeadObjectCommand,
  PutBucketEncryptionCommand,
  PutBucketPolicyCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  PutObjectLockConfigurationCommand,
  PutPublicAccessBlockCommand,
} from '@aws-sdk/client-s3';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { assumeInto, clients, FIXED_NOW, rejection } from './helpers.js';

let emu: RunningEmulator;
const bucket = () => emu.org.archiveBucket;
const DAY = 86_400_000;

beforeAll(async () => {
  emu = await startEmulator({ seed: 42, now: FIXED_NOW });
});
afterAll(async () => {
  await emu.close();
});

describe('S3 bucket settings an archive is judged by, through the SDK', () => {
  it('answers "not configured" with the error names S3 uses', async () => {
    const s3 = clients.s3(emu);
    await s3.send(new CreateBucketCommand({ Bucket: 'plain-bucket' }));
    expect((await rejection(s3.send(new GetBucketPolicyCommand({ Bucket: 'plain-bucket' })))).name).toBe('NoSuchBucketPolicy');
    expect((await rejection(s3.send(new GetObjectLockConfigurationCommand({ Bucket: 'plain-bucket' })))).name).toBe('ObjectLockConfigurationNotFoundError');
    const bpa = await rejection(s3.send(new GetPublicAccessBlockCommand({ Bucket: 'plain-bucket' })));
    expect([bpa.name, bpa.$metadata?.httpStatusCode]).toEqual(['NoSuchPublicAccessBlockConfiguration', 404]);
    // Never versioned: no Status at all. Every bucket encrypts with SSE-S3 by default.
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: 'plain-bucket' }))).Status).toBeUndefined();
    const enc = await s3.send(new GetBucketEncryptionCommand({ Bucket: 'plain-bucket' }));
    expect(enc.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault).toEqual({ SSEAlgorithm: 'AES256' });
  });

  it('stores and returns the bucket policy as text', async () => {
    const s3 = clients.s3(emu);
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:DeleteObject', Resource: `arn:aws:s3:::${bucket()}/*` }] });
    await s3.send(new PutBucketPolicyCommand({ Bucket: bucket(), Policy: policy }));
    expect((await s3.send(new GetBucketPolicyCommand({ Bucket: bucket() }))).Policy).toBe(policy);
    expect((await rejection(s3.send(new PutBucketPolicyCommand({ Bucket: bucket(), Policy: '{not json' })))).name).toBe('MalformedPolicy');
    await s3.send(new DeleteBucketPolicyCommand({ Bucket: bucket() }));
    expect((await rejection(s3.send(new GetBucketPolicyCommand({ Bucket: bucket() })))).name).toBe('NoSuchBucketPolicy');
  });

  it('sets Block Public Access, versioning and default encryption', async () => {
    const s3 = clients.s3(emu);
    const all = { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: false };
    await s3.send(new PutPublicAccessBlockCommand({ Bucket: 'plain-bucket', PublicAccessBlockConfiguration: all }));
    expect((await s3.send(new GetPublicAccessBlockCommand({ Bucket: 'plain-bucket' }))).PublicAccessBlockConfiguration).toEqual(all);
    await s3.send(new PutBucketVersioningCommand({ Bucket: 'plain-bucket', VersioningConfiguration: { Status: 'Enabled' } }));
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: 'plain-bucket' }))).Status).toBe('Enabled');
    const key = 'arn:aws:kms:us-east-1:111111111111:key/archive';
    await s3.send(
      new PutBucketEncryptionCommand({
        Bucket: 'plain-bucket',
        ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: key }, BucketKeyEnabled: true }] },
      }),
    );
    const rule = (await s3.send(new GetBucketEncryptionCommand({ Bucket: 'plain-bucket' }))).ServerSideEncryptionConfiguration?.Rules?.[0];
    expect(rule).toEqual({ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: key }, BucketKeyEnabled: true });
    // An object written without its own encryption takes the default.
    await s3.send(new PutObjectCommand({ Bucket: 'plain-bucket', Key: 'k', Body: 'x' }));
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'plain-bucket', Key: 'k' }));
    expect([head.ServerSideEncryption, head.SSEKMSKeyId]).toEqual(['aws:kms', key]);
  });

  it('reports Object Lock, applies its default retention, and gives each object its retention', async () => {
    const s3 = clients.s3(emu);
    expect((await s3.send(new GetObjectLockConfigurationCommand({ Bucket: bucket() }))).ObjectLockConfiguration).toEqual({ ObjectLockEnabled: 'Enabled' });
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: bucket() }))).Status).toBe('Enabled');
    await s3.send(
      new PutObjectLockConfigurationCommand({
        Bucket: bucket(),
        ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 30 } } },
      }),
    );
    expect((await s3.send(new GetObjectLockConfigurationCommand({ Bucket: bucket() }))).ObjectLockConfiguration).toEqual({
      ObjectLockEnabled: 'Enabled',
      Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 30 } },
    });
    const before = Date.now();
    await s3.send(new PutObjectCommand({ Bucket: bucket(), Key: 'defaulted/a.json', Body: '{}' }));
    const r = (await s3.send(new GetObjectRetentionCommand({ Bucket: bucket(), Key: 'defaulted/a.json' }))).Retention;
    expect(r?.Mode).toBe('GOVERNANCE');
    // 30 days from the write: compared against the write's own bounds, never a fixed instant.
    expect(r?.RetainUntilDate?.getTime()).toBeGreaterThanOrEqual(before + 30 * DAY - 1000);
    expect(r?.RetainUntilDate?.getTime()).toBeLessThanOrEqual(Date.now() + 30 * DAY);
    const explicit = new Date(Date.parse('2030-01-01T00:00:00Z'));
    await s3.send(new PutObjectCommand({ Bucket: bucket(), Key: 'explicit/b.json', Body: '{}', ObjectLockMode: 'COMPLIANCE', ObjectLockRetainUntilDate: explicit }));
    expect((await s3.send(new GetObjectRetentionCommand({ Bucket: bucket(), Key: 'explicit/b.json' }))).Retention).toEqual({ Mode: 'COMPLIANCE', RetainUntilDate: explicit });
    // Removing the rule leaves later objects without retention.
    await s3.send(new PutObjectLockConfigurationCommand({ Bucket: bucket(), ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled' } }));
    await s3.send(new PutObjectCommand({ Bucket: bucket(), Key: 'bare/c.json', Body: '{}' }));
    expect((await rejection(s3.send(new GetObjectRetentionCommand({ Bucket: bucket(), Key: 'bare/c.json' })))).name).toBe('NoSuchObjectLockConfiguration');
    expect((await rejection(s3.send(new GetObjectRetentionCommand({ Bucket: 'plain-bucket', Key: 'k' })))).name).toBe('InvalidRequest');
  });

  it('refuses the reads to another account and to a principal denied the operation', async () => {
    const member = emu.org.accounts.find((a) => a.id !== emu.org.organization.managementAccountId)?.id ?? '';
    const other = clients.s3(emu, { credentials: await assumeInto(emu, member) });
    expect((await rejection(other.send(new GetBucketPolicyCommand({ Bucket: bucket() })))).name).toBe('AccessDenied');
    emu.setFaults({ denyOperations: { [emu.org.organization.managementAccountId]: ['s3:GetObjectLockConfiguration'] } });
    try {
      const err = await rejection(clients.s3(emu).send(new GetObjectLockConfigurationCommand({ Bucket: bucket() })));
      expect([err.name, err.$metadata?.httpStatusCode]).toEqual(['AccessDenied', 403]);
    } finally {
      emu.setFaults({});
    }
  });
});
