import { describe, expect, it } from 'vitest';
import {
  ACCOUNT,
  DATADOG,
  EXTERNAL,
  ORG_ACCOUNT,
  ORG_ID,
  allow,
  assumption,
  deny,
  findings,
  policy,
  role,
  roleArn,
  roleReview,
  runRoles,
} from '../builders.js';

const GITHUB = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
const EKS = `arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/5C0FFEE0123456789`;
const OKTA = `arn:aws:iam::${ACCOUNT}:saml-provider/Okta`;

function github(condition?: Record<string, Record<string, string | string[]>>) {
  return policy(allow({ Federated: GITHUB }, { Action: 'sts:AssumeRoleWithWebIdentity', ...(condition ? { Condition: condition } : {}) }));
}

function datadog(condition?: Record<string, Record<string, string>>) {
  return policy(allow({ AWS: `arn:aws:iam::${DATADOG}:root` }, condition ? { Condition: condition } : {}));
}

describe('trust-public', () => {
  it('fires for Principal "*" and {"AWS": "*"} with no conditions', () => {
    const review = runRoles([role('open', policy(allow('*'))), role('open-aws', policy(allow({ AWS: '*' })))]);
    const hits = findings(review, 'trust-public');
    expect(hits.map((f) => [f.resource, f.severity, f.subject])).toEqual([
      [roleArn('open'), 'critical', '*'],
      [roleArn('open-aws'), 'critical', '*'],
    ]);
    expect(hits[0]?.message).toBe('Any principal in any AWS account can assume open: the statement has no conditions.');
  });

  it('does not fire when aws:PrincipalOrgID pins the organization', () => {
    const review = runRoles([role('org-wide', policy(allow({ AWS: '*' }, { Condition: { StringEquals: { 'aws:PrincipalOrgID': ORG_ID } } })))]);
    expect(findings(review, 'trust-public')).toEqual([]);
  });

  it('fires when the only condition is one the caller controls or a wildcard', () => {
    const review = runRoles([
      role('extid-only', policy(allow({ AWS: '*' }, { Condition: { StringEquals: { 'sts:ExternalId': 'secret' } } }))),
      role('org-like-star', policy(allow({ AWS: '*' }, { Condition: { StringLike: { 'aws:PrincipalOrgID': '*' } } }))),
    ]);
    const hits = findings(review, 'trust-public');
    expect(hits.map((f) => f.resource).sort()).toEqual([roleArn('extid-only'), roleArn('org-like-star')]);
    expect(hits.find((f) => f.resource === roleArn('org-like-star'))?.message).toBe(
      'Any principal in any AWS account can assume org-like-star: its conditions do not restrict the caller (aws:PrincipalOrgID StringLike "*", which does not restrict: The pattern "*" matches any value).',
    );
  });

  it('fires for Allow with NotPrincipal, and not when a Deny takes the public grant away', () => {
    const review = runRoles([
      role('not-principal', policy({ Effect: 'Allow', NotPrincipal: { AWS: `arn:aws:iam::${EXTERNAL}:root` }, Action: 'sts:AssumeRole' })),
      role('denied', policy(allow('*'), deny('*'))),
    ]);
    expect(findings(review, 'trust-public').map((f) => f.resource)).toEqual([roleArn('not-principal')]);
  });

  it('does not fire for a public grant pinned by a Deny-unless-org statement', () => {
    const review = runRoles([
      role('deny-guarded', policy(allow({ AWS: '*' }), deny({ AWS: '*' }, { Condition: { StringNotEquals: { 'aws:PrincipalOrgID': ORG_ID } } }))),
    ]);
    expect(findings(review, 'trust-public')).toEqual([]);
  });
});

