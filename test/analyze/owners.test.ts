import { describe, expect, it } from 'vitest';
import { resolveOwnership } from '../../src/analyze/owners.js';
import { OWNERS_DEFAULTS, type OwnerEntry, type OwnersConfig } from '../../src/model/ownership.js';
import type { OrganizationInfo, Snapshot } from '../../src/model/snapshot.js';
import { ACCOUNT, EXTERNAL, ORG_ACCOUNT, ORG_ID, account, allow, findings, policy, role, roleArn, run, snapshot } from './builders.js';

const THIRD = '333333333333';
const FOURTH = '444444444444';
const FIFTH = '555555555555';
const ROOT = 'r-ab12';
const WORKLOADS = 'ou-ab12-workload';
const PRODUCTION = 'ou-ab12-producti';

function entry(name: string, over: Partial<OwnerEntry> = {}): OwnerEntry {
  return { name, emails: [`${name.toLowerCase().replace(/\W+/g, '-')}@acme.example`], accounts: [], organizationalUnits: [], accountTags: {}, ...over };
}

function owners(list: OwnerEntry[], over: Partial<OwnersConfig> = {}): OwnersConfig {
  return { ...OWNERS_DEFAULTS, list, ...over };
}

function organization(over: Partial<OrganizationInfo> = {}): OrganizationInfo {
  return {
    id: ORG_ID,
    managementAccountId: ACCOUNT,
    roots: [{ id: ROOT, name: 'Root' }],
    organizationalUnits: [
      { id: WORKLOADS, name: 'Workloads', parentId: ROOT },
      { id: PRODUCTION, name: 'Production', parentId: WORKLOADS },
    ],
    accounts: [
      { id: ACCOUNT, name: 'prod', status: 'ACTIVE', parentId: ROOT, tags: [] },
      { id: ORG_ACCOUNT, name: 'tools', status: 'ACTIVE', parentId: PRODUCTION, tags: [{ key: 'team', value: 'PAYMENTS' }] },
      { id: THIRD, name: 'web', status: 'ACTIVE', parentId: PRODUCTION, tags: [{ key: 'environment', value: 'production' }] },
      { id: FOURTH, name: 'data', status: 'ACTIVE', parentId: ROOT, tags: [{ key: 'cost-center', value: 'analytics' }] },
      { id: FIFTH, name: 'sandbox', status: 'ACTIVE', parentId: ROOT, tags: [] },
    ],
    coverage: [
      { source: 'organizations-tree', status: 'ok' },
      { source: 'organizations-tags', status: 'ok' },
    ],
    ...over,
  };
}

const trust = policy(allow({ AWS: `arn:aws:iam::${EXTERNAL}:root` }));

function fiveAccounts(org: OrganizationInfo = organization()): Snapshot {
  return snapshot(
    [
      account([role('admin', trust), role('ci', trust, { tags: [{ key: 'team', value: 'security-engineering' }] })]),
      account([role('payments-api', trust, { arn: roleArn('payments-api', ORG_ACCOUNT) })], { accountId: ORG_ACCOUNT }),
      account([role('web-api', trust, { arn: roleArn('web-api', THIRD), tags: [{ key: 'owner', value: 'Payments' }] }), role('web-cdn', trust, { arn: roleArn('web-cdn', THIRD) })], { accountId: THIRD }),
      account([role('etl', trust, { arn: roleArn('etl', FOURTH) })], { accountId: FOURTH }),
      account([role('toy', trust, { arn: roleArn('toy', FIFTH) })], { accountId: FIFTH }),
    ],
    { organization: org },
  );
}

const CONFIG = owners([
  entry('Security Engineering'),
  entry('Payments'),
  entry('Web', { organizationalUnits: [WORKLOADS] }),
  entry('Data', { accountTags: { 'cost-center': 'analytics' } }),
  entry('Sandbox', { accounts: [FIFTH] }),
]);

