import { DEFAULT_LEAST_PRIVILEGE } from '../../model/settings.js';
import { judgedRoles, trustedBy, windowText } from './least-privilege-helpers.js';
import { REF } from './references.js';
import type { Rule } from './rule.js';

const percent = (x: number): string => `${Math.round(x * 1000) / 10}%`;

export const leastPrivilegeLowUse: Rule = {
  meta: {
    id: 'least-privilege-low-use',
    title: 'Outside-trusted role uses a tiny share of what it is granted',
    severity: 'medium',
    rationale:
      'A role reachable from outside its account that uses only a sliver of its services was granted a broad policy (often an AWS managed one) where a narrow one would do. Whoever assumes it gets everything else too.',
    remediation:
      "Replace the broad policy with the right-sized draft in the role card (policies/<account>/<role>.json in the run), or with the vendor's documented minimal policy.",
    bestPractice: ['least-privilege'],
    references: [REF.lastAccessed, REF.bestPractices],
    action: 'Right-size broad policies on outside-trusted roles',
  },
  evaluate(context) {
    const { lowUseShare, lowUseMinServices } = context.settings.leastPrivilege ?? DEFAULT_LEAST_PRIVILEGE;
    return judgedRoles(context)
      .filter(({ lp }) => lp.trackedServices >= lowUseMinServices && lp.usedServices / lp.trackedServices < lowUseShare)
      .map(({ role, lp }) => {
        const share = lp.usedServices / lp.trackedServices;
        return {
          accountId: role.review.accountId,
          resource: role.record.arn,
          subject: 'low-use',
          message: `${role.record.name} used ${lp.usedServices} of the ${lp.trackedServices} services Access Advisor tracks for it (${percent(share)}, threshold ${percent(lowUseShare)}) from ${windowText(lp)}; the draft keeps ${lp.keptActions} of ${lp.grantedActions} granted actions.`,
          evidence: [
            { label: 'Role', value: role.record.arn },
            { label: 'Trusted from outside its account', value: trustedBy(role) },
            { label: 'Window (IAM Access Advisor)', value: windowText(lp) },
            { label: 'Services used', value: lp.services.filter((s) => s.status === 'used').map((s) => s.namespace).join(', ') || 'none' },
            { label: 'Granted', value: `${lp.grantedServices} services, ${lp.grantedActions} actions` },
          ],
        };
      });
  },
};
