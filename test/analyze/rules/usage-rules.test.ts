import { describe, expect, it } from 'vitest';
import type { CoverageItem } from '../../../src/model/snapshot.js';
import { ACCOUNT, DATADOG, EXTERNAL, ORG_ACCOUNT, WINDOW, allow, assumption, findings, policy, role, roleArn, roleReview, runRoles } from '../builders.js';

const usage = (assumptions: ReturnType<typeof assumption>[]) => ({ usage: { window: WINDOW, regions: ['us-east-1'], eventsRead: 10, assumptions } });
const extId = { Condition: { StringEquals: { 'sts:ExternalId': 'x-123' } } };

describe('usage join', () => {
  it('attributes each caller to the most specific grant and keeps RoleLastUsed', () => {
    const review = runRoles(
      [role('deploy', policy(allow({ AWS: [`arn:aws:iam::${ORG_ACCOUNT}:root`, `arn:aws:iam::${ORG_ACCOUNT}:role/team/ci`] })))],
      usage([
        assumption('deploy', { callerArn: `arn:aws:sts::${ORG_ACCOUNT}:assumed-role/ci/build-1`, callerAccountId: ORG_ACCOUNT, callerType: 'AssumedRole', count: 7 }),
        assumption('deploy', { callerArn: `arn:aws:sts::${ORG_ACCOUNT}:assumed-role/ops/alice`, callerAccountId: ORG_ACCOUNT, callerType: 'AssumedRole', count: 2 }),
      ]),
    );
    const deploy = roleReview(review, 'deploy');
    const [ciGrant, rootGrant] = deploy.trustGrants;
    expect(ciGrant?.principal.raw).toBe(`arn:aws:iam::${ORG_ACCOUNT}:role/team/ci`);
    expect(ciGrant?.usage).toEqual({
      used: true,
      state: 'used',
      count: 7,
      callers: [`arn:aws:sts::${ORG_ACCOUNT}:assumed-role/ci/build-1`],
      firstSeen: '2026-10-01T00:00:00.000Z',
      lastSeen: '2026-11-20T00:00:00.000Z',
    });
    expect(rootGrant?.usage.callers).toEqual([`arn:aws:sts::${ORG_ACCOUNT}:assumed-role/ops/alice`]);
    expect(deploy.usage).toMatchObject({ lastUsed: '2026-11-20T10:00:00.000Z', lastUsedRegion: 'us-east-1', assumeCount: 9 });
  });

  it("the owner's copy of a cross-account event, with only the caller's account, is not unexpected", () => {
    const review = runRoles(
      [role('deploy', policy(allow({ AWS: `arn:aws:iam::${ORG_ACCOUNT}:role/ci` })))],
      usage([assumption('deploy', { callerAccountId: ORG_ACCOUNT, callerType: 'AWSAccount' })]),
    );
    expect(roleReview(review, 'deploy').trustGrants[0]?.usage.used).toBe(true);
    expect(findings(review, 'trust-unexpected-caller')).toEqual([]);
  });

  it('matches web identity and SAML calls to their providers', () => {
    const gh = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
    const review = runRoles(
      [role('ci', policy(allow({ Federated: gh }, { Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringEquals: { 'token.actions.githubusercontent.com:sub': 'repo:acme/app:ref:refs/heads/main' } } })))],
      usage([assumption('ci', { eventName: 'AssumeRoleWithWebIdentity', callerArn: 'https://token.actions.githubusercontent.com', callerType: 'WebIdentityUser' })]),
    );
    expect(roleReview(review, 'ci').trustGrants[0]?.usage.used).toBe(true);
    expect(findings(review, 'trust-unexpected-caller')).toEqual([]);

    const okta = `arn:aws:iam::${ACCOUNT}:saml-provider/Okta`;
    const saml = runRoles(
      [role('sso', policy(allow({ Federated: okta }, { Action: 'sts:AssumeRoleWithSAML', Condition: { StringEquals: { 'SAML:aud': 'https://signin.aws.amazon.com/saml' } } })))],
      usage([
        assumption('sso', { eventName: 'AssumeRoleWithSAML', callerArn: okta, callerType: 'SAMLUser' }),
        assumption('sso', { eventName: 'AssumeRoleWithSAML', callerArn: `arn:aws:iam::${ACCOUNT}:saml-provider/Other`, callerType: 'SAMLUser' }),
      ]),
    );
    expect(roleReview(saml, 'sso').usage.callers.map((c) => [c.id, c.grantId !== undefined])).toEqual([
      [`arn:aws:iam::${ACCOUNT}:saml-provider/Okta`, true],
      [`arn:aws:iam::${ACCOUNT}:saml-provider/Other`, false],
    ]);

    // Real SAMLUser records carry an opaque identityProvider hash rather than the provider ARN.
    const opaque = runRoles(
      [role('sso', policy(allow({ Federated: okta }, { Action: 'sts:AssumeRoleWithSAML' })))],
      usage([assumption('sso', { eventName: 'AssumeRoleWithSAML', callerArn: 'aHR0cHM6Ly9wb3J0YWwuc3NvLnV=', callerType: 'SAMLUser' })]),
    );
    expect(roleReview(opaque, 'sso').trustGrants[0]?.usage.used).toBe(true);
    expect(findings(opaque, 'trust-unexpected-caller')).toEqual([]);

    // A web identity token from another issuer is not admitted by a GitHub grant.
    const otherIssuer = runRoles(
      [role('ci', policy(allow({ Federated: gh }, { Action: 'sts:AssumeRoleWithWebIdentity' })))],
      usage([assumption('ci', { eventName: 'AssumeRoleWithWebIdentity', callerArn: 'accounts.google.com', callerType: 'WebIdentityUser' })]),
    );
    expect(findings(otherIssuer, 'trust-unexpected-caller')).toHaveLength(1);
  });
});

