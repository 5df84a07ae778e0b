/**
 * The least-privilege view: the role card's granted-vs-used table and draft, and the summary's lines. The
 * table shows every used service and the unused ones up to a cap (an admin role is granted hundreds);
 * review.json has them all.
 */
import type { AccessLevel } from '../../model/action-catalog.js';
import type { LeastPrivilegeOverview, RoleLeastPrivilege, ServiceUse } from '../../model/least-privilege.js';
import { formatDay } from '../format.js';

export const UNUSED_ROWS_SHOWN = 12;
/** Lines of the draft printed in the card; the file in the run and review.json hold it whole. */
export const DRAFT_LINES_SHOWN = 120;

export interface ServiceRowView {
  namespace: string;
  name?: string;
  status: ServiceUse['status'];
  granted: string;
  used: string;
  lastUsed: string;
}

export interface LeastPrivilegeView {
  missing: boolean;
  gap?: string;
  window: string;
  headline: string;
  rows: ServiceRowView[];
  moreUnused: number;
  moreUnusedNames: string;
  notTracked: number;
  notTrackedNames: string;
  usedButNotGranted: string;
  draft?: { label: string; file: string; json: string; truncatedLines: number; kept: string[]; notes: string[] };
}

export interface LeastPrivilegeSummaryView {
  rolesWithData: number;
  rolesMissing: number;
  lines: { anchor: string; account: string; text: string }[];
  moreLines: number;
}

const LEVEL_ORDER: readonly AccessLevel[] = ['Permissions management', 'Write', 'Tagging', 'Read', 'List'];

function levelsText(levels: Partial<Record<AccessLevel, number>>): string {
  return LEVEL_ORDER.filter((l) => (levels[l] ?? 0) > 0)
    .map((l) => `${levels[l]} ${l === 'Permissions management' ? 'permissions mgmt' : l.toLowerCase()}`)
    .join(', ');
}

function usedText(s: ServiceUse): string {
  if (s.status === 'unused') return 'none';
  if (s.tracking !== 'action') return 'service used (actions not tracked)';
  const used = s.usedActions ?? [];
  if (used.length === 0) return `untracked actions only (${s.trackedActions ?? 0} tracked, none used)`;
  return `${used.map((a) => a.action).join(', ')} (${used.length} of ${s.trackedActions ?? used.length} tracked)`;
}

const NAMES_SHOWN = 30;

function names(list: readonly string[]): string {
  return list.length > NAMES_SHOWN ? `${list.slice(0, NAMES_SHOWN).join(', ')} and ${list.length - NAMES_SHOWN} more (review.json lists them)` : list.join(', ');
}

function row(s: ServiceUse): ServiceRowView {
  const v: ServiceRowView = {
    namespace: s.namespace,
    status: s.status,
    granted: `${s.grantedActions} (${levelsText(s.grantedLevels)})`,
    used: usedText(s),
    lastUsed: s.lastUsed ? `${formatDay(s.lastUsed)}${s.lastUsedRegion ? `, ${s.lastUsedRegion}` : ''}` : 'not in window',
  };
  if (s.name) v.name = s.name;
  return v;
}

export function leastPrivilegeView(lp: RoleLeastPrivilege): LeastPrivilegeView {
  if (lp.status === 'missing') {
    return { missing: true, gap: lp.gap ?? 'unknown reason', window: '', headline: '', rows: [], moreUnused: 0, moreUnusedNames: '', notTracked: 0, notTrackedNames: '', usedButNotGranted: '' };
  }
  const used = lp.services.filter((s) => s.status === 'used');
  const unused = lp.services.filter((s) => s.status === 'unused');
  const notTracked = lp.services.filter((s) => s.status === 'not-tracked');
  const shownUnused = unused.slice(0, UNUSED_ROWS_SHOWN);
  const window = lp.window ? `${formatDay(lp.window.start)} to ${formatDay(lp.window.end)} (${lp.window.days} days)` : '';
  const v: LeastPrivilegeView = {
    missing: false,
    window,
    headline: `Granted ${lp.grantedServices} service${lp.grantedServices === 1 ? '' : 's'} (${lp.grantedActions} actions); used ${lp.usedServices} of the ${lp.trackedServices} Access Advisor tracks.`,
    rows: [...used, ...shownUnused].map(row),
    moreUnused: unused.length - shownUnused.length,
    moreUnusedNames: names(unused.slice(UNUSED_ROWS_SHOWN).map((s) => s.namespace)),
    notTracked: notTracked.length,
    notTrackedNames: names(notTracked.map((s) => s.namespace)),
    usedButNotGranted: (lp.usedButNotGranted ?? []).join(', '),
  };
  if (lp.draft) {
    const lines = JSON.stringify(lp.draft.document, null, 2).split('\n');
    v.draft = {
      label: lp.draft.label,
      file: lp.draft.file,
      json: lines.slice(0, DRAFT_LINES_SHOWN).join('\n'),
      truncatedLines: Math.max(0, lines.length - DRAFT_LINES_SHOWN),
      kept: lp.draft.kept.map((k) => `${k.namespace}: ${k.actions} (${levelsText(k.levels)})`),
      notes: lp.draft.notes,
    };
  }
  return v;
}

export const SUMMARY_LINES_SHOWN = 15;

export function leastPrivilegeSummaryView(
  overview: LeastPrivilegeOverview | undefined,
  anchorFor: (arn: string) => string,
  accountLabel: (accountId: string) => string,
): LeastPrivilegeSummaryView | undefined {
  if (!overview) return undefined;
  return {
    rolesWithData: overview.rolesWithData,
    rolesMissing: overview.rolesMissing,
    lines: overview.lines.slice(0, SUMMARY_LINES_SHOWN).map((l) => ({ anchor: anchorFor(l.roleArn), account: accountLabel(l.accountId), text: l.text })),
    moreLines: Math.max(0, overview.lines.length - SUMMARY_LINES_SHOWN),
  };
}
