import type { Finding, Review, Severity } from '../../model/review.js';
import { daysBetween, formatNumber, humanize, pluralize } from '../format.js';
import type { RecencyBucket } from '../charts.js';
import { isCrossAccount } from './accounts.js';
import { findingView, isOpen, countOpenBySeverity } from './findings.js';
import { describeGrantId, shortArn, type AccountNamer } from './labels.js';
import type { AccountView, ChangedFindingView, ChangesView, RiskView, TileView, TopActionView } from './types.js';

const RISK_WORDS: Record<Severity, string> = {
  critical: 'Critical risk',
  high: 'High risk',
  medium: 'Moderate risk',
  low: 'Low risk',
  info: 'Low risk',
};

/**
 * The headline follows the worst open finding rather than a threshold on the numeric score: a manager
 * should never read "moderate" above a critical finding. The score is shown beside it for trend watching.
 */
export function riskView(review: Review): RiskView {
  const counts = countOpenBySeverity(review.findings);
  const worst = (['critical', 'high', 'medium', 'low', 'info'] as const).find((s) => counts[s] > 0);
  if (worst === undefined) {
    return {
      level: 'none',
      label: 'No open findings',
      score: review.summary.riskScore,
      sentence: 'No finding needs action in this review.',
    };
  }
  const parts = (['critical', 'high', 'medium'] as const)
    .filter((s) => counts[s] > 0)
    .map((s) => `${formatNumber(counts[s])} ${s}`);
  const sentence =
    parts.length > 0
      ? `${joinWords(parts)} ${counts.critical + counts.high + counts.medium === 1 ? 'finding needs' : 'findings need'} action.`
      : `Only low-severity and informational findings are open (${formatNumber(counts.low + counts.info)}).`;
  return { level: worst, label: RISK_WORDS[worst], score: review.summary.riskScore, sentence };
}

