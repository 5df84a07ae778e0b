import { describe, expect, it } from 'vitest';
import { summarizePermissions } from '../../../src/analyze/permissions/index.js';
import { fixtureCatalog } from './fixture-catalog.js';
import { ADMINISTRATOR_ACCESS, ACCOUNT, awsManaged, inline, managed } from './policies.js';

const SELF = `arn:aws:iam::${ACCOUNT}:role/app-deployer`;
const OTHER = `arn:aws:iam::${ACCOUNT}:role/ci-runner`;

const putRolePolicyOnApp = inline('manage-app-roles', {
  Statement: { Effect: 'Allow', Action: 'iam:PutRolePolicy', Resource: `arn:aws:iam::${ACCOUNT}:role/app-*` },
});

describe('self-grant (rule 2)', () => {
  it('iam:PutRolePolicy on a role pattern that covers the role itself makes it admin-equivalent', () => {
    const summary = summarizePermissions([putRolePolicyOnApp], fixtureCatalog, undefined, { principalArn: SELF });
    expect(summary.adminEquivalent).toBe(true);
    expect(summary.adminEquivalentReason).toBe('Can grant itself any permission (iam:PutRolePolicy on its own role).');
  });

  it('the same policy on a role outside the pattern is an escalation method with the pattern as evidence, not admin', () => {
    const summary = summarizePermissions([putRolePolicyOnApp], fixtureCatalog, undefined, { principalArn: OTHER });
    expect(summary.adminEquivalent).toBe(false);
    expect(summary.privilegeEscalation).toEqual([
      {
        method: 'iam-put-role-policy',
        actions: ['iam:PutRolePolicy'],
        title: 'Write an inline policy on a role',
        resources: ['iam:PutRolePolicy on arn:aws:iam::111122223333:role/app-*'],
        conditional: false,
        source: 'https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/',
        steps: [{ action: 'iam:PutRolePolicy', resources: ['arn:aws:iam::111122223333:role/app-*'] }],
      },
    ]);
  });

  it('an explicit Deny on the same roles removes the method', () => {
    const deny = inline('guardrail', {
      Statement: { Effect: 'Deny', Action: 'iam:Put*', Resource: 'arn:aws:iam::*:role/*' },
    });
    const summary = summarizePermissions([putRolePolicyOnApp, deny], fixtureCatalog, undefined, { principalArn: SELF });
    expect(summary.adminEquivalent).toBe(false);
    expect(summary.privilegeEscalation).toEqual([]);
  });

  it('a Deny on part of the pattern leaves the method, with the pattern still as evidence', () => {
    const deny = inline('guardrail', {
      Statement: { Effect: 'Deny', Action: 'iam:PutRolePolicy', Resource: `arn:aws:iam::${ACCOUNT}:role/app-prod-*` },
    });
    const summary = summarizePermissions([putRolePolicyOnApp, deny], fixtureCatalog, undefined, { principalArn: OTHER });
    expect(summary.privilegeEscalation.map((e) => e.method)).toEqual(['iam-put-role-policy']);
  });

  it('a condition on iam:AttachRolePolicy (which policy may be attached) keeps it from counting as admin', () => {
    const policy = inline('attach-readonly-only', {
      Statement: {
        Effect: 'Allow',
        Action: 'iam:AttachRolePolicy',
        Resource: '*',
        Condition: { ArnEquals: { 'iam:PolicyARN': 'arn:aws:iam::aws:policy/ReadOnlyAccess' } },
      },
    });
    const summary = summarizePermissions([policy], fixtureCatalog, undefined, { principalArn: SELF });
    expect(summary.adminEquivalent).toBe(false);
    expect(summary.privilegeEscalation.map((e) => [e.method, e.conditional])).toEqual([['iam-attach-role-policy', true]]);
    expect(summary.caveats).toEqual([
      'May grant itself further permissions when the conditions hold: iam:AttachRolePolicy on its own role.',
    ]);
  });

  it('iam:CreatePolicyVersion on its own customer managed policy is a self-grant', () => {
    const ownPolicy = managed('app-deployer-policy', {
      Statement: { Effect: 'Allow', Action: 'iam:CreatePolicyVersion', Resource: `arn:aws:iam::${ACCOUNT}:policy/app-*` },
    });
    const summary = summarizePermissions([ownPolicy], fixtureCatalog, undefined, { principalArn: SELF });
    expect(summary.adminEquivalent).toBe(true);
    expect(summary.adminEquivalentReason).toBe(
      'Can grant itself any permission (iam:CreatePolicyVersion on its attached policy app-deployer-policy).',
    );
  });

  it('a Deny in a managed policy it cannot detach still stands', () => {
    const grant = inline('iam-writer', {
      Statement: { Effect: 'Allow', Action: 'iam:PutRolePolicy', Resource: '*' },
    });
    const denyData = awsManaged('DenyDataAccess', {
      Statement: { Effect: 'Deny', Action: ['s3:*', 'dynamodb:*'], Resource: '*' },
    });
    const summary = summarizePermissions([grant, denyData], fixtureCatalog, undefined, { principalArn: SELF });
    expect(summary.adminEquivalent).toBe(false);
    expect(summary.caveats).toEqual([
      'Can grant itself permissions (iam:PutRolePolicy on its own role), but the Deny statements of policy DenyDataAccess would still apply.',
    ]);

    const canDetach = inline('iam-writer', {
      Statement: { Effect: 'Allow', Action: ['iam:PutRolePolicy', 'iam:DetachRolePolicy'], Resource: '*' },
    });
    expect(summarizePermissions([canDetach, denyData], fixtureCatalog, undefined, { principalArn: SELF }).adminEquivalent).toBe(true);
  });
});

