import { describe, expect, it } from 'vitest';
import { scopeOfOwner, scopeReview } from '../../src/analyze/scope-review.js';
import { renderReviewJson } from '../../src/render/json.js';
import type { Review } from '../../src/model/review.js';
import { leaks, outOfScopeTerms } from '../owners/leakage.js';
import { DATA, OUTSIDER, PAYMENTS, PLATFORM, SANDBOX, ownersReview, ownersSnapshot } from './owners-fixture.js';

function owner(review: Review, id: string) {
  const found = review.ownership?.owners.find((o) => o.id === id);
  if (!found) throw new Error(`no owner ${id}`);
  return found;
}

describe('scopeReview', () => {
  const review = ownersReview();

  it('keeps only the owner’s accounts, roles and findings, and counts them again', () => {
    const payments = scopeReview(review, scopeOfOwner(owner(review, 'payments')));
    expect(payments.accounts.map((a) => a.accountId)).toEqual([PAYMENTS]);
    expect(payments.accounts[0]?.roles.map((r) => r.name)).toEqual(['pay-api', 'pay-deployer']);
    expect(payments.findings.length).toBeGreaterThan(0);
    expect(payments.findings.every((f) => f.accountId === PAYMENTS)).toBe(true);
    expect(payments.summary.accounts).toBe(1);
    expect(payments.summary.roles).toBe(2);
    expect(payments.summary.trustGrants).toBe(2);
    expect(payments.summary.openFindings).toBe(payments.findings.filter((f) => f.status !== 'suppressed').length);
    expect(payments.summary.openFindings).toBeLessThan(review.summary.openFindings);
    expect(payments.summary.topActions.flatMap((a) => a.findingIds).every((id) => payments.findings.some((f) => f.id === id))).toBe(true);
    expect(payments.coverage.every((c) => c.accountId === PAYMENTS)).toBe(true);
    expect(payments.reportScope).toEqual({ ownerId: 'payments', ownerName: 'Payments', accountIds: [PAYMENTS], roles: 2 });
    // The management account (platform) is not Payments': the organization block would name it.
    expect(payments.organization).toBeUndefined();
    expect(payments.ownership?.owners.map((o) => o.id)).toEqual(['payments']);
    const roleBasedTrust = payments.practices?.find((p) => p.practice === 'role-based-trust');
    expect(roleBasedTrust?.figures.reduce((n, f) => n + (f.label.startsWith('Grants to') ? Number(f.value) : 0), 0)).toBe(2);
  });

  it('gives a role tagged to another owner to that owner, with the account it sits in', () => {
    const data = scopeReview(review, scopeOfOwner(owner(review, 'data')));
    expect(data.accounts.map((a) => a.accountId)).toEqual([DATA, PLATFORM]);
    expect(data.accounts.find((a) => a.accountId === PLATFORM)?.roles.map((r) => r.name)).toEqual(['bridge-sync']);
    const platform = scopeReview(review, scopeOfOwner(owner(review, 'platform')));
    expect(platform.accounts.flatMap((a) => a.roles).map((r) => r.name)).toEqual(['platform-breakglass', 'platform-ci']);
    expect(platform.organization?.managementAccountId).toBe(PLATFORM);
  });

  it('gives an account’s own findings to its account owner, not to an owner of one role in it', () => {
    const edited: Review = structuredClone(review);
    const base = edited.findings[0]!;
    edited.findings.push({ ...base, id: 'acct-finding', ruleId: 'access-analyzer-not-enabled', resource: PLATFORM, accountId: PLATFORM, subject: 'us-east-1', evidence: [] });
    delete edited.findings[edited.findings.length - 1]!.grantId;
    const has = (id: string): boolean => scopeReview(edited, scopeOfOwner(owner(edited, id), edited.ownership)).findings.some((f) => f.id === 'acct-finding');
    expect(has('platform')).toBe(true);
    expect(has('data')).toBe(false);
    expect(has('payments')).toBe(false);
  });

  it('names another account’s role only by its account id', () => {
    const payments = scopeReview(review, scopeOfOwner(owner(review, 'payments')));
    const api = payments.accounts[0]?.roles.find((r) => r.name === 'pay-api');
    expect(api?.trustGrants[0]?.principal.raw).toBe(`arn:aws:iam::${PLATFORM}:role/outside-this-report-1`);
    expect(api?.usage.callers.map((c) => c.id)).toEqual([`arn:aws:iam::${PLATFORM}:role/outside-this-report-1`]);
    // An outside principal that is not one of the organization's accounts is the owner's business.
    const deployer = payments.accounts[0]?.roles.find((r) => r.name === 'pay-deployer');
    expect(deployer?.trustGrants[0]?.principal.raw).toBe(`arn:aws:iam::${OUTSIDER}:root`);
  });

  it('replaces bare outside names in free text, never in ids or enum values', () => {
    const edited: Review = structuredClone(review);
    const finding = edited.findings.find((f) => f.resource.endsWith(':role/pay-deployer'));
    if (!finding) throw new Error('fixture lost its finding');
    finding.message = 'Like platform-breakglass in platform-shared-core, this role trusts an unknown account.';
    finding.subject = 'platform-breakglass';
    const scoped = scopeReview(edited, scopeOfOwner(owner(edited, 'payments')));
    const after = scoped.findings.find((f) => f.id === finding.id);
    expect(after?.message).toMatch(/^Like outside-this-report-\d+ in an account outside this report, this role trusts an unknown account\.$/);
    expect(after?.subject).toBe('platform-breakglass'); // not free text: left alone, and not shown as a name
  });

  it('keeps the reach paths that touch the owner’s roles, naming the other end by account only', () => {
    const edited: Review = structuredClone(review);
    const breakglass = `arn:aws:iam::${PLATFORM}:role/platform-breakglass`;
    const deployer = `arn:aws:iam::${PAYMENTS}:role/pay-deployer`;
    const tinkerer = `arn:aws:iam::${SANDBOX}:role/sandbox-tinkerer`;
    edited.reach = [
      { from: OUTSIDER, fromClass: 'external', to: deployer, hops: [], targetAdminEquivalent: true, fromLabel: `External account ${OUTSIDER} (any principal)` },
      { from: deployer, fromClass: 'same-account', to: breakglass, hops: [], targetAdminEquivalent: true, fromLabel: `Role pay-deployer in this account ${PAYMENTS}` },
      { from: tinkerer, fromClass: 'org-account', to: breakglass, hops: [], targetAdminEquivalent: true, fromLabel: `Role sandbox-tinkerer in organization account ${SANDBOX}` },
    ];
    edited.reachTruncated = 40;
    const scoped = scopeReview(edited, scopeOfOwner(owner(edited, 'payments')));
    expect(scoped.reach.map((p) => [p.from, p.to])).toEqual([
      [OUTSIDER, deployer],
      [deployer, expect.stringMatching(new RegExp(`^arn:aws:iam::${PLATFORM}:role/outside-this-report-\\d+$`))],
    ]);
    expect(scoped.reachTruncated).toBeUndefined();
    const platform = scopeReview(edited, scopeOfOwner(owner(edited, 'platform')));
    expect(platform.reach.map((p) => p.fromLabel)).toEqual([expect.stringMatching(/^Role outside-this-report-\d+ in this account 111111111111$/), expect.stringMatching(/^Role outside-this-report-\d+ in organization account 444444444444$/)]);
  });

  it('leaks no out-of-scope account or role into any owner’s review.json', () => {
    for (const o of review.ownership?.owners ?? []) {
      const scoped = scopeReview(review, scopeOfOwner(o));
      const terms = outOfScopeTerms(review, o, scoped);
      expect(terms.length, o.id).toBeGreaterThan(0);
      expect(leaks(renderReviewJson(scoped), terms), o.id).toEqual([]);
    }
  });

  it('keeps the configured account list to the scope', () => {
    const withConfig: Review = {
      ...review,
      configuration: {
        sha256: 'f'.repeat(64),
        echo: {
          mode: 'organization',
          accounts: [PAYMENTS, DATA, PLATFORM, SANDBOX],
          excludeAccounts: ['555555555555'],
          regions: ['us-east-1'],
          lookbackDays: 90,
          cloudtrailEnabled: true,
          incremental: true,
          accessAnalyzerEnabled: true,
          unusedAfterDays: 90,
          vendors: { source: 'builtin', count: 3, extra: 0 },
          suppressions: [
            { ruleId: 'trust-unknown-external-account', resource: `arn:aws:iam::${SANDBOX}:role/*`, owner: 'sandbox-owner', expires: '2027-01-01' },
            { ruleId: 'trust-unknown-external-account', resource: `arn:aws:iam::${PAYMENTS}:role/pay-*`, owner: 'pay-owner', expires: '2027-01-01' },
          ],
          output: { formats: ['pdf'], pdfRoles: 'all', pdfAccessible: true, paper: 'A4' },
        },
      },
    };
    const echo = scopeReview(withConfig, scopeOfOwner(owner(review, 'payments'))).configuration?.echo;
    expect(echo?.accounts).toEqual([PAYMENTS]);
    expect(echo?.excludeAccounts).toEqual([]);
    expect(echo?.suppressions.map((s) => s.owner)).toEqual(['pay-owner']);
  });
});