describe('trust-unknown-external-account', () => {
  it('fires for an unknown account root and for a role in it, not for org accounts or vendors', () => {
    const review = runRoles([
      role('ext-root', policy(allow({ AWS: `arn:aws:iam::${EXTERNAL}:root` }))),
      role('ext-role', policy(allow({ AWS: `arn:aws:iam::${EXTERNAL}:role/deployer` }))),
      role('org', policy(allow({ AWS: `arn:aws:iam::${ORG_ACCOUNT}:root` }))),
      role('vendor', datadog({ StringEquals: { 'sts:ExternalId': 'dd-123' } })),
      role('same', policy(allow({ AWS: ACCOUNT }))),
    ]);
    const hits = findings(review, 'trust-unknown-external-account');
    expect(hits.map((f) => [f.resource, f.severity])).toEqual([
      [roleArn('ext-root'), 'high'],
      [roleArn('ext-role'), 'medium'],
    ]);
    expect(hits[0]?.message).toBe(
      `ext-root trusts External account ${EXTERNAL} (any principal), which is outside the organization and not a known vendor; nothing restricts it: any principal that account authorises can assume the role.`,
    );
    // Trusting the whole account scores above naming one role.
    expect((hits[0]?.score ?? 0) > (hits[1]?.score ?? 0)).toBe(true);
    expect(hits[0]?.evidence.find((e) => e.label === 'Scope')?.value).toBe(
      'every principal in the account that its own IAM policies allow (the account root delegates)',
    );
  });

  it('grades an unknown account by what restricts it; declaring it a vendor clears it', () => {
    const roles = [
      role('root-bare', policy(allow({ AWS: `arn:aws:iam::${EXTERNAL}:root` }))),
      role('root-extid', policy(allow({ AWS: `arn:aws:iam::${EXTERNAL}:root` }, { Condition: { StringEquals: { 'sts:ExternalId': 'x-1' } } }))),
      role(
        'role-extid',
        policy(allow({ AWS: `arn:aws:iam::${EXTERNAL}:role/deployer` }, { Condition: { StringEquals: { 'sts:ExternalId': 'x-1' } } })),
      ),
      role(
        'root-mfa-ip',
        policy(allow({ AWS: EXTERNAL }, { Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' }, IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } })),
      ),
      // An ExternalId check that passes without the key restricts nothing.
      role('root-extid-ifexists', policy(allow({ AWS: EXTERNAL }, { Condition: { StringEqualsIfExists: { 'sts:ExternalId': 'x-1' } } }))),
    ];
    const review = runRoles(roles);
    const bySeverity = Object.fromEntries(findings(review, 'trust-unknown-external-account').map((f) => [f.resource.split('/').pop(), f.severity]));
    expect(bySeverity).toEqual({ 'root-bare': 'high', 'root-extid': 'medium', 'role-extid': 'low', 'root-mfa-ip': 'low', 'root-extid-ifexists': 'high' });
    const mfaIp = findings(review, 'trust-unknown-external-account').find((f) => f.resource === roleArn('root-mfa-ip'));
    expect(mfaIp?.evidence.find((e) => e.label === 'What restricts it')?.value).toBe('requires MFA; limits the source network (aws:SourceIp 203.0.113.0/24)');
    expect(mfaIp?.remediation).toContain('declare it in the config (analysis.vendors');
    const declared = runRoles(roles, {}, { settings: { extraVendors: [{ accountId: EXTERNAL, name: 'Acme Deploy', source: 'contract 42' }] } });
    expect(findings(declared, 'trust-unknown-external-account')).toEqual([]);
  });

  it('fires for a service trust whose source guard names an unknown account, also among own ones', () => {
    const cloudtrail = (condition: Record<string, Record<string, string | string[]>>) =>
      policy(allow({ Service: 'cloudtrail.amazonaws.com' }, { Condition: condition }));
    const review = runRoles([
      role('ct-own', cloudtrail({ StringEquals: { 'aws:SourceAccount': ACCOUNT } })),
      role('ct-foreign', cloudtrail({ StringEquals: { 'aws:SourceAccount': [ACCOUNT, EXTERNAL] } })),
      role('ct-arn', cloudtrail({ ArnLike: { 'aws:SourceArn': `arn:aws:cloudtrail:us-east-1:${EXTERNAL}:trail/*` } })),
      role('ct-org', cloudtrail({ StringEquals: { 'aws:SourceOrgID': ORG_ID } })),
      role('ct-vendor', cloudtrail({ StringEquals: { 'aws:SourceAccount': DATADOG } })),
    ]);
    const hits = findings(review, 'trust-unknown-external-account');
    expect(hits.map((f) => f.resource).sort()).toEqual([roleArn('ct-arn'), roleArn('ct-foreign')]);
    expect(hits.find((f) => f.resource === roleArn('ct-foreign'))?.message).toBe(
      `ct-foreign lets cloudtrail.amazonaws.com act for resources of a party outside the organization that is not a known vendor (aws:SourceAccount StringEquals "${ACCOUNT}", "${EXTERNAL}"): that account can have the service use this role.`,
    );
    expect(findings(review, 'trust-service-without-source')).toEqual([]);
  });

  it('fires for Principal "*" pinned by its conditions to another organization or an unknown account', () => {
    const review = runRoles([
      role('other-org', policy(allow({ AWS: '*' }, { Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-someoneelse' } } }))),
      role('ext-account', policy(allow({ AWS: '*' }, { Condition: { StringEquals: { 'aws:PrincipalAccount': EXTERNAL } } }))),
      role('own-org', policy(allow({ AWS: '*' }, { Condition: { StringEquals: { 'aws:PrincipalOrgID': ORG_ID } } }))),
      role('org-role', policy(allow({ AWS: '*' }, { Condition: { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${ORG_ACCOUNT}:role/ci-*` } } }))),
      // Conditions are ANDed: an outside account that must also be in this organization is nobody outside.
      role('both', policy(allow({ AWS: '*' }, { Condition: { StringEquals: { 'aws:PrincipalAccount': EXTERNAL, 'aws:PrincipalOrgID': ORG_ID } } }))),
      role('vendor-pinned', policy(allow({ AWS: '*' }, { Condition: { StringEquals: { 'aws:PrincipalAccount': DATADOG } } }))),
    ]);
    const hits = findings(review, 'trust-unknown-external-account');
    expect(hits.map((f) => f.resource).sort()).toEqual([roleArn('ext-account'), roleArn('other-org')]);
    expect(hits.find((f) => f.resource === roleArn('other-org'))?.message).toBe(
      `other-org trusts any principal whose request passes aws:PrincipalOrgID StringEquals "o-someoneelse" (Names o-someoneelse, not this organization (${ORG_ID})): that admits a party outside the organization that is not a known vendor.`,
    );
    expect(findings(review, 'trust-public')).toEqual([]);
  });

  it('fires for Principal "*" narrowed by "Deny everyone but" an unknown account, not by one inside', () => {
    const review = runRoles([
      role('spares-ext', policy(allow('*'), { Effect: 'Deny', NotPrincipal: { AWS: `arn:aws:iam::${EXTERNAL}:root` }, Action: 'sts:AssumeRole' })),
      role('spares-org', policy(allow('*'), { Effect: 'Deny', NotPrincipal: { AWS: `arn:aws:iam::${ORG_ACCOUNT}:role/ci` }, Action: 'sts:AssumeRole' })),
    ]);
    expect(findings(review, 'trust-unknown-external-account').map((f) => f.resource)).toEqual([roleArn('spares-ext')]);
    expect(findings(review, 'trust-public')).toEqual([]);
    expect(roleReview(review, 'spares-org').trustGrants[0]?.guards[0]).toMatchObject({ operator: 'NotPrincipal', party: 'inside' });
  });

  it('a Deny that removes the grant removes the finding', () => {
    const review = runRoles([role('ext', policy(allow({ AWS: EXTERNAL }), deny({ AWS: `arn:aws:iam::${EXTERNAL}:root` })))]);
    expect(findings(review, 'trust-unknown-external-account')).toEqual([]);
    expect(review.accounts[0]?.roles[0]?.trustGrants[0]?.negatedBy).toBe('statement 2 (Deny)');
  });
});

describe('trust-vendor-without-external-id', () => {
  it('fires for Datadog without sts:ExternalId', () => {
    const review = runRoles([role('datadog', datadog())]);
    const [hit] = findings(review, 'trust-vendor-without-external-id');
    expect(hit).toMatchObject({ severity: 'high', resource: roleArn('datadog'), subject: `arn:aws:iam::${DATADOG}:root` });
    expect(hit?.message).toBe('datadog trusts Datadog without an ExternalId condition: another customer of the vendor could have it assume this role.');
    expect(hit?.evidence).toContainEqual({ label: 'Vendor', value: 'Datadog (https://docs.datadoghq.com/integrations/guide/aws-manual-setup/)' });
  });

  it('does not fire for Datadog with StringEquals sts:ExternalId', () => {
    const review = runRoles([role('datadog', datadog({ StringEquals: { 'sts:ExternalId': '4f1c2a9e8b7d' } }))]);
    expect(findings(review, 'trust-vendor-without-external-id')).toEqual([]);
  });

  it('fires when the ExternalId condition is StringLike "*" or IfExists', () => {
    const review = runRoles([
      role('dd-star', datadog({ StringLike: { 'sts:ExternalId': '*' } })),
      role('dd-ifexists', datadog({ StringEqualsIfExists: { 'sts:ExternalId': '4f1c2a9e8b7d' } })),
    ]);
    const hits = findings(review, 'trust-vendor-without-external-id');
    expect(hits.map((f) => f.resource).sort()).toEqual([roleArn('dd-ifexists'), roleArn('dd-star')]);
    expect(hits.find((f) => f.resource === roleArn('dd-ifexists'))?.message).toContain(
      'with an ExternalId condition that does not restrict (StringEqualsIfExists passes when the request carries no sts:ExternalId)',
    );
  });

  it('a vendor added in the config is recognised', () => {
    const review = runRoles([role('acme-vendor', policy(allow({ AWS: EXTERNAL })))], {}, {
      settings: { extraVendors: [{ accountId: EXTERNAL, name: 'Acme Monitoring', source: 'https://acme.example/docs/aws' }] },
    });
    expect(findings(review, 'trust-vendor-without-external-id')).toHaveLength(1);
    expect(findings(review, 'trust-unknown-external-account')).toEqual([]);
  });
});

describe('trust-service-without-source', () => {
  const s3 = (condition?: Record<string, Record<string, string>>) =>
    policy(allow({ Service: 's3.amazonaws.com' }, condition ? { Condition: condition } : {}));

  it('fires for s3.amazonaws.com without aws:SourceAccount', () => {
    const review = runRoles([role('replication', s3())]);
    expect(findings(review, 'trust-service-without-source').map((f) => [f.resource, f.severity, f.subject])).toEqual([
      [roleArn('replication'), 'medium', 's3.amazonaws.com'],
    ]);
  });

  it('does not fire with aws:SourceAccount or a pinned aws:SourceArn', () => {
    const review = runRoles([
      role('replication-account', s3({ StringEquals: { 'aws:SourceAccount': ACCOUNT } })),
      role('replication-arn', s3({ ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::acme-data' } })),
    ]);
    expect(findings(review, 'trust-service-without-source')).toEqual([]);
  });

  it('fires when aws:SourceArn admits any bucket', () => {
    const review = runRoles([role('replication-any', s3({ ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::*' } }))]);
    expect(findings(review, 'trust-service-without-source')).toHaveLength(1);
  });

  it('leaves compute execution roles and service-linked roles alone', () => {
    const review = runRoles([
      role('lambda-exec', policy(allow({ Service: 'lambda.amazonaws.com' }))),
      role('ec2-instance', policy(allow({ Service: ['ec2.amazonaws.com'] }))),
      role('AWSServiceRoleForConfig', policy(allow({ Service: 'config.amazonaws.com' })), { path: '/aws-service-role/config.amazonaws.com/' }),
    ]);
    expect(findings(review, 'trust-service-without-source')).toEqual([]);
  });
});

describe('trust-oidc-without-subject', () => {
  it('does not fire for a GitHub trust pinned to one repository and branch', () => {
    const review = runRoles([
      role(
        'gh-deploy',
        github({
          StringEquals: {
            'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
            'token.actions.githubusercontent.com:sub': 'repo:acme/app:ref:refs/heads/main',
          },
        }),
      ),
    ]);
    expect(findings(review, 'trust-oidc-without-subject')).toEqual([]);
  });

  it('fires critical for a GitHub trust with sub "*"', () => {
    const review = runRoles([
      role(
        'gh-star',
        github({ StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' }, StringLike: { 'token.actions.githubusercontent.com:sub': '*' } }),
      ),
    ]);
    const [hit] = findings(review, 'trust-oidc-without-subject');
    expect(hit?.severity).toBe('critical');
    expect(hit?.message).toBe(
      'gh-star trusts GitHub Actions with a sub condition that does not restrict (The pattern "*" matches any value): any GitHub Actions user, in any organization, can assume it.',
    );
  });

  it('fires critical for a GitHub trust with only the aud condition (no sub)', () => {
    const review = runRoles([role('gh-aud-only', github({ StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' } }))]);
    const [hit] = findings(review, 'trust-oidc-without-subject');
    expect(hit?.severity).toBe('critical');
    expect(hit?.message).toBe('gh-aud-only trusts GitHub Actions without a condition on sub: any GitHub Actions user, in any organization, can assume it.');
    expect(hit?.evidence).toContainEqual({ label: 'Issuer', value: 'GitHub Actions (token.actions.githubusercontent.com), multi-tenant' });
  });

  it('fires for "repo:acme*" (owner not pinned) but not for "repo:acme/*"', () => {
    const review = runRoles([
      role('gh-prefix', github({ StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:acme*' } })),
      role('gh-org', github({ StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:acme/*' } })),
    ]);
    expect(findings(review, 'trust-oidc-without-subject').map((f) => f.resource)).toEqual([roleArn('gh-prefix')]);
  });

  it('fires high (not critical) for an EKS cluster issuer without sub', () => {
    const review = runRoles([role('irsa', policy(allow({ Federated: EKS }, { Action: 'sts:AssumeRoleWithWebIdentity' })))]);
    expect(findings(review, 'trust-oidc-without-subject').map((f) => f.severity)).toEqual(['high']);
  });

  it('Cognito identity pools are restricted by aud', () => {
    const cognito = (condition?: Record<string, Record<string, string>>) =>
      policy(allow({ Federated: 'cognito-identity.amazonaws.com' }, { Action: 'sts:AssumeRoleWithWebIdentity', ...(condition ? { Condition: condition } : {}) }));
    const review = runRoles([
      role('pool-pinned', cognito({ StringEquals: { 'cognito-identity.amazonaws.com:aud': 'us-east-1:12345678-abcd-4e5f-9a0b-123456789012' } })),
      role('pool-open', cognito()),
    ]);
    expect(findings(review, 'trust-oidc-without-subject').map((f) => f.resource)).toEqual([roleArn('pool-open')]);
  });
});

describe('trust-saml-without-audience', () => {
  it('fires without SAML:aud and not with it', () => {
    const saml = (condition?: Record<string, Record<string, string>>) =>
      policy(allow({ Federated: OKTA }, { Action: 'sts:AssumeRoleWithSAML', ...(condition ? { Condition: condition } : {}) }));
    const review = runRoles([
      role('sso-open', saml()),
      role('sso-ok', saml({ StringEquals: { 'SAML:aud': 'https://signin.aws.amazon.com/saml' } })),
    ]);
    expect(findings(review, 'trust-saml-without-audience').map((f) => [f.resource, f.severity])).toEqual([[roleArn('sso-open'), 'medium']]);
  });
});

describe('trust-cross-account-without-mfa', () => {
  const userArn = `arn:aws:iam::${ORG_ACCOUNT}:user/alice`;

  it('fires when IAM users from another account assume the role without an MFA condition', () => {
    const review = runRoles([role('break-glass', policy(allow({ AWS: `arn:aws:iam::${ORG_ACCOUNT}:root` })))], {
      usage: {
        window: { start: '2026-08-27T06:00:00.000Z', end: '2026-11-25T06:00:00.000Z' },
        regions: ['us-east-1'],
        eventsRead: 5,
        assumptions: [assumption('break-glass', { callerArn: userArn, callerAccountId: ORG_ACCOUNT, callerType: 'IAMUser', count: 5, mfaCount: 1 })],
      },
    });
    const [hit] = findings(review, 'trust-cross-account-without-mfa');
    expect(hit?.message).toBe(
      `IAM users from Organization account ${ORG_ACCOUNT} (any principal) assume break-glass and the trust does not require MFA (4 of 5 assumptions in the window were without MFA).`,
    );
    expect(hit?.evidence).toContainEqual({ label: 'Human caller', value: `${userArn}: 5 assumption(s), 1 with MFA, last 2026-11-20T00:00:00.000Z` });
  });

  it('fires for a trust naming an IAM user, with BoolIfExists MFA (weak)', () => {
    const review = runRoles([
      role('user-trust', policy(allow({ AWS: userArn }, { Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'true' } } }))),
    ]);
    expect(findings(review, 'trust-cross-account-without-mfa').map((f) => f.resource)).toEqual([roleArn('user-trust')]);
  });

  it('does not fire with Bool aws:MultiFactorAuthPresent true, or for role-to-role automation', () => {
    const review = runRoles([
      role('user-mfa', policy(allow({ AWS: userArn }, { Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }))),
      role('automation', policy(allow({ AWS: `arn:aws:iam::${ORG_ACCOUNT}:role/ci` }))),
    ]);
    expect(findings(review, 'trust-cross-account-without-mfa')).toEqual([]);
  });
});

describe('trust-deleted-principal', () => {
  it('fires for a unique id in place of an ARN, not for a live ARN', () => {
    const review = runRoles([
      role('stale', policy(allow({ AWS: ['AROA3XFRBF535PLBIFPI4', `arn:aws:iam::${ORG_ACCOUNT}:role/ci`] }))),
    ]);
    expect(findings(review, 'trust-deleted-principal').map((f) => [f.subject, f.severity])).toEqual([['AROA3XFRBF535PLBIFPI4', 'low']]);
  });
});

describe('trust-ineffective-guard', () => {
  it('reports an IfExists MFA guard on an org trust that no other rule covers', () => {
    const review = runRoles([
      role('ops', policy(allow({ AWS: `arn:aws:iam::${ORG_ACCOUNT}:role/ops` }, { Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'true' } } }))),
    ]);
    const [hit] = findings(review, 'trust-ineffective-guard');
    expect(hit?.severity).toBe('low');
    expect(hit?.message).toBe(
      `The trust of ops admits Role ops in organization account ${ORG_ACCOUNT} under a condition that does not restrict who gets in: aws:MultiFactorAuthPresent BoolIfExists "true" (BoolIfExists passes when the request carries no aws:MultiFactorAuthPresent).`,
    );
  });

  it('stays quiet where a more specific rule already reports the grant', () => {
    const review = runRoles([role('gh', github({ StringLike: { 'token.actions.githubusercontent.com:sub': '*' } }))]);
    expect(findings(review, 'trust-ineffective-guard')).toEqual([]);
    expect(findings(review, 'trust-oidc-without-subject')).toHaveLength(1);
  });
});

describe('policy-unreadable', () => {
  it('records a malformed trust policy on the role and reports it', () => {
    const review = runRoles([role('broken', policy({ Effect: 'Allow', Principal: { AWS: EXTERNAL } }))]);
    const roleReview = review.accounts[0]?.roles[0];
    expect(roleReview?.trustPolicyError).toBe('The trust policy is malformed: Statement 1 must have exactly one of Action and NotAction.');
    expect(roleReview?.trustGrants).toEqual([]);
    expect(findings(review, 'policy-unreadable').map((f) => [f.subject, f.severity])).toEqual([['trust-policy', 'medium']]);
  });

  it('reports an attached policy missing from the snapshot as a permissions gap', () => {
    const review = runRoles([
      role('app', policy(allow({ Service: 'lambda.amazonaws.com' })), {
        attachedPolicies: [{ arn: `arn:aws:iam::${ACCOUNT}:policy/app-data`, name: 'app-data' }],
      }),
    ]);
    expect(review.accounts[0]?.roles[0]?.permissions.gaps).toEqual([
      `Attached policy app-data (arn:aws:iam::${ACCOUNT}:policy/app-data) is not in the snapshot's managed policies; its permissions are not counted.`,
    ]);
    expect(findings(review, 'policy-unreadable').map((f) => [f.subject, f.severity])).toEqual([['permissions', 'low']]);
  });
});

describe('trust-invalid-principal', () => {
  it('reports every principal form IAM rejects, with the raw text, and nothing for valid ones', () => {
    const review = runRoles([
      role('star-root', policy(allow({ AWS: 'arn:aws:iam::*:root' }))),
      role('malformed', policy(allow({ AWS: 'arn:aws:iam:111122223333:root' }))),
      role('bad-service', policy(allow({ Service: 'ec2' }))),
      role('canonical', policy(allow({ CanonicalUser: '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be' }))),
      // An invalid principal is reported whatever action the statement names.
      role('bad-federated', policy(allow({ Federated: 'not-a-provider' }, { Action: 'sts:AssumeRole' }))),
      role('wild-role', policy(allow({ AWS: `arn:aws:iam::${EXTERNAL}:role/deploy-*` }))),
      role('good', policy(allow({ Service: 'logs.us-east-1.amazonaws.com' }, { Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } } }))),
    ]);
    const hits = findings(review, 'trust-invalid-principal');
    expect(hits.map((f) => f.resource).sort()).toEqual([roleArn('bad-federated'), roleArn('bad-service'), roleArn('canonical'), roleArn('malformed'), roleArn('star-root'), roleArn('wild-role')]);
    expect(hits.find((f) => f.resource === roleArn('wild-role'))?.message).toContain('a wildcard inside a principal ARN');
    expect(hits.find((f) => f.resource === roleArn('star-root'))?.message).toBe(
      'The trust policy of star-root holds a principal IAM does not accept: AWS: "arn:aws:iam::*:root" (a wildcard in the account field; IAM accepts "*" only as the whole principal).',
    );
    expect(hits.find((f) => f.resource === roleArn('bad-service'))?.evidence.find((e) => e.label === 'Raw principal')?.value).toBe('Service: ec2');
    expect(roleReview(review, 'good').trustGrants[0]?.principal.class).toBe('service');
  });
});

describe('conditions decided at review time (trust)', () => {
  it('an expired aws:CurrentTime window takes the grant away, and says so', () => {
    const review = runRoles([
      role('expired', policy(allow({ AWS: `arn:aws:iam::${EXTERNAL}:root` }, { Condition: { DateLessThan: { 'aws:CurrentTime': '2025-01-01T00:00:00Z' } } }))),
      role('open', policy(allow({ AWS: `arn:aws:iam::${EXTERNAL}:root` }, { Condition: { DateGreaterThan: { 'aws:CurrentTime': '2025-01-01T00:00:00Z' } } }))),
    ]);
    expect(roleReview(review, 'expired').trustGrants[0]?.negatedBy).toBe(
      'its own condition aws:CurrentTime DateLessThan "2025-01-01T00:00:00Z", which cannot hold at review time',
    );
    expect(findings(review, 'trust-unknown-external-account').map((f) => [f.resource, f.severity])).toEqual([[roleArn('open'), 'high']]);
    expect(roleReview(review, 'open').trustGrants[0]?.guards[0]).toMatchObject({ effective: false });
  });

  it('aws:ResourceAccount is always the role\'s own account, and aws:PrincipalAccount on a service describes the service', () => {
    const review = runRoles([
      role('res-own', policy(allow({ Service: 'sns.amazonaws.com' }, { Condition: { StringEquals: { 'aws:ResourceAccount': ACCOUNT } } }))),
      role('res-other', policy(allow({ Service: 'sns.amazonaws.com' }, { Condition: { StringEquals: { 'aws:ResourceAccount': EXTERNAL } } }))),
      role('principal-account', policy(allow({ Service: 'sns.amazonaws.com' }, { Condition: { StringEquals: { 'aws:PrincipalAccount': ACCOUNT } } }))),
    ]);
    const hits = findings(review, 'trust-service-without-source');
    expect(hits.map((f) => f.resource).sort()).toEqual([roleArn('principal-account'), roleArn('res-own')]);
    const conditions = (name: string) => hits.find((f) => f.resource === roleArn(name))?.evidence.find((e) => e.label === 'Conditions')?.value;
    expect(conditions('res-own')).toBe(
      `aws:ResourceAccount StringEquals "${ACCOUNT}", which does not restrict: aws:ResourceAccount in a trust policy is always the role's own account (${ACCOUNT}), so it does not restrict the caller`,
    );
    expect(conditions('principal-account')).toContain('which does not restrict: aws:PrincipalAccount on a service principal describes the service');
    expect(roleReview(review, 'res-other').trustGrants[0]?.negatedBy).toContain('aws:ResourceAccount');
  });

  it('MFA on a service or federated caller is decided: BoolIfExists always passes, Bool never does', () => {
    const review = runRoles([
      role('svc-mfa', policy(allow({ Service: 'sns.amazonaws.com' }, { Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }))),
      role(
        'gh-mfa',
        policy(
          allow(
            { Federated: GITHUB },
            { Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringEquals: { 'token.actions.githubusercontent.com:sub': 'repo:acme/app:ref:refs/heads/main' }, BoolIfExists: { 'aws:MultiFactorAuthPresent': 'true' } } },
          ),
        ),
      ),
    ]);
    expect(roleReview(review, 'svc-mfa').trustGrants[0]?.negatedBy).toContain('aws:MultiFactorAuthPresent');
    const mfa = roleReview(review, 'gh-mfa').trustGrants[0]?.guards.find((g) => g.kind === 'mfa');
    expect(mfa).toMatchObject({ effective: false });
    expect(mfa?.note).toBe('A federated caller carries no aws:MultiFactorAuthPresent, so BoolIfExists "true" always holds at review time.');
  });
});
