import { describe, expect, it } from 'vitest';
import { summarizePermissions } from '../../../src/analyze/permissions/index.js';
import { FIXTURE_ACTIONS, fixtureCatalog } from './fixture-catalog.js';
import {
  ADMINISTRATOR_ACCESS,
  DENY_IAM,
  LAMBDA_DEPLOYER,
  POWER_USER_ACCESS,
  READ_ONLY_ACCESS_SHAPE,
  VIEW_ONLY_ACCESS_SHAPE,
  inline,
} from './policies.js';

const methods = (s: ReturnType<typeof summarizePermissions>): string[] => s.privilegeEscalation.map((e) => e.method);

/** The escalation methods whose actions are all in the fixture catalogue. */
const ALL_FIXTURE_METHODS = [
  'iam-create-policy-version',
  'iam-set-default-policy-version',
  'ec2-passrole-run-instances',
  'iam-create-access-key',
  'iam-create-login-profile',
  'iam-update-login-profile',
  'iam-attach-user-policy',
  'iam-attach-group-policy',
  'iam-attach-role-policy',
  'iam-put-user-policy',
  'iam-put-group-policy',
  'iam-put-role-policy',
  'iam-add-user-to-group',
  'iam-update-assume-role-policy',
  'lambda-passrole-create-invoke',
  'lambda-passrole-create-event-source-mapping',
  'lambda-update-function-code',
  'lambda-update-function-configuration',
  'glue-passrole-create-dev-endpoint',
  'glue-update-dev-endpoint',
  'cloudformation-passrole-create-stack',
  'cloudformation-update-stack',
  'ec2-modify-instance-user-data',
  'ssm-send-command',
  'ssm-start-session',
  'lambda-update-code-invoke',
  'lambda-update-code-add-permission',
  'lambda-passrole-create-add-permission',
  'iam-attach-role-policy-assume-role',
  'iam-attach-user-policy-create-access-key',
  'iam-create-policy-version-assume-role',
  'iam-put-role-policy-assume-role',
  'iam-put-user-policy-create-access-key',
  'iam-attach-role-policy-update-trust',
  'iam-create-policy-version-update-trust',
  'iam-put-role-policy-update-trust',
];

/** Methods that need no IAM action: what remains once IAM is out of reach. */
const NON_IAM_METHODS = [
  'lambda-update-function-code',
  'lambda-update-function-configuration',
  'glue-update-dev-endpoint',
  'cloudformation-update-stack',
  'ec2-modify-instance-user-data',
  'ssm-send-command',
  'ssm-start-session',
  'lambda-update-code-invoke',
  'lambda-update-code-add-permission',
];

describe('fixture catalogue', () => {
  it('has the 79 actions the counts below are computed from', () => {
    expect(FIXTURE_ACTIONS).toHaveLength(79);
    expect(FIXTURE_ACTIONS.filter((a) => a.service === 'iam')).toHaveLength(28);
  });
});

describe('AdministratorAccess', () => {
  const summary = summarizePermissions([ADMINISTRATOR_ACCESS], fixtureCatalog);

  it('is admin-equivalent because it allows every action on every resource', () => {
    expect(summary.adminEquivalent).toBe(true);
    expect(summary.adminEquivalentReason).toBe(
      'Allows every action on every resource (AdministratorAccess statement 1).',
    );
    expect(summary.caveats).toBeUndefined();
  });

  it('counts every catalogued action, reads everything, and collapses highlights to *', () => {
    expect(summary.allowedActionCount).toBe(79);
    expect(summary.readEverything).toBe(true);
    expect(summary.highlights).toEqual(['*']);
    expect(summary.gaps).toEqual([]);
    expect(summary.policies).toEqual([
      { name: 'AdministratorAccess', arn: 'arn:aws:iam::aws:policy/AdministratorAccess', kind: 'aws-managed' },
    ]);
    expect(summary.catalogVersion).toBe('fixture-1');
  });

  it('can use every escalation method the catalogue has the actions for', () => {
    expect(methods(summary)).toEqual(ALL_FIXTURE_METHODS);
    const passRun = summary.privilegeEscalation.find((e) => e.method === 'ec2-passrole-run-instances');
    expect(passRun).toEqual({
      method: 'ec2-passrole-run-instances',
      actions: ['iam:PassRole', 'ec2:RunInstances'],
      title: 'Launch an EC2 instance with a more privileged role',
      resources: ['iam:PassRole on *', 'ec2:RunInstances on *'],
      conditional: false,
      source: 'https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/',
      steps: [
        { action: 'iam:PassRole', resources: ['*'] },
        { action: 'ec2:RunInstances', resources: ['*'] },
      ],
    });
  });
});

