import { describe, expect, it } from 'vitest';
import { DATADOG, EXTERNAL, ORG_ACCOUNT, allow, findings, policy, role, roleArn, runRoles } from './builders.js';

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
    expect(current.changes).toEqual({
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

  it('no changes block without a previous review', () => {
    expect(before().changes).toBeUndefined();
  });
});
