import type { Review } from '../../model/review.js';
import type { CoverageItem } from '../../model/snapshot.js';
import { humanize } from '../format.js';
import type { AccountNamer } from './labels.js';
import type { CoverageGroupView, GapView } from './types.js';

type AccountCoverage = CoverageItem & { accountId: string };

/** What a gap means for the reader's conclusions, in one plain sentence per source. */
function consequence(item: CoverageItem): string {
  switch (item.source) {
    case 'sts':
      return 'The account could not be entered, so none of its roles are in this review.';
    case 'iam':
      return 'Roles or policies may be missing, so the account may have more access than shown.';
    case 'cloudtrail':
      return 'Usage is understated: grants may appear unused when they are in fact used.';
    case 'access-analyzer':
      return 'External access was not cross-checked against IAM Access Analyzer.';
    case 'iam-last-accessed':
      return 'Granted-vs-used comparisons and policy drafts are missing for the roles named; nothing is claimed about their use.';
    case 'organizations':
      return 'Organization accounts could not be listed, so accounts may be missing and organization membership may be misjudged.';
    case 'organizations-tree':
      return 'Organizational units are unknown, so no account is owned through its OU; accounts may show as unassigned.';
    case 'organizations-tags':
      return 'Account tags are unknown for the accounts named, so no owner is taken from them; they may show as unassigned.';
    default:
      return 'Part of the evidence is missing.';
  }
}

export function isGap(item: CoverageItem): boolean {
  return item.status !== 'ok';
}

/**
 * The review's flat coverage list, falling back to the per-account lists when the flat one is empty, so a
 * gap is reported whichever of the two the analysis filled.
 */
export function allCoverage(review: Review): AccountCoverage[] {
  if (review.coverage.length > 0) return review.coverage;
  return review.accounts.flatMap((a) => a.coverage.map((c) => ({ ...c, accountId: a.accountId })));
}

export function gapView(item: AccountCoverage, namer: AccountNamer): GapView {
  const gap: GapView = {
    account: namer.label(item.accountId),
    source: humanize(item.source),
    status: item.status,
    consequence: consequence(item),
  };
  if (item.region !== undefined) gap.region = item.region;
  if (item.detail !== undefined) gap.detail = item.detail;
  if (item.errorCode !== undefined) gap.errorCode = item.errorCode;
  if (item.httpStatus !== undefined) gap.httpStatus = item.httpStatus;
  return gap;
}

/** Failed before partial before skipped: the worst news first. */
const STATUS_ORDER = { failed: 0, partial: 1, skipped: 2, ok: 3 } as const;

/**
 * Gaps in reading order. The same failure in several regions (an SCP denying CloudTrail everywhere, no
 * analyzer in any region) is one gap with its regions listed, not one line per region.
 */
export function gapViews(items: readonly AccountCoverage[], namer: AccountNamer): GapView[] {
  const merged = new Map<string, { item: AccountCoverage; regions: string[] }>();
  for (const item of items.filter(isGap)) {
    const key = JSON.stringify([item.accountId, item.source, item.status, item.detail ?? '', item.errorCode ?? '']);
    const entry = merged.get(key);
    if (entry === undefined) merged.set(key, { item, regions: item.region === undefined ? [] : [item.region] });
    else if (item.region !== undefined) entry.regions.push(item.region);
  }
  return [...merged.values()]
    .sort(
      (a, b) =>
        STATUS_ORDER[a.item.status] - STATUS_ORDER[b.item.status] || a.item.accountId.localeCompare(b.item.accountId),
    )
    .map(({ item, regions }) => {
      const view = gapView(item, namer);
      if (regions.length > 0) view.region = regions.join(', ');
      return view;
    });
}

export function coverageGroups(items: readonly AccountCoverage[], namer: AccountNamer): CoverageGroupView[] {
  const byAccount = new Map<string, AccountCoverage[]>();
  for (const item of items) {
    const list = byAccount.get(item.accountId) ?? [];
    list.push(item);
    byAccount.set(item.accountId, list);
  }
  return [...byAccount.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([accountId, list]) => ({
      account: namer.label(accountId),
      items: list.map((c) => {
        const row: CoverageGroupView['items'][number] = {
          source: humanize(c.source),
          region: c.region ?? 'global',
          status: c.status,
          gap: isGap(c),
        };
        if (c.detail !== undefined) row.detail = c.detail;
        if (c.errorCode !== undefined) row.errorCode = c.errorCode;
        if (c.httpStatus !== undefined) row.httpStatus = c.httpStatus;
        if (c.apiCalls !== undefined) row.apiCalls = c.apiCalls;
        return row;
      }),
    }));
}
