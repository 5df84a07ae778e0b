import { describe, expect, it } from 'vitest';
import type { InlinePolicy } from '../../../src/model/snapshot.js';
import {
  ADMIN_POLICY,
  DATADOG,
  EXTERNAL,
  ORG_ACCOUNT,
  ORG_ID,
  READ_ONLY_POLICY,
  account,
  allow,
  findings,
  policy,
  role,
  roleArn,
  run,
  runRoles,
  snapshot,
} from '../builders.js';

const admin = { attachedPolicies: [{ arn: ADMIN_POLICY.arn, name: ADMIN_POLICY.name }] };
const readOnly = { attachedPolicies: [{ arn: READ_ONLY_POLICY.arn, name: READ_ONLY_POLICY.name }] };
const escalate: { inlinePolicies: InlinePolicy[] } = {
  inlinePolicies: [{ name: 'escalate-policy-versions', policy: policy({ Effect: 'Allow', Action: 'iam:CreatePolicyVersion', Resource: '*' }) }],
};
const extId = { Condition: { StringEquals: { 'sts:ExternalId': 'x-123' } } };

describe('external-trust-admin', () => {
  it('fires for an unknown external account trusted by an admin role, critical', () => {
    const review = runRoles([role('admin', policy(allow({ AWS: EXTERNAL })), admin)]);
    const [hit] = findings(review, 'external-trust-admin');
    expect(hit).toMatchObject({ severity: 'critical', resource: roleArn('admin'), subject: EXTERNAL });
    expect(hit?.message).toBe(`External account ${EXTERNAL} (any principal) can assume admin, which is admin-equivalent.`);
    expect(hit?.evidence).toContainEqual({ label: 'Permission policies', value: 'AdministratorAccess' });
    // Admin, external and account-wide: the top of the scale.
    expect(hit?.score).toBe(100);
  });

  it('fires for a vendor even with ExternalId, and for a public grant', () => {
    const review = runRoles([
      role('vendor-admin', policy(allow({ AWS: DATADOG }, extId)), admin),
      role('public-admin', policy(allow('*')), admin),
    ]);
    expect(findings(review, 'external-trust-admin').map((f) => f.resource).sort()).toEqual([roleArn('public-admin'), roleArn('vendor-admin')]);
  });

  it('does not fire for org accounts, or for a public grant pinned to the organization', () => {
    const review = runRoles([
      role('org-admin', policy(allow({ AWS: ORG_ACCOUNT })), admin),
      role('org-wide-admin', policy(allow({ AWS: '*' }, { Condition: { StringEquals: { 'aws:PrincipalOrgID': ORG_ID } } })), admin),
    ]);
    expect(findings(review, 'external-trust-admin')).toEqual([]);
  });

  it('fires for a GitHub OIDC trust even when pinned to one branch, not for the organization\'s own EKS cluster', () => {
    const gh = 'arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com';
    const eks = 'arn:aws:iam::111111111111:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/5C0FFEE0123456789';
    const review = runRoles([
      role(
        'gh-admin',
        policy(allow({ Federated: gh }, { Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringEquals: { 'token.actions.githubusercontent.com:sub': 'repo:acme/infra:ref:refs/heads/main' } } })),
        admin,
      ),
      role(
        'irsa-admin',
        policy(allow({ Federated: eks }, { Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringEquals: { 'oidc.eks.us-east-1.amazonaws.com/id/5C0FFEE0123456789:sub': 'system:serviceaccount:kube-system:karpenter' } } })),
        admin,
      ),
    ]);
    expect(findings(review, 'external-trust-admin').map((f) => f.resource)).toEqual([roleArn('gh-admin')]);
  });

  it('does not fire for a non-admin role', () => {
    const review = runRoles([role('reader', policy(allow({ AWS: DATADOG }, extId)), readOnly)]);
    expect(findings(review, 'external-trust-admin')).toEqual([]);
  });
});

