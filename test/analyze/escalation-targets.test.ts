import { beforeAll, describe, expect, it } from 'vitest';
import { judgeEscalationTargets, type TargetRole } from '../../src/analyze/escalation-targets.js';
import { createPermissionEvaluator, summarizePermissions, type PolicyInput } from '../../src/analyze/permissions/index.js';
import { analyzeTrustPolicy } from '../../src/analyze/trust/grants.js';
import { vendorIndex } from '../../src/analyze/vendors.js';
import { ACCOUNT, NOW, allow, policy, role as roleRecord, roleArn } from './builders.js';
import { fixtureCatalog } from './permissions/fixture-catalog.js';
import { loadActionCatalog } from '../../src/catalog/load-action-catalog.js';
import type { ActionCatalog } from '../../src/model/action-catalog.js';
import { awsManaged, inline, managed } from './permissions/policies.js';

const ADMIN = awsManaged('AdministratorAccess', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
const LOGS = inline('logs', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'logs:PutLogEvents', Resource: '*' }] });
const trustContext = { accountId: ACCOUNT, orgAccountIds: new Set([ACCOUNT]), vendors: vendorIndex([]), now: NOW };

interface Def {
  name: string;
  trust: unknown;
  policies: PolicyInput[];
}

function build(defs: Def[], catalog: ActionCatalog = fixtureCatalog): { roles: TargetRole[]; policies: Map<string, PolicyInput[]> } {
  const policies = new Map<string, PolicyInput[]>();
  const roles = defs.map((d) => {
    const arn = roleArn(d.name);
    policies.set(arn, d.policies);
    const record = roleRecord(d.name, policy(d.trust as Record<string, unknown>));
    return {
      arn,
      accountId: ACCOUNT,
      permissions: summarizePermissions(d.policies, catalog, undefined, { principalArn: arn, now: NOW }),
      grants: analyzeTrustPolicy(record, trustContext).grants,
      attached: d.policies.flatMap((p) => (p.kind === 'managed' && p.arn ? [p.arn] : [])),
    };
  });
  return { roles, policies };
}

function judge(defs: Def[], catalog: ActionCatalog = fixtureCatalog, inventoried: ReadonlySet<string> = new Set()) {
  const { roles, policies } = build(defs, catalog);
  return judgeEscalationTargets(
    roles,
    (r, target, admission) => createPermissionEvaluator(policies.get(r.arn) ?? [], catalog, undefined, { principalArn: r.arn, now: NOW }).canAssume(target, admission),
    inventoried,
  );
}

const passTo = (target: string) =>
  inline('deployer', {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: 'iam:PassRole', Resource: target },
      { Effect: 'Allow', Action: ['lambda:CreateFunction', 'lambda:InvokeFunction'], Resource: '*' },
    ],
  });
const lambdaTrust = allow({ Service: 'lambda.amazonaws.com' });
const rootTrust = allow({ AWS: `arn:aws:iam::${ACCOUNT}:root` });
const methods = (j: ReturnType<typeof judge>, name: string) => j.get(roleArn(name))?.privilegeEscalation.map((m) => m.method) ?? [];

