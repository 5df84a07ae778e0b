import type { Severity } from '../../model/review.js';
import { daysBetween } from '../context.js';
import { REF } from './references.js';
import type { Rule, RuleHit } from './rule.js';

/** A day of slack: the collector's window edges and event delivery lag are not gaps. */
const SLACK_DAYS = 1;

export const coverageCloudtrailGap: Rule = {
  meta: {
    id: 'coverage-cloudtrail-gap',
    title: 'CloudTrail usage is incomplete for an account',
    severity: 'medium',
    rationale:
      'Usage findings (unused trusts, unexpected callers) rest on CloudTrail. Where a region failed, was skipped or covers less time than asked, the review cannot tell unused access from unrecorded use, and it says so rather than guessing.',
    remediation:
      'Grant cloudtrail:LookupEvents in the reviewed role, include every region you use, or point the collector at CloudTrail Lake; event history keeps 90 days, so run the review at least that often.',
    bestPractice: ['logging-and-monitoring'],
    references: [REF.cloudtrailHistory],
    action: 'Close CloudTrail coverage gaps',
  },
  evaluate(context) {
    const hits: RuleHit[] = [];
    const asked = context.snapshot.scope.window;
    for (const account of context.accounts) {
      const { snapshot } = account;
      const trail = snapshot.coverage.filter((item) => item.source === 'cloudtrail');
      const base = { accountId: snapshot.accountId, resource: snapshot.accountId };
      for (const item of trail.filter((i) => i.status !== 'ok')) {
        hits.push({
          ...base,
          subject: `cloudtrail:${item.region ?? 'all'}`,
          message: `CloudTrail ${item.region ? `in ${item.region} ` : ''}was ${item.status}${item.detail ? `: ${item.detail}` : '.'}`,
          evidence: [
            { label: 'Region', value: item.region ?? 'all' },
            { label: 'Status', value: item.status },
            { label: 'Detail', value: item.detail ?? 'none given' },
            ...(item.errorCode ? [{ label: 'Error', value: item.errorCode }] : []),
          ],
        });
      }
      if (trail.length === 0 && !snapshot.usage.window) {
        hits.push({
          ...base,
          subject: 'cloudtrail:not-collected',
          message: `CloudTrail usage was not collected for account ${snapshot.accountId}; usage-based findings are not judged there.`,
          evidence: [{ label: 'Account', value: snapshot.accountId }],
        });
        continue;
      }
      const missing = context.snapshot.scope.regions.filter(
        (region) => trail.length > 0 && !snapshot.usage.regions.includes(region) && !trail.some((i) => i.region === region),
      );
      for (const region of missing) {
        hits.push({
          ...base,
          subject: `cloudtrail:${region}`,
          message: `CloudTrail in ${region} was not read for account ${snapshot.accountId}, though the review covers that region.`,
          evidence: [{ label: 'Regions read', value: snapshot.usage.regions.join(', ') || 'none' }],
        });
      }
      const window = snapshot.usage.window;
      if (window) {
        const short = daysBetween(asked.start, new Date(window.start));
        if (short > SLACK_DAYS) {
          const severity: Severity = 'low';
          hits.push({
            ...base,
            subject: 'cloudtrail:window',
            severity,
            message: `CloudTrail usage covers ${window.start.slice(0, 10)} to ${window.end.slice(0, 10)}, ${short} days less than the ${daysBetween(
              asked.start,
              new Date(asked.end),
            )}-day window asked.`,
            evidence: [
              { label: 'Asked', value: `${asked.start} to ${asked.end}` },
              { label: 'Covered', value: `${window.start} to ${window.end}` },
            ],
          });
        }
      }
    }
    return hits;
  },
};