describe('trust-unexpected-caller', () => {
  it('fires for a caller from an account no grant admits', () => {
    const review = runRoles(
      [role('deploy', policy(allow({ AWS: ORG_ACCOUNT })))],
      usage([assumption('deploy', { callerArn: `arn:aws:sts::${EXTERNAL}:assumed-role/x/y`, callerAccountId: EXTERNAL, callerType: 'AssumedRole' })]),
    );
    const [hit] = findings(review, 'trust-unexpected-caller');
    expect(hit?.message).toBe(
      `arn:aws:sts::${EXTERNAL}:assumed-role/x/y called AssumeRole on deploy 3 time(s) (last 2026-11-20T00:00:00.000Z), but no trust statement admits it.`,
    );
    expect(roleReview(review, 'deploy').usage.callers[0]?.grantId).toBeUndefined();
  });

  it('a role named in the trust does not admit another role of the same account', () => {
    const review = runRoles(
      [role('deploy', policy(allow({ AWS: `arn:aws:iam::${ORG_ACCOUNT}:role/ci` })))],
      usage([assumption('deploy', { callerArn: `arn:aws:sts::${ORG_ACCOUNT}:assumed-role/other/s`, callerAccountId: ORG_ACCOUNT })]),
    );
    expect(findings(review, 'trust-unexpected-caller')).toHaveLength(1);
  });

  it('a caller through a Deny-negated grant is unexpected', () => {
    const review = runRoles(
      [role('deploy', policy(allow({ AWS: ORG_ACCOUNT }), { Effect: 'Deny', Principal: { AWS: ORG_ACCOUNT }, Action: 'sts:AssumeRole' }))],
      usage([assumption('deploy', { callerAccountId: ORG_ACCOUNT })]),
    );
    expect(findings(review, 'trust-unexpected-caller')).toHaveLength(1);
  });
});

