import { describe, expect, it } from 'vitest';
import { resolveConfig, ConfigError, deepMerge } from '../../src/config/load-config.js';
import { DEFAULT_CONFIG } from '../../src/config/config.js';

describe('email settings', () => {
  it('fill in their defaults and take the recipients from the environment', () => {
    const c = resolveConfig({ email: { from: 'access-review@acme.example', fromName: 'Access Review' } }, { ACCESS_REVIEW_EMAIL_TO: 'ciso@acme.example, platform-leads@acme.example' });
    expect(c.email).toEqual({
      from: 'access-review@acme.example',
      fromName: 'Access Review',
      to: ['ciso@acme.example', 'platform-leads@acme.example'],
      cc: [],
      maxAttachmentMB: 10,
      linkExpiryHours: 168,
      transport: 'ses',
    });
  });

  it('switch to an SMTP relay from the environment, with TLS required unless said otherwise', () => {
    const c = resolveConfig({ email: { from: 'a@acme.example', to: ['ciso@acme.example'] } }, { ACCESS_REVIEW_SMTP_HOST: 'smtp.acme.example', ACCESS_REVIEW_SMTP_USER: 'relay' });
    expect(c.email?.transport).toBe('smtp');
    expect(c.email?.smtp).toEqual({ host: 'smtp.acme.example', port: 587, secure: false, requireTLS: true, username: 'relay' });
    expect(() => resolveConfig({ email: { from: 'a@acme.example', to: ['ciso@acme.example'], transport: 'smtp' } }, {})).toThrow(/smtp/);
    // The password is never a config field: only ACCESS_REVIEW_SMTP_PASSWORD carries it.
    expect(() => resolveConfig({ email: { from: 'a@acme.example', to: ['c@acme.example'], smtp: { host: 'h', password: 'x' } } }, {})).toThrow(/unknown field "password"/);
  });

  it('refuse addresses that could smuggle headers, links past 7 days and a list without a sender', () => {
    const attempt = (file: unknown, env: Record<string, string> = {}): string => {
      try {
        resolveConfig(file, env, 'cfg.json');
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigError);
        return (e as Error).message;
      }
      return 'accepted';
    };
    expect(attempt({ email: { from: 'a@acme.example', to: ['ciso@acme.example\r\nBcc: spy@evil.example'] } })).toMatch(/email\/to\/0/);
    expect(attempt({ email: { from: 'a@acme.example', fromName: 'Review\r\nBcc: x@evil.example', to: ['ciso@acme.example'] } })).toMatch(/fromName/);
    expect(attempt({ email: { from: 'a@acme.example', to: ['ciso@acme.example'], linkExpiryHours: 169 } })).toMatch(/linkExpiryHours/);
    expect(attempt(undefined, { ACCESS_REVIEW_EMAIL_TO: 'ciso@acme.example' })).toMatch(/email settings .* invalid[\s\S]*from/);
    expect(attempt({ email: { from: 'a@acme.example', to: [] } })).toMatch(/email\/to/);
  });
});

describe('sharding settings', () => {
  const base = { scope: { mode: 'organization' }, archive: { bucket: 'my-archive' } };

  it('take the index from a Kubernetes Indexed Job and the count and group from the manifest', () => {
    const c = resolveConfig(base, { JOB_COMPLETION_INDEX: '2', ACCESS_REVIEW_SHARD_COUNT: '4', ACCESS_REVIEW_RUN_GROUP: 'access-review-29384756' });
    expect(c.scope.shard).toEqual({ index: 2, count: 4 });
    expect(c.scope.runGroup).toBe('access-review-29384756');
    // JOB_COMPLETION_INDEX alone (another Indexed Job) does not shard the review.
    expect(resolveConfig(base, { JOB_COMPLETION_INDEX: '2' }).scope.shard).toBeUndefined();
  });

  it('refuse an index past the count, account mode, no group and no archive', () => {
    const message = (file: unknown, env: Record<string, string>): string => {
      try {
        resolveConfig(file, env);
        return 'accepted';
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigError);
        return (e as Error).message;
      }
    };
    expect(message(base, { ACCESS_REVIEW_SHARD_INDEX: '4', ACCESS_REVIEW_SHARD_COUNT: '4', ACCESS_REVIEW_RUN_GROUP: 'g' })).toContain('scope.shard.index must be an integer from 0 to 3');
    const bad = message({ scope: { mode: 'account' } }, { ACCESS_REVIEW_SHARD_INDEX: '0', ACCESS_REVIEW_SHARD_COUNT: '2' });
    expect(bad).toContain('needs scope.mode "organization"');
    expect(bad).toContain('needs scope.runGroup');
    expect(bad).toContain('needs archive.bucket');
    expect(message(base, { ACCESS_REVIEW_SHARD_COUNT: '2', ACCESS_REVIEW_RUN_GROUP: 'g' })).toContain('ACCESS_REVIEW_SHARD_INDEX (not set) (scope.shard.index): must be integer');
  });
});

