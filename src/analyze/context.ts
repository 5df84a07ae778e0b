/** The review context rules read: the snapshot, the analysed roles, and the reach graph. */
import type { AnalysisSettings } from '../model/settings.js';
import type { ReachPath, RoleReview } from '../model/review.js';
import type { AccountSnapshot, RoleRecord, Snapshot } from '../model/snapshot.js';

export interface RoleContext {
  account: AccountSnapshot;
  record: RoleRecord;
  /** Trust grants, permissions and usage as analysed; findings are attached later. */
  review: RoleReview;
}

export interface AccountContext {
  snapshot: AccountSnapshot;
  roles: RoleContext[];
}

export interface ReviewContext {
  now: Date;
  snapshot: Snapshot;
  settings: AnalysisSettings;
  organizationId?: string;
  orgAccountIds: ReadonlySet<string>;
  accounts: AccountContext[];
  reach: ReachPath[];
}

const DAY_MS = 86_400_000;

export function daysBetween(earlier: string | Date, later: Date): number {
  const start = typeof earlier === 'string' ? Date.parse(earlier) : earlier.getTime();
  return Math.floor((later.getTime() - start) / DAY_MS);
}

/** AWS-owned roles: their trust policy is fixed by the service, so trust rules have nothing to ask of it. */
export function isServiceLinked(role: Pick<RoleRecord, 'path'>): boolean {
  return role.path.startsWith('/aws-service-role/');
}

/**
 * Whether the account's CloudTrail usage can prove a negative ("never used"): collected, over a window, and
 * with no source failing or partial. Otherwise absence of events says nothing.
 */
export function usageIsComplete(account: AccountSnapshot): boolean {
  if (!account.usage.window) return false;
  const trail = account.coverage.filter((item) => item.source === 'cloudtrail');
  return trail.length > 0 && trail.every((item) => item.status === 'ok');
}

export function allRoles(context: ReviewContext): RoleContext[] {
  return context.accounts.flatMap((account) => account.roles);
}