describe('escalation judged against the real target', () => {
  it('passing a concrete role whose permissions are harmless is no escalation, and the caveat names it', () => {
    const j = judge([
      { name: 'deployer', trust: rootTrust, policies: [passTo(roleArn('fn-logs'))] },
      { name: 'fn-logs', trust: lambdaTrust, policies: [LOGS] },
    ]);
    expect(methods(j, 'deployer')).not.toContain('lambda-passrole-create-invoke');
    expect(j.get(roleArn('deployer'))?.cleared).toContainEqual(
      `lambda-passrole-create-invoke is not an escalation here: the role it may pass, ${roleArn('fn-logs')}, is neither admin-equivalent nor able to escalate.`,
    );
  });

  it('passing a concrete admin role the service trusts stays flagged, with the target in the evidence', () => {
    const j = judge([
      { name: 'deployer', trust: rootTrust, policies: [passTo(roleArn('fn-admin'))] },
      { name: 'fn-admin', trust: lambdaTrust, policies: [ADMIN] },
    ]);
    const method = j.get(roleArn('deployer'))?.privilegeEscalation.find((m) => m.method === 'lambda-passrole-create-invoke');
    expect(method?.targets).toEqual([`passes ${roleArn('fn-admin')} (admin-equivalent) to lambda.amazonaws.com`]);
  });

  it('an admin role the service does not trust cannot be used through it', () => {
    const j = judge([
      { name: 'deployer', trust: rootTrust, policies: [passTo(roleArn('ec2-admin'))] },
      { name: 'ec2-admin', trust: allow({ Service: 'ec2.amazonaws.com' }), policies: [ADMIN] },
    ]);
    expect(methods(j, 'deployer')).not.toContain('lambda-passrole-create-invoke');
  });

  it('a wildcard target, or one outside the snapshot, stays flagged as before', () => {
    const wildcard = judge([
      { name: 'deployer', trust: rootTrust, policies: [passTo(`arn:aws:iam::${ACCOUNT}:role/fn-*`)] },
      { name: 'fn-logs', trust: lambdaTrust, policies: [LOGS] },
    ]);
    expect(wildcard.get(roleArn('deployer'))?.privilegeEscalation.find((m) => m.method === 'lambda-passrole-create-invoke')?.targets).toBeUndefined();
    const missing = judge([{ name: 'deployer', trust: rootTrust, policies: [passTo(roleArn('not-collected'))] }]);
    expect(methods(missing, 'deployer')).toContain('lambda-passrole-create-invoke');
  });

  it('changing a managed policy attached only to roles it cannot use is none; attached to itself it is', () => {
    const policyArn = `arn:aws:iam::${ACCOUNT}:policy/shared-logs`;
    const editor = inline('editor', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:CreatePolicyVersion', Resource: policyArn }] });
    const shared = managed('shared-logs', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'logs:PutLogEvents', Resource: '*' }] }, ACCOUNT);
    const other = judge([
      { name: 'editor', trust: rootTrust, policies: [editor] },
      { name: 'worker', trust: lambdaTrust, policies: [shared] },
    ]);
    expect(methods(other, 'editor')).not.toContain('iam-create-policy-version');
    expect(other.get(roleArn('editor'))?.cleared[0]).toContain(`attached in the snapshot only to ${roleArn('worker')}`);
    const own = judge([{ name: 'editor', trust: rootTrust, policies: [editor, shared] }]);
    expect(own.get(roleArn('editor'))?.privilegeEscalation.find((m) => m.method === 'iam-create-policy-version')?.targets?.[0]).toContain('which it is or can assume');
  });

  it('writing an inline policy on a role it cannot assume is none; on one whose trust names it, it is', () => {
    const writer = (target: string) => inline('writer', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:PutRolePolicy', Resource: target }] });
    const locked = judge([
      { name: 'writer', trust: rootTrust, policies: [writer(roleArn('batch'))] },
      { name: 'batch', trust: lambdaTrust, policies: [LOGS] },
    ]);
    expect(methods(locked, 'writer')).not.toContain('iam-put-role-policy');
    const open = judge([
      { name: 'writer', trust: rootTrust, policies: [writer(roleArn('batch'))] },
      { name: 'batch', trust: allow({ AWS: roleArn('writer') }), policies: [LOGS] },
    ]);
    expect(open.get(roleArn('writer'))?.privilegeEscalation.find((m) => m.method === 'iam-put-role-policy')?.targets).toEqual([
      `changes the policies of ${roleArn('batch')}, which it can assume`,
    ]);
  });

  it('a trust naming the writer admits it unless its own Deny on sts:AssumeRole says otherwise', () => {
    const writer = (deny?: Record<string, unknown>) =>
      inline('writer', {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: 'iam:PutRolePolicy', Resource: roleArn('batch') },
          { Effect: 'Deny', Action: 'sts:AssumeRole', Resource: roleArn('batch'), ...(deny ? { Condition: deny } : {}) },
        ],
      });
    const batch = { name: 'batch', trust: allow({ AWS: roleArn('writer') }), policies: [LOGS] };
    const denied = judge([{ name: 'writer', trust: rootTrust, policies: [writer()] }, batch]);
    expect(methods(denied, 'writer')).not.toContain('iam-put-role-policy');
    expect(denied.get(roleArn('writer'))?.cleared).toContainEqual(
      `iam-put-role-policy is not an escalation here: the role it may change, ${roleArn('batch')}, is not one it is or can assume in the snapshot.`,
    );
    const maybe = judge([{ name: 'writer', trust: rootTrust, policies: [writer({ BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } })] }, batch]);
    const method = maybe.get(roleArn('writer'))?.privilegeEscalation.find((m) => m.method === 'iam-put-role-policy');
    expect(method?.targets).toEqual([`changes the policies of ${roleArn('batch')}, which it can assume (only if the conditions on the way there hold)`]);
    expect(method?.conditional).toBe(true);
  });

  it('a role and trust change together needs no privileged or reachable target: the combined method stays flagged', () => {
    const both = inline('rewriter', {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: ['iam:PutRolePolicy', 'iam:UpdateAssumeRolePolicy'], Resource: roleArn('idle') }],
    });
    const j = judge([
      { name: 'rewriter', trust: rootTrust, policies: [both] },
      { name: 'idle', trust: lambdaTrust, policies: [LOGS] },
    ]);
    // Each step alone is harmless against this target (not reachable, not privileged); together they make it both.
    expect(methods(j, 'rewriter')).not.toContain('iam-put-role-policy');
    expect(methods(j, 'rewriter')).toContain('iam-put-role-policy-update-trust');
  });
});

