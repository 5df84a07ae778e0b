import { describe, expect, it } from 'vitest';
import type { InlinePolicy } from '../../../src/model/snapshot.js';
import { permissionEvidence } from '../../../src/analyze/rules/external-trust-admin.js';
import { methodList } from '../../../src/analyze/rules/external-trust-privilege-escalation.js';
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
  roleReview,
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

  it('gives the admin reason and counts escalation methods instead of listing each', () => {
    const twoWays = {
      inlinePolicies: [
        { name: 'escalate-a', policy: policy({ Effect: 'Allow', Action: 'iam:CreatePolicyVersion', Resource: '*' }) },
        { name: 'escalate-b', policy: policy({ Effect: 'Allow', Action: 'iam:CreatePolicyVersion', Resource: '*' }) },
      ],
    };
    const review = runRoles([role('admin', policy(allow({ AWS: EXTERNAL })), { ...admin, ...twoWays })]);
    expect(roleReview(review, 'admin').permissions.privilegeEscalation).toHaveLength(2);
    const [hit] = findings(review, 'external-trust-admin');
    expect(hit?.evidence.filter((e) => e.label === 'Escalation path')).toEqual([]);
    expect(hit?.evidence).toContainEqual({ label: 'Admin-equivalent', value: 'yes (no reason recorded)' });
    expect(hit?.evidence).toContainEqual({
      label: 'Escalation methods',
      value: "2 also available, not listed: an admin-equivalent role needs none (each is in the role's permission summary in review.json)",
    });
  });

  it('permission evidence for an admin role: policies, reason, caveats, one count line for ~40 methods', () => {
    const methods = Array.from({ length: 39 }, (_, i) => ({ method: `method-${i + 1}`, actions: ['iam:PassRole'] }));
    expect(
      permissionEvidence({
        adminEquivalent: true,
        adminEquivalentReason: 'Allows every action on every resource (AdministratorAccess statement 0).',
        caveats: ['Only from the corporate network (aws:SourceIp).'],
        highlights: ['*'],
        policies: [{ name: 'AdministratorAccess', kind: 'aws-managed' }],
        privilegeEscalation: methods,
        gaps: [],
      }),
    ).toEqual([
      { label: 'Permission policies', value: 'AdministratorAccess' },
      { label: 'Admin-equivalent', value: 'Allows every action on every resource (AdministratorAccess statement 0).' },
      { label: 'Caveat', value: 'Only from the corporate network (aws:SourceIp).' },
      { label: 'Allowed on *', value: '*' },
      {
        label: 'Escalation methods',
        value: "39 also available, not listed: an admin-equivalent role needs none (each is in the role's permission summary in review.json)",
      },
    ]);
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

  it('names the first three methods in the message and lists every one in the evidence', () => {
    const five = {
      inlinePolicies: ['a', 'b', 'c', 'd', 'e'].map((x) => ({
        name: `escalate-${x}`,
        policy: policy({ Effect: 'Allow', Action: 'iam:CreatePolicyVersion', Resource: '*' }),
      })),
    };
    const review = runRoles([role('escalator', policy(allow({ AWS: EXTERNAL })), five)]);
    const [hit] = findings(review, 'external-trust-privilege-escalation');
    expect(hit?.message).toBe(
      `External account ${EXTERNAL} (any principal) can assume escalator, which can escalate to admin through CreatePolicyVersion, CreatePolicyVersion, CreatePolicyVersion and 2 more, each in the evidence.`,
    );
    expect(hit?.evidence.filter((e) => e.label === 'Escalation path')).toHaveLength(5);
  });

  it('methodList: four or fewer in full, more as the first three and a count', () => {
    expect(methodList(['a', 'b', 'c', 'd'])).toBe('a, b, c, d');
    expect(methodList(['a', 'b', 'c', 'd', 'e', 'f'])).toBe('a, b, c and 3 more, each in the evidence');
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
    const paths = review.reach.filter((p) => p.to === roleArn('prod-admin') && p.fromOutside);
    expect(paths).toEqual([
      {
        from: EXTERNAL,
        fromClass: 'external',
        fromLabel: `External account ${EXTERNAL} (any principal)`,
        to: roleArn('prod-admin'),
        hops: [roleArn('jump', ORG_ACCOUNT), roleArn('prod-admin')],
        targetAdminEquivalent: true,
        fromOutside: true,
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

describe('reach-outside-to-admin and the organization\'s own identity providers', () => {
  it('does not fire for an Identity Center SAML provider two hops from admin', () => {
    const saml = `arn:aws:iam::${ORG_ACCOUNT}:saml-provider/AWSSSO_0123456789abcdef_DO_NOT_DELETE`;
    const tools = account(
      [
        role('sso-ops', policy(allow({ Federated: saml }, { Action: 'sts:AssumeRoleWithSAML' })), {
          arn: roleArn('sso-ops', ORG_ACCOUNT),
          inlinePolicies: [{ name: 'assume-prod', policy: policy({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: 'arn:aws:iam::111111111111:role/*' }) }],
        }),
      ],
      { accountId: ORG_ACCOUNT },
    );
    const prod = account([role('prod-admin', policy(allow({ AWS: `arn:aws:iam::${ORG_ACCOUNT}:role/sso-ops` })), admin)]);
    const review = run(snapshot([prod, tools]));
    expect(review.reach.filter((p) => p.to === roleArn('prod-admin') && p.from === saml).map((p) => [p.from, p.hops.length, p.fromOutside])).toEqual([[saml, 2, false]]);
    expect(findings(review, 'reach-outside-to-admin')).toEqual([]);
  });
});

describe('reach-role-to-admin', () => {
  it('a role inside one account that assumes its way to admin escalates: A -> B -> C', () => {
    const assume = (resource: string): InlinePolicy => ({ name: 'assume', policy: policy({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: resource }) });
    const review = run(
      snapshot([
        account([
          role('app', policy(allow({ Service: 'lambda.amazonaws.com' }))),
          role('ops', policy(allow({ AWS: roleArn('app') })), { inlinePolicies: [assume(roleArn('admin'))] }),
          role('admin', policy(allow({ AWS: 'arn:aws:iam::111111111111:root' })), admin),
        ]),
      ]),
    );
    const hits = findings(review, 'reach-role-to-admin');
    expect(hits.map((f) => [f.resource, f.subject, f.message])).toEqual([
      [roleArn('app'), roleArn('admin'), 'Role app reaches admin-equivalent role admin in 2 hops (app → ops → admin).'],
      [roleArn('ops'), roleArn('admin'), 'Role ops reaches admin-equivalent role admin in 1 hop (ops → admin).'],
    ]);
    expect(hits[0]?.evidence.find((e) => e.label === 'Across accounts')?.value).toBe('no, inside one account');
    // The same chain is an escalation method of the entry role's permissions.
    const escalation = roleReview(review, 'app').permissions.privilegeEscalation.find((m) => m.method === 'sts-assume-more-privileged-role');
    expect(escalation?.resources).toEqual([`sts:AssumeRole along ${roleArn('app')} → ${roleArn('ops')} → ${roleArn('admin')}`]);
    expect(findings(review, 'reach-outside-to-admin')).toEqual([]);
  });
});

describe('service trusts acting for a party outside the organization', () => {
  it('count as outside access: a vendor account named in aws:SourceAccount of an admin role is external-trust-admin', () => {
    const review = run(
      snapshot([
        account([
          role('vendor-delivery', policy(allow({ Service: 'sns.amazonaws.com' }, { Condition: { StringEquals: { 'aws:SourceAccount': DATADOG } } })), admin),
          role('own-delivery', policy(allow({ Service: 'sns.amazonaws.com' }, { Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' } } })), admin),
        ]),
      ]),
    );
    const hits = findings(review, 'external-trust-admin');
    expect(hits.map((f) => [f.resource, f.message])).toEqual([
      [roleArn('vendor-delivery'), `AWS service sns.amazonaws.com (acting for resources of ${DATADOG}) can assume vendor-delivery, which is admin-equivalent.`],
    ]);
    // A known vendor is not an unknown party.
    expect(findings(review, 'trust-unknown-external-account')).toEqual([]);
  });
});
