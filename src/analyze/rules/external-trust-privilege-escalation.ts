import { permissionEvidence } from './external-trust-admin.js';
import { outsideGrants } from './exposure.js';
import { outsidePartyLabel } from '../trust/exposure.js';
import { grantEvidence } from './helpers.js';
import { REF } from './references.js';
import type { Rule } from './rule.js';

export const externalTrustPrivilegeEscalation: Rule = {
  meta: {
    id: 'external-trust-privilege-escalation',
    title: 'Party outside the organization can assume a role that can escalate its privileges',
    severity: 'high',
    rationale:
      'The role is not admin-equivalent on paper, but its permissions include a known escalation path (creating policy versions, attaching policies, passing a role to compute, updating a trust policy, ...), so whoever assumes it can become admin.',
    remediation:
      'Remove the escalation actions (or constrain their resources and add an explicit Deny), or remove the outside trust from this role.',
    bestPractice: ['least-privilege', 'role-based-trust'],
    references: [REF.privilegeEscalation, REF.bestPractices],
    action: 'Remove privilege-escalation paths from externally trusted roles',
  },
  evaluate(context) {
    return outsideGrants(context)
      .filter(({ role }) => !role.review.permissions.adminEquivalent && role.review.permissions.privilegeEscalation.length > 0)
      .map(({ role, grant }) => ({
        accountId: role.review.accountId,
        resource: role.record.arn,
        subject: grant.principal.raw,
        grantId: grant.id,
        message: `${outsidePartyLabel(grant)} can assume ${role.record.name}, which can escalate to admin through ${methodList(
          role.review.permissions.privilegeEscalation.map((m) => m.method),
        )}.`,
        evidence: [...grantEvidence(grant, role), ...permissionEvidence(role.review.permissions)],
      }));
  },
};

/** Methods named in the one-line message; the evidence lists every one with its actions. */
const METHODS_IN_MESSAGE = 3;

export function methodList(methods: readonly string[]): string {
  if (methods.length <= METHODS_IN_MESSAGE + 1) return methods.join(', ');
  const rest = methods.length - METHODS_IN_MESSAGE;
  return `${methods.slice(0, METHODS_IN_MESSAGE).join(', ')} and ${rest} more, each in the evidence`;
}
