import type { RoleContext } from '../context.js';
import { daysBetween, isServiceLinked } from '../context.js';
import { latest } from '../usage.js';
import { REF } from './references.js';
import type { Rule } from './rule.js';

/** The latest sign of use: IAM's RoleLastUsed (400 days) or a CloudTrail assumption. */
export function lastActivity(role: RoleContext): string | undefined {
  return latest([role.record.lastUsed?.date, ...role.review.usage.callers.map((c) => c.lastSeen)]);
}

export function isUnusedRole(role: RoleContext, now: Date, unusedAfterDays: number): boolean {
  if (isServiceLinked(role.record)) return false;
  if (role.record.createDate && daysBetween(role.record.createDate, now) < unusedAfterDays) return false;
  const last = lastActivity(role);
  return !last || daysBetween(last, now) >= unusedAfterDays;
}

export const roleUnused: Rule = {
  meta: {
    id: 'role-unused',
    title: 'Role not used within the review period',
    severity: 'low',
    rationale:
      'A role nobody assumes is standing access without a purpose: its trust and permissions can still be used by whoever it trusts, and nobody notices a change to it.',
    remediation: 'Confirm with the owner and delete the role, or remove its trust statements until it is needed again.',
    bestPractice: ['periodic-review', 'least-privilege'],
    references: [REF.lastAccessed],
    action: 'Delete roles nobody uses',
  },
  evaluate(context) {
    const days = context.settings.unusedAfterDays;
    return context.accounts.flatMap((account) =>
      account.roles
        .filter((role) => isUnusedRole(role, context.now, days))
        .map((role) => {
          const last = lastActivity(role);
          return {
            accountId: role.review.accountId,
            resource: role.record.arn,
            subject: 'role',
            message: last
              ? `${role.record.name} was last used on ${last.slice(0, 10)}, ${daysBetween(last, context.now)} days ago (threshold ${days} days).`
              : `${role.record.name} has no recorded use: IAM reports no use in the last 400 days and CloudTrail shows no assumption.`,
            evidence: [
              { label: 'Role', value: role.record.arn },
              { label: 'Last used (IAM)', value: role.record.lastUsed?.date ?? 'never in the 400 days IAM tracks' },
              { label: 'Created', value: role.record.createDate ?? 'unknown' },
              { label: 'Trusted principals', value: role.review.trustGrants.map((g) => g.principal.label).join('; ') || 'none' },
            ],
          };
        }),
    );
  },
};
