/**
 * Least privilege from observed use: per role, what its policies grant against what IAM's Access Advisor
 * saw it use, and the right-sized policy draft that follows. Part of the review (review.json).
 */
import type { AccessLevel } from './action-catalog.js';
import type { IsoTime, TimeWindow } from './snapshot.js';

/** How Access Advisor saw a granted service. */
export type ServiceUseStatus = 'used' | 'unused' | 'not-tracked';

export interface ServiceUse {
  namespace: string;
  name?: string;
  /** Actions of the service the role's effective permissions allow (catalogue expansion). */
  grantedActions: number;
  grantedLevels: Partial<Record<AccessLevel, number>>;
  /** "not-tracked": Access Advisor reported nothing for the service, so its use is unknown. */
  status: ServiceUseStatus;
  lastUsed?: IsoTime;
  lastUsedRegion?: string;
  /** "action" when IAM tracks some of the service's actions individually. */
  tracking: 'action' | 'service' | 'none';
  /** Tracked actions among the granted ones ("service:Action"). */
  trackedActions?: number;
  /** Tracked actions used in the window, newest first. */
  usedActions?: { action: string; lastUsed: IsoTime }[];
  /** Granted actions the draft keeps for this service. */
  keptActions: number;
}

export interface RoleLeastPrivilege {
  /** "missing": Access Advisor gave no data for this role (see `gap`); nothing below is computed then. */
  status: 'complete' | 'missing';
  gap?: string;
  /** IAM's tracking window for this role: 400 days before the report, or since the role was created. */
  window?: TimeWindow & { days: number };
  grantedServices: number;
  /** Granted services Access Advisor reports on (used or not). */
  trackedServices: number;
  usedServices: number;
  grantedActions: number;
  keptActions: number;
  services: ServiceUse[];
  /** Services Access Advisor saw used that the current effective policies no longer grant. */
  usedButNotGranted?: string[];
  draft?: PolicyDraft;
}

/** A policy keeping only what the role was seen to use; a proposal for a human, never applied by the tool. */
export interface PolicyDraft {
  /** "Draft computed from observed use between ... and ...". */
  label: string;
  window: TimeWindow;
  /** The run-relative file the draft is also written to: policies/<account>/<role>.json. */
  file: string;
  /** Valid IAM JSON: Version and Statement only. */
  document: { Version: '2012-10-17'; Statement: DraftStatement[] };
  /** Per kept service: how many actions it keeps at each access level. */
  kept: { namespace: string; actions: number; levels: Partial<Record<AccessLevel, number>> }[];
  /** Size against IAM's limits, services left out without evidence, the boundary kept as is. */
  notes: string[];
}

export interface DraftStatement {
  Sid: string;
  Effect: 'Allow' | 'Deny';
  Action?: string[];
  NotAction?: string[];
  Resource?: unknown;
  NotResource?: unknown;
  Condition?: unknown;
}

/** The least-privilege part of the report: roles assumable from outside their account, in one line each. */
export interface LeastPrivilegeOverview {
  rolesWithData: number;
  rolesMissing: number;
  lines: { roleArn: string; accountId: string; roleName: string; text: string }[];
}