describe('PowerUserAccess', () => {
  const summary = summarizePermissions([POWER_USER_ACCESS], fixtureCatalog);

  it('is not admin-equivalent: NotAction takes away all of IAM, so it cannot grant itself anything', () => {
    expect(summary.adminEquivalent).toBe(false);
    expect(summary.adminEquivalentReason).toBeUndefined();
  });

  it('allows every action except IAM, Organizations and Account, plus the few it gives back', () => {
    // 79 - 28 iam - 3 organizations - 3 account + 5 given back that the fixture has.
    expect(summary.allowedActionCount).toBe(50);
  });

  it('escalates through existing compute (function code, instances, stacks) but not through PassRole', () => {
    expect(methods(summary)).toEqual(NON_IAM_METHODS);
    expect(summary.privilegeEscalation.flatMap((e) => e.actions)).not.toContain('iam:PassRole');
  });

  it('reads everything that holds data (IAM is not a core read service)', () => {
    expect(summary.readEverything).toBe(true);
    expect(summary.sensitiveReads).toEqual([
      's3:GetObject',
      's3:GetObjectVersion',
      'dynamodb:GetItem',
      'dynamodb:Query',
      'dynamodb:Scan',
      'secretsmanager:GetSecretValue',
      'ssm:GetParameter',
      'lambda:GetFunction',
    ]);
  });

  it('highlights whole services by danger, then the few IAM and account actions', () => {
    expect(summary.highlights).toEqual([
      'sts:*',
      'secretsmanager:*',
      'ssm:*',
      's3:*',
      'lambda:*',
      'ec2:*',
      'cloudformation:*',
      'dynamodb:*',
      'glue:*',
      'iam:CreateServiceLinkedRole',
      'iam:ListRoles',
      'organizations:DescribeOrganization',
      'account:GetAccountInformation',
      'account:ListRegions',
    ]);
  });
});

describe('ReadOnlyAccess and ViewOnlyAccess', () => {
  it('ReadOnlyAccess reads everything and cannot escalate', () => {
    const summary = summarizePermissions([READ_ONLY_ACCESS_SHAPE], fixtureCatalog);
    expect(summary.readEverything).toBe(true);
    expect(summary.adminEquivalent).toBe(false);
    expect(summary.privilegeEscalation).toEqual([]);
    // cloudformation 1, dynamodb 5, ec2 3, iam 6, lambda 2, s3 6, secretsmanager 1, ssm 2.
    expect(summary.allowedActionCount).toBe(26);
    // Data reads first, by service priority; then Read, then List.
    expect(summary.highlights.slice(0, 8)).toEqual([
      'ssm:GetParameter',
      's3:GetObject',
      's3:GetObjectVersion',
      'lambda:GetFunction',
      'dynamodb:GetItem',
      'dynamodb:Query',
      'dynamodb:Scan',
      'iam:GetPolicy',
    ]);
  });

  it('ViewOnlyAccess lists and describes but does not read data', () => {
    const summary = summarizePermissions([VIEW_ONLY_ACCESS_SHAPE], fixtureCatalog);
    expect(summary.readEverything).toBe(false);
    expect(summary.sensitiveReads).toEqual([]);
    // cloudformation 1, dynamodb 2, ec2 2, iam 3, lambda 1, s3 2.
    expect(summary.allowedActionCount).toBe(11);
  });
});

