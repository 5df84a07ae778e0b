import { REF } from './references.js';
import type { Rule, RuleHit } from './rule.js';

export const policyUnreadable: Rule = {
  meta: {
    id: 'policy-unreadable',
    title: 'Policy could not be read, so the role is only partly reviewed',
    severity: 'medium',
    rationale:
      'A trust policy that cannot be decoded hides who can assume the role; a missing permission policy makes the permission summary a lower bound. The gap is reported rather than guessed around.',
    remediation:
      'Check the policy in IAM (aws iam get-role / get-policy-version); re-run the collection with iam:GetAccountAuthorizationDetails permitted, or fix the document.',
    bestPractice: ['periodic-review', 'logging-and-monitoring'],
    references: [REF.bestPractices],
    action: 'Resolve policies the review could not read',
  },
  evaluate(context) {
    const hits: RuleHit[] = [];
    for (const account of context.accounts) {
      for (const role of account.roles) {
        if (role.review.trustPolicyError) {
          hits.push({
            accountId: role.review.accountId,
            resource: role.record.arn,
            subject: 'trust-policy',
            message: `The trust policy of ${role.record.name} could not be read: ${role.review.trustPolicyError}`,
            evidence: [
              { label: 'Role', value: role.record.arn },
              { label: 'Error', value: role.review.trustPolicyError },
            ],
          });
        }
        if (role.review.permissions.gaps.length > 0) {
          hits.push({
            accountId: role.review.accountId,
            resource: role.record.arn,
            subject: 'permissions',
            severity: 'low',
            message: `The permission summary of ${role.record.name} is incomplete: ${role.review.permissions.gaps.join(' ')}`,
            evidence: [{ label: 'Role', value: role.record.arn }, ...role.review.permissions.gaps.map((gap) => ({ label: 'Gap', value: gap }))],
          });
        }
      }
    }
    return hits;
  },
};
