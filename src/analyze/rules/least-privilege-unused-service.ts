import type { Severity } from '../../model/review.js';
import type { ServiceUse } from '../../model/least-privilege.js';
import { judgedRoles, trustedBy, windowText } from './least-privilege-helpers.js';
import { REF } from './references.js';
import type { Rule, RuleHit } from './rule.js';

type Tier = 'permissions-management' | 'write' | 'read';

/** What the service lets the role do at most: granting permissions, changing things, or reading. */
export function tierOf(service: ServiceUse): Tier {
  if ((service.grantedLevels['Permissions management'] ?? 0) > 0) return 'permissions-management';
  if ((service.grantedLevels.Write ?? 0) > 0 || (service.grantedLevels.Tagging ?? 0) > 0) return 'write';
  return 'read';
}

const TIERS: readonly { tier: Tier; severity: Severity; what: string }[] = [
  { tier: 'permissions-management', severity: 'high', what: 'that can change permissions' },
  { tier: 'write', severity: 'medium', what: 'with write access' },
  { tier: 'read', severity: 'low', what: 'with read or list access only' },
];

export const leastPrivilegeUnusedService: Rule = {
  meta: {
    id: 'least-privilege-unused-service',
    title: 'Outside-trusted role granted services it never used',
    severity: 'medium',
    rationale:
      'IAM records when a role last used each service it is granted (Access Advisor, 400 days). A service a role reachable from outside its account did not touch in the whole window is access that serves nobody and still works for whoever assumes the role; permissions-management and write access matter most.',
    remediation:
      "Replace the role's permissions with the right-sized draft in the role card (policies/<account>/<role>.json in the run), after checking seasonal or break-glass uses with the owner.",
    bestPractice: ['least-privilege', 'periodic-review'],
    references: [REF.lastAccessed, REF.bestPractices],
    action: 'Remove services outside-trusted roles never use',
  },
  evaluate(context) {
    const hits: RuleHit[] = [];
    for (const { role, lp } of judgedRoles(context)) {
      const unused = lp.services.filter((s) => s.status === 'unused');
      for (const { tier, severity, what } of TIERS) {
        const here = unused.filter((s) => tierOf(s) === tier);
        if (here.length === 0) continue;
        const names = here.map((s) => s.namespace);
        hits.push({
          accountId: role.review.accountId,
          resource: role.record.arn,
          subject: `unused-services:${tier}`,
          severity,
          message: `${role.record.name} is granted ${here.length} service${here.length === 1 ? '' : 's'} ${what} that it did not use from ${windowText(lp)}: ${names.slice(0, 12).join(', ')}${names.length > 12 ? `, and ${names.length - 12} more` : ''}.`,
          evidence: [
            { label: 'Role', value: role.record.arn },
            { label: 'Trusted from outside its account', value: trustedBy(role) },
            { label: 'Window (IAM Access Advisor)', value: windowText(lp) },
            { label: 'Unused services', value: here.map((s) => `${s.namespace} (${s.grantedActions} action${s.grantedActions === 1 ? '' : 's'})`).join(', ') },
            { label: 'Services used', value: `${lp.usedServices} of ${lp.trackedServices} tracked (${lp.grantedServices} granted)` },
          ],
        });
      }
    }
    return hits;
  },
};
