import type { TrustGrant } from '../../model/review.js';
import { grantEvidence, hasEffectiveGuard, liveGrants } from './helpers.js';
import { REF } from './references.js';
import type { Rule } from './rule.js';

export function samlLacksAudience(grant: TrustGrant): boolean {
  return grant.principal.class === 'federated-saml' && !hasEffectiveGuard(grant, ['saml-aud']);
}

export const trustSamlWithoutAudience: Rule = {
  meta: {
    id: 'trust-saml-without-audience',
    title: 'SAML federation trusted without an audience condition',
    severity: 'medium',
    rationale:
      'Without SAML:aud the role accepts any assertion the identity provider signs, including ones issued for another service provider, instead of only assertions addressed to the AWS sign-in endpoint.',
    remediation:
      'Add {"StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}} (or your regional sign-in endpoint) to the statement.',
    bestPractice: ['role-based-trust'],
    references: [REF.samlRole, REF.conditionKeys],
    action: 'Require SAML:aud on SAML trust',
  },
  evaluate(context) {
    return liveGrants(context)
      .filter(({ grant }) => samlLacksAudience(grant))
      .map(({ role, grant }) => ({
        accountId: role.review.accountId,
        resource: role.record.arn,
        subject: grant.principal.raw,
        grantId: grant.id,
        message: `${role.record.name} trusts ${grant.principal.label} without a SAML:aud condition.`,
        evidence: grantEvidence(grant, role),
      }));
  },
};
