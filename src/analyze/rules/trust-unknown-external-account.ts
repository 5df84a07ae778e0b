import type { TrustGrant } from '../../model/review.js';
import { isPinnedOutside } from '../trust/exposure.js';
import { describeGuard, grantEvidence, liveGrants } from './helpers.js';
import { REF } from './references.js';
import type { Rule } from './rule.js';

export const trustUnknownExternalAccount: Rule = {
  meta: {
    id: 'trust-unknown-external-account',
    title: 'Role trusts an account outside the organization that is not a known vendor',
    severity: 'high',
    rationale:
      'An account that is neither in your organization nor a documented vendor is an unknown party: nobody in the review can say who controls it. Trusting its root delegates the decision to whoever administers that account.',
    remediation:
      'Identify the account owner. If the access is needed, record the vendor in the config (vendors), trust a specific role rather than the account root, and require sts:ExternalId; otherwise remove the statement.',
    bestPractice: ['role-based-trust', 'periodic-review'],
    references: [REF.principalElement, REF.externalId],
    action: 'Identify or remove unknown external accounts in trust policies',
  },
  evaluate(context) {
    return liveGrants(context)
      .filter(({ grant }) => grant.principal.class === 'external' || pinnedToUnknown(grant))
      .map(({ role, grant }) => ({
        accountId: role.review.accountId,
        resource: role.record.arn,
        subject: grant.principal.raw,
        grantId: grant.id,
        message:
          grant.principal.class === 'external'
            ? `${role.record.name} trusts ${grant.principal.label}, which is outside the organization and not a known vendor${
                grant.principal.kind === 'account' ? '; any principal that account authorises can assume the role' : ''
              }.`
            : `${role.record.name} trusts any principal whose request passes ${grant.guards
                .filter((guard) => guard.party === 'outside')
                .map(describeGuard)
                .join(' and ')}: that admits a party outside the organization that is not a known vendor.`,
        evidence: grantEvidence(grant, role),
      }));
  },
};

/** Principal "*" narrowed only by conditions naming another organization or an unknown account. */
function pinnedToUnknown(grant: TrustGrant): boolean {
  return isPinnedOutside(grant) && grant.guards.some((guard) => guard.effective && guard.party === 'outside');
}