describe('scoped changes', () => {
  const previous = ownersReview({ snapshot: ownersSnapshot({ withoutRoles: ['pay-api'] }) });

  it('compare the scope with the same scope of the previous run: no phantom removals from elsewhere', () => {
    const current = ownersReview({ previous, snapshot: ownersSnapshot({ withoutRoles: ['sandbox-tinkerer'] }) });
    // Organization-wide, the sandbox role went away.
    expect(current.changes?.removedGrants.some((id) => id.includes(SANDBOX))).toBe(true);
    const payments = scopeReview(current, scopeOfOwner(owner(current, 'payments')), { previous });
    expect(payments.changes?.removedGrants).toEqual([]);
    expect(payments.changes?.resolvedFindings).toEqual([]);
    expect(payments.changes?.newGrants).toEqual([`arn:aws:iam::${PAYMENTS}:role/pay-api#0#arn:aws:iam::${PLATFORM}:role/outside-this-report-1`]);
    expect(payments.changes?.previousTrustGrants).toBe(1);
    expect(payments.changes?.previousOpenFindings).toBe(previous.findings.filter((f) => f.accountId === PAYMENTS && f.status !== 'suppressed').length);
  });

  it('without the previous review, cut the organization-wide changes to the scope and drop its totals', () => {
    const current = ownersReview({ previous, snapshot: ownersSnapshot({ withoutRoles: ['sandbox-tinkerer'] }) });
    const sandbox = scopeReview(current, scopeOfOwner(owner(current, 'sandbox')));
    expect(sandbox.changes?.removedGrants.length).toBe(1);
    expect(sandbox.changes?.previousTrustGrants).toBeUndefined();
    const payments = scopeReview(current, scopeOfOwner(owner(current, 'payments')));
    expect(payments.changes?.removedGrants).toEqual([]);
  });
});
