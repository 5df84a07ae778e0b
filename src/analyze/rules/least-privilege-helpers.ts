/** What the two least-privilege rules share: which roles they judge and how a role's window reads. */
import type { RoleLeastPrivilege } from '../../model/least-privilege.js';
import type { ReviewContext, RoleContext } from '../context.js';
import { isServiceLinked } from '../context.js';
import { CROSS_ACCOUNT_CLASSES } from './helpers.js';

export interface JudgedRole {
  role: RoleContext;
  lp: RoleLeastPrivilege & { window: NonNullable<RoleLeastPrivilege['window']> };
}

/**
 * Roles a principal outside their account can assume, with complete Access Advisor data over a window at
 * least `unusedAfterDays` long: a younger role has not had time to show what it needs.
 */
export function judgedRoles(context: ReviewContext): JudgedRole[] {
  const out: JudgedRole[] = [];
  for (const account of context.accounts) {
    for (const role of account.roles) {
      const lp = role.review.leastPrivilege;
      if (!lp || lp.status !== 'complete' || !lp.window || isServiceLinked(role.record)) continue;
      if (lp.window.days < context.settings.unusedAfterDays) continue;
      const outside = role.review.trustGrants.some((g) => !g.negatedBy && CROSS_ACCOUNT_CLASSES.includes(g.principal.class));
      if (outside) out.push({ role, lp: { ...lp, window: lp.window } });
    }
  }
  return out;
}

export function windowText(lp: JudgedRole['lp']): string {
  return `${lp.window.start.slice(0, 10)} to ${lp.window.end.slice(0, 10)} (${lp.window.days} days)`;
}

export function trustedBy(role: RoleContext): string {
  const labels = [...new Set(role.review.trustGrants.filter((g) => !g.negatedBy && CROSS_ACCOUNT_CLASSES.includes(g.principal.class)).map((g) => g.principal.label))];
  return labels.join('; ');
}