describe('explicit Deny', () => {
  it('Deny iam:* on top of AdministratorAccess removes IAM and every IAM-based escalation', () => {
    const summary = summarizePermissions([ADMINISTRATOR_ACCESS, DENY_IAM], fixtureCatalog);
    expect(summary.adminEquivalent).toBe(false);
    expect(summary.allowedActionCount).toBe(79 - 28);
    expect(methods(summary)).toEqual(NON_IAM_METHODS);
    expect(summary.highlights).not.toContain('iam:PassRole');
  });

  it('a conditional Deny cannot be said to remove the Allow: admin stays, marked conditional', () => {
    const denyWithoutMfa = inline('deny-iam-without-mfa', {
      Statement: {
        Effect: 'Deny',
        Action: 'iam:*',
        Resource: '*',
        Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
      },
    });
    const summary = summarizePermissions([ADMINISTRATOR_ACCESS, denyWithoutMfa], fixtureCatalog);
    expect(summary.adminEquivalent).toBe(true);
    expect(summary.caveats).toEqual([
      'Admin-equivalent only when the Conditions of its statements hold (or a conditional Deny does not apply).',
    ]);
    expect(summary.allowedActionCount).toBe(79);
    const putRole = summary.privilegeEscalation.find((e) => e.method === 'iam-put-role-policy');
    expect(putRole?.conditional).toBe(true);
    const ssm = summary.privilegeEscalation.find((e) => e.method === 'ssm-send-command');
    expect(ssm?.conditional).toBe(false);
  });

  it('a Deny on some resources only leaves the rest allowed, but not "on every resource"', () => {
    const protectBreakGlass = inline('protect-break-glass', {
      Statement: { Effect: 'Deny', Action: 'iam:*', Resource: 'arn:aws:iam::*:role/break-glass' },
    });
    const policies = [ADMINISTRATOR_ACCESS, protectBreakGlass];
    const summary = summarizePermissions(policies, fixtureCatalog);
    expect(summary.allowedActionCount).toBe(79);
    expect(methods(summary)).toContain('iam-put-role-policy');
    // Rule 1 fails: IAM actions are not allowed on every resource. Without its own ARN, a self-grant
    // would need iam:PutRolePolicy on every role, which the Deny breaks.
    expect(summary.adminEquivalent).toBe(false);

    // Knowing the role, it can write a policy on itself; its Deny sits in an inline policy it can overwrite.
    const deployer = summarizePermissions(policies, fixtureCatalog, undefined, {
      principalArn: 'arn:aws:iam::111122223333:role/deployer',
    });
    expect(deployer.adminEquivalent).toBe(true);
    expect(deployer.adminEquivalentReason).toBe(
      'Can grant itself any permission (iam:PutRolePolicy on its own role; iam:AttachRolePolicy on its own role).',
    );
    const breakGlass = summarizePermissions(policies, fixtureCatalog, undefined, {
      principalArn: 'arn:aws:iam::111122223333:role/break-glass',
    });
    expect(breakGlass.adminEquivalent).toBe(false);
  });
});

