/**
 * Granted vs used, the policy draft and the two least-privilege rules, through the real permissions engine
 * over the fixture catalogue.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/analyze/index.js';
import type { RoleLastAccessed } from '../../../src/model/snapshot.js';
import { ACCOUNT, EXTERNAL, NOW, VENDORS, account, allow, findings, policy, role, roleReview, snapshot } from '../builders.js';
import { fixtureCatalog } from '../permissions/fixture-catalog.js';
import { DEFAULT_ANALYSIS_SETTINGS } from '../../../src/model/settings.js';
import { assumableFromOutsideAccount } from '../../../src/analyze/least-privilege/outside-account.js';

const COMPLETED = '2026-11-25T05:00:00.000Z';

const permissions = policy(
  { Sid: 'Buckets', Effect: 'Allow', Action: 's3:*', Resource: ['arn:aws:s3:::acme-reports', 'arn:aws:s3:::acme-reports/*'] },
  { Sid: 'Look', Effect: 'Allow', Action: 'ec2:Describe*', Resource: '*' },
  { Sid: 'Pass', Effect: 'Allow', Action: 'iam:PassRole', Resource: `arn:aws:iam::${ACCOUNT}:role/app-*`, Condition: { StringEquals: { 'iam:PassedToService': 'lambda.amazonaws.com' } } },
  { Sid: 'TlsOnly', Effect: 'Deny', Action: 's3:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
);

function vendorRole(name = 'vendor-reports') {
  return role(name, policy(allow({ AWS: `arn:aws:iam::${EXTERNAL}:root` })), {
    createDate: '2024-06-01T00:00:00.000Z',
    inlinePolicies: [{ name: 'reports', policy: permissions }],
  });
}

function advisor(roleArn: string, overrides: Partial<RoleLastAccessed> = {}): RoleLastAccessed {
  return {
    roleArn,
    status: 'completed',
    granularity: 'ACTION_LEVEL',
    jobCompletedAt: COMPLETED,
    services: [
      {
        namespace: 's3',
        name: 'Amazon S3',
        lastAuthenticated: '2026-11-20T10:00:00.000Z',
        region: 'eu-west-1',
        trackedActions: [
          { action: 's3:ListAllMyBuckets', lastAccessed: '2026-11-20T10:00:00.000Z', region: 'eu-west-1' },
          { action: 's3:GetBucketPolicy' },
          { action: 's3:PutBucketPolicy' },
        ],
      },
      { namespace: 'ec2', name: 'Amazon EC2' },
      { namespace: 'iam', name: 'AWS Identity and Access Management', trackedActions: [{ action: 'iam:PassRole' }] },
    ],
    ...overrides,
  };
}

function review(roles = [vendorRole()], la = roles.map((r) => advisor(r.arn)), settings = {}) {
  return analyze(snapshot([account(roles, { lastAccessed: { selection: 'outside-account', roles: la } })]), {
    now: NOW,
    catalog: fixtureCatalog,
    vendors: VENDORS,
    settings: { ...DEFAULT_ANALYSIS_SETTINGS, ...settings },
  });
}

describe('granted vs used', () => {
  it('joins the effective permissions with Access Advisor, per service and tracked action', () => {
    const lp = roleReview(review(), 'vendor-reports').leastPrivilege;
    expect(lp?.status).toBe('complete');
    expect(lp?.window).toEqual({ start: '2025-10-21T05:00:00.000Z', end: COMPLETED, days: 400 });
    expect(lp?.services.map((s) => [s.namespace, s.status, s.tracking])).toEqual([
      ['s3', 'used', 'action'],
      ['iam', 'unused', 'action'],
      ['ec2', 'unused', 'service'],
    ]);
    const s3 = lp?.services[0];
    expect(s3?.grantedActions).toBe(9);
    expect(s3?.trackedActions).toBe(3);
    expect(s3?.usedActions).toEqual([{ action: 's3:ListAllMyBuckets', lastUsed: '2026-11-20T10:00:00.000Z' }]);
    // The two tracked but unused s3 actions go; the six untracked ones stay (nothing shows them unused).
    expect(s3?.keptActions).toBe(7);
    expect(lp?.services[2]).toMatchObject({ grantedActions: 2, grantedLevels: { List: 2 }, keptActions: 0 });
    expect([lp?.grantedServices, lp?.trackedServices, lp?.usedServices, lp?.grantedActions, lp?.keptActions]).toEqual([3, 3, 1, 12, 7]);
  });

  it('drafts a policy with only the used actions, under their current resources, conditions and Denies', () => {
    const draft = roleReview(review(), 'vendor-reports').leastPrivilege?.draft;
    expect(draft?.file).toBe(`policies/${ACCOUNT}/vendor-reports.json`);
    expect(draft?.label).toBe('Draft computed from observed use between 2025-10-21 and 2026-11-25 (400 days, IAM Access Advisor); review before applying.');
    expect(draft?.document).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'ObservedUse1',
          Effect: 'Allow',
          Action: ['s3:DeleteBucket', 's3:GetObject', 's3:GetObjectAcl', 's3:GetObjectVersion', 's3:ListAllMyBuckets', 's3:ListBucket', 's3:PutObject'],
          Resource: ['arn:aws:s3:::acme-reports', 'arn:aws:s3:::acme-reports/*'],
        },
        { Sid: 'KeptDeny1', Effect: 'Deny', Action: ['s3:*'], Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
      ],
    });
    expect(draft?.kept).toEqual([{ namespace: 's3', actions: 7, levels: { Write: 2, Read: 3, List: 2 } }]);
    expect(draft?.notes).toEqual([]);
  });

  it('says so when the job gave no data, and neither claims use nor raises least-privilege findings', () => {
    const r = vendorRole();
    const rev = review([r], [{ roleArn: r.arn, status: 'failed', granularity: 'ACTION_LEVEL', error: 'IAM could not produce the report (ServiceFailure: try later).', services: [] }]);
    const lp = roleReview(rev, 'vendor-reports').leastPrivilege;
    expect(lp).toMatchObject({ status: 'missing', gap: 'IAM could not produce the report (ServiceFailure: try later).', services: [] });
    expect(lp?.draft).toBeUndefined();
    expect(rev.findings.filter((f) => f.ruleId.startsWith('least-privilege-'))).toEqual([]);
    expect(rev.leastPrivilege?.lines.map((l) => l.text)).toEqual(['vendor-reports: no last-accessed data (IAM could not produce the report (ServiceFailure: try later).).']);
  });

  it('summarises each role in one line', () => {
    expect(review().leastPrivilege).toEqual({
      rolesWithData: 1,
      rolesMissing: 0,
      lines: [{ roleArn: vendorRole().arn, accountId: ACCOUNT, roleName: 'vendor-reports', text: 'vendor-reports grants 3 services, used 1 in 400 days; the draft keeps 7 of 12 actions.' }],
    });
  });
});

describe('least-privilege rules', () => {
  it('reports unused services per tier, with severity by what they allow', () => {
    const hits = findings(review(), 'least-privilege-unused-service');
    expect(hits.map((f) => [f.subject, f.severity])).toEqual([
      ['unused-services:write', 'medium'],
      ['unused-services:read', 'low'],
    ]);
    expect(hits[0]?.message).toBe('vendor-reports is granted 1 service with write access that it did not use from 2025-10-21 to 2026-11-25 (400 days): iam.');
  });

  it('reports a tiny used share against the configured thresholds only', () => {
    expect(findings(review(), 'least-privilege-low-use')).toEqual([]);
    const hits = findings(review(undefined, undefined, { leastPrivilege: { lowUseShare: 0.5, lowUseMinServices: 3 } }), 'least-privilege-low-use');
    expect(hits.map((f) => f.message)).toEqual([
      'vendor-reports used 1 of the 3 services Access Advisor tracks for it (33.3%, threshold 50%) from 2025-10-21 to 2026-11-25 (400 days); the draft keeps 7 of 12 granted actions.',
    ]);
  });

  it('leaves roles trusted only inside their account, and roles too young to judge, alone', () => {
    const inside = role('app', policy(allow({ AWS: `arn:aws:iam::${ACCOUNT}:root` })), { inlinePolicies: [{ name: 'p', policy: permissions }] });
    const young = role('new-vendor', policy(allow({ AWS: `arn:aws:iam::${EXTERNAL}:root` })), { createDate: '2026-10-01T00:00:00.000Z', inlinePolicies: [{ name: 'p', policy: permissions }] });
    const rev = review([inside, young]);
    expect(roleReview(rev, 'app').leastPrivilege?.status).toBe('complete');
    expect(roleReview(rev, 'new-vendor').leastPrivilege?.window?.days).toBe(55);
    expect(rev.findings.filter((f) => f.ruleId.startsWith('least-privilege-'))).toEqual([]);
    expect(assumableFromOutsideAccount(inside, ACCOUNT)).toBe(false);
    expect(assumableFromOutsideAccount(young, ACCOUNT)).toBe(true);
  });
});
