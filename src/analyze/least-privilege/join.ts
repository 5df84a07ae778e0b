/**
 * Granted vs used for one role: the effective permissions (catalogue actions per service) joined with
 * Access Advisor's report. A service Access Advisor lists without a last use was unused for the whole
 * window; one it does not list at all is "not tracked", and nothing is claimed about it.
 */
import type { AccessLevel } from '../../model/action-catalog.js';
import type { RoleLeastPrivilege, ServiceUse } from '../../model/least-privilege.js';
import type { RoleLastAccessed, RoleRecord, ServiceLastAccessedRecord } from '../../model/snapshot.js';
import type { GrantedActionInfo, PolicyInput } from '../engine.js';
import { buildDraft } from './draft.js';

/** IAM keeps last-accessed data for 400 days. */
export const TRACKING_DAYS = 400;
const DAY_MS = 86_400_000;

export interface JoinInput {
  accountId: string;
  record: RoleRecord;
  lastAccessed: RoleLastAccessed;
  /** Undefined when the permissions engine could not list granted actions. */
  granted: readonly GrantedActionInfo[] | undefined;
  policies: readonly PolicyInput[];
  hasBoundary: boolean;
  /** The end of the window when the job carries no completion date: the snapshot's collection time. */
  collectedAt: string;
}

const missing = (gap: string): RoleLeastPrivilege => ({
  status: 'missing',
  gap,
  grantedServices: 0,
  trackedServices: 0,
  usedServices: 0,
  grantedActions: 0,
  keptActions: 0,
  services: [],
});

export function trackingWindow(record: RoleRecord, end: string): { start: string; end: string; days: number } {
  const endMs = Date.parse(end);
  const created = record.createDate ? Date.parse(record.createDate) : Number.NaN;
  const startMs = Math.max(endMs - TRACKING_DAYS * DAY_MS, Number.isNaN(created) ? -Infinity : created);
  return { start: new Date(startMs).toISOString(), end: new Date(endMs).toISOString(), days: Math.floor((endMs - startMs) / DAY_MS) };
}

function levels(actions: readonly GrantedActionInfo[]): Partial<Record<AccessLevel, number>> {
  const out: Partial<Record<AccessLevel, number>> = {};
  for (const a of actions) out[a.accessLevel] = (out[a.accessLevel] ?? 0) + 1;
  return out;
}

/** Which of the service's granted actions the draft keeps, given what Access Advisor saw. */
function keep(actions: readonly GrantedActionInfo[], report: ServiceLastAccessedRecord | undefined): GrantedActionInfo[] {
  if (!report?.lastAuthenticated) return [];
  if (!report.trackedActions) return [...actions];
  // Tracked actions are kept when used; untracked ones (data-plane calls IAM does not record) stay, since
  // nothing shows they went unused.
  const tracked = new Map(report.trackedActions.map((t) => [t.action.toLowerCase(), t]));
  return actions.filter((a) => {
    const t = tracked.get(a.action.toLowerCase());
    return !t || t.lastAccessed !== undefined;
  });
}

/** 2: can change permissions, 1: can write or tag, 0: reads only. */
export function reach(s: Pick<ServiceUse, 'grantedLevels'>): number {
  if ((s.grantedLevels['Permissions management'] ?? 0) > 0) return 2;
  return (s.grantedLevels.Write ?? 0) > 0 || (s.grantedLevels.Tagging ?? 0) > 0 ? 1 : 0;
}

export function joinLeastPrivilege(input: JoinInput): RoleLeastPrivilege {
  const { lastAccessed: la } = input;
  if (la.status !== 'completed') return missing(la.error ?? `Access Advisor job ${la.status}.`);
  if (!input.granted) return missing('The permissions engine could not list the granted actions, so granted and used cannot be compared.');
  const window = trackingWindow(input.record, la.jobCompletedAt ?? input.collectedAt);

  const byService = new Map<string, GrantedActionInfo[]>();
  for (const a of input.granted) {
    const list = byService.get(a.service);
    if (list) list.push(a);
    else byService.set(a.service, [a]);
  }
  const reports = new Map(la.services.map((s) => [s.namespace.toLowerCase(), s]));
  const kept: GrantedActionInfo[] = [];
  const services: ServiceUse[] = [];
  for (const [namespace, actions] of byService) {
    const report = reports.get(namespace);
    const keptHere = keep(actions, report);
    kept.push(...keptHere);
    const use: ServiceUse = {
      namespace,
      grantedActions: actions.length,
      grantedLevels: levels(actions),
      status: !report ? 'not-tracked' : report.lastAuthenticated ? 'used' : 'unused',
      tracking: !report ? 'none' : report.trackedActions ? 'action' : 'service',
      keptActions: keptHere.length,
    };
    if (report?.name) use.name = report.name;
    if (report?.lastAuthenticated) use.lastUsed = report.lastAuthenticated;
    if (report?.region) use.lastUsedRegion = report.region;
    if (report?.trackedActions) {
      const grantedNames = new Set(actions.map((a) => a.action.toLowerCase()));
      const tracked = report.trackedActions.filter((t) => grantedNames.has(t.action.toLowerCase()));
      use.trackedActions = tracked.length;
      use.usedActions = tracked
        .filter((t): t is typeof t & { lastAccessed: string } => t.lastAccessed !== undefined)
        .map((t) => ({ action: actions.find((a) => a.action.toLowerCase() === t.action.toLowerCase())?.action ?? t.action, lastUsed: t.lastAccessed }))
        .sort((a, b) => (a.lastUsed < b.lastUsed ? 1 : a.lastUsed > b.lastUsed ? -1 : a.action.localeCompare(b.action)));
    }
    services.push(use);
  }
  // Used first (newest use first), then unused ones by what they could do (permissions first), then the rest.
  const order: Record<ServiceUse['status'], number> = { used: 0, unused: 1, 'not-tracked': 2 };
  services.sort(
    (a, b) =>
      order[a.status] - order[b.status] ||
      (b.lastUsed ?? '').localeCompare(a.lastUsed ?? '') ||
      reach(b) - reach(a) ||
      a.namespace.localeCompare(b.namespace),
  );
  const usedButNotGranted = la.services
    .filter((s) => s.lastAuthenticated && !byService.has(s.namespace.toLowerCase()))
    .map((s) => s.namespace)
    .sort();

  const result: RoleLeastPrivilege = {
    status: 'complete',
    window,
    grantedServices: services.length,
    trackedServices: services.filter((s) => s.status !== 'not-tracked').length,
    usedServices: services.filter((s) => s.status === 'used').length,
    grantedActions: input.granted.length,
    keptActions: kept.length,
    services,
  };
  if (usedButNotGranted.length > 0) result.usedButNotGranted = usedButNotGranted;
  result.draft = buildDraft({
    accountId: input.accountId,
    roleName: input.record.name,
    kept,
    policies: input.policies,
    window,
    notTracked: services.filter((s) => s.status === 'not-tracked').map((s) => s.namespace),
    hasBoundary: input.hasBoundary,
  });
  return result;
}