export function joinWords(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1] ?? ''}`;
}

export function tiles(review: Review, accounts: readonly AccountView[], gaps: number): TileView[] {
  const s = review.summary;
  // The tile is about outside access; paths the organization's own roles and sign-in start are counted by their rules.
  const adminPaths = review.reach.filter((p) => p.targetAdminEquivalent && p.fromOutside !== false).length;
  const reviewed = accounts.filter((a) => a.reviewed).length;
  const openCounts = countOpenBySeverity(review.findings);
  const open = review.findings.filter(isOpen).length;
  const suppressed = review.findings.filter((f) => f.status === 'suppressed').length;
  const external = review.accounts
    .flatMap((a) => a.roles.flatMap((r) => r.trustGrants))
    .filter((g) => isCrossAccount(g.principal.class)).length;
  return [
    {
      label: 'Accounts reviewed',
      value: reviewed === accounts.length ? formatNumber(reviewed) : `${formatNumber(reviewed)} of ${formatNumber(accounts.length)}`,
      tone: reviewed === accounts.length ? 'neutral' : 'bad',
      note: reviewed === accounts.length ? 'all accounts in scope' : `${formatNumber(accounts.length - reviewed)} could not be entered`,
    },
    { label: 'Roles', value: formatNumber(s.roles), tone: 'neutral', note: `${pluralize(s.unusedRoles, 'unused role')}` },
    {
      label: 'Trust grants',
      value: formatNumber(s.trustGrants),
      tone: 'neutral',
      note: `${formatNumber(external)} from outside the account`,
    },
    {
      label: 'Open findings',
      value: formatNumber(open),
      tone: openCounts.critical + openCounts.high > 0 ? 'bad' : open > 0 ? 'warn' : 'good',
      note: `${formatNumber(openCounts.critical)} critical · ${formatNumber(openCounts.high)} high`,
    },
    {
      label: 'Accepted risks',
      value: formatNumber(suppressed),
      tone: 'neutral',
      note: 'suppressed with owner and expiry',
    },
    {
      label: 'Unused outside grants',
      value: formatNumber(s.unusedCrossAccountGrants),
      tone: s.unusedCrossAccountGrants > 0 ? 'warn' : 'good',
      note: 'no use seen in the window',
    },
    {
      label: 'Paths to admin',
      value: formatNumber(adminPaths),
      tone: adminPaths > 0 ? 'bad' : 'good',
      note: 'outside access reaching an admin role',
    },
    {
      label: 'Coverage gaps',
      value: formatNumber(gaps),
      tone: gaps > 0 ? 'warn' : 'good',
      note: gaps > 0 ? 'see "What this review could not see"' : 'everything was collected',
    },
  ];
}

export function recencyBuckets(review: Review): RecencyBucket[] {
  const buckets: RecencyBucket[] = [
    { label: 'Last 7 days', value: 0, stale: false },
    { label: '8–30 days ago', value: 0, stale: false },
    { label: '31–90 days ago', value: 0, stale: true },
    { label: 'Over 90 days ago', value: 0, stale: true },
    { label: 'Never in window', value: 0, stale: true },
  ];
  const bump = (i: number): void => {
    const b = buckets[i];
    if (b !== undefined) b.value += 1;
  };
  for (const g of review.accounts.flatMap((a) => a.roles.flatMap((r) => r.trustGrants))) {
    if (!isCrossAccount(g.principal.class)) continue;
    const days = g.usage.used ? daysBetween(g.usage.lastSeen, review.generatedAt) : undefined;
    if (days === undefined) bump(4);
    else if (days <= 7) bump(0);
    else if (days <= 30) bump(1);
    else if (days <= 90) bump(2);
    else bump(3);
  }
  return buckets;
}

/** Actions on the cover: enough to act on, few enough to fit the first page with the headline numbers. */
export const TOP_ACTIONS_SHOWN = 5;

/** Top actions as given by the analysis (already ranked), with the roles they touch named. */
export function topActionViews(review: Review, namer: AccountNamer, limit = TOP_ACTIONS_SHOWN): TopActionView[] {
  const byId = new Map(review.findings.map((f) => [f.id, f]));
  return review.summary.topActions.slice(0, limit).map((a, i) => {
    const findings = a.findingIds.map((id) => byId.get(id)).filter((f): f is Finding => f !== undefined);
    const resources = [...new Set(findings.map((f) => shortArn(f.resource, namer)))];
    return {
      rank: i + 1,
      title: a.title,
      severity: a.severity,
      findingCount: a.findingIds.length,
      resources: resources.slice(0, 3).concat(resources.length > 3 ? [`and ${resources.length - 3} more`] : []),
    };
  });
}

/** Items per change list in the summary; the full lists are in review.json. */
const CHANGE_LIST_LIMIT = 12;

function overflow(list: readonly string[]): number {
  return Math.max(0, list.length - CHANGE_LIST_LIMIT);
}

export function changesView(review: Review, namer: AccountNamer): ChangesView | undefined {
  const c = review.changes;
  if (c === undefined) return undefined;
  const byId = new Map(review.findings.map((f) => [f.id, f]));
  const describe = (id: string): ChangedFindingView => {
    const f = byId.get(id);
    if (f === undefined) return { id };
    const v = findingView(f, namer, review.generatedAt);
    return { id, title: `${v.title} — ${v.resourceLabel}`, severity: f.severity };
  };
  const total =
    c.newGrants.length + c.removedGrants.length + c.newFindings.length + c.resolvedFindings.length + c.reopenedFindings.length;
  return {
    previousRunId: c.previousRunId,
    previousGeneratedAt: c.previousGeneratedAt,
    counts: [
      { label: 'New trust grants', value: c.newGrants.length, tone: c.newGrants.length > 0 ? 'bad' : 'neutral' },
      { label: 'Removed trust grants', value: c.removedGrants.length, tone: c.removedGrants.length > 0 ? 'good' : 'neutral' },
      { label: 'New findings', value: c.newFindings.length, tone: c.newFindings.length > 0 ? 'bad' : 'neutral' },
      { label: 'Resolved findings', value: c.resolvedFindings.length, tone: c.resolvedFindings.length > 0 ? 'good' : 'neutral' },
      { label: 'Reopened findings', value: c.reopenedFindings.length, tone: c.reopenedFindings.length > 0 ? 'bad' : 'neutral' },
    ],
    newGrants: c.newGrants.slice(0, CHANGE_LIST_LIMIT).map((id) => describeGrantId(id, namer)),
    removedGrants: c.removedGrants.slice(0, CHANGE_LIST_LIMIT).map((id) => describeGrantId(id, namer)),
    newFindings: c.newFindings.slice(0, CHANGE_LIST_LIMIT).map(describe),
    resolvedFindings: c.resolvedFindings.slice(0, CHANGE_LIST_LIMIT).map(describe),
    reopenedFindings: c.reopenedFindings.slice(0, CHANGE_LIST_LIMIT).map(describe),
    nothingChanged: total === 0,
    more: {
      newGrants: overflow(c.newGrants),
      removedGrants: overflow(c.removedGrants),
      newFindings: overflow(c.newFindings),
      resolvedFindings: overflow(c.resolvedFindings),
      reopenedFindings: overflow(c.reopenedFindings),
    },
  };
}

export function scopeLabel(review: Review, accountCount: number): string {
  const accounts = pluralize(accountCount, 'account');
  if (review.scope.mode === 'organization') {
    return review.organization !== undefined
      ? `Organization ${review.organization.id} · ${accounts}`
      : `Organization · ${accounts}`;
  }
  const only = review.accounts[0];
  return only !== undefined ? `Account ${only.accountName ?? only.accountId}` : `${humanize(review.scope.mode)} scope`;
}
