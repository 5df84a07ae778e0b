import type { Severity } from '../../model/review.js';
import { REF } from './references.js';
import type { Rule } from './rule.js';

export const coverageCollectionGap: Rule = {
  meta: {
    id: 'coverage-collection-gap',
    title: 'Part of an account could not be collected',
    severity: 'high',
    rationale:
      'A failed IAM or STS read means roles are missing from the review altogether; a failed Organizations or Access Analyzer read weakens classification and analyzer findings. A clean report over incomplete data is worse than a report that shows the hole.',
    remediation:
      'Fix the permission or connectivity problem named in the detail (usually the read-only role missing in the account, or an SCP denying iam:GetAccountAuthorizationDetails) and run the review again.',
    bestPractice: ['logging-and-monitoring', 'periodic-review'],
    references: [REF.bestPractices],
    action: 'Fix collection failures',
  },
  evaluate(context) {
    return context.accounts.flatMap((account) =>
      account.snapshot.coverage
        .filter((item) => item.source !== 'cloudtrail' && (item.status === 'failed' || item.status === 'partial'))
        .map((item) => {
          // Without IAM or STS the account's roles are missing; the other sources only weaken the review.
          const severity: Severity | undefined = item.source === 'iam' || item.source === 'sts' ? undefined : 'medium';
          return {
            accountId: account.snapshot.accountId,
            resource: account.snapshot.accountId,
            subject: `${item.source}:${item.region ?? 'global'}`,
            ...(severity ? { severity } : {}),
            message: `${item.source} ${item.region ? `in ${item.region} ` : ''}was ${item.status} for account ${account.snapshot.accountId}${
              item.detail ? `: ${item.detail}` : '.'
            }`,
            evidence: [
              { label: 'Source', value: item.source },
              { label: 'Status', value: item.status },
              { label: 'Detail', value: item.detail ?? 'none given' },
              ...(item.errorCode ? [{ label: 'Error', value: item.errorCode }] : []),
            ],
          };
        }),
    );
  },
};
