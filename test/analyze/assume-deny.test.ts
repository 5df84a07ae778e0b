/**
 * "May X assume R" through the real policy engine: a same-account trust naming the caller admits it
 * without an identity Allow, but an explicit Deny (identity or boundary) still denies, a conditional Deny
 * makes the hop conditional, and a role's boundary that does not allow sts:AssumeRole stops it; a trust
 * naming only the account root needs the caller's identity Allow.
 */
import { describe, expect, it } from 'vitest';
import type { PermissionsEngine, PolicyInput } from '../../src/analyze/engine.js';
import { canAssume, createPermissionEvaluator, isActionAllowed, summarizePermissions } from '../../src/analyze/permissions/index.js';
import { buildReach, type ReachNode } from '../../src/analyze/reach.js';
import { analyzeTrustPolicy } from '../../src/analyze/trust/grants.js';
import { vendorIndex } from '../../src/analyze/vendors.js';
import { ACCOUNT, NOW, ORG_ACCOUNT, allow, policy, role, roleArn, type Statement } from './builders.js';
import { fixtureCatalog } from './permissions/fixture-catalog.js';
import { inline, managed } from './permissions/policies.js';

const engine: PermissionsEngine = { summarizePermissions, isActionAllowed, canAssume, createPermissionEvaluator };

const ADMIN = roleArn('admin');
const OTHER_ADMIN = roleArn('other-admin');

function node(name: string, trust: Statement[], policies: PolicyInput[] = [], options: { boundary?: PolicyInput; admin?: boolean; accountId?: string } = {}): ReachNode {
  const accountId = options.accountId ?? ACCOUNT;
  const record = role(name, policy(...trust), { arn: roleArn(name, accountId) });
  const { grants } = analyzeTrustPolicy(record, { accountId, orgAccountIds: new Set([ACCOUNT, ORG_ACCOUNT]), vendors: vendorIndex([]), now: NOW });
  return { arn: record.arn, accountId, grants, policies, adminEquivalent: options.admin ?? false, ...(options.boundary ? { boundary: options.boundary } : {}) };
}

const denyAssume = (resource: string, condition?: Record<string, unknown>): PolicyInput =>
  inline('no-assume', { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'sts:AssumeRole', Resource: resource, ...(condition ? { Condition: condition } : {}) }] });
const allowAssume = (resource: string): PolicyInput => inline('assume', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: resource }] });
const boundary = (statements: Statement[]): PolicyInput => managed('boundary', { Version: '2012-10-17', Statement: statements });

/** The reach graph's answer for role dev: where it escalates to, and whether each hop is conditional. */
function reachFromDev(dev: PolicyInput[], devBoundary?: PolicyInput, adminTrust: Statement[] = [allow({ AWS: roleArn('dev') })]): [string, boolean][] {
  const nodes = [
    node('dev', [allow({ AWS: ACCOUNT })], dev, devBoundary ? { boundary: devBoundary } : {}),
    node('admin', adminTrust, [], { admin: true }),
    node('other-admin', [allow({ AWS: roleArn('dev') })], [], { admin: true }),
  ];
  return buildReach(nodes, engine, fixtureCatalog, undefined, NOW)
    .paths.filter((p) => p.from === roleArn('dev'))
    .map((p): [string, boolean] => [p.to, p.conditional ?? false])
    .sort(([a], [b]) => (a < b ? -1 : 1));
}

