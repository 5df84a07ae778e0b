import { describe, expect, it } from 'vitest';
import { renderEmail } from '../../src/render/email.js';
import { EXTERNAL, allow, okCoverage, policy, role, runRoles } from '../analyze/builders.js';

describe('the email says what the data supports', () => {
  const roles = () => [role('partner', policy(allow({ AWS: EXTERNAL }))), role('public', policy(allow({ AWS: '*' })))];

  it('carries accounts not reviewed forward, says unused use is unknown, and gives why and fix per action', async () => {
    const previous = runRoles(roles());
    const failedIam = okCoverage().map((c) => (c.source === 'iam' ? { ...c, status: 'failed' as const, errorCode: 'AccessDenied', httpStatus: 403 } : c));
    const current = runRoles([], { coverage: failedIam }, { previous });
    const email = await renderEmail(current, {});
    expect(email.text).toContain('Accounts reviewed: 0 of 1');
    expect(email.text).toContain(
      'Not reviewed this time, carried forward rather than counted as removed or resolved: prod (111111111111) (the IAM role inventory could not be read (AccessDenied, HTTP 403)).',
    );
    expect(email.text).toContain('- 0 Resolved findings');
    expect(email.html).toContain('Not reviewed this time, carried forward');

    const noTrail = okCoverage().map((c) => (c.source === 'cloudtrail' ? { ...c, status: 'failed' as const, errorCode: 'AccessDenied' } : c));
    const blind = runRoles(roles(), { coverage: noTrail });
    const second = await renderEmail(blind, {});
    expect(second.text).toContain('Unused outside grants: 0 (no use seen in the window; use of 2 more is unknown)');
    expect(second.text).toMatch(/Why: A trust policy with Principal/);
    expect(second.text).toContain('Fix: public (prod): Add "Condition": {"StringEquals":{"aws:PrincipalOrgID":"o-abc123def4"}}');
  });
});
