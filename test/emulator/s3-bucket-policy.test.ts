/**
 * The shipped archive bucket policy enforced by the emulator's S3 (its own Deny evaluator, not the one
 * `check` uses): the job's archive goes through; an overwrite, a write with another key, a delete by the
 * collector and a read by anyone outside the audit function are refused; plain HTTP is refused outright.
 */
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, PutBucketPolicyCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { archiveRun } from '../../src/deliver/s3-archive.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { assumeInto, clients, FIXED_NOW, rejection } from './helpers.js';

const KEY = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const TOOL = { name: 'access-review', version: 'test' };
let emu: RunningEmulator;

/** The shipped policy for the emulator's bucket and organization, with the job (the management user) as the collector. */
function shippedPolicy(auditorArn: string): string {
  return readFileSync(new URL('../../docs/iam/archive-bucket-policy.json', import.meta.url), 'utf8')
    .replaceAll('example-access-review-archive', emu.org.archiveBucket)
    .replaceAll('arn:aws:iam::111122223333:role/AccessReviewCollector', emu.org.caller.arn)
    .replaceAll('arn:aws:iam::111122223333:role/AccessReviewAuditor', auditorArn)
    .replaceAll('o-exampleorgid', emu.org.organization.id);
}

async function start(assumeTls: boolean): Promise<S3Client> {
  emu = await startEmulator({ seed: 42, now: FIXED_NOW, assumeTls });
  return clients.s3(emu);
}
afterEach(async () => emu?.close());

describe('the shipped archive bucket policy, enforced by the emulator', () => {
  let s3: S3Client;
  const bucket = () => emu.org.archiveBucket;
  // The management account's read-only role stands in for the auditor, or for anyone else.
  const readOnlyRole = () => `arn:aws:iam::${emu.org.organization.managementAccountId}:role/${emu.org.readOnlyRoleName}`;
  const lockDown = (auditor: string) => s3.send(new PutBucketPolicyCommand({ Bucket: bucket(), Policy: shippedPolicy(auditor) }));

  beforeEach(async () => {
    s3 = await start(true);
  });

  it("lets the job archive a run (conditional writes with the archive key) and read it back", async () => {
    await lockDown(readOnlyRole());
    const run = await archiveRun(s3, { bucket: bucket(), prefix: 'access-review', kmsKeyId: KEY }, {
      runId: '20261206T060000Z-aaaaaa',
      scopeId: 'account-111111111111',
      at: FIXED_NOW,
      tool: TOOL,
      artifacts: [{ name: 'review.json', contentType: 'application/json', body: new TextEncoder().encode('{}') }],
    });
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket(), Key: run.manifestKey }));
    expect(JSON.parse((await got.Body?.transformToString()) ?? '')).toMatchObject({ runId: '20261206T060000Z-aaaaaa' });
    expect((await s3.send(new ListObjectsV2Command({ Bucket: bucket(), Prefix: 'access-review/' }))).KeyCount).toBe(2);
  });

  it('refuses an overwrite, a write with another key, and a delete, even to the job itself', async () => {
    await lockDown(readOnlyRole());
    const key = 'access-review/x/review.json';
    await s3.send(new PutObjectCommand({ Bucket: bucket(), Key: key, Body: '{}', IfNoneMatch: '*', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: KEY }));
    const overwrite = await rejection(s3.send(new PutObjectCommand({ Bucket: bucket(), Key: key, Body: '{"changed":1}', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: KEY })));
    expect([overwrite.name, overwrite.message]).toEqual(['AccessDenied', expect.stringContaining('explicit deny in a resource-based policy')]);
    const otherKey = await rejection(s3.send(new PutObjectCommand({ Bucket: bucket(), Key: 'access-review/y', Body: '{}', IfNoneMatch: '*', ServerSideEncryption: 'AES256' })));
    expect(otherKey.name).toBe('AccessDenied');
    expect((await rejection(s3.send(new DeleteObjectCommand({ Bucket: bucket(), Key: key })))).name).toBe('AccessDenied');
    expect((await rejection(s3.send(new PutBucketPolicyCommand({ Bucket: bucket(), Policy: '{"Statement":[]}' })))).name).toBe('AccessDenied');
    // The report is still there, unchanged.
    expect(await (await s3.send(new GetObjectCommand({ Bucket: bucket(), Key: key }))).Body?.transformToString()).toBe('{}');
  });

  it('lets the auditor read the archive', async () => {
    const key = 'access-review/x/review.json';
    await s3.send(new PutObjectCommand({ Bucket: bucket(), Key: key, Body: '{}', IfNoneMatch: '*', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: KEY }));
    await lockDown(readOnlyRole());
    const session = clients.s3(emu, { credentials: await assumeInto(emu, emu.org.organization.managementAccountId) });
    expect(await (await session.send(new GetObjectCommand({ Bucket: bucket(), Key: key }))).Body?.transformToString()).toBe('{}');
  });

  it('refuses reads to a principal of the account that is neither the collector nor the auditor', async () => {
    const key = 'access-review/x/review.json';
    await s3.send(new PutObjectCommand({ Bucket: bucket(), Key: key, Body: '{}', IfNoneMatch: '*', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: KEY }));
    await lockDown(`arn:aws:iam::${emu.org.organization.managementAccountId}:role/AccessReviewAuditor`);
    const session = clients.s3(emu, { credentials: await assumeInto(emu, emu.org.organization.managementAccountId) });
    const err = await rejection(session.send(new GetObjectCommand({ Bucket: bucket(), Key: key })));
    expect([err.name, err.$metadata?.httpStatusCode]).toEqual(['AccessDenied', 403]);
  });
});

describe('over plain HTTP', () => {
  it('the TLS-only statement refuses every request', async () => {
    const s3 = await start(false);
    await s3.send(new PutBucketPolicyCommand({ Bucket: emu.org.archiveBucket, Policy: shippedPolicy('arn:aws:iam::111122223333:role/AccessReviewAuditor') }));
    const err = await rejection(s3.send(new ListObjectsV2Command({ Bucket: emu.org.archiveBucket, Prefix: 'access-review/' })));
    expect([err.name, err.$metadata?.httpStatusCode]).toEqual(['AccessDenied', 403]);
  });
});
