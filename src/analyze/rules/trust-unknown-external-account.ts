import type { Guard, Severity, TrustGrant } from '../../model/review.js';
import { foreignSourceGuards, isPinnedOutside, serviceSourceParty } from '../trust/exposure.js';
import { describeGuard, grantEvidence, liveGrants } from './helpers.js';
import { REF } from './references.js';
import type { Rule } from './rule.js';

const REMEDIATION =
  'Identify the account owner. If it is a supplier you use, declare it in the config (analysis.vendors: account id, name and where the id is published): that clears this finding and the vendor rules apply instead. Otherwise trust a specific role rather than the account root, require sts:ExternalId, or remove the statement.';

export const trustUnknownExternalAccount: Rule = {
  meta: {
    id: 'trust-unknown-external-account',
    title: 'Role trusts an account outside the organization that is not a known vendor',
    severity: 'high',
    rationale:
      'An account that is neither in your organization nor a documented vendor is an unknown party: nobody in the review can say who controls it. Trusting its root delegates the decision to whoever administers that account; a specific role, an ExternalId, MFA or a source network narrow it, and lower the severity, but do not make the party known. A service trust whose aws:SourceAccount or aws:SourceArn names such an account is that account\'s access through the service.',
    remediation: REMEDIATION,
    bestPractice: ['role-based-trust', 'periodic-review'],
    references: [REF.principalElement, REF.externalId],
    action: 'Identify or remove unknown external accounts in trust policies',
  },
  evaluate(context) {
    return liveGrants(context)
      .filter(({ grant }) => grant.principal.class === 'external' || pinnedToUnknown(grant) || serviceSourceParty(grant) === 'outside')
      .map(({ role, grant }) => {
        const restrictions = restrictionsOf(grant);
        const graded = grant.principal.class === 'external' ? severityFor(restrictions.length) : undefined;
        return {
          accountId: role.review.accountId,
          resource: role.record.arn,
          subject: grant.principal.raw,
          grantId: grant.id,
          message: messageFor(role.record.name, grant, restrictions),
          evidence: [...grantEvidence(grant, role), { label: 'What restricts it', value: restrictions.length > 0 ? restrictions.join('; ') : 'nothing' }],
          ...(graded ? { severity: graded } : {}),
        };
      });
  },
};

/**
 * What narrows an unknown account's hold on the role. Each is real protection, but none tells who the
 * party is, so the finding stays; only its severity follows them.
 */
export function restrictionsOf(grant: TrustGrant): string[] {
  const out: string[] = [];
  const kind = grant.principal.kind;
  if (kind === 'role' || kind === 'user' || kind === 'assumed-role' || kind === 'federated-user') {
    out.push(`names one ${kind === 'user' ? 'IAM user' : kind === 'federated-user' ? 'federated user' : kind === 'assumed-role' ? 'role session' : 'role'}, not the account root`);
  }
  const effective = (kinds: readonly Guard['kind'][]): Guard[] => grant.guards.filter((g) => g.effective && kinds.includes(g.kind));
  const arns = effective(['principal-arn']).filter((g) => g.operator !== 'NotPrincipal');
  if (arns.length > 0 && kind === 'account') out.push(`aws:PrincipalArn narrows the caller to ${arns.flatMap((g) => g.values).join(', ')}`);
  if (effective(['external-id']).length > 0) out.push('requires sts:ExternalId');
  if (effective(['mfa']).length > 0) out.push('requires MFA');
  const network = effective(['source-ip', 'source-vpc']);
  if (network.length > 0) out.push(`limits the source network (${network.map((g) => `${g.key} ${g.values.join(', ')}`).join('; ')})`);
  return out;
}

function severityFor(restrictions: number): Severity {
  return restrictions === 0 ? 'high' : restrictions === 1 ? 'medium' : 'low';
}

function messageFor(roleName: string, grant: TrustGrant, restrictions: string[]): string {
  if (grant.principal.class === 'service') {
    return `${roleName} lets ${grant.principal.raw} act for resources of a party outside the organization that is not a known vendor (${foreignSourceGuards(grant)
      .map(describeGuard)
      .join(' and ')}): that account can have the service use this role.`;
  }
  if (grant.principal.class !== 'external') {
    return `${roleName} trusts any principal whose request passes ${grant.guards
      .filter((guard) => guard.party === 'outside')
      .map(describeGuard)
      .join(' and ')}: that admits a party outside the organization that is not a known vendor.`;
  }
  const base = `${roleName} trusts ${grant.principal.label}, which is outside the organization and not a known vendor`;
  if (restrictions.length === 0) {
    return `${base}${grant.principal.kind === 'account' ? '; nothing restricts it: any principal that account authorises can assume the role' : ''}.`;
  }
  return `${base}; restricted only in that the trust ${restrictions.join(', ')}.`;
}

/** Principal "*" narrowed only by conditions naming another organization or an unknown account. */
function pinnedToUnknown(grant: TrustGrant): boolean {
  return isPinnedOutside(grant) && grant.guards.some((guard) => guard.effective && guard.party === 'outside');
}
