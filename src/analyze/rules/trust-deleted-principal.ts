import { grantEvidence, liveGrants } from './helpers.js';
import { REF } from './references.js';
import type { Rule } from './rule.js';

export const trustDeletedPrincipal: Rule = {
  meta: {
    id: 'trust-deleted-principal',
    title: 'Trust policy names a deleted principal',
    severity: 'low',
    rationale:
      'When a trusted role or user is deleted, IAM replaces its ARN with its unique id (AROA..., AIDA...). A new principal with the same name does not regain access, but the stale entry hides what the trust was for and usually means the role itself is orphaned.',
    remediation: 'Remove the unique id from the trust policy, or re-add the intended principal by ARN; delete the role if nothing else uses it.',
    bestPractice: ['periodic-review'],
    references: [REF.principalElement],
    action: 'Remove deleted principals from trust policies',
  },
  evaluate(context) {
    return liveGrants(context)
      .filter(({ grant }) => grant.principal.class === 'deleted')
      .map(({ role, grant }) => ({
        accountId: role.review.accountId,
        resource: role.record.arn,
        subject: grant.principal.raw,
        grantId: grant.id,
        message: `${role.record.name} trusts ${grant.principal.raw}, the unique id IAM leaves when the trusted principal was deleted.`,
        evidence: grantEvidence(grant, role),
      }));
  },
};
