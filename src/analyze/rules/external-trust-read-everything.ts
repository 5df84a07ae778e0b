import { permissionEvidence } from './external-trust-admin.js';
import { outsideGrants } from './exposure.js';
import { outsidePartyLabel } from '../trust/exposure.js';
import { grantEvidence } from './helpers.js';
import { REF } from './references.js';
import type { Rule } from './rule.js';

export const externalTrustReadEverything: Rule = {
  meta: {
    id: 'external-trust-read-everything',
    title: 'Party outside the organization can read everything in the account',
    severity: 'medium',
    rationale:
      'Read access to every resource (ReadOnlyAccess, s3:GetObject on *, ...) includes data, not just configuration: object contents, secrets in parameters, database snapshots. Monitoring vendors rarely need more than their documented metadata permissions.',
    remediation:
      "Replace broad read policies with the vendor's documented policy or SecurityAudit-style metadata permissions, and exclude data-bearing actions (s3:GetObject, secretsmanager:GetSecretValue, ssm:GetParameter*, ...).",
    bestPractice: ['least-privilege'],
    references: [REF.bestPractices],
    action: 'Narrow read-everything permissions on externally trusted roles',
  },
  evaluate(context) {
    return outsideGrants(context)
      .filter(
        ({ role }) =>
          !role.review.permissions.adminEquivalent &&
          role.review.permissions.privilegeEscalation.length === 0 &&
          role.review.permissions.readEverything,
      )
      .map(({ role, grant }) => ({
        accountId: role.review.accountId,
        resource: role.record.arn,
        subject: grant.principal.raw,
        grantId: grant.id,
        message: `${outsidePartyLabel(grant)} can assume ${role.record.name}, which can read every resource in the account.`,
        evidence: [...grantEvidence(grant, role), ...permissionEvidence(role.review.permissions)],
      }));
  },
};
