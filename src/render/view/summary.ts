import { ownerLabel } from './owners.js';
import { PRACTICE_TITLES, SEVERITIES, type Finding, type Review, type Severity } from '../../model/review.js';
import { daysBetween, formatNumber, humanize, pluralize } from '../format.js';
import type { RecencyBucket } from '../charts.js';
import { isCrossAccount } from './accounts.js';
import { findingAnchor, isOpen, countOpenBySeverity } from './findings.js';
import { anchorFor, shortArn, type AccountNamer } from './labels.js';
import type { AccountView, ChangedItemView, ChangesView, RiskView, TileView, TopActionView } from './types.js';

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

/** "+3", "−6" (a real minus sign), "±0". */
export function signed(n: number): string {
  return n > 0 ? `+${formatNumber(n)}` : n < 0 ? `\u2212${formatNumber(-n)}` : '\u00b10';
}

export function tiles(review: Review, accounts: readonly AccountView[], gaps: number): TileView[] {
  const s = review.summary;
  const c = review.changes;
  // The tile is about outside access; paths the organization's own roles and sign-in start are counted by their rules.
  const adminPaths = review.reach.filter((p) => p.targetAdminEquivalent && p.fromOutside !== false).length;
  const reviewed = accounts.filter((a) => a.reviewed).length;
  const openCounts = countOpenBySeverity(review.findings);
  const open = review.findings.filter(isOpen).length;
  const suppressed = review.findings.filter((f) => f.status === 'suppressed').length;
  const external = review.accounts
    .flatMap((a) => a.roles.flatMap((r) => r.trustGrants))
    .filter((g) => isCrossAccount(g.principal.class)).length;
  const unknownUse = review.accounts
    .flatMap((a) => a.roles.flatMap((r) => r.trustGrants))
    .filter((g) => isCrossAccount(g.principal.class) && !g.negatedBy && g.usage.state === 'unknown').length;
  const since = c ? ' vs previous' : '';
  const carried = (c?.notReviewedFindings?.length ?? 0);
  const withChange = (tile: TileView, now: number, before: number | undefined, extra = ''): TileView => {
    if (before !== undefined) tile.change = `${signed(now - before)}${since}${extra}`;
    return tile;
  };
  return [
    withChange(
      {
        label: 'Accounts reviewed',
        value: reviewed === accounts.length ? formatNumber(reviewed) : `${formatNumber(reviewed)} of ${formatNumber(accounts.length)}`,
        tone: reviewed === accounts.length ? 'neutral' : 'bad',
        note: reviewed === accounts.length ? 'all accounts in scope' : `${formatNumber(accounts.length - reviewed)} could not be read`,
      },
      reviewed,
      c?.previousAccountsReviewed,
    ),
    { label: 'Roles', value: formatNumber(s.roles), tone: 'neutral', note: `${pluralize(s.unusedRoles, 'unused role')}` },
    withChange(
      {
        label: 'Trust grants',
        value: formatNumber(s.trustGrants),
        tone: 'neutral',
        note: `${formatNumber(external)} from outside the account`,
      },
      s.trustGrants,
      c?.previousTrustGrants,
      c?.notReviewedGrants?.length ? `, ${formatNumber(c.notReviewedGrants.length)} not reviewed` : '',
    ),
    withChange(
      {
        label: 'Open findings',
        value: formatNumber(open),
        tone: openCounts.critical + openCounts.high > 0 ? 'bad' : open > 0 ? 'warn' : 'good',
        note: `${formatNumber(openCounts.critical)} critical · ${formatNumber(openCounts.high)} high`,
      },
      open,
      c?.previousOpenFindings,
      carried > 0 ? `, ${formatNumber(carried)} not reviewed` : '',
    ),
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
      note: unknownUse > 0 ? `no use seen in the window; use of ${formatNumber(unknownUse)} more is unknown` : 'no use seen in the window',
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
    { label: 'Usage unknown', value: 0, stale: false, unknown: true },
  ];
  const bump = (i: number): void => {
    const b = buckets[i];
    if (b !== undefined) b.value += 1;
  };
  for (const g of review.accounts.flatMap((a) => a.roles.flatMap((r) => r.trustGrants))) {
    if (!isCrossAccount(g.principal.class)) continue;
    if (g.usage.state === 'unknown') {
      bump(5);
      continue;
    }
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
export const TOP_ACTIONS_SHOWN = 3;

/** Top actions as given by the analysis (already ranked), with the roles they touch named. */
export function topActionViews(review: Review, namer: AccountNamer, limit = TOP_ACTIONS_SHOWN, from = 0): TopActionView[] {
  const byId = new Map(review.findings.map((f) => [f.id, f]));
  return review.summary.topActions.slice(from, limit).map((a, j) => {
    const i = from + j;
    const findings = a.findingIds.map((id) => byId.get(id)).filter((f): f is Finding => f !== undefined);
    const resources = [...new Set(findings.map((f) => shortArn(f.resource, namer)))];
    const counts = a.bySeverity ?? countBy(findings);
    const view: TopActionView = {
      rank: i + 1,
      title: a.title,
      severity: a.severity,
      findingCount: a.findingIds.length,
      resources: resources.slice(0, 3).concat(resources.length > 3 ? [`and ${resources.length - 3} more`] : []),
      bySeverity: SEVERITIES.filter((s) => (counts[s] ?? 0) > 0)
        .map((s) => `${formatNumber(counts[s] ?? 0)} ${s}`)
        .join(' · '),
      practices: (a.bestPractice ?? []).map((p) => PRACTICE_TITLES[p]),
    };
    if (a.why !== undefined) view.why = a.why;
    if (a.fix !== undefined) view.fix = a.fix;
    if (a.example !== undefined) view.example = { role: shortArn(a.example.roleArn, namer), change: a.example.change };
    const first = findings[0];
    if (first !== undefined) view.evidenceAnchor = findingAnchor(first.id);
    if (a.owners !== undefined && a.owners.length > 0) {
      view.owners = ownerNames(a.owners.map(ownerLabel));
      view.ownerCount = a.owners.length;
    }
    return view;
  });
}

/** The first few owners, most findings first: the cover has one line per action to spare. */
function ownerNames(names: readonly string[]): string {
  const shown = names.slice(0, OWNERS_SHOWN).join(', ');
  return names.length > OWNERS_SHOWN ? `${shown} and ${names.length - OWNERS_SHOWN} more` : shown;
}

const OWNERS_SHOWN = 3;

function countBy(findings: readonly Finding[]): Partial<Record<Severity, number>> {
  const counts: Partial<Record<Severity, number>> = {};
  for (const f of findings) counts[f.severity] = (counts[f.severity] ?? 0) + 1;
  return counts;
}

/** Items per change list in the summary; the full lists are in review.json. */
const CHANGE_LIST_LIMIT = 12;

function overflow(list: readonly string[] | undefined): number {
  return Math.max(0, (list?.length ?? 0) - CHANGE_LIST_LIMIT);
}

export function changesView(review: Review, namer: AccountNamer): ChangesView | undefined {
  const c = review.changes;
  if (c === undefined) return undefined;
  const roles = new Map(review.accounts.flatMap((a) => a.roles.map((r) => [r.arn, r] as const)));
  const findings = new Map(review.findings.map((f) => [f.id, f]));
  // "role (account)", the account itself, or any other resource with the account it is in.
  const where = (roleArn: string | undefined, accountId: string, resource: string): string => {
    if (roleArn !== undefined) return shortArn(roleArn, namer);
    const short = shortArn(resource, namer);
    return short === resource ? `${resource} in ${namer.label(accountId)}` : short;
  };
  const finding = (id: string): ChangedItemView => {
    const d = c.findingDetails?.[id];
    const current = findings.get(id);
    if (d === undefined && current === undefined) return { id, title: `Finding ${id}`, detail: 'described in the previous review only' };
    const ruleId = d?.ruleId ?? current?.ruleId ?? '';
    const accountId = d?.accountId ?? current?.accountId ?? '';
    const resource = d?.resource ?? current?.resource ?? '';
    const roleArn = d?.roleArn ?? (resource.includes(':role/') ? resource : undefined);
    const item: ChangedItemView = {
      id,
      title: d?.title ?? current?.title ?? ruleId,
      detail: `${ruleId} · ${where(roleArn, accountId, resource)}`,
    };
    const severity = d?.severity ?? current?.severity;
    if (severity !== undefined) item.severity = severity;
    // Link to the finding when this report shows it, else to its role's card when the role is still here.
    if (current !== undefined) item.anchor = findingAnchor(id);
    else if (roleArn !== undefined && roles.has(roleArn)) item.anchor = anchorFor(roleArn);
    return item;
  };
  const grant = (id: string): ChangedItemView => {
    const d = c.grantDetails?.[id];
    const roleArn = d?.roleArn ?? id.split('#')[0] ?? id;
    const principal = d?.principalLabel ?? d?.principal ?? id.split('#').slice(2).join('#');
    const item: ChangedItemView = {
      id,
      title: `${principal} \u2192 ${shortArn(roleArn, namer)}`,
      detail: `statement ${d?.statement ?? Number(id.split('#')[1] ?? 0) + 1}${d?.principalClass ? ` · ${humanize(d.principalClass)}` : ''}${d?.principal && d.principal !== principal ? ` · ${d.principal}` : ''}`,
    };
    if (roles.has(roleArn)) item.anchor = anchorFor(roleArn);
    return item;
  };
  const list = <T>(ids: readonly string[] | undefined, f: (id: string) => T): T[] => (ids ?? []).slice(0, CHANGE_LIST_LIMIT).map(f);
  const notReviewedCount = (c.notReviewedGrants?.length ?? 0) + (c.notReviewedFindings?.length ?? 0);
  const total =
    c.newGrants.length + c.removedGrants.length + c.newFindings.length + c.resolvedFindings.length + c.reopenedFindings.length + notReviewedCount;
  const view: ChangesView = {
    previousRunId: c.previousRunId,
    previousGeneratedAt: c.previousGeneratedAt,
    counts: [
      { label: 'New trust grants', short: 'new grants', value: c.newGrants.length, tone: c.newGrants.length > 0 ? 'bad' : 'neutral' },
      { label: 'Removed trust grants', short: 'removed grants', value: c.removedGrants.length, tone: c.removedGrants.length > 0 ? 'good' : 'neutral' },
      { label: 'New findings', short: 'new findings', value: c.newFindings.length, tone: c.newFindings.length > 0 ? 'bad' : 'neutral' },
      { label: 'Resolved findings', short: 'resolved', value: c.resolvedFindings.length, tone: c.resolvedFindings.length > 0 ? 'good' : 'neutral' },
      { label: 'Reopened findings', short: 'reopened', value: c.reopenedFindings.length, tone: c.reopenedFindings.length > 0 ? 'bad' : 'neutral' },
      ...(notReviewedCount > 0
        ? [{ label: 'Not reviewed this time', short: 'not reviewed this time', value: notReviewedCount, tone: 'bad' as const }]
        : []),
    ],
    newGrants: list(c.newGrants, grant),
    removedGrants: list(c.removedGrants, grant),
    newFindings: list(c.newFindings, finding),
    resolvedFindings: list(c.resolvedFindings, finding),
    reopenedFindings: list(c.reopenedFindings, finding),
    notReviewedGrants: list(c.notReviewedGrants, grant),
    notReviewedFindings: list(c.notReviewedFindings, finding),
    notPreviouslyReviewedGrants: list(c.notPreviouslyReviewedGrants, grant),
    notReviewed: (c.notReviewed ?? []).map((n) => ({ account: namer.label(n.accountId), reason: n.reason })),
    nothingChanged: total === 0,
    more: {
      newGrants: overflow(c.newGrants),
      removedGrants: overflow(c.removedGrants),
      newFindings: overflow(c.newFindings),
      resolvedFindings: overflow(c.resolvedFindings),
      reopenedFindings: overflow(c.reopenedFindings),
      notReviewedGrants: overflow(c.notReviewedGrants),
      notReviewedFindings: overflow(c.notReviewedFindings),
      notPreviouslyReviewedGrants: overflow(c.notPreviouslyReviewedGrants),
    },
  };
  return view;
}

/** Accounts named in a scoped report's first line before "and N more". */
const SCOPE_ACCOUNTS_NAMED = 5;

export function scopeLabel(review: Review, accountCount: number): string {
  if (review.reportScope) return ownerScopeLabel(review, review.reportScope);
  const accounts = pluralize(accountCount, 'account');
  if (review.scope.mode === 'organization') {
    return review.organization !== undefined
      ? `Organization ${review.organization.id} · ${accounts}`
      : `Organization · ${accounts}`;
  }
  const only = review.accounts[0];
  return only !== undefined ? `Account ${only.accountName ?? only.accountId}` : `${humanize(review.scope.mode)} scope`;
}

/** "Report for Payments: account 111111111111 (payments-prod), 2 roles": whose it is and what it covers. */
function ownerScopeLabel(review: Review, scope: NonNullable<Review['reportScope']>): string {
  const named = scope.accountIds.slice(0, SCOPE_ACCOUNTS_NAMED).map((id) => {
    const name = review.accounts.find((a) => a.accountId === id)?.accountName;
    return name ? `${id} (${name})` : id;
  });
  const more = scope.accountIds.length > SCOPE_ACCOUNTS_NAMED ? ` and ${scope.accountIds.length - SCOPE_ACCOUNTS_NAMED} more` : '';
  const accounts = scope.accountIds.length === 0 ? 'no accounts' : `${scope.accountIds.length === 1 ? 'account' : 'accounts'} ${named.join(', ')}${more}`;
  return `Report for ${scope.ownerName}: ${accounts}, ${pluralize(scope.roles, 'role')}`;
}