describe('wildcards and case', () => {
  it('expands a wildcard in the middle of an action name against the catalogue exactly', () => {
    const policy = inline('mid', {
      Statement: [{ Effect: 'Allow', Action: ['s3:Get*Object', 'iam:*Role*Policy'], Resource: '*' }],
    });
    const summary = summarizePermissions([policy], fixtureCatalog);
    // s3:GetObject; iam Attach/Delete/Detach/Get/Put RolePolicy and UpdateAssumeRolePolicy.
    expect(summary.allowedActionCount).toBe(7);
  });

  it('ignores case in action names, and reports patterns that match nothing', () => {
    const policy = inline('case', {
      Statement: [{ Effect: 'Allow', Action: ['IAM:passrole', 'S3:GETOBJECT', 's3:GetObjekt', 'lambda:Invoke*Async'], Resource: '*' }],
    });
    const summary = summarizePermissions([policy], fixtureCatalog);
    expect(summary.allowedActionCount).toBe(2);
    expect(summary.uncataloguedActions).toEqual(['lambda:invoke*async', 's3:getobjekt']);
  });

  it('NotAction with a tiny exclusion on * is admin-equivalent through self-grant', () => {
    const policy = inline('almost-all', {
      Statement: { Effect: 'Allow', NotAction: 's3:DeleteBucket', Resource: '*' },
    });
    const summary = summarizePermissions([policy], fixtureCatalog);
    expect(summary.allowedActionCount).toBe(78);
    expect(summary.adminEquivalent).toBe(true);
    expect(summary.adminEquivalentReason).toMatch(/^Can grant itself any permission \(iam:PutRolePolicy on every role/);
  });
});

describe('NotResource', () => {
  it('allows the action, but not on every resource', () => {
    const policy = inline('all-but-audit', {
      Statement: {
        Effect: 'Allow',
        Action: 's3:*',
        NotResource: ['arn:aws:s3:::audit-logs', 'arn:aws:s3:::audit-logs/*'],
      },
    });
    const summary = summarizePermissions([policy], fixtureCatalog);
    expect(summary.allowedActionCount).toBe(9);
    expect(summary.highlights).toEqual([]);
    expect(summary.sensitiveReads).toEqual([]);
    expect(summary.readEverything).toBe(false);
  });
});

describe('Lambda deployer', () => {
  const summary = summarizePermissions([LAMBDA_DEPLOYER], fixtureCatalog);

  it('can escalate through a new function: PassRole on lambda-basic-* roles still passes those roles', () => {
    const method = summary.privilegeEscalation.find((e) => e.method === 'lambda-passrole-create-invoke');
    expect(method).toEqual({
      method: 'lambda-passrole-create-invoke',
      actions: ['iam:PassRole', 'lambda:CreateFunction', 'lambda:InvokeFunction'],
      title: 'Create a Lambda function with a privileged role and invoke it',
      resources: [
        'iam:PassRole on arn:aws:iam::111122223333:role/lambda-basic-*',
        'lambda:CreateFunction on arn:aws:lambda:eu-west-1:111122223333:function:app-*',
        'lambda:InvokeFunction on arn:aws:lambda:eu-west-1:111122223333:function:app-*',
      ],
      conditional: false,
      source: 'https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/',
      steps: [
        { action: 'iam:PassRole', resources: ['arn:aws:iam::111122223333:role/lambda-basic-*'] },
        { action: 'lambda:CreateFunction', resources: ['arn:aws:lambda:eu-west-1:111122223333:function:app-*'] },
        { action: 'lambda:InvokeFunction', resources: ['arn:aws:lambda:eu-west-1:111122223333:function:app-*'] },
      ],
    });
  });

  it('cannot pass roles to EC2: iam:PassedToService limits PassRole to Lambda', () => {
    expect(methods(summary)).toEqual(['lambda-passrole-create-invoke', 'lambda-update-function-code', 'lambda-update-code-invoke']);
    expect(summary.adminEquivalent).toBe(false);
    expect(summary.readEverything).toBe(false);
    expect(summary.highlights).toEqual(['ec2:RunInstances']);
    expect(summary.allowedActionCount).toBe(6);
  });
});

describe('unreadable policies', () => {
  it('are listed as gaps, and the rest is still summarised (a lower bound)', () => {
    const broken = { name: 'legacy', kind: 'inline' as const, policy: { ok: false as const, raw: '%7B%22', error: 'Unexpected end of JSON input' } };
    const summary = summarizePermissions([broken, LAMBDA_DEPLOYER], fixtureCatalog);
    expect(summary.gaps).toEqual(['policy legacy could not be read: Unexpected end of JSON input']);
    expect(summary.allowedActionCount).toBe(6);
    expect(summary.policies.map((p) => p.name)).toEqual(['legacy', 'lambda-deployer']);
  });
});

describe('resources customers cannot change', () => {
  const catalog = fixtureCatalog;
  const allowOn = (action: string, resource: string) =>
    summarizePermissions([inline('p', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: resource }] })], catalog);

  it('CreatePolicyVersion and SetDefaultPolicyVersion on AWS managed policies are no escalation', () => {
    expect(methods(allowOn('iam:CreatePolicyVersion', 'arn:aws:iam::aws:policy/*'))).toEqual([]);
    expect(methods(allowOn('iam:SetDefaultPolicyVersion', 'arn:aws:iam::aws:policy/AdministratorAccess'))).toEqual([]);
    expect(methods(allowOn('iam:CreatePolicyVersion', 'arn:aws:iam::111122223333:policy/*'))).toEqual(['iam-create-policy-version']);
    expect(methods(allowOn('iam:CreatePolicyVersion', 'arn:aws:iam::*:policy/*'))).toEqual(['iam-create-policy-version']);
    expect(methods(allowOn('iam:CreatePolicyVersion', '*'))).toEqual(['iam-create-policy-version']);
  });

  it("changing service-linked roles' policies is no escalation", () => {
    expect(methods(allowOn('iam:PutRolePolicy', 'arn:aws:iam::*:role/aws-service-role/*'))).toEqual([]);
    expect(methods(allowOn('iam:AttachRolePolicy', 'arn:aws:iam::111122223333:role/aws-service-role/ecs.amazonaws.com/*'))).toEqual([]);
    expect(methods(allowOn('iam:PutRolePolicy', 'arn:aws:iam::111122223333:role/app-*'))).toEqual(['iam-put-role-policy']);
  });
});