describe('resolveOwnership', () => {
  it('tries role tag, account tag, OU (nearest or above), config account and config account tags, in that order', () => {
    const o = resolveOwnership(fiveAccounts(), CONFIG);
    expect(o.roles[roleArn('ci')]).toEqual({ id: 'security-engineering', name: 'Security Engineering', source: 'role-tag', detail: 'role tag team=security-engineering' });
    expect(o.roles[roleArn('payments-api', ORG_ACCOUNT)]).toEqual({ id: 'payments', name: 'Payments', source: 'account-tag', detail: 'account tag team=PAYMENTS' });
    // The role tag beats the account's OU owner.
    expect(o.roles[roleArn('web-api', THIRD)]).toMatchObject({ id: 'payments', source: 'role-tag' });
    expect(o.roles[roleArn('web-cdn', THIRD)]).toEqual({
      id: 'web',
      name: 'Web',
      source: 'organizational-unit',
      detail: `OU Workloads (${WORKLOADS}), above OU Production (${PRODUCTION})`,
    });
    expect(o.roles[roleArn('etl', FOURTH)]).toEqual({ id: 'data', name: 'Data', source: 'config-account-tag', detail: 'owners config account tags cost-center=analytics' });
    expect(o.roles[roleArn('toy', FIFTH)]).toEqual({ id: 'sandbox', name: 'Sandbox', source: 'config-account', detail: `account ${FIFTH} listed in owners config` });
    expect(o.accounts[THIRD]).toMatchObject({ id: 'web', source: 'organizational-unit' });
  });

  it('lists the unassigned role and account with the reason, never drops them', () => {
    const o = resolveOwnership(fiveAccounts(), CONFIG);
    expect(o.unassigned).toEqual({ accountIds: [ACCOUNT], roleArns: [roleArn('admin')] });
    expect(o.roles[roleArn('admin')]).toEqual({
      id: 'unassigned',
      name: 'Unassigned',
      source: 'unassigned',
      detail: 'no role tag (owner, team) and no owner for its account',
    });
    expect(Object.keys(o.roles)).toHaveLength(7);
  });

  it('sums each owner: emails from the entry, accounts partly theirs through a role tag, sorted by name', () => {
    const o = resolveOwnership(fiveAccounts(), CONFIG);
    expect(o.owners.map((s) => s.name)).toEqual(['Data', 'Payments', 'Sandbox', 'Security Engineering', 'Web']);
    const payments = o.owners.find((s) => s.id === 'payments');
    expect(payments).toEqual({
      id: 'payments',
      name: 'Payments',
      emails: ['payments@acme.example'],
      accountIds: [ORG_ACCOUNT, THIRD],
      roleArns: [roleArn('payments-api', ORG_ACCOUNT), roleArn('web-api', THIRD)].sort(),
      openFindings: 0,
    });
    expect(o.owners.find((s) => s.id === 'security-engineering')?.accountIds).toEqual([ACCOUNT]);
    expect(o.problems).toBeUndefined();
  });

  it('takes an owner from a tag value no entry names, with no emails', () => {
    const o = resolveOwnership(fiveAccounts(), owners([]));
    expect(o.roles[roleArn('payments-api', ORG_ACCOUNT)]).toEqual({ id: 'payments', name: 'PAYMENTS', source: 'account-tag', detail: 'account tag team=PAYMENTS' });
    expect(o.owners.find((s) => s.id === 'payments')?.emails).toEqual([]);
  });

  it('the nearest OU wins over one above it when two owners overlap', () => {
    const config = owners([entry('Web', { organizationalUnits: [WORKLOADS] }), entry('Prod Ops', { organizationalUnits: [PRODUCTION] })]);
    const o = resolveOwnership(fiveAccounts(), config);
    expect(o.accounts[THIRD]).toEqual({ id: 'prod-ops', name: 'Prod Ops', source: 'organizational-unit', detail: `OU Production (${PRODUCTION})` });
  });

  it('honours configured tag keys only', () => {
    const o = resolveOwnership(fiveAccounts(), owners([], { roleTagKeys: [], accountTagKeys: ['cost-center'] }));
    expect(o.roles[roleArn('ci')]?.source).toBe('unassigned');
    expect(o.roles[roleArn('etl', FOURTH)]).toMatchObject({ id: 'analytics', source: 'account-tag' });
  });

  it('says why an account is unassigned when its tags or the tree were not read', () => {
    const org = organization({
      roots: undefined,
      organizationalUnits: undefined,
      accounts: organization().accounts.map(({ tags: _t, parentId: _p, ...a }) => a),
      coverage: [
        { source: 'organizations-tree', status: 'failed', errorCode: 'AccessDeniedException' },
        { source: 'organizations-tags', status: 'failed', errorCode: 'AccessDeniedException' },
      ],
    });
    const o = resolveOwnership(fiveAccounts(org), CONFIG);
    expect(o.accounts[ORG_ACCOUNT]).toMatchObject({ source: 'unassigned' });
    expect(o.accounts[ORG_ACCOUNT]?.detail).toBe(
      'no account tag (owner, team), OU, account or account-tag entry in owners; account tags were not read (AccessDeniedException); the OU tree was not read (AccessDeniedException)',
    );
    expect(o.problems).toContainEqual({ path: 'owners.list[2].organizationalUnits[0]', message: `Web: ${WORKLOADS} could not be checked: the organization tree was not read.` });
    // A fallback owner found past what could not be read says it might not be the answer.
    expect(o.accounts[FIFTH]).toEqual({
      id: 'sandbox',
      name: 'Sandbox',
      source: 'config-account',
      detail: `account ${FIFTH} listed in owners config; account tags and the OU tree could not be read and might name another owner first`,
    });
  });

  it('reports by path owners naming an account or OU the organization does not have, and owners left with nothing', () => {
    const config = owners([entry('Payments', { accounts: ['999999999999'], organizationalUnits: ['ou-ab12-nosuchou'] }), entry('Ghost')]);
    const o = resolveOwnership(fiveAccounts(), config);
    expect(o.problems).toEqual([
      { path: 'owners.list[0].accounts[0]', message: `Payments: account 999999999999 is not in organization ${ORG_ID}.` },
      { path: 'owners.list[0].organizationalUnits[0]', message: `Payments: ou-ab12-nosuchou is not an organizational unit of organization ${ORG_ID}.` },
      { path: 'owners.list[1]', message: 'Ghost owns nothing in this review: no tag names them and their accounts, OUs and account tags match no reviewed account.' },
    ]);
  });

  it('in account mode (no organization) uses role tags and listed accounts, and says tags and OUs were not read', () => {
    const snap = snapshot([account([role('admin', trust), role('ci', trust, { tags: [{ key: 'owner', value: 'Platform' }] })])], { organization: undefined, scope: { mode: 'account', regions: ['us-east-1'], window: { start: '2026-08-27T06:00:00.000Z', end: '2026-11-25T06:00:00.000Z' } } });
    const o = resolveOwnership(snap, owners([]));
    expect(o.roles[roleArn('ci')]).toMatchObject({ id: 'platform', source: 'role-tag' });
    expect(o.roles[roleArn('admin')]?.detail).toContain('account tags and OUs were not read (the organization was not listed)');
  });
});

