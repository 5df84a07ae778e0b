import type { TrustGrant } from '../../model/review.js';
import { clause, grantEvidence, hasEffectiveGuard, liveGrants } from './helpers.js';
import { REF } from './references.js';
import type { Rule } from './rule.js';

export function vendorLacksExternalId(grant: TrustGrant): boolean {
  return grant.principal.class === 'known-vendor' && !hasEffectiveGuard(grant, ['external-id']);
}

export const trustVendorWithoutExternalId: Rule = {
  meta: {
    id: 'trust-vendor-without-external-id',
    title: 'Vendor trusted without sts:ExternalId (confused deputy)',
    severity: 'high',
    rationale:
      "A vendor's account assumes roles for all of its customers. Without an ExternalId that the vendor issues per customer, another customer of the same vendor can give it your role's ARN and have the vendor act on your account (the confused deputy problem).",
    remediation:
      'Add a Condition {"StringEquals": {"sts:ExternalId": "<the id the vendor issued to you>"}} to the statement; the vendor\'s setup page shows the id.',
    bestPractice: ['role-based-trust'],
    references: [REF.externalId, REF.confusedDeputy],
    action: 'Require sts:ExternalId on vendor roles',
  },
  evaluate(context) {
    return liveGrants(context)
      .filter(({ grant }) => vendorLacksExternalId(grant))
      .map(({ role, grant }) => {
        const weak = grant.guards.find((g) => g.kind === 'external-id' && !g.effective);
        return {
          accountId: role.review.accountId,
          resource: role.record.arn,
          subject: grant.principal.raw,
          grantId: grant.id,
          message: `${role.record.name} trusts ${grant.principal.vendor?.name ?? grant.principal.label} ${
            weak ? `with an ExternalId condition that does not restrict (${clause(weak.note ?? 'ineffective')})` : 'without an ExternalId condition'
          }: another customer of the vendor could have it assume this role.`,
          evidence: grantEvidence(grant, role),
        };
      });
  },
};
