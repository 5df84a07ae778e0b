import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/load-config.js';
import { parseConfigLocation } from '../../src/config/config-location.js';
import { ARCHIVE_BUCKET, startEmulator, type RunningEmulator } from '../../src/emulator/index.js';

/** What a Fargate task cannot express in plain variables: suppressions, vendors, the member role's ExternalId. */
const CONFIG = {
  scope: { mode: 'organization', memberRoleExternalId: 'acme-7f3a' },
  analysis: {
    vendors: [{ accountId: '123456789012', name: 'Acme Monitoring', source: 'contract 2026-114' }],
    suppressions: [{ ruleId: 'role-unused', resource: 'arn:aws:iam::*:role/break-glass', reason: 'Break-glass role', owner: 'secops@acme.example', expires: '2027-06-30' }],
  },
  archive: { bucket: 'acme-archive' },
};

async function failure(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'accepted';
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
}

describe('ACCESS_REVIEW_CONFIG from S3, SSM Parameter Store or inline JSON (real SDK clients against the emulator)', () => {
  let emu: RunningEmulator;
  let env: Record<string, string>;

  beforeAll(async () => {
    emu = await startEmulator({ seed: 3, org: { memberAccounts: 1 } });
    env = { ...emu.env(), ACCESS_REVIEW_S3_FORCE_PATH_STYLE: 'true' };
    const s3 = new S3Client({ endpoint: emu.endpoint, region: emu.region, credentials: emu.credentials, forcePathStyle: true });
    await s3.send(new PutObjectCommand({ Bucket: ARCHIVE_BUCKET, Key: 'config/access-review.json', Body: JSON.stringify(CONFIG), ContentType: 'application/json' }));
    await s3.send(new PutObjectCommand({ Bucket: ARCHIVE_BUCKET, Key: 'config/bad.json', Body: JSON.stringify({ scope: { mode: 'galaxy' } }) }));
    s3.destroy();
    const ssm = new SSMClient({ endpoint: emu.endpoint, region: emu.region, credentials: emu.credentials });
    await ssm.send(new PutParameterCommand({ Name: '/access-review/config', Value: JSON.stringify(CONFIG), Type: 'SecureString' }));
    ssm.destroy();
  });
  afterAll(async () => emu.close());

  it('reads the whole config from s3://bucket/key and validates it like a file', async () => {
    const c = await loadConfig(undefined, { ...env, ACCESS_REVIEW_CONFIG: `s3://${ARCHIVE_BUCKET}/config/access-review.json` });
    expect(c.scope.memberRoleExternalId).toBe('acme-7f3a');
    expect(c.analysis.suppressions).toEqual(CONFIG.analysis.suppressions);
    expect(c.analysis.vendors).toEqual(CONFIG.analysis.vendors);
    const bad = await failure(loadConfig(undefined, { ...env, ACCESS_REVIEW_CONFIG: `s3://${ARCHIVE_BUCKET}/config/bad.json` }));
    expect(bad).toContain(`config s3://${ARCHIVE_BUCKET}/config/bad.json is invalid`);
    expect(bad).toContain('/scope/mode: must be one of');
    const missing = await failure(loadConfig(undefined, { ...env, ACCESS_REVIEW_CONFIG: `s3://${ARCHIVE_BUCKET}/config/nope.json` }));
    expect(missing).toMatch(new RegExp(`^cannot read config s3://${ARCHIVE_BUCKET}/config/nope.json \\(ACCESS_REVIEW_CONFIG\\): `));
  });

  it('reads it from an SSM parameter (SecureString decrypted), environment variables still on top', async () => {
    const c = await loadConfig(undefined, { ...env, ACCESS_REVIEW_CONFIG: 'ssm:/access-review/config', ACCESS_REVIEW_BUCKET: 'other-archive' });
    expect(c.analysis.suppressions).toHaveLength(1);
    expect(c.archive.bucket).toBe('other-archive');
    const missing = await failure(loadConfig(undefined, { ...env, ACCESS_REVIEW_CONFIG: 'ssm:/access-review/absent' }));
    expect(missing).toMatch(/^cannot read config ssm:\/access-review\/absent \(ACCESS_REVIEW_CONFIG\): /);
  });

  it('takes inline JSON in the one variable, and names the variable when it is broken', async () => {
    const c = await loadConfig(undefined, { ACCESS_REVIEW_CONFIG: JSON.stringify(CONFIG) });
    expect(c.scope.memberRoleExternalId).toBe('acme-7f3a');
    expect(await failure(loadConfig(undefined, { ACCESS_REVIEW_CONFIG: '{"scope": ' }))).toMatch(/^the JSON config in ACCESS_REVIEW_CONFIG is not valid JSON/);
    expect(await failure(loadConfig(undefined, { ACCESS_REVIEW_CONFIG: '{"colour": "blue"}' }))).toContain('the JSON config in ACCESS_REVIEW_CONFIG is invalid:\n  (top level): unknown field "colour"');
  });

  it('tells the forms apart', () => {
    expect(parseConfigLocation('/etc/access-review/config.json')).toEqual({ kind: 'file', path: '/etc/access-review/config.json' });
    expect(parseConfigLocation('s3://b/k/c.json')).toEqual({ kind: 's3', bucket: 'b', key: 'k/c.json' });
    expect(parseConfigLocation('ssm:/a/b')).toEqual({ kind: 'ssm', name: '/a/b' });
    expect(() => parseConfigLocation('s3://bucket-only')).toThrow(/not s3:\/\/bucket\/key/);
  });
});
