import { describe, expect, it } from 'vitest';
import type { Finding, Severity } from '../../src/model/review.js';
import { medianSeverity, topActions } from '../../src/analyze/scoring.js';
import { ruleById } from '../../src/analyze/rules/index.js';
import { DATADOG, ORG_ID, allow, policy, role, roleArn, runRoles } from './builders.js';

function finding(id: string, severity: Severity, score: number): Finding {
  return {
    id,
    ruleId: 'trust-vendor-without-external-id',
    severity,
    title: 't',
    accountId: '111111111111',
    resource: roleArn(`r-${id}`),
    message: 'm',
    evidence: [],
    remediation: 'r',
    score,
    status: 'open',
  };
}

describe('top actions', () => {
  it('a group of 36 findings, 3 critical and 33 high, is high, with the count per severity', () => {
    const group = [
      ...Array.from({ length: 3 }, (_, i) => finding(`c${i}`, 'critical', 95)),
      ...Array.from({ length: 33 }, (_, i) => finding(`h${i}`, 'high', 70)),
    ];
    const [action] = topActions(group, (id) => ruleById(id)?.meta);
    expect(action?.severity).toBe('high');
    expect(action?.bySeverity).toEqual({ critical: 3, high: 33 });
    expect(action?.score).toBe(95);
    expect(action?.why).toBe(
      "A vendor's account assumes roles for all of its customers.",
    );
    expect(action?.fix).toContain('sts:ExternalId');
    expect(action?.bestPractice).toEqual(['role-based-trust']);
  });

  it('the median decides; an even split takes the worse middle', () => {
    expect(medianSeverity([{ severity: 'critical' }, { severity: 'high' }])).toBe('critical');
    expect(medianSeverity([{ severity: 'critical' }, { severity: 'critical' }, { severity: 'low' }, { severity: 'low' }, { severity: 'low' }])).toBe('low');
  });

  it('gives the concrete change for one role, with the values filled in', () => {
    const review = runRoles([role('public', policy(allow({ AWS: '*' }))), role('vendor', policy(allow({ AWS: DATADOG })))]);
    const byRule = new Map(review.summary.topActions.map((a) => [a.ruleId, a]));
    expect(byRule.get('trust-public')?.example).toEqual({
      roleArn: roleArn('public'),
      change: `Add "Condition": {"StringEquals":{"aws:PrincipalOrgID":"${ORG_ID}"}} to statement 1 of public's trust policy, or name the trusted accounts in Principal.`,
    });
    expect(byRule.get('trust-vendor-without-external-id')?.example?.change).toBe(
      'Add "Condition": {"StringEquals":{"sts:ExternalId":"<the id the vendor issued to you>"}} to statement 1 of vendor\'s trust policy.',
    );
  });
});
