import type { TrustGrant } from '../../model/review.js';
import { clause, grantEvidence, liveGrants } from './helpers.js';
import { REF } from './references.js';
import type { Rule } from './rule.js';
import { oidcLacksSubject } from './trust-oidc-without-subject.js';
import { isUnrestrictedPublic } from './trust-public.js';
import { samlLacksAudience } from './trust-saml-without-audience.js';
import { serviceLacksSource } from './trust-service-without-source.js';
import { vendorLacksExternalId } from './trust-vendor-without-external-id.js';

/** Grants a more specific rule already reports, ineffective guards included in its evidence. */
function reportedElsewhere(grant: TrustGrant): boolean {
  return (
    isUnrestrictedPublic(grant) ||
    vendorLacksExternalId(grant) ||
    serviceLacksSource(grant) ||
    oidcLacksSubject(grant) ||
    samlLacksAudience(grant)
  );
}

export const trustIneffectiveGuard: Rule = {
  meta: {
    id: 'trust-ineffective-guard',
    title: 'Trust condition that looks like a guard but does not restrict',
    severity: 'low',
    rationale:
      'Some conditions read as protection and admit everyone: ...IfExists variants pass when the key is missing, negated operators admit every other value, a StringLike "*" matches anything, ForAllValues passes on an empty set, aws:MultiFactorAuthPresent "false" requires the absence of MFA, and some conditions always hold at review time: a time window already open (aws:CurrentTime, aws:TokenIssueTime), aws:ResourceAccount in a trust policy (always the role\'s own account), an MFA ...IfExists test on a service or federated caller. Reviewers who trust the condition are misled.',
    remediation:
      'Rewrite the condition with the positive, non-IfExists operator (StringEquals, Bool "true", ArnEquals) and concrete values.',
    bestPractice: ['role-based-trust'],
    references: [REF.conditionOperators],
    action: 'Fix trust conditions that do not restrict',
  },
  evaluate(context) {
    return liveGrants(context)
      .filter(({ grant }) => !reportedElsewhere(grant))
      .flatMap(({ role, grant }) =>
        grant.guards
          .filter((guard) => !guard.effective)
          .map((guard) => ({
            accountId: role.review.accountId,
            resource: role.record.arn,
            subject: `${grant.principal.raw}|${guard.key.toLowerCase()}|${guard.operator}`,
            grantId: grant.id,
            message: `The trust of ${role.record.name} admits ${grant.principal.label} under a condition that does not restrict who gets in: ${guard.key} ${guard.operator} ${guard.values
              .map((v) => JSON.stringify(v))
              .join(', ')}${guard.note ? ` (${clause(guard.note)})` : ''}.`,
            evidence: grantEvidence(grant, role),
          })),
      );
  },
};
