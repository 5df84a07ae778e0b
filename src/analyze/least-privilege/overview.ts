/** The least-privilege summary lines: one sentence per role with Access Advisor data, widest gap first. */
import type { LeastPrivilegeOverview } from '../../model/least-privilege.js';
import type { RoleReview } from '../../model/review.js';

export function summaryLine(role: RoleReview): string | undefined {
  const lp = role.leastPrivilege;
  if (!lp) return undefined;
  if (lp.status === 'missing') return `${role.name}: no last-accessed data (${lp.gap ?? 'unknown reason'}).`;
  const days = lp.window?.days ?? 0;
  const tracked = lp.trackedServices === lp.grantedServices ? '' : ` (Access Advisor tracks ${lp.trackedServices})`;
  return `${role.name} grants ${lp.grantedServices} service${lp.grantedServices === 1 ? '' : 's'}${tracked}, used ${lp.usedServices} in ${days} days; the draft keeps ${lp.keptActions} of ${lp.grantedActions} actions.`;
}

export function leastPrivilegeOverview(roles: readonly RoleReview[]): LeastPrivilegeOverview | undefined {
  const withData = roles.filter((r) => r.leastPrivilege);
  if (withData.length === 0) return undefined;
  const unusedShare = (r: RoleReview): number => {
    const lp = r.leastPrivilege;
    if (!lp || lp.status !== 'complete' || lp.trackedServices === 0) return -1;
    return 1 - lp.usedServices / lp.trackedServices;
  };
  const sorted = [...withData].sort((a, b) => unusedShare(b) - unusedShare(a) || (b.leastPrivilege?.grantedServices ?? 0) - (a.leastPrivilege?.grantedServices ?? 0) || a.arn.localeCompare(b.arn));
  return {
    rolesWithData: withData.filter((r) => r.leastPrivilege?.status === 'complete').length,
    rolesMissing: withData.filter((r) => r.leastPrivilege?.status === 'missing').length,
    lines: sorted.flatMap((r) => {
      const text = summaryLine(r);
      return text ? [{ roleArn: r.arn, accountId: r.accountId, roleName: r.name, text }] : [];
    }),
  };
}