describe('resolveConfig', () => {
  it('returns the defaults for no file and no environment', () => {
    expect(resolveConfig(undefined, {})).toEqual(DEFAULT_CONFIG);
  });

  it('layers file then environment, arrays replaced rather than merged', () => {
    const c = resolveConfig(
      { scope: { mode: 'organization', excludeAccounts: ['111111111111'] }, regions: ['eu-west-1'], archive: { bucket: 'my-archive' } },
      { AWS_REGION: 'eu-central-1', ACCESS_REVIEW_REGIONS: 'us-east-1, eu-west-1', ACCESS_REVIEW_BUCKET: 'other-archive' },
    );
    expect(c.scope.mode).toBe('organization');
    expect(c.scope.memberRoleName).toBe('AccessReviewReadOnly');
    expect(c.scope.excludeAccounts).toEqual(['111111111111']);
    expect(c.regions).toEqual(['us-east-1', 'eu-west-1']);
    expect(c.aws.region).toBe('eu-central-1');
    expect(c.archive).toEqual({ prefix: 'access-review', bucket: 'other-archive' });
  });

  it('names every problem in a bad file', () => {
    const bad = { scope: { mode: 'everything' }, cloudtrail: { lookbackDays: 500 }, colour: 'blue', analysis: { suppressions: [{ ruleId: 'x', resource: '*' }] } };
    let err: unknown;
    try {
      resolveConfig(bad, {}, 'my.json');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const msg = (err as Error).message;
    expect(msg).toContain('my.json is invalid');
    expect(msg).toContain('/scope/mode: must be one of "account", "organization"');
    expect(msg).toContain('/cloudtrail/lookbackDays: must be <= 400');
    expect(msg).toContain('unknown field "colour"');
    expect(msg).toContain("must have required property 'reason'");
  });

  it('rejects invalid environment values by the variable name, value and the setting it feeds', () => {
    const message = (env: Record<string, string>, file?: unknown): string => {
      try {
        resolveConfig(file, env);
        return 'accepted';
      } catch (e) {
        return (e as Error).message;
      }
    };
    expect(message({ ACCESS_REVIEW_MODE: 'galaxy' })).toContain('ACCESS_REVIEW_MODE="galaxy" (scope.mode): must be one of "account", "organization"');
    expect(message({ ACCESS_REVIEW_LOOKBACK_DAYS: 'ninety' })).toContain('ACCESS_REVIEW_LOOKBACK_DAYS="ninety" (cloudtrail.lookbackDays): must be integer');
    expect(message({ ACCESS_REVIEW_S3_FORCE_PATH_STYLE: 'maybe' })).toContain('environment variable ACCESS_REVIEW_S3_FORCE_PATH_STYLE must be true or false (also 1/0, yes/no, on/off), not "maybe"');
    expect(message({ ACCESS_REVIEW_REGIONS: 'us-east-1,Mars' })).toContain('ACCESS_REVIEW_REGIONS="us-east-1,Mars" (regions.1):');
    expect(message({ ACCESS_REVIEW_EMAIL_TO: 'not-an-address' }, { email: { from: 'a@acme.example' } })).toContain('ACCESS_REVIEW_EMAIL_TO="not-an-address" (email.to.0):');
    // A file's own mistakes are still reported by path.
    expect(message({}, { scope: { mode: 'galaxy' } })).toContain('/scope/mode: must be one of');
  });

  it('take the member role ExternalId and Security Hub from the environment too', () => {
    const c = resolveConfig(undefined, { ACCESS_REVIEW_MEMBER_ROLE_EXTERNAL_ID: 'acme-7f3a', ACCESS_REVIEW_SECURITY_HUB: 'true' });
    expect(c.scope.memberRoleExternalId).toBe('acme-7f3a');
    expect(c.securityHub).toEqual({ enabled: true });
  });

  it('deepMerge keeps base keys absent from the override', () => {
    expect(deepMerge({ a: { b: 1, c: 2 }, d: [1] }, { a: { c: 3 }, d: [2] })).toEqual({ a: { b: 1, c: 3 }, d: [2] });
  });
});

describe('input the loader must not misread', () => {
  it('booleans from the environment accept the usual spellings and name the variable otherwise', () => {
    for (const yes of ['true', 'TRUE', '1', 'yes', 'on']) expect(resolveConfig(undefined, { ACCESS_REVIEW_S3_FORCE_PATH_STYLE: yes }).aws.s3ForcePathStyle).toBe(true);
    for (const no of ['false', '0', 'No', 'off']) expect(resolveConfig(undefined, { ACCESS_REVIEW_S3_FORCE_PATH_STYLE: no }).aws.s3ForcePathStyle).toBe(false);
    expect(() => resolveConfig(undefined, { ACCESS_REVIEW_S3_FORCE_PATH_STYLE: 'ture' })).toThrow(ConfigError);
    expect(() => resolveConfig(undefined, { ACCESS_REVIEW_S3_FORCE_PATH_STYLE: 'ture' })).toThrow(/ACCESS_REVIEW_S3_FORCE_PATH_STYLE must be true or false .*not "ture"/);
  });

  it('a config file saved with a UTF-8 byte-order mark is read like one without', async () => {
    const { mkdtemp, writeFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const { loadConfig } = await import('../../src/config/load-config.js');
    const file = path.join(await mkdtemp(path.join(tmpdir(), 'ar-bom-')), 'config.json');
    await writeFile(file, `\uFEFF${JSON.stringify({ regions: ['eu-west-1'] })}`, 'utf8');
    expect((await loadConfig(file, {})).regions).toEqual(['eu-west-1']);
  });
});

describe('cloudtrail settings split between the file and the environment', () => {
  const file = { cloudtrail: { source: 'organization-trail', organizationTrail: { bucket: 'org-trail-logs', organizationId: 'o-abc123def4' } } };

  it('a region from the environment completes the trail the file names (before: refused, no bucket in the environment)', () => {
    const config = resolveConfig(file, { ACCESS_REVIEW_TRAIL_REGION: 'eu-west-1', AWS_REGION: 'us-east-1' });
    expect(config.cloudtrail.organizationTrail).toMatchObject({ bucket: 'org-trail-logs', organizationId: 'o-abc123def4', region: 'eu-west-1' });
  });

  it('a bucket from the environment completes a trail whose prefix the file sets', () => {
    const config = resolveConfig({ cloudtrail: { organizationTrail: { prefix: 'logs' } } }, { ACCESS_REVIEW_TRAIL_BUCKET: 'org-trail-logs' });
    expect(config.cloudtrail.organizationTrail).toMatchObject({ bucket: 'org-trail-logs', prefix: 'logs' });
  });

  it('a trail with no bucket anywhere is still refused, and a bad region from the environment names its variable', () => {
    expect(() => resolveConfig({}, { ACCESS_REVIEW_TRAIL_REGION: 'eu-west-1' })).toThrow(/cloudtrail settings[\s\S]*bucket/);
    expect(() => resolveConfig(file, { ACCESS_REVIEW_TRAIL_REGION: 'not a region' })).toThrow(/ACCESS_REVIEW_TRAIL_REGION="not a region" \(cloudtrail\.organizationTrail\.region\)/);
  });
});

describe('a resolved config is its own', () => {
  it('changing one does not change the defaults the next resolution starts from', () => {
    const first = resolveConfig({}, {});
    first.cloudtrail.requestsPerSecond = 1000;
    first.regions.push('eu-west-1');
    const second = resolveConfig({}, {});
    expect(second.cloudtrail.requestsPerSecond).toBe(DEFAULT_CONFIG.cloudtrail.requestsPerSecond);
    expect(second.regions).toEqual(DEFAULT_CONFIG.regions);
    expect(DEFAULT_CONFIG.cloudtrail.requestsPerSecond).toBeLessThanOrEqual(2);
  });
});
