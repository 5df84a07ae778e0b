import type { TrustGrant } from '../../model/review.js';
import { oidcIssuer } from '../trust/oidc-providers.js';
import { oidcHostOf } from '../trust/principals.js';
import { clause, grantEvidence, liveGrants } from './helpers.js';
import { REF } from './references.js';
import type { Rule } from './rule.js';

export function oidcLacksSubject(grant: TrustGrant): boolean {
  if (grant.principal.class !== 'federated-oidc') return false;
  const host = oidcHostOf(grant.principal) ?? grant.principal.raw;
  const issuer = oidcIssuer(host);
  // Cognito identity pools are told apart by aud (the pool id); every other issuer by sub.
  const kind = issuer.restrictingClaim === 'aud' ? 'oidc-aud' : 'oidc-sub';
  return !grant.guards.some((guard) => guard.kind === kind && guard.effective);
}

export const trustOidcWithoutSubject: Rule = {
  meta: {
    id: 'trust-oidc-without-subject',
    title: 'OIDC federation trusted without a subject restriction',
    severity: 'high',
    rationale:
      "An OIDC trust without a condition on the token's sub claim admits every identity the issuer signs tokens for. For GitHub Actions that is every workflow in every repository on github.com; an aud check alone does not help, since all of them carry aud sts.amazonaws.com. Patterns such as \"repo:*\" or \"repo:acme*\" are no better.",
    remediation:
      'Add a StringEquals (or StringLike with the owner pinned) condition on <issuer>:sub, e.g. "token.actions.githubusercontent.com:sub": "repo:acme/app:ref:refs/heads/main"; for Cognito identity pools, pin cognito-identity.amazonaws.com:aud to the pool id.',
    bestPractice: ['role-based-trust', 'least-privilege'],
    references: [REF.oidcRole, REF.githubOidc],
    action: 'Pin the subject of OIDC trust policies',
  },
  evaluate(context) {
    return liveGrants(context)
      .filter(({ grant }) => oidcLacksSubject(grant))
      .map(({ role, grant }) => {
        const issuer = oidcIssuer(oidcHostOf(grant.principal) ?? grant.principal.raw);
        const claim = issuer.restrictingClaim;
        const weak = grant.guards.find((g) => g.kind === `oidc-${claim}` && !g.effective);
        return {
          accountId: role.review.accountId,
          resource: role.record.arn,
          subject: grant.principal.raw,
          grantId: grant.id,
          // A multi-tenant issuer means strangers, not just other teams, hold valid tokens.
          severity: issuer.multiTenant ? 'critical' : 'high',
          message: `${role.record.name} trusts ${issuer.name} ${
            weak ? `with a ${claim} condition that does not restrict (${clause(weak.note ?? 'ineffective')})` : `without a condition on ${claim}`
          }: ${issuer.multiTenant ? `any ${issuer.name} user, in any organization,` : 'any identity the issuer signs for'} can assume it.`,
          evidence: [...grantEvidence(grant, role), { label: 'Issuer', value: `${issuer.name} (${issuer.host})${issuer.multiTenant ? ', multi-tenant' : ''}` }],
        };
      });
  },
};
