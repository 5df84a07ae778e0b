import type { ReachPath } from '../../model/review.js';
import { roleNameFromArn } from '../policy/arn.js';
import { REF } from './references.js';
import type { Rule } from './rule.js';

export const reachRoleToAdmin: Rule = {
  meta: {
    id: 'reach-role-to-admin',
    title: 'Role can assume its way to an admin-equivalent role',
    severity: 'medium',
    rationale:
      'Assuming a more privileged role is privilege escalation: a role trust naming another role, or trusting the account root while that role may call sts:AssumeRole on it, lets whoever holds the first role become admin, inside one account as well as across accounts. Whoever compromises the entry role (a Lambda function, a CI job) inherits the whole chain.',
    remediation:
      'Break the chain at its weakest hop: name only the principals that need the privileged role in its trust policy (not the account root), and remove sts:AssumeRole on it from the intermediate roles.',
    bestPractice: ['least-privilege', 'role-based-trust'],
    references: [REF.roleChaining, REF.bestPractices],
    action: 'Break role chains that lead to admin-equivalent roles',
  },
  evaluate(context) {
    return context.reach.filter(isInternalEscalation).map((path) => ({
      accountId: accountOf(path.from),
      resource: path.from,
      subject: path.to,
      roleArn: path.from,
      message: `Role ${roleNameFromArn(path.from) ?? path.from} reaches admin-equivalent role ${roleNameFromArn(path.to) ?? path.to} in ${path.hops.length} hop${
        path.hops.length === 1 ? '' : 's'
      } (${chain(path)})${path.conditional ? '; one hop holds only if a policy condition does (a conditional Allow, a Deny whose condition could not be decided, or a trust policy condition that depends on the request)' : ''}.`,
      evidence: [
        { label: 'From', value: path.fromLabel ?? path.from },
        { label: 'Path', value: [path.from, ...path.hops].join(' → ') },
        { label: 'Across accounts', value: path.hops.some((hop) => accountOf(hop) !== accountOf(path.from)) ? 'yes' : 'no, inside one account' },
      ],
    }));
  },
};

/** Paths the reach graph starts at a reviewed role (not an outside party) and ends at an admin-equivalent one. */
export function isInternalEscalation(path: ReachPath): boolean {
  return path.targetAdminEquivalent && path.fromOutside === false && path.from.startsWith('arn:') && roleNameFromArn(path.from) !== undefined;
}

function chain(path: ReachPath): string {
  return [path.from, ...path.hops].map((arn) => roleNameFromArn(arn) ?? arn).join(' → ');
}

function accountOf(arn: string): string {
  return arn.split(':')[4] ?? '';
}
