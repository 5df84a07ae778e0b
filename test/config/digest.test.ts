import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type Config } from '../../src/config/config.js';
import { canonicalJson, configDigest, redactedConfig, runConfiguration } from '../../src/config/digest.js';

const config = (): Config => structuredClone(DEFAULT_CONFIG);

describe('configuration digest', () => {
  it('is the SHA-256 of the canonical JSON: stable under key order, changed by any setting', () => {
    const a = config();
    expect(configDigest(a)).toMatch(/^[0-9a-f]{64}$/);
    const reordered = JSON.parse(canonicalJson(a)) as Config;
    expect(configDigest(reordered)).toBe(configDigest(a));
    const longer = config();
    longer.analysis.unusedAfterDays = 120;
    expect(configDigest(longer)).not.toBe(configDigest(a));
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: undefined } })).toBe('{"a":{"d":[2,1]},"b":1}');
  });

  it('redacts secrets and leaves out the local output folder', () => {
    const a = config();
    a.scope.memberRoleExternalId = 'shh-external-id';
    a.email = { from: 'r@acme.example', to: ['x@acme.example'], cc: [], maxAttachmentMB: 10, linkExpiryHours: 168, transport: 'smtp', smtp: { host: 'mail', port: 587, secure: false, requireTLS: true, username: 'relay-user' } };
    a.output.dir = '/tmp/out-1';
    const text = canonicalJson(redactedConfig(a));
    expect(text).not.toContain('shh-external-id');
    expect(text).not.toContain('relay-user');
    expect(text).not.toContain('/tmp/out-1');
    const b = structuredClone(a);
    b.output.dir = '/tmp/out-2';
    b.scope.memberRoleExternalId = 'another-secret';
    expect(configDigest(b)).toBe(configDigest(a));
    expect(a.scope.memberRoleExternalId).toBe('shh-external-id');
  });

  it('echoes what a reader needs to judge the review', () => {
    const a = config();
    a.analysis.suppressions = [{ ruleId: 'trust-public', resource: '*', reason: 'r', owner: 'sec', expires: '2027-01-01' }];
    const run = runConfiguration(a, 245);
    expect(run.sha256).toBe(configDigest(a));
    expect(run.echo).toMatchObject({
      regions: ['us-east-1'],
      lookbackDays: 90,
      unusedAfterDays: 90,
      vendors: { count: 245, extra: 0 },
      suppressions: [{ ruleId: 'trust-public', resource: '*', owner: 'sec', expires: '2027-01-01' }],
      output: { paper: 'A4', pdfRoles: 'all' },
    });
  });

  it('states how the snapshot was collected, not how a later analyst configured theirs', () => {
    const analyst = config();
    analyst.cloudtrail.lookbackDays = 30;
    analyst.cloudtrail.incremental = false;
    analyst.accessAnalyzer.enabled = false;
    const run = runConfiguration(analyst, 245, {
      mode: 'organization',
      regions: ['eu-west-1'],
      collectedWith: {
        usageSource: 'organization trail s3://trail-bucket/ (o-abcdefghij)',
        lookbackDays: 365,
        cloudtrailEnabled: true,
        incremental: true,
        accessAnalyzerEnabled: true,
      },
    });
    expect(run.echo).toMatchObject({
      mode: 'organization',
      regions: ['eu-west-1'],
      lookbackDays: 365,
      usageSource: 'organization trail s3://trail-bucket/ (o-abcdefghij)',
      incremental: true,
      accessAnalyzerEnabled: true,
    });
    // A snapshot from before 1.5 has no record: the analysing config is all there is.
    expect(runConfiguration(analyst, 245, { mode: 'account', regions: ['us-east-1'] }).echo).toMatchObject({ lookbackDays: 30, incremental: false });
  });
});