describe('the policy engine tells explicit Deny from no Allow (canAssume)', () => {
  const ask = (policies: PolicyInput[], admission: 'identity' | 'names-role' | 'names-session', b?: PolicyInput) =>
    createPermissionEvaluator(policies, fixtureCatalog, b, { principalArn: roleArn('dev'), now: NOW }).canAssume(ADMIN, admission);

  it('no policies: named in the trust is enough, named only by account is not', () => {
    expect(ask([], 'names-role')).toEqual({ allowed: true, conditional: false });
    expect(ask([], 'identity')).toEqual({ allowed: false, conditional: false });
  });

  it('an explicit Deny on every role or on that role stops a named caller; a Deny on another role does not', () => {
    expect(ask([denyAssume('*')], 'names-role')).toEqual({ allowed: false, conditional: false });
    expect(ask([denyAssume(ADMIN)], 'names-role')).toEqual({ allowed: false, conditional: false });
    expect(ask([denyAssume(OTHER_ADMIN)], 'names-role')).toEqual({ allowed: true, conditional: false });
    expect(ask([allowAssume('*'), denyAssume(ADMIN)], 'identity')).toEqual({ allowed: false, conditional: false });
  });

  it('a Deny whose condition the analysis cannot decide leaves the hop conditional', () => {
    expect(ask([denyAssume('*', { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } })], 'names-role')).toEqual({ allowed: true, conditional: true });
  });

  it('a boundary Deny stops it; a boundary without an Allow stops a role ARN but not a session ARN', () => {
    const denying = boundary([{ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', Action: 'sts:AssumeRole', Resource: '*' }]);
    const s3Only = boundary([{ Effect: 'Allow', Action: 's3:*', Resource: '*' }]);
    const assumeOk = boundary([{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }]);
    expect(ask([], 'names-role', denying)).toEqual({ allowed: false, conditional: false });
    expect(ask([], 'names-session', denying)).toEqual({ allowed: false, conditional: false });
    expect(ask([], 'names-role', s3Only)).toEqual({ allowed: false, conditional: false });
    expect(ask([], 'names-session', s3Only)).toEqual({ allowed: true, conditional: false });
    expect(ask([], 'names-role', assumeOk)).toEqual({ allowed: true, conditional: false });
  });
});

describe('reach graph: a same-account trust naming the role, against its Deny statements and boundary', () => {
  it('no Allow needed: both admin roles that name dev are reached', () => {
    expect(reachFromDev([])).toEqual([
      [ADMIN, false],
      [OTHER_ADMIN, false],
    ]);
  });

  it('deny all sts:AssumeRole: no hop at all', () => {
    expect(reachFromDev([denyAssume('*')])).toEqual([]);
  });

  it('deny on that role only: the other role is still reached', () => {
    expect(reachFromDev([denyAssume(ADMIN)])).toEqual([[OTHER_ADMIN, false]]);
  });

  it('conditional Deny: the hop stands, marked conditional', () => {
    expect(reachFromDev([denyAssume(ADMIN, { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } })])).toEqual([
      [ADMIN, true],
      [OTHER_ADMIN, false],
    ]);
  });

  it('boundary Deny: no hop', () => {
    expect(reachFromDev([], boundary([{ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', Action: 'sts:AssumeRole', Resource: ADMIN }]))).toEqual([[OTHER_ADMIN, false]]);
  });

  it('boundary that does not allow sts:AssumeRole: no hop, though no Deny is written', () => {
    expect(reachFromDev([], boundary([{ Effect: 'Allow', Action: 's3:*', Resource: '*' }]))).toEqual([]);
    expect(reachFromDev([], boundary([{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: OTHER_ADMIN }]))).toEqual([[OTHER_ADMIN, false]]);
  });

  it('root-named trust: needs the identity Allow, and a Deny beats it', () => {
    const rootTrust = [allow({ AWS: `arn:aws:iam::${ACCOUNT}:root` })];
    expect(reachFromDev([], undefined, rootTrust)).toEqual([[OTHER_ADMIN, false]]);
    expect(reachFromDev([allowAssume(ADMIN)], undefined, rootTrust)).toEqual([
      [ADMIN, false],
      [OTHER_ADMIN, false],
    ]);
    expect(reachFromDev([allowAssume('*'), denyAssume(ADMIN)], undefined, rootTrust)).toEqual([[OTHER_ADMIN, false]]);
  });

  it('a trust naming a role of another account still needs that role\'s identity Allow', () => {
    const nodes = [
      node('dev', [allow({ AWS: ACCOUNT })], [], { accountId: ORG_ACCOUNT }),
      node('admin', [allow({ AWS: roleArn('dev', ORG_ACCOUNT) })], [], { admin: true }),
    ];
    expect(buildReach(nodes, engine, fixtureCatalog, undefined, NOW).paths.filter((p) => p.from === roleArn('dev', ORG_ACCOUNT))).toEqual([]);
    nodes[0] = node('dev', [allow({ AWS: ACCOUNT })], [allowAssume(ADMIN)], { accountId: ORG_ACCOUNT });
    expect(buildReach(nodes, engine, fixtureCatalog, undefined, NOW).paths.filter((p) => p.from === roleArn('dev', ORG_ACCOUNT)).map((p) => p.to)).toEqual([ADMIN]);
  });
});