describe('external-trust-privilege-escalation', () => {
  it('fires for an external trust on a role with an escalation path, not on admin roles (reported as admin)', () => {
    const review = runRoles([
      role('escalator', policy(allow({ AWS: EXTERNAL })), escalate),
      role('admin', policy(allow({ AWS: EXTERNAL })), { ...admin, ...escalate }),
    ]);
    const hits = findings(review, 'external-trust-privilege-escalation');
    expect(hits.map((f) => [f.resource, f.severity])).toEqual([[roleArn('escalator'), 'high']]);
    expect(hits[0]?.message).toBe(`External account ${EXTERNAL} (any principal) can assume escalator, which can escalate to admin through CreatePolicyVersion.`);
    expect(hits[0]?.evidence).toContainEqual({ label: 'Escalation path', value: 'CreatePolicyVersion: iam:CreatePolicyVersion' });
  });

  it('does not fire for a same-account trust', () => {
    const review = runRoles([role('escalator', policy(allow({ AWS: '111111111111' })), escalate)]);
    expect(findings(review, 'external-trust-privilege-escalation')).toEqual([]);
  });
});

describe('external-trust-read-everything', () => {
  it('fires for a vendor with ReadOnlyAccess, medium', () => {
    const review = runRoles([role('datadog', policy(allow({ AWS: DATADOG }, extId)), readOnly)]);
    expect(findings(review, 'external-trust-read-everything').map((f) => [f.resource, f.severity])).toEqual([[roleArn('datadog'), 'medium']]);
  });

  it('does not fire for an internal trust with ReadOnlyAccess', () => {
    const review = runRoles([role('auditor', policy(allow({ AWS: ORG_ACCOUNT })), readOnly)]);
    expect(findings(review, 'external-trust-read-everything')).toEqual([]);
  });
});

describe('reach-outside-to-admin', () => {
  it('finds an external account two hops from an admin role in another account', () => {
    const tools = account(
      [
        role('jump', policy(allow({ AWS: EXTERNAL })), {
          arn: roleArn('jump', ORG_ACCOUNT),
          inlinePolicies: [{ name: 'assume-prod', policy: policy({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: 'arn:aws:iam::111111111111:role/*' }) }],
        }),
      ],
      { accountId: ORG_ACCOUNT },
    );
    const prod = account([role('prod-admin', policy(allow({ AWS: `arn:aws:iam::${ORG_ACCOUNT}:role/jump` })), admin)]);
    const review = run(snapshot([prod, tools]));
    const paths = review.reach.filter((p) => p.to === roleArn('prod-admin'));
    expect(paths).toEqual([
      {
        from: EXTERNAL,
        fromClass: 'external',
        fromLabel: `External account ${EXTERNAL} (any principal)`,
        to: roleArn('prod-admin'),
        hops: [roleArn('jump', ORG_ACCOUNT), roleArn('prod-admin')],
        targetAdminEquivalent: true,
      },
    ]);
    const [hit] = findings(review, 'reach-outside-to-admin');
    expect(hit).toMatchObject({ resource: roleArn('prod-admin'), subject: EXTERNAL, severity: 'high', accountId: '111111111111' });
    expect(hit?.message).toBe(`External account ${EXTERNAL} (any principal) can reach admin-equivalent ${roleArn('prod-admin')} in 2 hops.`);
  });

  it('no path when the intermediate role lacks sts:AssumeRole on the target', () => {
    const tools = account([role('jump', policy(allow({ AWS: EXTERNAL })), { arn: roleArn('jump', ORG_ACCOUNT) })], { accountId: ORG_ACCOUNT });
    const prod = account([role('prod-admin', policy(allow({ AWS: `arn:aws:iam::${ORG_ACCOUNT}:root` })), admin)]);
    const review = run(snapshot([prod, tools]));
    expect(review.reach.map((p) => p.to)).toEqual([roleArn('jump', ORG_ACCOUNT)]);
    expect(findings(review, 'reach-outside-to-admin')).toEqual([]);
  });
});
