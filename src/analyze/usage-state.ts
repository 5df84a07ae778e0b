/**
 * Used, unused or unknown: a grant with no event is "unused" only when CloudTrail was read completely for
 * its account over a window; otherwise the absence of events proves nothing and the state is "unknown", with
 * the reason a reader can check.
 */
import type { RoleUsage, TrustGrant } from '../model/review.js';
import type { AccountSnapshot } from '../model/snapshot.js';
import { usageIsComplete } from './context.js';

/** Why the account's usage cannot prove non-use; undefined when it can. */
export function usageUnknownReason(account: AccountSnapshot): string | undefined {
  if (usageIsComplete(account)) return undefined;
  const trail = account.coverage.filter((item) => item.source === 'cloudtrail');
  if (trail.length === 0) return 'CloudTrail was not read for this account';
  const gaps = trail.filter((item) => item.status !== 'ok');
  if (gaps.length === 0) return 'no CloudTrail window was recorded for this account';
  return gaps
    .map((item) => {
      const where = item.region ? ` in ${item.region}` : '';
      const code = item.errorCode ? ` (${item.errorCode}${item.httpStatus ? `, HTTP ${item.httpStatus}` : ''})` : '';
      return `CloudTrail ${item.status === 'partial' ? 'read only in part' : item.status === 'skipped' ? 'not read' : 'could not be read'}${where}${code}`;
    })
    .join('; ');
}

export function applyUsageState(grants: readonly TrustGrant[], usage: RoleUsage, unknownReason: string | undefined): void {
  for (const grant of grants) {
    if (grant.usage.used) grant.usage.state = 'used';
    else if (unknownReason === undefined) grant.usage.state = 'unused';
    else {
      grant.usage.state = 'unknown';
      grant.usage.unknownReason = unknownReason;
    }
  }
  // IAM's RoleLastUsed is independent of CloudTrail: a date there is use seen, whatever the trail says.
  if (usage.assumeCount > 0 || usage.lastUsed !== undefined) usage.state = 'used';
  else if (unknownReason === undefined) usage.state = 'unused';
  else {
    usage.state = 'unknown';
    usage.unknownReason = unknownReason;
  }
}
