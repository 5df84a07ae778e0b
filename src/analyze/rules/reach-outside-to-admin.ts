import type { PrincipalClass, ReachPath } from '../../model/review.js';
import { parseArn } from '../policy/arn.js';
import { oidcIssuer } from '../trust/oidc-providers.js';
import { REF } from './references.js';
import type { Rule } from './rule.js';

const OUTSIDE: readonly PrincipalClass[] = ['public', 'external', 'known-vendor', 'federated-oidc'];

export const reachOutsideToAdmin: Rule = {
  meta: {
    id: 'reach-outside-to-admin',
    title: 'Party outside the organization reaches an admin-equivalent role through a chain of roles',
    severity: 'high',
    rationale:
      'Trust is transitive: a role an outside party can assume may itself be allowed to assume other roles. Reviewing each role alone misses that an outside party is a few hops from admin.',
    remediation:
      'Break the chain at its weakest hop: remove sts:AssumeRole on the next role from the intermediate role, or remove the intermediate role from the target role\'s trust policy.',
    bestPractice: ['least-privilege', 'role-based-trust'],
    references: [REF.bestPractices],
    action: 'Break role chains that lead outside parties to admin',
  },
  evaluate(context) {
    return context.reach
      .filter((path) => path.targetAdminEquivalent && path.hops.length >= 2 && startsOutside(path))
      .map((path) => ({
        accountId: accountOf(path.to),
        resource: path.to,
        subject: path.from,
        roleArn: path.to,
        message: `${path.fromLabel ?? path.from} can reach admin-equivalent ${path.to} in ${path.hops.length} hops${
          path.conditional ? ' (one hop holds only if a policy condition does: a conditional Allow, a Deny whose condition could not be decided, or a trust policy condition that depends on the request)' : ''
        }.`,
        evidence: [
          { label: 'From', value: path.fromLabel ?? path.from },
          { label: 'Path', value: [path.from, ...path.hops].join(' → ') },
        ],
      }));
  },
};

/**
 * The reach graph marks where each path starts; a path built without the mark (by an older analysis) is
 * judged the same way: the organization's own EKS clusters and SAML providers are not outside parties.
 */
function startsOutside(path: ReachPath): boolean {
  if (path.fromOutside !== undefined) return path.fromOutside;
  if (!OUTSIDE.includes(path.fromClass)) return false;
  if (path.fromClass !== 'federated-oidc') return true;
  const arn = parseArn(path.from);
  return oidcIssuer(arn ? arn.resource.slice('oidc-provider/'.length) : path.from).thirdParty;
}

function accountOf(arn: string): string {
  return arn.split(':')[4] ?? '';
}