describe('conditions known at review time', () => {
  const catalog = fixtureCatalog;
  const now = new Date('2026-12-06T09:00:00.000Z');
  const timed = (operator: string, when: string) =>
    summarizePermissions(
      [inline('timed', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { [operator]: { 'aws:CurrentTime': when } } }] })],
      catalog,
      undefined,
      { now },
    );

  it('an Allow whose aws:CurrentTime window has closed grants nothing, says so, and is a dead statement', () => {
    const expired = timed('DateLessThan', '2025-01-01T00:00:00Z');
    expect(expired.adminEquivalent).toBe(false);
    expect(expired.allowedActionCount).toBe(0);
    const reason = 'its condition aws:CurrentTime DateLessThan 2025-01-01T00:00:00Z is a time window that had closed by the review (2026-12-06T09:00:00.000Z), and time only moves on';
    expect(expired.caveats).toContain(`Policy timed statement 1 (Allow) never applies: ${reason}; it is not counted.`);
    expect(expired.deadStatements).toEqual([{ policy: 'timed', statement: 0, label: 'Policy timed statement 1', reason }]);
  });

  it('an Allow whose window opens after the review grants nothing yet, but is no dead statement', () => {
    const later = timed('DateGreaterThan', '2027-01-01T00:00:00Z');
    expect(later.allowedActionCount).toBe(0);
    expect(later.caveats).toContain(
      'Policy timed statement 1 (Allow) does not apply at review time: its condition aws:CurrentTime DateGreaterThan 2027-01-01T00:00:00Z cannot hold then, so it is not counted.',
    );
    expect(later.deadStatements).toBeUndefined();
  });

  it('an open window is no guard: the Allow counts as unconditional', () => {
    const open = timed('DateGreaterThan', '2025-01-01T00:00:00Z');
    expect(open.adminEquivalent).toBe(true);
    expect(open.caveats?.some((c) => c.startsWith('Admin-equivalent only when'))).toBe(false);
  });
});

describe('the principal is known to its own summary', () => {
  const catalog = fixtureCatalog;
  const self = 'arn:aws:iam::111122223333:role/ops';
  const pinned = (arn: string) =>
    summarizePermissions(
      [inline('pinned', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { ArnEquals: { 'aws:PrincipalArn': arn } } }] })],
      catalog,
      undefined,
      { principalArn: self },
    );

  it('a condition on aws:PrincipalArn naming the role itself always holds; naming another never does', () => {
    expect(pinned(self).adminEquivalent).toBe(true);
    expect(pinned(self).caveats?.some((c) => c.startsWith('Admin-equivalent only when'))).toBe(false);
    expect(pinned('arn:aws:iam::111122223333:role/someone-else').allowedActionCount).toBe(0);
  });
});
