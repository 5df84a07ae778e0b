import type { Severity } from '../../model/review.js';
import { daysBetween, usageIsComplete } from '../context.js';
import { CROSS_ACCOUNT_CLASSES, grantEvidence, liveGrants } from './helpers.js';
import { REF } from './references.js';
import { isUnusedRole } from './role-unused.js';
import type { Rule } from './rule.js';

export const trustCrossAccountUnused: Rule = {
  meta: {
    id: 'trust-cross-account-unused',
    title: 'Cross-account trust not used in the review window',
    severity: 'medium',
    rationale:
      'Every trust that crosses the account boundary is a door; one nobody walked through during the window is access without a demonstrated need. Judged only where CloudTrail was read completely, since missing events prove nothing.',
    remediation: 'Confirm with the role owner whether the trust is still needed; remove the statement if not.',
    bestPractice: ['periodic-review', 'least-privilege'],
    references: [REF.cloudtrailHistory, REF.lastAccessed],
    action: 'Remove cross-account trusts nobody uses',
  },
  evaluate(context) {
    return liveGrants(context)
      .filter(({ grant }) => CROSS_ACCOUNT_CLASSES.includes(grant.principal.class) && !grant.usage.used)
      .filter(({ role }) => usageIsComplete(role.account))
      // A role nobody uses at all is reported once, by role-unused, not once per trust statement.
      .filter(({ role }) => !isUnusedRole(role, context.now, context.settings.unusedAfterDays))
      .filter(({ role }) => {
        const window = role.account.usage.window;
        // A role created during the window has not had the whole window to be used.
        return !(window && role.record.createDate && Date.parse(role.record.createDate) > Date.parse(window.start));
      })
      .map(({ role, grant }) => {
        const window = role.account.usage.window;
        const span = window ? `${window.start.slice(0, 10)} to ${window.end.slice(0, 10)}` : 'the window';
        const internal = grant.principal.class === 'org-account' || grant.principal.class === 'federated-saml';
        const severity: Severity | undefined = internal ? 'low' : undefined;
        return {
          accountId: role.review.accountId,
          resource: role.record.arn,
          subject: grant.principal.raw,
          grantId: grant.id,
          ...(severity ? { severity } : {}),
          message: `${grant.principal.label} did not assume ${role.record.name} between ${span}${
            window ? ` (${daysBetween(window.start, new Date(window.end))} days of CloudTrail)` : ''
          }.`,
          evidence: [...grantEvidence(grant, role), { label: 'Role last used (IAM)', value: role.record.lastUsed?.date ?? 'never' }],
        };
      });
  },
};
