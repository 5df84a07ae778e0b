import { describe, expect, it } from 'vitest';
import { DATA, PAYMENTS, PLATFORM, SANDBOX, ownersReview, ownersSnapshot } from './owners-fixture.js';
import { ACCOUNT, DATADOG, EXTERNAL, ORG_ACCOUNT, allow, findings, okCoverage, policy, role, roleArn, runRoles } from './builders.js';

describe('changes since the previous review', () => {
  const before = () =>
    runRoles([
      role('partner', policy(allow({ AWS: EXTERNAL }))),
      role('vendor', policy(allow({ AWS: DATADOG }))),
      role('ops', policy(allow({ AWS: ORG_ACCOUNT }))),
    ]);

  it('lists new and removed grants, new and resolved findings', () => {
    const previous = before();
    const current = runRoles(
      [
        role('partner', policy(allow({ AWS: EXTERNAL }))),
        role('vendor', policy(allow({ AWS: DATADOG }, { Condition: { StringEquals: { 'sts:ExternalId': 'dd-1' } } }))),
        role('ops', policy(allow({ AWS: [ORG_ACCOUNT, '888877776666'] }))),
      ],
      {},
      { previous },
    );
    const vendorFinding = findings(previous, 'trust-vendor-without-external-id')[0]?.id;
    // The new grant brings two findings: an unknown external account, and a cross-account trust nobody used.
    const forNewGrant = current.findings.filter((f) => f.subject === '888877776666');
    expect(forNewGrant.map((f) => f.ruleId).sort()).toEqual(['trust-cross-account-unused', 'trust-unknown-external-account']);
    expect(current.changes).toMatchObject({
      previousRunId: previous.runId,
      previousGeneratedAt: previous.generatedAt,
      newGrants: [`${roleArn('ops')}#0#888877776666`],
      removedGrants: [],
      newFindings: forNewGrant.map((f) => f.id).sort(),
      resolvedFindings: [vendorFinding],
      reopenedFindings: [],
    });
  });

  it('a finding suppressed last time and open now is reopened, as is one resolved last time that is back', () => {
    const first = runRoles([role('partner', policy(allow({ AWS: EXTERNAL })))], {}, {
      settings: { suppressions: [{ ruleId: 'trust-unknown-external-account', resource: '*', reason: 'r', owner: 'o', expires: '2027-01-01' }] },
    });
    const second = runRoles([role('partner', policy(allow({ AWS: EXTERNAL })))], {}, { previous: first });
    const id = findings(second, 'trust-unknown-external-account')[0]?.id;
    expect(second.changes?.reopenedFindings).toEqual([id]);
    expect(second.changes?.newFindings).toEqual([]);

    const third = runRoles([role('partner', policy(allow({ AWS: ORG_ACCOUNT })))], {}, { previous: second });
    expect(third.changes?.resolvedFindings).toContain(id);
    expect(third.changes?.removedGrants).toEqual([`${roleArn('partner')}#0#${EXTERNAL}`]);
    const fourth = runRoles([role('partner', policy(allow({ AWS: EXTERNAL })))], {}, { previous: third });
    const unused = findings(fourth, 'trust-cross-account-unused')[0]?.id;
    expect(fourth.changes?.reopenedFindings).toEqual([id, unused].sort());
    expect(fourth.changes?.newFindings).toEqual([]);
  });

  it('names every changed item by rule, role and account, and keeps the previous figures for the tiles', () => {
    const previous = before();
    const current = runRoles([role('partner', policy(allow({ AWS: EXTERNAL })))], {}, { previous });
    const changes = current.changes;
    const resolved = changes?.resolvedFindings ?? [];
    expect(resolved.length).toBeGreaterThan(0);
    for (const id of resolved) {
      const before = previous.findings.find((f) => f.id === id);
      expect(changes?.findingDetails?.[id]).toMatchObject({ ruleId: before?.ruleId, accountId: ACCOUNT, severity: before?.severity });
      expect(changes?.findingDetails?.[id]?.roleArn).toMatch(/:role\/(vendor|ops)$/);
    }
    expect(changes?.grantDetails?.[`${roleArn('vendor')}#0#${DATADOG}`]).toEqual({
      roleArn: roleArn('vendor'),
      accountId: ACCOUNT,
      principal: DATADOG,
      principalLabel: expect.stringContaining('Datadog'),
      principalClass: 'known-vendor',
      statement: 1,
    });
    expect(changes?.previousOpenFindings).toBe(previous.findings.filter((f) => f.status !== 'suppressed').length);
    expect(changes?.previousTrustGrants).toBe(3);
  });

  it('an account whose IAM read failed is not reviewed this time: nothing removed or resolved, all carried forward', () => {
    const previous = before();
    const failedIam = okCoverage().map((c) =>
      c.source === 'iam' ? { ...c, status: 'failed' as const, errorCode: 'AccessDenied', detail: 'denied' } : c,
    );
    const current = runRoles([], { coverage: failedIam }, { previous });
    const changes = current.changes;
    expect(changes?.removedGrants).toEqual([]);
    expect(changes?.resolvedFindings).toEqual([]);
    expect(changes?.notReviewedGrants).toHaveLength(3);
    expect(changes?.notReviewedFindings?.sort()).toEqual(
      previous.findings.filter((f) => f.status !== 'suppressed' && !f.ruleId.startsWith('coverage-')).map((f) => f.id).sort(),
    );
    expect(changes?.notReviewed).toEqual([{ accountId: ACCOUNT, sources: ['iam'], reason: 'the IAM role inventory could not be read (AccessDenied)' }]);
    expect(current.summary.accountsReviewed).toBe(0);

    // The next good run compares against what was carried: the same roles are not "new", the vendor fix resolves.
    const third = runRoles(
      [
        role('partner', policy(allow({ AWS: EXTERNAL }))),
        role('vendor', policy(allow({ AWS: DATADOG }, { Condition: { StringEquals: { 'sts:ExternalId': 'dd-1' } } }))),
        role('ops', policy(allow({ AWS: ORG_ACCOUNT }))),
      ],
      {},
      { previous: current },
    );
    expect(third.changes?.newGrants).toEqual([]);
    expect(third.changes?.newFindings).toEqual([]);
    // Resolved: the vendor's missing ExternalId (fixed meanwhile) and the collection gap itself.
    const gap = findings(current, 'coverage-collection-gap')[0]?.id;
    expect(gap).toBeDefined();
    expect(third.changes?.resolvedFindings).toEqual([findings(previous, 'trust-vendor-without-external-id')[0]?.id, gap].sort());
    expect(third.changes?.notReviewedFindings).toBeUndefined();
  });

  it('usage findings are not resolved when CloudTrail was not read, though IAM was', () => {
    const previous = before();
    const noTrail = okCoverage().map((c) => (c.source === 'cloudtrail' ? { ...c, status: 'failed' as const, errorCode: 'ThrottlingException' } : c));
    const current = runRoles(
      [role('partner', policy(allow({ AWS: EXTERNAL }))), role('vendor', policy(allow({ AWS: DATADOG }))), role('ops', policy(allow({ AWS: ORG_ACCOUNT })))],
      { coverage: noTrail },
      { previous },
    );
    const unused = findings(previous, 'trust-cross-account-unused').map((f) => f.id);
    expect(unused.length).toBeGreaterThan(0);
    expect(current.changes?.resolvedFindings).toEqual([]);
    expect(current.changes?.notReviewedFindings?.sort()).toEqual([...unused].sort());
    expect(current.changes?.removedGrants).toEqual([]);
    expect(current.changes?.notReviewedGrants).toBeUndefined();
  });

  it('an account whose role could not be assumed, or that was not collected at all, is not reviewed either', () => {
    const previous = before();
    const unreachable = runRoles([], { coverage: [{ source: 'sts', status: 'failed', errorCode: 'AccessDenied', httpStatus: 403 }] }, { previous });
    expect(unreachable.changes?.removedGrants).toEqual([]);
    expect(unreachable.changes?.resolvedFindings).toEqual([]);
    expect(unreachable.changes?.notReviewed).toEqual([
      { accountId: ACCOUNT, sources: ['sts'], reason: 'the review role could not be assumed (AccessDenied, HTTP 403)' },
    ]);
    const elsewhere = runRoles([], { accountId: '333333333333' }, { previous });
    expect(elsewhere.changes?.removedGrants).toEqual([]);
    expect(elsewhere.changes?.notReviewed).toEqual([{ accountId: ACCOUNT, sources: [], reason: 'the account was not collected in this run' }]);
  });

  it('a grant in an account the previous review could not read is seen for the first time, not new', () => {
    const failedIam = okCoverage().map((c) => (c.source === 'iam' ? { ...c, status: 'failed' as const, errorCode: 'AccessDenied' } : c));
    const blind = runRoles([], { coverage: failedIam });
    const next = runRoles([role('partner', policy(allow({ AWS: EXTERNAL })))], {}, { previous: blind });
    expect(next.changes?.newGrants).toEqual([]);
    expect(next.changes?.notPreviouslyReviewedGrants).toEqual([`${roleArn('partner')}#0#${EXTERNAL}`]);
    expect(next.changes?.newFindings.map((id) => next.findings.find((f) => f.id === id)?.ruleId)).toEqual([]);
    // A previous review with no coverage record at all is taken as complete, as before.
    const legacy = { ...blind, coverage: [], accounts: blind.accounts.map((a) => ({ ...a, coverage: [] })) };
    const after = runRoles([role('partner', policy(allow({ AWS: EXTERNAL })))], {}, { previous: legacy });
    expect(after.changes?.newGrants).toEqual([`${roleArn('partner')}#0#${EXTERNAL}`]);
  });

  it('no changes block without a previous review', () => {
    expect(before().changes).toBeUndefined();
  });

  it('a run over fewer accounts than the previous one compares the accounts both cover: no phantom removals, no organization-wide totals', () => {
    const previous = ownersReview();
    const narrow = ownersReview({ previous, snapshot: ownersSnapshot({ dropAccounts: [DATA, PLATFORM] }) });
    expect(narrow.changes?.removedGrants).toEqual([]);
    expect(narrow.changes?.resolvedFindings).toEqual([]);
    expect(narrow.changes?.newGrants).toEqual([]);
    expect(narrow.changes?.newFindings).toEqual([]);
    expect(narrow.changes?.notReviewed?.map((n) => [n.accountId, n.reason])).toEqual([
      [DATA, 'the account was not collected in this run'],
      [PLATFORM, 'the account was not collected in this run'],
    ]);
    const inBoth = (id: string): boolean => id === PAYMENTS || id === SANDBOX;
    expect(narrow.changes?.previousOpenFindings).toBe(previous.findings.filter((f) => f.status !== 'suppressed' && inBoth(f.accountId)).length);
    expect(narrow.changes?.previousOpenFindings).toBe(narrow.summary.openFindings);
    expect(narrow.changes?.previousTrustGrants).toBe(narrow.summary.trustGrants);
    expect(narrow.changes?.previousAccountsReviewed).toBe(2);
  });
});
