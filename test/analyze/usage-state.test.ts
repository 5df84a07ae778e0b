import { describe, expect, it } from 'vitest';
import { EXTERNAL, allow, assumption, findings, okCoverage, policy, role, roleReview, runRoles } from './builders.js';

describe('usage state: used, unused or unknown', () => {
  const roles = () => [role('partner', policy(allow({ AWS: EXTERNAL })), { lastUsed: undefined }), role('seen', policy(allow({ AWS: EXTERNAL })))];
  const seen = { callerAccountId: EXTERNAL.split(':')[4] ?? EXTERNAL, callerType: 'AWSAccount' };

  it('with CloudTrail read completely, no event means unused', () => {
    const review = runRoles(roles(), { usage: { window: { start: '2026-08-27T06:00:00.000Z', end: '2026-11-25T06:00:00.000Z' }, regions: ['us-east-1'], eventsRead: 1, assumptions: [assumption('seen', seen)] } });
    expect(roleReview(review, 'partner').trustGrants[0]?.usage).toMatchObject({ used: false, state: 'unused' });
    expect(roleReview(review, 'partner').trustGrants[0]?.usage.unknownReason).toBeUndefined();
    expect(roleReview(review, 'seen').trustGrants[0]?.usage.state).toBe('used');
  });

  it('with CloudTrail failing, no event means unknown, with the reason; events seen still mean used', () => {
    const coverage = okCoverage().map((c) => (c.source === 'cloudtrail' ? { ...c, status: 'failed' as const, errorCode: 'AccessDenied' } : c));
    const review = runRoles(roles(), {
      coverage,
      usage: { window: { start: '2026-08-27T06:00:00.000Z', end: '2026-11-25T06:00:00.000Z' }, regions: ['us-east-1'], eventsRead: 1, assumptions: [assumption('seen', seen)] },
    });
    const partner = roleReview(review, 'partner');
    expect(partner.trustGrants[0]?.usage).toMatchObject({
      used: false,
      state: 'unknown',
      unknownReason: 'CloudTrail could not be read in us-east-1 (AccessDenied)',
    });
    expect(partner.usage.state).toBe('unknown');
    expect(roleReview(review, 'seen').trustGrants[0]?.usage.state).toBe('used');
    // Finding evidence says unknown, never "not used".
    const evidence = findings(review, 'trust-unknown-external-account').flatMap((f) => f.evidence).filter((e) => e.label === 'Use in window');
    expect(evidence.map((e) => e.value)).toContain('unknown: CloudTrail could not be read in us-east-1 (AccessDenied)');
    expect(evidence.map((e) => e.value)).not.toContain('not used');
  });

  it('with no CloudTrail at all (an emulator that serves none), every grant is unknown', () => {
    const coverage = okCoverage().filter((c) => c.source !== 'cloudtrail');
    const review = runRoles(roles(), { coverage, usage: { regions: ['us-east-1'], eventsRead: 0, assumptions: [] } });
    expect(review.accounts.flatMap((a) => a.roles.flatMap((r) => r.trustGrants.map((g) => g.usage.state)))).toEqual(['unknown', 'unknown']);
    expect(roleReview(review, 'partner').trustGrants[0]?.usage.unknownReason).toBe('CloudTrail was not read for this account');
    expect(review.summary).toMatchObject({ unusedCrossAccountGrants: 0, unknownUsageCrossAccountGrants: 2 });
  });
});
