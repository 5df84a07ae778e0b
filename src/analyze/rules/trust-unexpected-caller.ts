import { isServiceLinked } from '../context.js';
import { REF } from './references.js';
import type { Rule } from './rule.js';

export const trustUnexpectedCaller: Rule = {
  meta: {
    id: 'trust-unexpected-caller',
    title: 'Role assumed by a caller that no current trust statement admits',
    severity: 'medium',
    rationale:
      'CloudTrail shows an assumption that the trust policy, as collected, does not explain: the policy changed during the window, a grant was removed after being used, or the trust is wider than it reads (a condition or principal this review did not match). Each of these needs a human to look.',
    remediation:
      'Find who changed the trust policy and when (CloudTrail UpdateAssumeRolePolicy), and confirm the caller is entitled; if it is, make the trust name it explicitly.',
    bestPractice: ['logging-and-monitoring', 'periodic-review'],
    references: [REF.cloudtrailHistory],
    action: 'Explain assumptions that no trust statement admits',
  },
  evaluate(context) {
    return context.accounts.flatMap((account) =>
      account.roles
        .filter((role) => !role.review.trustPolicyError && !isServiceLinked(role.record))
        .flatMap((role) =>
          role.review.usage.callers
            .filter((caller) => caller.grantId === undefined)
            .map((caller) => ({
              accountId: role.review.accountId,
              resource: role.record.arn,
              subject: `${caller.id}|${caller.eventName}`,
              message: `${caller.id} called ${caller.eventName} on ${role.record.name} ${caller.count} time(s) (last ${caller.lastSeen}), but no trust statement admits it.`,
              evidence: [
                { label: 'Role', value: role.record.arn },
                { label: 'Caller', value: caller.id },
                { label: 'Caller account', value: caller.accountId ?? 'unknown' },
                { label: 'Event', value: caller.eventName },
                { label: 'Seen', value: `${caller.count} time(s), ${caller.firstSeen} to ${caller.lastSeen}` },
                { label: 'Trusted principals', value: role.review.trustGrants.filter((g) => !g.negatedBy).map((g) => g.principal.label).join('; ') || 'none' },
              ],
            })),
        ),
    );
  },
};
