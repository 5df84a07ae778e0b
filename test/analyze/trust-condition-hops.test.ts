/**
 * A trust policy's own conditions, judged per caller on the way through the reach graph and the escalation
 * targets: a condition that shuts this caller out (aws:PrincipalArn naming another role) is no hop, one that
 * depends on the request (an external id, MFA, a session tag) is a conditional hop, one that certainly holds
 * for a role of the organization (aws:PrincipalOrgID) changes nothing.
 */
import { describe, expect, it } from 'vitest';
import type { PermissionsEngine, PolicyInput } from '../../src/analyze/engine.js';
import { judgeEscalationTargets, type TargetRole } from '../../src/analyze/escalation-targets.js';
import { canAssume, createPermissionEvaluator, isActionAllowed, summarizePermissions } from '../../src/analyze/permissions/index.js';
import { trustConditionFor } from '../../src/analyze/policy/assume.js';
import { buildReach, type ReachNode } from '../../src/analyze/reach.js';
import { analyzeTrustPolicy } from '../../src/analyze/trust/grants.js';
import { vendorIndex } from '../../src/analyze/vendors.js';
import type { TrustGrant } from '../../src/model/review.js';
import { ACCOUNT, NOW, ORG_ACCOUNT, ORG_ID, allow, deny, policy, role, roleArn, type Statement } from './builders.js';
import { fixtureCatalog } from './permissions/fixture-catalog.js';
import { inline } from './permissions/policies.js';

const engine: PermissionsEngine = { summarizePermissions, isActionAllowed, canAssume, createPermissionEvaluator };
const ASSUME_ANY = inline('assume', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }] });
const ADMIN_POLICY = inline('admin', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
const ROOT = { AWS: `arn:aws:iam::${ACCOUNT}:root` };
const LAMBDA = allow({ Service: 'lambda.amazonaws.com' });

function grantsOf(name: string, trust: Statement[]): TrustGrant[] {
  const record = role(name, policy(...trust), { arn: roleArn(name) });
  return analyzeTrustPolicy(record, { accountId: ACCOUNT, organizationId: ORG_ID, orgAccountIds: new Set([ACCOUNT, ORG_ACCOUNT]), vendors: vendorIndex([]), now: NOW }).grants;
}

function node(name: string, trust: Statement[], policies: PolicyInput[], admin = false): ReachNode {
  return { arn: roleArn(name), accountId: ACCOUNT, grants: grantsOf(name, trust), policies, adminEquivalent: admin };
}

/** Paths from each of dev and ops to the admin role, with whether they are conditional. */
function reachToAdmin(adminTrust: Statement[]): Record<string, boolean | 'none'> {
  // dev and ops trust only a service, so neither reaches the admin role through the other.
  const nodes = [node('dev', [LAMBDA], [ASSUME_ANY]), node('ops', [LAMBDA], [ASSUME_ANY]), node('admin', adminTrust, [ADMIN_POLICY], true)];
  const paths = buildReach(nodes, engine, fixtureCatalog, undefined, NOW, ORG_ID).paths.filter((p) => p.to === roleArn('admin'));
  const of = (name: string): boolean | 'none' => {
    const path = paths.find((p) => p.from === roleArn(name));
    return path ? (path.conditional ?? false) : 'none';
  };
  return { dev: of('dev'), ops: of('ops') };
}

describe('trust conditions per caller (trustConditionFor)', () => {
  const dev = { arn: roleArn('dev'), accountId: ACCOUNT };
  const only = (trust: Statement[]): TrustGrant => {
    const [grant] = grantsOf('admin', trust);
    if (!grant) throw new Error('no grant');
    return grant;
  };

  it('no condition holds; a PrincipalArn pin is decided by the caller ARN; an external id depends on the request', () => {
    expect(trustConditionFor(only([allow(ROOT)]), dev, ACCOUNT, { now: NOW })).toBe('true');
    expect(trustConditionFor(only([allow(ROOT, { Condition: { ArnEquals: { 'aws:PrincipalArn': roleArn('ops') } } })]), dev, ACCOUNT, { now: NOW })).toBe('false');
    expect(trustConditionFor(only([allow(ROOT, { Condition: { ArnLike: { 'aws:PrincipalArn': roleArn('d*') } } })]), dev, ACCOUNT, { now: NOW })).toBe('true');
    expect(trustConditionFor(only([allow(ROOT, { Condition: { StringEquals: { 'sts:ExternalId': 'x-1' } } })]), dev, ACCOUNT, { now: NOW })).toBe('unknown');
  });

  it("the organization's id holds for its roles; without the id it is undecided", () => {
    const inOrg = only([allow(ROOT, { Condition: { StringEquals: { 'aws:PrincipalOrgID': ORG_ID } } })]);
    expect(trustConditionFor(inOrg, dev, ACCOUNT, { now: NOW, organizationId: ORG_ID })).toBe('true');
    // Without the organization's id the analysis cannot say.
    expect(trustConditionFor(inOrg, dev, ACCOUNT, { now: NOW })).toBe('unknown');
  });

  it('MFA is undecided for a role session and for an IAM user', () => {
    const mfa = only([allow(ROOT, { Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } })]);
    expect(trustConditionFor(mfa, dev, ACCOUNT, { now: NOW })).toBe('unknown');
    expect(trustConditionFor(mfa, { arn: `arn:aws:iam::${ACCOUNT}:user/alice`, accountId: ACCOUNT }, ACCOUNT, { now: NOW, kind: 'user' })).toBe('unknown');
  });
});

