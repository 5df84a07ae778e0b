/**
 * `verify s3://…` on a bucket with Object Lock: each archived object's retention against the configured
 * period, through the SDK against the emulator. Runs are archived with the product's own archiveRun.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateBucketCommand, PutObjectLockConfigurationCommand, S3Client } from '@aws-sdk/client-s3';
import { verifyCommand } from '../../src/cli/verify.js';
import { resolveConfig } from '../../src/config/load-config.js';
import type { Config } from '../../src/config/config.js';
import { archiveRun, type ArchiveSettings } from '../../src/deliver/s3-archive.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';

let emu: RunningEmulator;
let s3: S3Client;
const saved: Record<string, string | undefined> = {};
const ENV = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE'];
const TOOL = { name: 'access-review', version: 'test' };
const artifacts = [
  { name: 'review.json', contentType: 'application/json', body: new TextEncoder().encode('{"kind":"access-review/review"}') },
  { name: 'findings.csv', contentType: 'text/csv', body: new TextEncoder().encode('rule,role\n') },
];

beforeAll(async () => {
  emu = await startEmulator({ seed: 3, org: { memberAccounts: 1, rolesPerAccount: 4, eventsPerAccount: 10 } });
  // verify takes credentials from the default chain, as it does for an auditor.
  for (const k of ENV) saved[k] = process.env[k];
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
  process.env.AWS_ACCESS_KEY_ID = emu.credentials.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = emu.credentials.secretAccessKey;
  s3 = new S3Client({ endpoint: emu.endpoint, region: 'us-east-1', credentials: emu.credentials, forcePathStyle: true });
}, 60_000);
afterAll(async () => {
  for (const k of ENV) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
  await emu?.close();
});

const configWith = (objectLock?: Config['archive']['objectLock']): Config => {
  const c = resolveConfig({ aws: { endpoint: emu.endpoint, s3ForcePathStyle: true }, archive: { bucket: emu.org.archiveBucket } }, {});
  return objectLock ? { ...c, archive: { ...c.archive, objectLock } } : c;
};

async function archive(bucket: string, runId: string, at: Date, objectLock?: ArchiveSettings['objectLock']): Promise<string> {
  const run = await archiveRun(s3, { bucket, prefix: 'access-review', ...(objectLock ? { objectLock } : {}) }, { runId, scopeId: 'account-111111111111', at, tool: TOOL, artifacts });
  return `s3://${bucket}/${run.prefix}`;
}

describe('verify: Object Lock retention of an archived run', () => {
  it('passes a run whose every object is locked as configured, and lists each one', async () => {
    const at = new Date(Date.now() - 60_000);
    const target = await archive(emu.org.archiveBucket, '20261206T060000Z-aaaaaa', at, { mode: 'COMPLIANCE', days: 30 });
    const r = await verifyCommand(target, async () => configWith({ mode: 'COMPLIANCE', days: 30 }));
    expect(r.ok).toBe(true);
    const until = new Date(at.getTime() + 30 * 86_400_000).toISOString();
    expect(r.report).toContain("Object Lock retention, required COMPLIANCE for 30 day(s) (archive.objectLock) from the run's start:\n");
    for (const name of ['review.json', 'findings.csv', 'manifest.json']) expect(r.report).toContain(`ok      ${name}: COMPLIANCE until ${until}\n`);
    expect(r.report).toMatch(/All 2 artifact\(s\) of run 20261206T060000Z-aaaaaa match the manifest\.\n$/);
  });

  it('fails a run whose objects are locked for less than configured, or in a mode that can be lifted', async () => {
    const at = new Date(Date.now() - 60_000);
    const target = await archive(emu.org.archiveBucket, '20261206T060000Z-bbbbbb', at, { mode: 'GOVERNANCE', days: 10 });
    const r = await verifyCommand(target, async () => configWith({ mode: 'COMPLIANCE', days: 30 }));
    expect(r.ok).toBe(false);
    const ends = new Date(at.getTime() + 10 * 86_400_000).toISOString();
    const needed = new Date(at.getTime() + 30 * 86_400_000).toISOString();
    expect(r.report).toContain(
      `FAILED  review.json: retention ends ${ends}, before the configured COMPLIANCE for 30 day(s) (archive.objectLock) from the run's start (${needed}); mode GOVERNANCE, which can be lifted, where COMPLIANCE is configured\n`,
    );
    // The hashes still match: the two verdicts are separate lines.
    expect(r.report).toContain('All 2 artifact(s) of run 20261206T060000Z-bbbbbb match the manifest.\n');
    expect(r.report).toContain('Run 20261206T060000Z-bbbbbb: 3 object(s) locked for less than configured: retention verification FAILED.\n');
  });

  it('without archive.objectLock, judges against the bucket default retention; an unlocked object fails', async () => {
    const target = await archive(emu.org.archiveBucket, '20261206T060000Z-cccccc', new Date(Date.now() - 60_000));
    await s3.send(new PutObjectLockConfigurationCommand({ Bucket: emu.org.archiveBucket, ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 5 } } } }));
    try {
      const r = await verifyCommand(target, async () => configWith());
      expect(r.ok).toBe(false);
      expect(r.report).toContain("Object Lock retention, required COMPLIANCE for 5 day(s) (the bucket's default retention) from the run's start:\n");
      expect(r.report).toContain("FAILED  review.json: no retention: the object can be deleted at any time (configured COMPLIANCE for 5 day(s) (the bucket's default retention))\n");
    } finally {
      await s3.send(new PutObjectLockConfigurationCommand({ Bucket: emu.org.archiveBucket, ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled' } }));
    }
  });

  it('says retention was not checked when the reads are refused, and on a bucket without Object Lock that there is none', async () => {
    const target = await archive(emu.org.archiveBucket, '20261206T060000Z-dddddd', new Date(Date.now() - 60_000), { mode: 'COMPLIANCE', days: 30 });
    emu.setFaults({ denyOperations: { [emu.org.organization.managementAccountId]: ['s3:GetObjectRetention'] } });
    try {
      const r = await verifyCommand(target, async () => configWith({ mode: 'COMPLIANCE', days: 30 }));
      expect(r.ok).toBe(true);
      expect(r.report).toContain('UNCHECKED review.json: s3:GetObjectRetention was denied (AccessDenied)\n');
      expect(r.report).toContain('Retention of 3 object(s) could not be checked (see above).\n');
    } finally {
      emu.setFaults({});
    }
    await s3.send(new CreateBucketCommand({ Bucket: 'unlocked-archive' }));
    const plain = await archive('unlocked-archive', '20261206T060000Z-eeeeee', new Date());
    const r = await verifyCommand(plain, async () => configWith());
    expect(r.ok).toBe(true);
    expect(r.report).toContain('Object Lock: the bucket has none, so there is no retention to check.\n');
  });
});
