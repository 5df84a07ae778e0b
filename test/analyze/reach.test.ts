import { describe, expect, it } from 'vitest';
import { buildReach, type ReachNode } from '../../src/analyze/reach.js';
import { analyzeTrustPolicy } from '../../src/analyze/trust/grants.js';
import { vendorIndex } from '../../src/analyze/vendors.js';
import type { PolicyInput } from '../../src/analyze/engine.js';
import { ACCOUNT, CATALOG, EXTERNAL, ORG_ACCOUNT, VENDORS, allow, policy, role, roleArn, type Statement } from './builders.js';
import { stubEngine } from './stub-permissions.js';

function node(name: string, accountId: string, trust: Statement[], assumes: string[] = [], adminEquivalent = false): ReachNode {
  const record = role(name, policy(...trust), { arn: roleArn(name, accountId) });
  const { grants } = analyzeTrustPolicy(record, { accountId, orgAccountIds: new Set([ACCOUNT, ORG_ACCOUNT]), vendors: vendorIndex(VENDORS) });
  const policies: PolicyInput[] = assumes.length
    ? [{ name: 'assume', kind: 'inline', policy: policy({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: assumes }) }]
    : [];
  return { arn: record.arn, accountId, grants, policies, adminEquivalent };
}

describe('reach graph', () => {
  it('follows trust plus sts:AssumeRole permission across accounts, shortest path first', () => {
    const nodes = [
      node('a', ORG_ACCOUNT, [allow({ AWS: EXTERNAL })], [roleArn('b', ACCOUNT), roleArn('c', ACCOUNT)]),
      node('b', ACCOUNT, [allow({ AWS: ORG_ACCOUNT })], [roleArn('c', ACCOUNT)]),
      node('c', ACCOUNT, [allow({ AWS: ACCOUNT }), allow({ AWS: ORG_ACCOUNT })], [], true),
    ];
    const { paths, truncated } = buildReach(nodes, stubEngine, CATALOG);
    expect(truncated).toBe(0);
    expect(paths.map((p) => [p.from, p.to, p.hops.length, p.targetAdminEquivalent])).toEqual([
      [EXTERNAL, roleArn('c', ACCOUNT), 2, true],
      // Every reviewed role starts paths of its own, to the admin-equivalent roles it can reach.
      [roleArn('b', ACCOUNT), roleArn('c', ACCOUNT), 1, true],
      [roleArn('a', ORG_ACCOUNT), roleArn('c', ACCOUNT), 1, true],
      [EXTERNAL, roleArn('a', ORG_ACCOUNT), 1, false],
      [EXTERNAL, roleArn('b', ACCOUNT), 2, false],
    ]);
  });

  it('a role named in a same-account trust needs no identity permission; a cross-account one does', () => {
    const nodes = [
      node('entry', ACCOUNT, [allow({ AWS: EXTERNAL })]),
      node('same', ACCOUNT, [allow({ AWS: roleArn('entry', ACCOUNT) })]),
      node('other', ORG_ACCOUNT, [allow({ AWS: roleArn('entry', ACCOUNT) })]),
    ];
    const { paths } = buildReach(nodes, stubEngine, CATALOG);
    expect(paths.map((p) => p.to).sort()).toEqual([roleArn('entry', ACCOUNT), roleArn('same', ACCOUNT)]);
  });

  it('terminates on cycles, ignores negated grants, and marks conditional hops', () => {
    const conditional: PolicyInput = {
      name: 'assume-if',
      kind: 'inline',
      policy: policy({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }),
    };
    const a = node('a', ACCOUNT, [allow({ AWS: EXTERNAL }), allow({ AWS: ACCOUNT })]);
    const b = node('b', ACCOUNT, [allow({ AWS: ACCOUNT })], [], true);
    const denied = node('denied', ACCOUNT, [allow({ AWS: EXTERNAL }), { Effect: 'Deny', Principal: '*', Action: 'sts:AssumeRole' }]);
    const { paths } = buildReach([{ ...a, policies: [conditional] }, { ...b, policies: [conditional] }, denied], stubEngine, CATALOG);
    expect(paths.map((p) => [p.from, p.to, p.hops.length, p.conditional ?? false])).toEqual([
      [EXTERNAL, roleArn('b'), 2, true],
      [roleArn('a'), roleArn('b'), 1, true],
      [EXTERNAL, roleArn('a'), 1, false],
    ]);
  });

  it('starts a public grant pinned to an outside account from that account, outside the organization', () => {
    const pinned = node('pinned', ACCOUNT, [allow({ AWS: '*' }, { Condition: { StringEquals: { 'aws:PrincipalAccount': EXTERNAL } } })], [], true);
    const internal = node('internal', ACCOUNT, [allow({ AWS: '*' }, { Condition: { StringEquals: { 'aws:PrincipalAccount': ORG_ACCOUNT } } })], [], true);
    const { paths } = buildReach([pinned, internal], stubEngine, CATALOG);
    expect(paths.map((p) => [p.from, p.fromLabel, p.to, p.fromOutside])).toEqual([
      [EXTERNAL, `Principals matching aws:PrincipalAccount ${EXTERNAL}`, roleArn('pinned'), true],
    ]);
  });

  it('truncates to the limit, keeping admin targets', () => {
    const nodes = [
      node('x', ACCOUNT, [allow({ AWS: EXTERNAL })]),
      node('y', ACCOUNT, [allow({ AWS: EXTERNAL })], [], true),
      node('z', ACCOUNT, [allow('*')]),
    ];
    const { paths, truncated } = buildReach(nodes, stubEngine, CATALOG, 1);
    expect(truncated).toBe(2);
    expect(paths.map((p) => p.to)).toEqual([roleArn('y')]);
  });

  it('marks whether a path starts outside the organization: SAML and own EKS issuers are the organization\'s own', () => {
    const saml = `arn:aws:iam::${ACCOUNT}:saml-provider/AWSSSO_0123456789abcdef_DO_NOT_DELETE`;
    const eks = `arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/5C0FFEE0123456789`;
    const github = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
    const web = { Action: 'sts:AssumeRoleWithWebIdentity' };
    const nodes = [
      node('sso-admin', ACCOUNT, [allow({ Federated: saml }, { Action: 'sts:AssumeRoleWithSAML' })], [], true),
      node('irsa', ACCOUNT, [allow({ Federated: eks }, web)]),
      node('gh', ACCOUNT, [allow({ Federated: github }, web)]),
      node('vendor', ACCOUNT, [allow({ AWS: EXTERNAL })]),
      node('ops', ACCOUNT, [allow({ Federated: saml }, { Action: 'sts:AssumeRoleWithSAML' })]),
    ];
    const { paths } = buildReach(nodes, stubEngine, CATALOG);
    // Admin target first; then outside starts before the organization's own, so truncation drops those first.
    expect(paths.map((p) => [p.from, p.to, p.fromOutside])).toEqual([
      [saml, roleArn('sso-admin'), false],
      [EXTERNAL, roleArn('vendor'), true],
      [github, roleArn('gh'), true],
      [eks, roleArn('irsa'), false],
      [saml, roleArn('ops'), false],
    ]);
  });

  it('inside one account, a role reaches an admin-equivalent role through a chain: A -> B -> C', () => {
    const nodes = [
      // A may assume B (B's trust names A); B may assume C (C trusts the account root, B's policy allows it).
      node('app', ACCOUNT, [allow({ Service: 'lambda.amazonaws.com' })]),
      node('ops', ACCOUNT, [allow({ AWS: roleArn('app') })], [roleArn('admin')]),
      node('admin', ACCOUNT, [allow({ AWS: `arn:aws:iam::${ACCOUNT}:root` })], [], true),
      // The root trust alone is not enough: a role without sts:AssumeRole on it does not reach it.
      node('bystander', ACCOUNT, [allow({ Service: 'ec2.amazonaws.com' })]),
    ];
    const { paths } = buildReach(nodes, stubEngine, CATALOG);
    const internal = paths.filter((p) => p.from.startsWith('arn:'));
    expect(internal.map((p) => [p.from, [p.from, ...p.hops].join(' → '), p.fromOutside])).toEqual([
      [roleArn('ops'), `${roleArn('ops')} → ${roleArn('admin')}`, false],
      [roleArn('app'), `${roleArn('app')} → ${roleArn('ops')} → ${roleArn('admin')}`, false],
    ]);
    expect(internal[1]?.fromLabel).toBe(`Role app (account ${ACCOUNT})`);
  });

  it('a service acting for a foreign account starts a path from that account; an inside IAM user starts one to admin', () => {
    const nodes = [
      node('sns-delivery', ACCOUNT, [allow({ Service: 'sns.amazonaws.com' }, { Condition: { StringEquals: { 'aws:SourceAccount': EXTERNAL } } })]),
      node('break-glass', ACCOUNT, [allow({ AWS: `arn:aws:iam::${ACCOUNT}:user/alice` })], [], true),
      node('plain', ACCOUNT, [allow({ AWS: `arn:aws:iam::${ACCOUNT}:user/bob` })]),
    ];
    const { paths } = buildReach(nodes, stubEngine, CATALOG);
    expect(paths.map((p) => [p.from, p.fromClass, p.to, p.fromOutside])).toEqual([
      [`arn:aws:iam::${ACCOUNT}:user/alice`, 'same-account', roleArn('break-glass'), false],
      [EXTERNAL, 'external', roleArn('sns-delivery'), true],
    ]);
    expect(paths[1]?.fromLabel).toBe(`Resources of ${EXTERNAL} through sns.amazonaws.com`);
  });
});
