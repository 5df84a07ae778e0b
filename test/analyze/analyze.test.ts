import { describe, expect, it } from 'vitest';
import { analyze, analyzeWith, type PermissionsEngine } from '../../src/analyze/index.js';
import { stubEngine } from './stub-permissions.js';
import { findingScore } from '../../src/analyze/scoring.js';
import { loadActionCatalog } from '../../src/catalog/load-action-catalog.js';
import type { TrustGrant } from '../../src/model/review.js';
import {
  ACCOUNT,
  ADMIN_POLICY,
  DATADOG,
  EXTERNAL,
  NOW,
  ORG_ACCOUNT,
  READ_ONLY_POLICY,
  account,
  allow,
  assumption,
  deny,
  findings,
  options,
  policy,
  role,
  roleArn,
  roleReview,
  run,
  snapshot,
} from './builders.js';

const admin = { attachedPolicies: [{ arn: ADMIN_POLICY.arn, name: ADMIN_POLICY.name }] };
const readOnly = { attachedPolicies: [{ arn: READ_ONLY_POLICY.arn, name: READ_ONLY_POLICY.name }] };

function organization() {
  const prod = account(
    [
      role('public-admin', policy(allow('*')), admin),
      role('partner', policy(allow({ AWS: `arn:aws:iam::${EXTERNAL}:role/sync` }))),
      role('datadog', policy(allow({ AWS: DATADOG }, { Condition: { StringEquals: { 'sts:ExternalId': 'dd-1' } } })), readOnly),
      role('ops', policy(allow({ AWS: ORG_ACCOUNT }), deny({ AWS: `arn:aws:iam::${ORG_ACCOUNT}:user/mallory` }))),
    ],
    {
      usage: {
        window: { start: '2026-08-27T06:00:00.000Z', end: '2026-11-25T06:00:00.000Z' },
        regions: ['us-east-1'],
        eventsRead: 12,
        assumptions: [
          assumption('datadog', { callerAccountId: DATADOG, callerArn: `arn:aws:sts::${DATADOG}:assumed-role/DatadogIntegration/x`, count: 12 }),
        ],
      },
    },
  );
  const tools = account([role('ci', policy(allow({ Service: 'codebuild.amazonaws.com' })), { arn: roleArn('ci', ORG_ACCOUNT) })], {
    accountId: ORG_ACCOUNT,
  });
  return snapshot([tools, prod]);
}