describe('a role or policy change paired with a trust rewrite (iam-019..021), judged by the roles open to both', () => {
  const POLICY = `arn:aws:iam::${ACCOUNT}:policy/shared-logs`;
  const shared = managed('shared-logs', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'logs:PutLogEvents', Resource: '*' }] }, ACCOUNT);
  const pair = (change: string, changeOn: string, trustOn: string) =>
    inline('rewriter', {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: change, Resource: changeOn },
        { Effect: 'Allow', Action: 'iam:UpdateAssumeRolePolicy', Resource: trustOn },
      ],
    });
  const combined = (j: ReturnType<typeof judge>, id: string) => j.get(roleArn('rewriter'))?.privilegeEscalation.find((m) => m.method === id);
  const INVENTORIED = new Set([ACCOUNT]);

  it('a concrete policy attached to no role: cleared when the account was inventoried whole, flagged when not', () => {
    const defs = [
      { name: 'rewriter', trust: rootTrust, policies: [pair('iam:CreatePolicyVersion', POLICY, '*')] },
      { name: 'idle', trust: lambdaTrust, policies: [LOGS] },
    ];
    const whole = judge(defs, fixtureCatalog, INVENTORIED);
    expect(methods(whole, 'rewriter')).not.toContain('iam-create-policy-version-update-trust');
    expect(whole.get(roleArn('rewriter'))?.cleared).toContain(
      `iam-create-policy-version-update-trust is not an escalation here: the policy it may change, ${POLICY}, is attached to no role in the snapshot, so no role whose trust it rewrites gains from it (users and groups are not reviewed).`,
    );
    // The one-step privesc1 pays off only through a role carrying the policy, so it goes too.
    expect(methods(whole, 'rewriter')).not.toContain('iam-create-policy-version');
    expect(whole.get(roleArn('rewriter'))?.cleared).toContain(
      `iam-create-policy-version is not an escalation here: the policy it may change, ${POLICY}, is attached to no role in the snapshot (users and groups are not reviewed).`,
    );
    // A shard, or an account whose role inventory failed, may hold a role carrying it: the methods stand.
    expect(methods(judge(defs), 'rewriter')).toEqual(expect.arrayContaining(['iam-create-policy-version-update-trust', 'iam-create-policy-version']));
  });

  it('a concrete policy on a role whose trust it may rewrite stands, named; on a role it may not rewrite nor assume it is cleared', () => {
    const open = judge(
      [
        { name: 'rewriter', trust: rootTrust, policies: [pair('iam:CreatePolicyVersion', POLICY, '*')] },
        { name: 'worker', trust: lambdaTrust, policies: [shared] },
      ],
      fixtureCatalog,
      INVENTORIED,
    );
    expect(combined(open, 'iam-create-policy-version-update-trust')?.targets).toEqual([
      `changes ${POLICY}, attached to ${roleArn('worker')}, and may rewrite that role's trust to admit itself`,
    ]);
    const elsewhere = judge(
      [
        { name: 'rewriter', trust: rootTrust, policies: [pair('iam:CreatePolicyVersion', POLICY, roleArn('idle'))] },
        { name: 'worker', trust: lambdaTrust, policies: [shared] },
        { name: 'idle', trust: lambdaTrust, policies: [LOGS] },
      ],
      fixtureCatalog,
      INVENTORIED,
    );
    expect(methods(elsewhere, 'rewriter')).not.toContain('iam-create-policy-version-update-trust');
    expect(elsewhere.get(roleArn('rewriter'))?.cleared.join(' ')).toContain(`is attached to ${roleArn('worker')}, whose trust it may not rewrite and which it cannot assume`);
  });

  it('a wildcard change with a concrete rewritten role: stands when the change reaches that role, cleared when it cannot', () => {
    const reached = judge([
      { name: 'rewriter', trust: rootTrust, policies: [pair('iam:PutRolePolicy', '*', roleArn('idle'))] },
      { name: 'idle', trust: lambdaTrust, policies: [LOGS] },
    ]);
    expect(combined(reached, 'iam-put-role-policy-update-trust')?.targets).toEqual([`may rewrite the trust of ${roleArn('idle')} and change its policies`]);
    // The only customer policy the wildcard may version is none of the rewritten role's: it carries inline ones only.
    const bare = judge([
      { name: 'rewriter', trust: rootTrust, policies: [pair('iam:CreatePolicyVersion', '*', roleArn('idle'))] },
      { name: 'idle', trust: lambdaTrust, policies: [LOGS] },
    ]);
    expect(methods(bare, 'rewriter')).not.toContain('iam-create-policy-version-update-trust');
    expect(bare.get(roleArn('rewriter'))?.cleared.join(' ')).toContain('neither privileged nor one whose customer managed policies it may change');
    const carried = judge([
      { name: 'rewriter', trust: rootTrust, policies: [pair('iam:CreatePolicyVersion', '*', roleArn('worker'))] },
      { name: 'worker', trust: lambdaTrust, policies: [shared] },
    ]);
    expect(combined(carried, 'iam-create-policy-version-update-trust')?.targets).toEqual([`may rewrite the trust of ${roleArn('worker')} and change ${POLICY}, attached to it`]);
  });

  it("rewriting only its own trust gives a role nothing it lacks, even though that counts among its own methods", () => {
    const self = judge([{ name: 'rewriter', trust: rootTrust, policies: [inline('own', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:UpdateAssumeRolePolicy', Resource: roleArn('rewriter') }] })] }]);
    expect(methods(self, 'rewriter')).not.toContain('iam-update-assume-role-policy');
    expect(self.get(roleArn('rewriter'))?.cleared.join(' ')).toContain('is its own');
  });

  it('wildcards on both sides, or a target outside the snapshot, leave the method flagged as the summary found it', () => {
    const wild = judge([{ name: 'rewriter', trust: rootTrust, policies: [pair('iam:AttachRolePolicy', '*', '*')] }], fixtureCatalog, INVENTORIED);
    expect(combined(wild, 'iam-attach-role-policy-update-trust')?.targets).toBeUndefined();
    expect(methods(wild, 'rewriter')).toContain('iam-attach-role-policy-update-trust');
    const outside = judge([{ name: 'rewriter', trust: rootTrust, policies: [pair('iam:PutRolePolicy', roleArn('not-collected'), '*')] }], fixtureCatalog, INVENTORIED);
    expect(combined(outside, 'iam-put-role-policy-update-trust')?.targets).toBeUndefined();
  });
});

describe('escalation targets for services whose passed role is run by another principal (real catalogue)', () => {
  let catalog: ActionCatalog;
  beforeAll(async () => {
    catalog = await loadActionCatalog();
  });
  const batchSubmitter = (target: string) =>
    inline('batch-submitter', {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 'iam:PassRole', Resource: target },
        { Effect: 'Allow', Action: ['batch:RegisterJobDefinition', 'batch:SubmitJob'], Resource: '*' },
      ],
    });

  it('a Batch job role is passed to batch.amazonaws.com but must trust ecs-tasks.amazonaws.com', () => {
    const runnable = judge(
      [
        { name: 'submitter', trust: rootTrust, policies: [batchSubmitter(roleArn('job-admin'))] },
        { name: 'job-admin', trust: allow({ Service: 'ecs-tasks.amazonaws.com' }), policies: [ADMIN] },
      ],
      catalog,
    );
    expect(runnable.get(roleArn('submitter'))?.privilegeEscalation.find((m) => m.method === 'batch-passrole-register-job-definition')?.targets).toEqual([
      `passes ${roleArn('job-admin')} (admin-equivalent) to batch.amazonaws.com, run as it by ecs-tasks.amazonaws.com`,
    ]);
    const notRunnable = judge(
      [
        { name: 'submitter', trust: rootTrust, policies: [batchSubmitter(roleArn('job-admin'))] },
        { name: 'job-admin', trust: allow({ Service: 'batch.amazonaws.com' }), policies: [ADMIN] },
      ],
      catalog,
    );
    expect(methods(notRunnable, 'submitter')).not.toContain('batch-passrole-register-job-definition');
    expect(notRunnable.get(roleArn('submitter'))?.cleared.join(' ')).toContain('does not trust ecs-tasks.amazonaws.com');
  });

  it('Braket CreateJob may pass its role as sagemaker.amazonaws.com, so PassRole limited to SageMaker still enables it', () => {
    const { roles } = build(
      [
        {
          name: 'quantum',
          trust: rootTrust,
          policies: [
            inline('quantum', {
              Version: '2012-10-17',
              Statement: [
                { Effect: 'Allow', Action: 'iam:PassRole', Resource: '*', Condition: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } } },
                { Effect: 'Allow', Action: 'braket:CreateJob', Resource: '*' },
              ],
            }),
          ],
        },
      ],
      catalog,
    );
    expect(roles[0]?.permissions.privilegeEscalation.map((m) => m.method)).toContain('braket-passrole-create-job');
  });
});
