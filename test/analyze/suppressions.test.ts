import { describe, expect, it } from 'vitest';
import { applySuppressions, expiryInstant } from '../../src/analyze/suppressions.js';
import type { Finding } from '../../src/model/review.js';
import { DATADOG, EXTERNAL, NOW, allow, findings, policy, role, roleArn, runRoles } from './builders.js';

function finding(resource: string, ruleId = 'trust-unknown-external-account'): Finding {
  return {
    id: `${ruleId}:${resource}`,
    ruleId,
    severity: 'high',
    title: 't',
    accountId: '111111111111',
    resource,
    message: 'm',
    evidence: [],
    remediation: 'r',
    score: 70,
    status: 'open',
  };
}

const base = { ruleId: 'trust-unknown-external-account', reason: 'Partner X, contract 2026-17', owner: 'secops@example.com' };

describe('suppressions', () => {
  it('lapse at the end of the expiry day (UTC) and reject impossible dates', () => {
    expect(expiryInstant('2026-11-25')).toBe(Date.parse('2026-11-26T00:00:00.000Z'));
    expect(expiryInstant('2026-02-30')).toBeUndefined();
    expect(expiryInstant('next year')).toBeUndefined();
  });

  it('suppress matching findings by rule id and resource glob', () => {
    const out = applySuppressions(
      [finding(roleArn('partner-a')), finding(roleArn('partner-b')), finding(roleArn('other')), finding(roleArn('partner-a'), 'role-unused')],
      [{ ...base, resource: 'arn:aws:iam::111111111111:role/partner-*', expires: '2027-01-31' }],
      NOW,
    );
    expect(out.findings.map((f) => [f.resource.split('/')[1], f.ruleId, f.status])).toEqual([
      ['partner-a', 'trust-unknown-external-account', 'suppressed'],
      ['partner-b', 'trust-unknown-external-account', 'suppressed'],
      ['other', 'trust-unknown-external-account', 'open'],
      ['partner-a', 'role-unused', 'open'],
    ]);
    expect(out.findings[0]?.suppression).toEqual({ ...base, resource: 'arn:aws:iam::111111111111:role/partner-*', expires: '2027-01-31' });
    expect(out.unmatched).toEqual([]);
  });

  it('"*" in a glob spans slashes and colons; other characters are literal', () => {
    const out = applySuppressions(
      [finding('arn:aws:iam::111111111111:role/team/a.b'), finding('arn:aws:iam::111111111111:role/team/aXb')],
      [{ ...base, resource: '*:role/team/a.b', expires: '2027-01-31' }],
      NOW,
    );
    expect(out.findings.map((f) => f.status)).toEqual(['suppressed', 'open']);
  });

  it('an expired suppression re-opens the finding as suppression-expired, still showing who accepted it', () => {
    const out = applySuppressions([finding(roleArn('partner'))], [{ ...base, resource: roleArn('partner'), expires: '2026-11-24' }], NOW);
    expect(out.findings[0]).toMatchObject({ status: 'suppression-expired', suppression: { owner: 'secops@example.com', expires: '2026-11-24' } });
    expect(out.unmatched).toEqual([]);
  });

  it('a suppression expiring today is still live', () => {
    const out = applySuppressions([finding(roleArn('partner'))], [{ ...base, resource: roleArn('partner'), expires: '2026-11-25' }], NOW);
    expect(out.findings[0]?.status).toBe('suppressed');
  });

  it('a live suppression wins over an expired one for the same finding', () => {
    const out = applySuppressions(
      [finding(roleArn('partner'))],
      [
        { ...base, resource: roleArn('partner'), expires: '2026-01-01' },
        { ...base, resource: 'arn:aws:iam::*', expires: '2027-06-30' },
      ],
      NOW,
    );
    expect(out.findings[0]).toMatchObject({ status: 'suppressed', suppression: { expires: '2027-06-30' } });
  });

  it('reports suppressions that match nothing, and refuses ones without reason or owner', () => {
    const out = applySuppressions(
      [finding(roleArn('x'))],
      [
        { ...base, resource: roleArn('gone'), expires: '2027-01-31' },
        { ...base, reason: '  ', resource: roleArn('x'), expires: '2027-01-31' },
        { ...base, owner: '', resource: roleArn('x'), expires: '2027-01-31' },
        { ...base, resource: roleArn('x'), expires: '31/01/2027' },
      ],
      NOW,
    );
    expect(out.findings[0]?.status).toBe('open');
    expect(out.unmatched.map((s) => s.resource)).toEqual([roleArn('gone')]);
    expect(out.invalid.map((i) => i.problem)).toEqual([
      'no reason: a suppression must say why the risk is accepted',
      'no owner: a suppression must say who accepted the risk',
      'expiry "31/01/2027" is not a date (YYYY-MM-DD)',
    ]);
  });

  it('flow through the review: counts, statuses and the unmatched list', () => {
    const review = runRoles(
      [role('partner', policy(allow({ AWS: EXTERNAL }))), role('vendor', policy(allow({ AWS: DATADOG })))],
      {},
      {
        settings: {
          suppressions: [
            { ...base, resource: roleArn('partner'), expires: '2027-01-31' },
            { ruleId: 'trust-vendor-without-external-id', resource: roleArn('vendor'), reason: 'Legacy', owner: 'ops', expires: '2026-10-01' },
            { ...base, resource: roleArn('nothing-here'), expires: '2027-01-31' },
            { ...base, resource: roleArn('partner'), reason: '', expires: '2027-01-31' },
          ],
        },
      },
    );
    expect(findings(review, 'trust-unknown-external-account')[0]?.status).toBe('suppressed');
    expect(findings(review, 'trust-vendor-without-external-id')[0]?.status).toBe('suppression-expired');
    expect(review.unmatchedSuppressions.map((s) => s.resource)).toEqual([roleArn('nothing-here')]);
    expect(review.invalidSuppressions?.map((i) => i.problem)).toEqual(['no reason: a suppression must say why the risk is accepted']);
    expect(review.summary.suppressedFindings).toBe(1);
    expect(review.summary.openFindings).toBe(review.findings.length - 1);
    expect(review.summary.findingsBySeverity.high).toBe(1); // the vendor finding; the partner one is suppressed
  });
});
