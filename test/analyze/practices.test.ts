import { describe, expect, it } from 'vitest';
import type { PracticeRollup } from '../../src/model/review.js';
import { ADMIN_POLICY, DATADOG, EXTERNAL, ORG_ACCOUNT, allow, okCoverage, policy, role, runRoles } from './builders.js';

const figure = (p: PracticeRollup | undefined, label: string): number | string | undefined => p?.figures.find((f) => f.label === label)?.value;

describe('the five practices', () => {
  const roles = () => [
    role('vendor-admin', policy(allow({ AWS: DATADOG })), { attachedPolicies: [{ arn: ADMIN_POLICY.arn, name: ADMIN_POLICY.name }] }),
    role('partner', policy(allow({ AWS: `arn:aws:iam::${EXTERNAL}:user/alice` }, { Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }))),
    role('ops', policy(allow({ AWS: ORG_ACCOUNT }))),
    role('loose', policy(allow({ AWS: EXTERNAL }, { Condition: { StringLike: { 'sts:ExternalId': '*' } } }))),
  ];

  it('one part per practice, each with its figures and the open findings of its rules', () => {
    const review = runRoles(roles(), {}, { settings: { suppressions: [{ ruleId: 'trust-cross-account-unused', resource: '*ops', reason: 'r', owner: 'sec', expires: '2026-12-10' }] } });
    const byPractice = new Map(review.practices?.map((p) => [p.practice, p]));
    expect([...byPractice.keys()]).toEqual(['least-privilege', 'role-based-trust', 'logging-and-monitoring', 'periodic-review', 'mfa']);

    const lp = byPractice.get('least-privilege');
    expect(figure(lp, 'Roles trusted from outside the organization')).toBe(3);
    expect(figure(lp, '… admin-equivalent')).toBe(1);
    expect(figure(lp, 'Cross-account grants unused in the window')).toBe(4);
    expect(figure(lp, 'Cross-account grants whose use is unknown')).toBe(0);
    expect(lp?.findingIds).toContain(review.findings.find((f) => f.ruleId === 'external-trust-admin')?.id);

    const rbt = byPractice.get('role-based-trust');
    expect(figure(rbt, 'Grants to known vendor')).toBe(1);
    expect(figure(rbt, 'Cross-account grants with an effective guard')).toBe(1);
    expect(figure(rbt, 'Cross-account grants with no guard')).toBe(2);
    expect(figure(rbt, 'Cross-account grants whose guards do not narrow access')).toBe(1);

    expect(figure(byPractice.get('logging-and-monitoring'), 'CloudTrail read (account-regions)')).toBe('1 of 1');
    const pr = byPractice.get('periodic-review');
    expect(figure(pr, 'Previous review')).toBe('none on record');
    expect(figure(pr, 'Suppressions expiring within 30 days')).toBe(1);

    const mfa = byPractice.get('mfa');
    // The user (with MFA), the org account root, the external root; the vendor's root counts too.
    expect(figure(mfa, '… requiring MFA')).toBe(1);
    expect(figure(mfa, '… not requiring MFA')).toBe(3);
    for (const p of review.practices ?? []) {
      expect(p.openFindings).toBe(p.findingIds.length);
      for (const id of p.findingIds) expect(review.findings.find((f) => f.id === id)?.status).not.toBe('suppressed');
    }
  });

  it('says where CloudTrail was not read instead of counting unknown use as unused', () => {
    const coverage = okCoverage().map((c) => (c.source === 'cloudtrail' ? { ...c, status: 'failed' as const, errorCode: 'AccessDenied' } : c));
    const review = runRoles(roles(), { coverage });
    const lp = review.practices?.find((p) => p.practice === 'least-privilege');
    expect(figure(lp, 'Cross-account grants unused in the window')).toBe(0);
    expect(figure(lp, 'Cross-account grants whose use is unknown')).toBe(4);
    expect(lp?.caveats).toEqual(['Use of 4 cross-account grant(s) is unknown: CloudTrail was not read completely for their account.']);
    const lm = review.practices?.find((p) => p.practice === 'logging-and-monitoring');
    expect(figure(lm, 'CloudTrail read (account-regions)')).toBe('0 of 1');
    expect(lm?.caveats).toEqual(['CloudTrail not read completely: 111111111111 us-east-1 (failed, AccessDenied).']);
  });
});