describe('owners in the review', () => {
  it('names the owner on every finding and every top action, and counts open findings per owner', () => {
    const review = run(fiveAccounts(), { settings: { owners: CONFIG } });
    expect(review.findings.length).toBeGreaterThan(0);
    expect(review.findings.every((f) => f.owner !== undefined)).toBe(true);
    const onCdn = review.findings.filter((f) => f.resource === roleArn('web-cdn', THIRD) || f.grantId?.startsWith(roleArn('web-cdn', THIRD)));
    expect(onCdn.length).toBeGreaterThan(0);
    expect(onCdn.every((f) => f.owner?.id === 'web')).toBe(true);
    for (const action of review.summary.topActions) {
      const expected = new Set(action.findingIds.map((id) => review.findings.find((f) => f.id === id)?.owner?.id));
      expect(new Set(action.owners?.map((o) => o.id))).toEqual(expected);
    }
    const external = review.summary.topActions.find((a) => a.findingIds.length >= 5);
    expect(external?.owners?.length).toBeGreaterThan(1);
    for (const summary of review.ownership?.owners ?? []) {
      expect(summary.openFindings).toBe(review.findings.filter((f) => f.status !== 'suppressed' && f.owner?.id === summary.id).length);
    }
    expect(review.ownership?.unassigned.roleArns).toEqual([roleArn('admin')]);
    expect(findings(review, 'trust-unknown-external-account').find((f) => f.resource === roleArn('admin'))?.owner?.source).toBe('unassigned');
  });

  it('puts the organization-level tree and tag gaps into the coverage and the gap count', () => {
    const org = organization({ coverage: [{ source: 'organizations-tree', status: 'ok' }, { source: 'organizations-tags', status: 'partial', errorCode: 'AccessDeniedException', detail: 'x' }] });
    const review = run(fiveAccounts(org), { settings: { owners: CONFIG } });
    expect(review.coverage).toContainEqual({ source: 'organizations-tags', status: 'partial', errorCode: 'AccessDeniedException', detail: 'x', accountId: ACCOUNT });
    expect(review.summary.coverageGaps).toBe(1);
  });
});
