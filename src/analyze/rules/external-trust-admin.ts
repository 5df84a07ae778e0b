import { outsideGrants } from './exposure.js';
import { grantEvidence } from './helpers.js';
import { REF } from './references.js';
import type { Rule } from './rule.js';

export const externalTrustAdmin: Rule = {
  meta: {
    id: 'external-trust-admin',
    title: 'Party outside the organization can assume an admin-equivalent role',
    severity: 'critical',
    rationale:
      'Whoever can assume this role controls the account: its permissions allow every action (or enough to grant themselves every action). Trusting a party outside the organization with that puts the account in their hands and in the hands of anyone who compromises them.',
    remediation:
      'Give the external party a dedicated role with only the actions it needs (for vendors, the policy from their documentation), and remove the trust from the admin role.',
    bestPractice: ['least-privilege', 'role-based-trust'],
    references: [REF.bestPractices],
    action: 'Take admin roles out of reach of outside parties',
  },
  evaluate(context) {
    return outsideGrants(context)
      .filter(({ role }) => role.review.permissions.adminEquivalent)
      .map(({ role, grant }) => ({
        accountId: role.review.accountId,
        resource: role.record.arn,
        subject: grant.principal.raw,
        grantId: grant.id,
        message: `${grant.principal.label} can assume ${role.record.name}, which is admin-equivalent.`,
        evidence: [...grantEvidence(grant, role), ...permissionEvidence(role.review.permissions)],
      }));
  },
};

export function permissionEvidence(permissions: {
  highlights: string[];
  policies: { name: string }[];
  privilegeEscalation: { method: string; actions: string[] }[];
  gaps: string[];
}): { label: string; value: string }[] {
  const evidence = [{ label: 'Permission policies', value: permissions.policies.map((p) => p.name).join(', ') || 'none' }];
  if (permissions.highlights.length > 0) evidence.push({ label: 'Allowed on *', value: permissions.highlights.slice(0, 12).join(', ') });
  for (const method of permissions.privilegeEscalation) {
    evidence.push({ label: 'Escalation path', value: `${method.method}: ${method.actions.join(', ')}` });
  }
  if (permissions.gaps.length > 0) evidence.push({ label: 'Gaps', value: permissions.gaps.join(' ') });
  return evidence;
}
