import type { Caller, TrustGrant } from '../../model/review.js';
import type { RoleContext } from '../context.js';
import { grantEvidence, hasEffectiveGuard, liveGrants } from './helpers.js';
import { REF } from './references.js';
import type { Rule } from './rule.js';

/**
 * Humans are recognisable when the grant names an IAM user or CloudTrail shows IAM users calling through
 * it. Sessions chained from Identity Center roles carry no MFA context, so an MFA condition would lock
 * them out; those are left alone.
 */
function humanCallers(role: RoleContext, grant: TrustGrant): Caller[] {
  return role.review.usage.callers.filter((caller) => caller.grantId === grant.id && /:user\//.test(caller.id));
}

export const trustCrossAccountWithoutMfa: Rule = {
  meta: {
    id: 'trust-cross-account-without-mfa',
    title: 'Humans assume a cross-account role without MFA being required',
    severity: 'medium',
    rationale:
      'When people in another account assume a role with long-term IAM user keys, a leaked key is enough to cross the account boundary. aws:MultiFactorAuthPresent makes the second factor part of the trust; BoolIfExists or "false" do not, because requests signed with plain access keys carry no MFA key at all.',
    remediation:
      'Add {"Bool": {"aws:MultiFactorAuthPresent": "true"}} (not BoolIfExists) to the statement, or move these people to IAM Identity Center.',
    bestPractice: ['mfa', 'role-based-trust'],
    references: [REF.mfaApi, REF.conditionOperators],
    action: 'Require MFA where people assume cross-account roles',
  },
  evaluate(context) {
    return liveGrants(context)
      .filter(({ grant }) => (grant.principal.class === 'org-account' || grant.principal.class === 'external'))
      .filter(({ grant }) => !hasEffectiveGuard(grant, ['mfa', 'external-id']))
      .flatMap(({ role, grant }) => {
        const humans = humanCallers(role, grant);
        if (grant.principal.kind !== 'user' && humans.length === 0) return [];
        const withoutMfa = humans.reduce((total, c) => total + (c.count - c.mfaCount), 0);
        return [
          {
            accountId: role.review.accountId,
            resource: role.record.arn,
            subject: grant.principal.raw,
            grantId: grant.id,
            message: `IAM users from ${grant.principal.label} assume ${role.record.name} and the trust does not require MFA${
              humans.length > 0 ? ` (${withoutMfa} of ${humans.reduce((t, c) => t + c.count, 0)} assumptions in the window were without MFA)` : ''
            }.`,
            evidence: [
              ...grantEvidence(grant, role),
              ...humans.map((c) => ({ label: 'Human caller', value: `${c.id}: ${c.count} assumption(s), ${c.mfaCount} with MFA, last ${c.lastSeen}` })),
            ],
          },
        ];
      });
  },
};