describe('the reach graph draws hops the trust conditions allow, and marks them', () => {
  it('an account-wide trust with no condition: both callers, unconditional', () => {
    expect(reachToAdmin([allow(ROOT)])).toEqual({ dev: false, ops: false });
  });

  it('pinned by aws:PrincipalArn to ops: dev has no path (before: both were drawn, unconditional)', () => {
    expect(reachToAdmin([allow(ROOT, { Condition: { ArnEquals: { 'aws:PrincipalArn': roleArn('ops') } } })])).toEqual({ dev: 'none', ops: false });
  });

  it('an external id or MFA on the trust: both paths drawn, conditional', () => {
    expect(reachToAdmin([allow(ROOT, { Condition: { StringEquals: { 'sts:ExternalId': 'x-1' } } })])).toEqual({ dev: true, ops: true });
    expect(reachToAdmin([allow(ROOT, { Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } })])).toEqual({ dev: true, ops: true });
  });

  it('aws:PrincipalOrgID of the organization holds for its roles: unconditional', () => {
    expect(reachToAdmin([allow(ROOT, { Condition: { StringEquals: { 'aws:PrincipalOrgID': ORG_ID } } })])).toEqual({ dev: false, ops: false });
  });

  it('a Deny in the trust policy for every principal but ops shuts dev out through its derived guard', () => {
    const trust = [allow(ROOT), deny('*', { Condition: { ArnNotEquals: { 'aws:PrincipalArn': roleArn('ops') } } })];
    expect(reachToAdmin(trust)).toEqual({ dev: 'none', ops: false });
  });

  it('an inside IAM user named by a trust that requires MFA starts a conditional path', () => {
    const user = `arn:aws:iam::${ACCOUNT}:user/alice`;
    const nodes = [node('admin', [allow({ AWS: user }, { Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } })], [ADMIN_POLICY], true)];
    const [path] = buildReach(nodes, engine, fixtureCatalog, undefined, NOW, ORG_ID).paths.filter((p) => p.from === user);
    expect(path?.to).toBe(roleArn('admin'));
    expect(path?.conditional).toBe(true);
    const plain = buildReach([node('admin', [allow({ AWS: user })], [ADMIN_POLICY], true)], engine, fixtureCatalog, undefined, NOW, ORG_ID).paths;
    expect(plain.find((p) => p.from === user)?.conditional).toBeUndefined();
  });
});

describe('escalation targets ask the same question', () => {
  const LOGS = inline('logs', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'logs:PutLogEvents', Resource: '*' }] });
  const WRITER = inline('writer', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:PutRolePolicy', Resource: roleArn('batch') }] });
  const target = (name: string, trust: Statement[], policies: PolicyInput[]): TargetRole => ({
    arn: roleArn(name),
    accountId: ACCOUNT,
    permissions: summarizePermissions(policies, fixtureCatalog, undefined, { principalArn: roleArn(name), now: NOW }),
    grants: grantsOf(name, trust),
    attached: [],
  });

  /** The writer may change batch's policies: an escalation only through a batch it can assume. */
  function putRolePolicy(batchTrust: Statement[]) {
    const policies = new Map<string, PolicyInput[]>([
      [roleArn('writer'), [WRITER, ASSUME_ANY]],
      [roleArn('batch'), [LOGS]],
    ]);
    const roles = [target('writer', [allow(ROOT)], [WRITER, ASSUME_ANY]), target('batch', batchTrust, [LOGS])];
    const judged = judgeEscalationTargets(
      roles,
      (r, to, admission) => createPermissionEvaluator(policies.get(r.arn) ?? [], fixtureCatalog, undefined, { principalArn: r.arn, now: NOW }).canAssume(to, admission),
      new Set(),
      { now: NOW, organizationId: ORG_ID },
    );
    return judged.get(roleArn('writer'))?.privilegeEscalation.find((m) => m.method === 'iam-put-role-policy');
  }

  it('open account trust: an escalation; pinned to another role: none; behind an external id: only if', () => {
    expect(putRolePolicy([allow(ROOT)])?.targets).toEqual([`changes the policies of ${roleArn('batch')}, which it can assume`]);
    expect(putRolePolicy([allow(ROOT, { Condition: { ArnEquals: { 'aws:PrincipalArn': roleArn('ops') } } })])).toBeUndefined();
    const guarded = putRolePolicy([allow(ROOT, { Condition: { StringEquals: { 'sts:ExternalId': 'x-1' } } })]);
    expect(guarded?.targets).toEqual([`changes the policies of ${roleArn('batch')}, which it can assume (only if the conditions on the way there hold)`]);
    expect(guarded?.conditional).toBe(true);
  });
});