describe('trust-cross-account-unused', () => {
  it('fires for a vendor grant nobody used while CloudTrail was read completely', () => {
    const review = runRoles([role('datadog', policy(allow({ AWS: DATADOG }, extId)))], usage([]));
    const [hit] = findings(review, 'trust-cross-account-unused');
    expect(hit).toMatchObject({ severity: 'medium', subject: DATADOG });
    expect(hit?.message).toBe(`Datadog, account ${DATADOG} (any principal) did not assume datadog between 2026-08-27 to 2026-11-25 (90 days of CloudTrail).`);
  });

  it('is low for an organization account, and silent for a used grant', () => {
    const review = runRoles(
      [role('org', policy(allow({ AWS: ORG_ACCOUNT }))), role('used', policy(allow({ AWS: DATADOG }, extId)))],
      usage([assumption('used', { callerAccountId: DATADOG, callerArn: `arn:aws:sts::${DATADOG}:assumed-role/DatadogIntegration/s` })]),
    );
    expect(findings(review, 'trust-cross-account-unused').map((f) => [f.resource, f.severity])).toEqual([[roleArn('org'), 'low']]);
    expect(review.summary.unusedCrossAccountGrants).toBe(1);
  });

  it('is not judged when CloudTrail coverage failed in a region', () => {
    const coverage: CoverageItem[] = [
      { source: 'iam', status: 'ok' },
      { source: 'cloudtrail', region: 'us-east-1', status: 'failed', detail: 'AccessDenied on cloudtrail:LookupEvents', errorCode: 'AccessDeniedException' },
    ];
    const review = runRoles([role('datadog', policy(allow({ AWS: DATADOG }, extId)))], { ...usage([]), coverage });
    expect(findings(review, 'trust-cross-account-unused')).toEqual([]);
    expect(findings(review, 'coverage-cloudtrail-gap')).toHaveLength(1);
    expect(review.summary.unusedCrossAccountGrants).toBe(0);
  });

  it('leaves a wholly unused role to role-unused', () => {
    const review = runRoles([role('dormant', policy(allow({ AWS: DATADOG }, extId)), { lastUsed: undefined })], usage([]));
    expect(findings(review, 'trust-cross-account-unused')).toEqual([]);
    expect(findings(review, 'role-unused')).toHaveLength(1);
  });

  it('skips roles created during the window', () => {
    const review = runRoles([role('new', policy(allow({ AWS: DATADOG }, extId)), { createDate: '2026-11-01T00:00:00.000Z' })], usage([]));
    expect(findings(review, 'trust-cross-account-unused')).toEqual([]);
  });
});

describe('role-unused', () => {
  it('fires for a role last used 200 days ago and for one never used', () => {
    const review = runRoles([
      role('stale', policy(allow({ AWS: ORG_ACCOUNT })), { lastUsed: { date: '2026-05-09T00:00:00.000Z', region: 'eu-west-1' } }),
      role('never', policy(allow({ AWS: ORG_ACCOUNT })), { lastUsed: undefined }),
      role('fresh', policy(allow({ AWS: ORG_ACCOUNT }))),
    ]);
    const hits = findings(review, 'role-unused');
    expect(hits.map((f) => [f.resource, f.severity])).toEqual([
      [roleArn('never'), 'low'],
      [roleArn('stale'), 'low'],
    ]);
    expect(hits[1]?.message).toBe('stale was last used on 2026-05-09, 200 days ago (threshold 90 days).');
    expect(hits[0]?.message).toBe('never has no recorded use: IAM reports no use in the last 400 days and CloudTrail shows no assumption.');
    expect(review.summary.unusedRoles).toBe(2);
  });

  it('honours unusedAfterDays, recent creation and CloudTrail use newer than RoleLastUsed', () => {
    const review = runRoles(
      [
        role('stale', policy(allow({ AWS: ORG_ACCOUNT })), { lastUsed: { date: '2026-05-09T00:00:00.000Z' } }),
        role('brand-new', policy(allow({ AWS: ORG_ACCOUNT })), { lastUsed: undefined, createDate: '2026-11-01T00:00:00.000Z' }),
        role('trail-used', policy(allow({ AWS: ORG_ACCOUNT })), { lastUsed: undefined }),
      ],
      usage([assumption('trail-used', { callerAccountId: ORG_ACCOUNT })]),
      { settings: { unusedAfterDays: 365 } },
    );
    expect(findings(review, 'role-unused')).toEqual([]);
  });

  it('leaves service-linked roles alone', () => {
    const review = runRoles([
      role('AWSServiceRoleForSupport', policy(allow({ Service: 'support.amazonaws.com' })), { path: '/aws-service-role/support.amazonaws.com/', lastUsed: undefined }),
    ]);
    expect(findings(review, 'role-unused')).toEqual([]);
    expect(roleReview(review, 'AWSServiceRoleForSupport').serviceLinked).toBe(true);
  });
});
