/** The review's headline numbers. */
import type { Finding, PrincipalClass, ReviewSummary, Severity, TopAction } from '../model/review.js';
import { PRINCIPAL_CLASSES, SEVERITIES } from '../model/review.js';
import type { ReviewContext } from './context.js';
import type { AccountSnapshot, CoverageItem } from '../model/snapshot.js';
import { usageIsComplete } from './context.js';
import { CROSS_ACCOUNT_CLASSES } from './rules/helpers.js';
import { isUnusedRole } from './rules/role-unused.js';
import { aggregateScore } from './scoring.js';

export function summarize(context: ReviewContext, findings: readonly Finding[], topActions: TopAction[]): ReviewSummary {
  const grantsByClass = Object.fromEntries(PRINCIPAL_CLASSES.map((c) => [c, 0])) as Record<PrincipalClass, number>;
  const findingsBySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  let trustGrants = 0;
  let roles = 0;
  let unusedRoles = 0;
  let unusedCrossAccountGrants = 0;
  let unknownUsageCrossAccountGrants = 0;
  for (const account of context.accounts) {
    const complete = usageIsComplete(account.snapshot);
    for (const role of account.roles) {
      roles += 1;
      if (isUnusedRole(role, context.now, context.settings.unusedAfterDays)) unusedRoles += 1;
      for (const grant of role.review.trustGrants) {
        if (grant.negatedBy) continue;
        trustGrants += 1;
        grantsByClass[grant.principal.class] += 1;
        if (complete && !grant.usage.used && CROSS_ACCOUNT_CLASSES.includes(grant.principal.class)) unusedCrossAccountGrants += 1;
        if (grant.usage.state === 'unknown' && CROSS_ACCOUNT_CLASSES.includes(grant.principal.class)) unknownUsageCrossAccountGrants += 1;
      }
    }
  }
  for (const finding of findings) {
    if (finding.status !== 'suppressed') findingsBySeverity[finding.severity] += 1;
  }
  return {
    accounts: context.accounts.length,
    roles,
    trustGrants,
    grantsByClass,
    findingsBySeverity,
    openFindings: findings.filter((f) => f.status !== 'suppressed').length,
    suppressedFindings: findings.filter((f) => f.status === 'suppressed').length,
    unusedRoles,
    unusedCrossAccountGrants,
    coverageGaps: countGaps([
      ...context.accounts.map((a) => a.snapshot),
      ...(context.snapshot.organization?.coverage ? [{ accountId: context.snapshot.organization.managementAccountId, coverage: context.snapshot.organization.coverage }] : []),
    ]),
    riskScore: aggregateScore(findings),
    topActions,
    accountsReviewed: context.accounts.filter((a) => accountReviewed(a.snapshot)).length,
    unknownUsageCrossAccountGrants,
  };
}

/**
 * Gaps as the report lists them: the same failure in several regions of one account (an SCP denying
 * CloudTrail everywhere) is one gap, so the summary line, the email and the report give one number.
 */
function countGaps(accounts: readonly { accountId: string; coverage: readonly CoverageItem[] }[]): number {
  const distinct = new Set<string>();
  for (const a of accounts) {
    for (const c of a.coverage) if (c.status !== 'ok') distinct.add(JSON.stringify([a.accountId, c.source, c.status, c.detail ?? '', c.errorCode ?? '']));
  }
  return distinct.size;
}

/** Entered, and its role inventory read at least in part: otherwise none of its roles are in the review. */
export function accountReviewed(account: Pick<AccountSnapshot, 'coverage'>): boolean {
  const failed = (source: string): boolean => account.coverage.some((c) => c.source === source && c.status === 'failed');
  return !failed('sts') && !failed('iam');
}
