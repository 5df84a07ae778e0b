import type { Evidence, PermissionSummary } from '../../model/review.js';
import { outsideGrants } from './exposure.js';
import { outsidePartyLabel } from '../trust/exposure.js';
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
        message: `${outsidePartyLabel(grant)} can assume ${role.record.name}, which is admin-equivalent.`,
        evidence: [...grantEvidence(grant, role), ...permissionEvidence(role.review.permissions)],
      }));
  },
};

type PermissionFacts = Pick<
  PermissionSummary,
  'adminEquivalent' | 'adminEquivalentReason' | 'caveats' | 'highlights' | 'policies' | 'privilegeEscalation' | 'gaps'
>;

/**
 * What the role may do, as evidence for the permission-based rules. For an admin-equivalent role the reason
 * is the evidence: escalation methods add nothing to "can do everything" (AdministratorAccess matches every
 * one of the ~40 catalogued methods), so they are counted, not listed; the role's permission summary in
 * review.json still lists each. For any other role each method is listed, since it is the finding.
 */
export function permissionEvidence(permissions: PermissionFacts): Evidence[] {
  const evidence: Evidence[] = [{ label: 'Permission policies', value: permissions.policies.map((p) => p.name).join(', ') || 'none' }];
  if (permissions.adminEquivalent) {
    evidence.push({ label: 'Admin-equivalent', value: permissions.adminEquivalentReason ?? 'yes (no reason recorded)' });
  }
  for (const caveat of permissions.caveats ?? []) evidence.push({ label: 'Caveat', value: caveat });
  if (permissions.highlights.length > 0) evidence.push({ label: 'Allowed on *', value: permissions.highlights.slice(0, 12).join(', ') });
  const methods = permissions.privilegeEscalation;
  if (permissions.adminEquivalent) {
    if (methods.length > 0) {
      evidence.push({
        label: 'Escalation methods',
        value: `${methods.length} also available, not listed: an admin-equivalent role needs none (each is in the role's permission summary in review.json)`,
      });
    }
  } else {
    for (const method of methods) {
      evidence.push({ label: 'Escalation path', value: `${method.method}: ${method.actions.join(', ')}` });
    }
  }
  if (permissions.gaps.length > 0) evidence.push({ label: 'Gaps', value: permissions.gaps.join(' ') });
  return evidence;
}