describe('analyze', () => {
  it('is deterministic: the same snapshot and now give the same review, byte for byte', () => {
    const a = JSON.stringify(run(organization()));
    const b = JSON.stringify(run(organization()));
    expect(a).toBe(b);
  });

  it('fills the review envelope from the snapshot and options', () => {
    const review = run(organization());
    expect(review).toMatchObject({
      kind: 'access-review/review',
      schemaVersion: '1.2',
      runId: 'run-2026-11-25',
      generatedAt: NOW.toISOString(),
      snapshotCollectedAt: NOW.toISOString(),
      organization: { id: 'o-abc123def4', managementAccountId: ACCOUNT },
      actionCatalogVersion: 'test-catalog',
      unmatchedSuppressions: [],
    });
    expect(review.accounts.map((a) => a.accountId)).toEqual([ACCOUNT, ORG_ACCOUNT]);
    expect(review.accounts[0]?.roles.map((r) => r.name)).toEqual(['datadog', 'ops', 'partner', 'public-admin']);
    expect(review.accounts[0]?.usageWindow).toEqual({ start: '2026-08-27T06:00:00.000Z', end: '2026-11-25T06:00:00.000Z' });
    expect(review.coverage.every((c) => c.accountId === ACCOUNT || c.accountId === ORG_ACCOUNT)).toBe(true);
  });

  it('counts the summary', () => {
    const { summary } = run(organization());
    expect(summary).toMatchObject({
      accounts: 2,
      roles: 5,
      trustGrants: 5,
      grantsByClass: { public: 1, external: 1, 'known-vendor': 1, 'org-account': 1, service: 1, 'same-account': 0, deleted: 0 },
      suppressedFindings: 0,
      unusedRoles: 0,
      coverageGaps: 0,
    });
    expect(summary.openFindings).toBe(run(organization()).findings.length);
    expect(Object.values(summary.findingsBySeverity).reduce((a, b) => a + b, 0)).toBe(summary.openFindings);
  });

  it('orders findings by score, most severe first, and links them to their roles', () => {
    const review = run(organization());
    const scores = review.findings.map((f) => f.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(review.findings[0]).toMatchObject({ ruleId: 'external-trust-admin', resource: roleArn('public-admin'), severity: 'critical' });
    const publicAdmin = roleReview(review, 'public-admin');
    expect(publicAdmin.findingIds).toEqual(review.findings.filter((f) => f.resource === roleArn('public-admin')).map((f) => f.id));
    expect(publicAdmin.riskScore).toBe(100);
    expect(review.summary.riskScore).toBe(100);
  });

  it('finding ids are stable across runs and independent of statement order', () => {
    const first = run(organization());
    const reordered = organization();
    const partner = reordered.accounts[1]?.roles.find((r) => r.name === 'partner');
    if (!partner) throw new Error('fixture');
    partner.trustPolicy = policy(allow({ AWS: ORG_ACCOUNT }, { Sid: 'added-first' }), allow({ AWS: `arn:aws:iam::${EXTERNAL}:role/sync` }));
    const second = run(reordered);
    const id = (r: typeof first) => findings(r, 'trust-unknown-external-account').find((f) => f.resource === roleArn('partner'))?.id;
    expect(id(second)).toBe(id(first));
    expect(id(first)).toMatch(/^[0-9a-f]{16}$/);
  });

  it('builds top actions from open findings, worst first', () => {
    const review = run(organization());
    const [first, second] = review.summary.topActions;
    expect(first).toMatchObject({ title: 'Close public trust policies (1 finding)', severity: 'critical', score: 100 });
    expect(second).toMatchObject({ title: 'Take admin roles out of reach of outside parties (1 finding)', severity: 'critical', score: 100 });
    expect(review.summary.topActions.length).toBeLessThanOrEqual(10);
    expect(new Set(review.summary.topActions.map((a) => a.title)).size).toBe(review.summary.topActions.length);
  });

  it('contains a failing permissions engine to the role it failed on', () => {
    const failing = analyzeWithFailingSummary();
    const datadog = roleReview(failing, 'datadog');
    expect(datadog.permissions.gaps).toEqual(['The permission summary could not be computed: boom']);
    expect(findings(failing, 'policy-unreadable').map((f) => f.subject)).toContain('permissions');
  });
});

describe('scoring', () => {
  const grant = (principalClass: TrustGrant['principal']['class'], kind: TrustGrant['principal']['kind'] = 'account'): TrustGrant => ({
    id: 'g',
    roleArn: 'r',
    accountId: ACCOUNT,
    statementIndex: 0,
    actions: ['sts:AssumeRole'],
    principal: { raw: 'p', type: 'AWS', kind, class: principalClass, label: 'p' },
    guards: [],
    conditions: {},
    usage: { used: false, count: 0, callers: [] },
  });

  it('weighs exposure: public > unknown external > vendor > organization', () => {
    const score = (c: TrustGrant['principal']['class']) => findingScore({ severity: 'high', grant: grant(c) });
    expect(score('public')).toBeGreaterThan(score('external'));
    expect(score('external')).toBeGreaterThan(score('known-vendor'));
    expect(score('known-vendor')).toBeGreaterThan(score('org-account'));
  });

  it('weighs privilege, guards and usage', () => {
    const plain = { adminEquivalent: false, readEverything: false, privilegeEscalation: [], allowedActionCount: 0, highlights: [], gaps: [], policies: [] };
    const base = findingScore({ severity: 'medium', grant: grant('external'), permissions: plain });
    expect(findingScore({ severity: 'medium', grant: grant('external'), permissions: { ...plain, adminEquivalent: true } })).toBe(base + 8);
    const guarded = { ...grant('external'), guards: [{ kind: 'external-id' as const, operator: 'StringEquals', key: 'sts:ExternalId', values: ['x'], effective: true }] };
    expect(findingScore({ severity: 'medium', grant: guarded, permissions: plain })).toBe(base - 2);
    const used = { ...grant('external'), usage: { used: true, count: 1, callers: ['x'] } };
    expect(findingScore({ severity: 'medium', grant: used, permissions: plain })).toBe(base + 2);
    expect(findingScore({ severity: 'medium', grant: grant('external', 'role'), permissions: plain })).toBe(base - 3);
  });
});

describe('analyze with the real permissions module and action catalogue', () => {
  it('flags an admin role trusted by an external account and finds the chain through an org role', async () => {
    const catalog = await loadActionCatalog();
    const tools = account(
      [
        role('jump', policy(allow({ AWS: EXTERNAL })), {
          arn: roleArn('jump', ORG_ACCOUNT),
          inlinePolicies: [{ name: 'assume-admin', policy: policy({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: 'arn:aws:iam::111111111111:role/admin' }) }],
        }),
      ],
      { accountId: ORG_ACCOUNT },
    );
    const prod = account([
      role('admin', policy(allow({ AWS: `arn:aws:iam::${ORG_ACCOUNT}:role/jump` }), allow({ AWS: DATADOG })), admin),
      role('reader', policy(allow({ AWS: DATADOG }, { Condition: { StringEquals: { 'sts:ExternalId': 'dd-1' } } })), readOnly),
    ]);
    const review = analyze(snapshot([prod, tools]), options({ catalog }));
    expect(roleReview(review, 'admin').permissions.adminEquivalent).toBe(true);
    expect(roleReview(review, 'jump').permissions.adminEquivalent).toBe(false);
    expect(findings(review, 'external-trust-admin').map((f) => f.subject)).toEqual([DATADOG]);
    expect(findings(review, 'reach-outside-to-admin').map((f) => [f.subject, f.resource])).toEqual([[EXTERNAL, roleArn('admin')]]);
    expect(review.actionCatalogVersion).toBe(catalog.version);
  });
});

function analyzeWithFailingSummary() {
  const engine: PermissionsEngine = {
    ...stubEngine,
    summarizePermissions(policies, catalog, boundary) {
      if (policies.some((p) => p.name === 'ReadOnlyAccess')) throw new Error('boom');
      return stubEngine.summarizePermissions(policies, catalog, boundary);
    },
  };
  return analyzeWith(organization(), options(), engine);
}
