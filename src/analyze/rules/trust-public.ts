import { isUnrestrictedPublic } from '../trust/exposure.js';
import { describeGuard, grantEvidence, liveGrants } from './helpers.js';
import { REF } from './references.js';
import type { Rule } from './rule.js';

export { isUnrestrictedPublic };

export const trustPublic: Rule = {
  meta: {
    id: 'trust-public',
    title: 'Role trusts anyone without a restricting condition',
    severity: 'critical',
    rationale:
      'A trust policy with Principal "*" (or {"AWS": "*"}, or Allow with NotPrincipal) lets any principal in any AWS account assume the role unless a condition pins the caller to your organization, account or network. Conditions the caller controls, such as sts:ExternalId, do not.',
    remediation:
      'Name the trusted accounts or roles in Principal, or add aws:PrincipalOrgID (StringEquals your organization id) or aws:PrincipalArn conditions; remove the statement if the role should not be shared.',
    bestPractice: ['role-based-trust', 'least-privilege'],
    references: [REF.principalElement, REF.conditionKeys],
    action: 'Close public trust policies',
  },
  evaluate(context) {
    return liveGrants(context)
      .filter(({ grant }) => isUnrestrictedPublic(grant))
      .map(({ role, grant }) => {
        const weak = grant.guards.filter((g) => !g.effective);
        return {
          accountId: role.review.accountId,
          resource: role.record.arn,
          subject: grant.principal.raw,
          grantId: grant.id,
          message:
            `Any principal in any AWS account can assume ${role.record.name}` +
            (grant.guards.length === 0
              ? ': the statement has no conditions.'
              : weak.length > 0
                ? `: its conditions do not restrict the caller (${weak.map(describeGuard).join('; ')}).`
                : ': none of its conditions pins the caller to an organization, account or network.'),
          evidence: grantEvidence(grant, role),
        };
      });
  },
};