describe('permissions boundary', () => {
  const boundary = managed('DeveloperBoundary', {
    Statement: [{ Effect: 'Allow', Action: ['s3:*', 'lambda:*', 'iam:PutRolePolicy'], Resource: '*' }],
  });

  it('intersects: AdministratorAccess inside a boundary is only what the boundary allows', () => {
    const summary = summarizePermissions([ADMINISTRATOR_ACCESS], fixtureCatalog, boundary, { principalArn: SELF });
    expect(summary.allowedActionCount).toBe(9 + 8 + 1);
    expect(summary.adminEquivalent).toBe(false);
    expect(summary.readEverything).toBe(false);
    expect(summary.boundary).toEqual({ name: 'DeveloperBoundary', arn: `arn:aws:iam::${ACCOUNT}:policy/DeveloperBoundary` });
    expect(summary.caveats).toEqual([
      'Can grant itself permissions (iam:PutRolePolicy on its own role), but only within its permissions boundary DeveloperBoundary.',
    ]);
    expect(summary.privilegeEscalation.map((e) => e.method)).toEqual([
      'iam-put-role-policy',
      'lambda-update-function-code',
      'lambda-update-function-configuration',
      'lambda-update-code-invoke',
      'lambda-update-code-add-permission',
    ]);
  });

  it('is no limit when the role can remove it', () => {
    const loose = managed('LooseBoundary', {
      Statement: [{ Effect: 'Allow', Action: ['iam:*', 's3:*'], Resource: '*' }],
    });
    const summary = summarizePermissions([ADMINISTRATOR_ACCESS], fixtureCatalog, loose, { principalArn: SELF });
    expect(summary.adminEquivalent).toBe(true);
    expect(summary.adminEquivalentReason).toBe(
      'Can remove its permissions boundary LooseBoundary and grant itself any permission (iam:PutRolePolicy on its own role; iam:AttachRolePolicy on its own role).',
    );
  });

  it('an unreadable boundary is a gap, and the summary says it may over-state', () => {
    const unreadable = { name: 'Boundary', kind: 'managed' as const, policy: { ok: false as const, raw: '', error: 'AccessDenied' } };
    const summary = summarizePermissions([ADMINISTRATOR_ACCESS], fixtureCatalog, unreadable);
    expect(summary.gaps).toEqual([
      'permissions boundary Boundary could not be read: AccessDenied; the summary ignores the boundary and may over-state access',
    ]);
    expect(summary.adminEquivalent).toBe(true);
  });
});
