import type { Review } from '../../model/review.js';
import { accountFindingsChart, principalClassChart, severityChart, usageRecencyChart } from '../charts.js';
import { daysBetween, formatDateTime, formatDay } from '../format.js';
import { accountViews } from './accounts.js';
import { allCoverage, coverageGroups, gapViews } from './coverage.js';
import { compareFindings, countOpenBySeverity, findingView, isOpen, suppressionView } from './findings.js';
import { AccountNamer, anchorFor, shortArn } from './labels.js';
import { leastPrivilegeSummaryView } from './least-privilege.js';
import { TOP_ACTIONS_SHOWN, changesView, recencyBuckets, riskView, scopeLabel, tiles, topActionViews } from './summary.js';
import type { ReportView } from './types.js';
import { configurationView, notCovered, practiceViews } from './practices.js';
import { ownersView } from './owners.js';

export type { ReportView } from './types.js';

function accountsReviewedLine(reviewed: number, total: number): string {
  if (reviewed === total) return total === 1 ? 'the account in scope was reviewed' : `all ${total} accounts in scope reviewed`;
  return `${reviewed} of ${total} accounts reviewed`;
}

export function buildReportView(review: Review): ReportView {
  const namer = new AccountNamer(review);
  const now = review.generatedAt;
  const accounts = accountViews(review, namer);
  const coverage = allCoverage(review);
  const sorted = [...review.findings].sort(compareFindings);
  const gaps = gapViews(coverage, namer);
  const view: ReportView = {
    title: 'Cross-account access review',
    scopeLabel: scopeLabel(review, accounts.length),
    scopeMode: review.scope.mode,
    runId: review.runId,
    generatedAt: formatDateTime(review.generatedAt),
    snapshotCollectedAt: formatDateTime(review.snapshotCollectedAt),
    tool: `${review.tool.name} ${review.tool.version}`,
    regions: review.scope.regions,
    window: {
      start: formatDay(review.window.start),
      end: formatDay(review.window.end),
      startTime: formatDateTime(review.window.start),
      endTime: formatDateTime(review.window.end),
      days: daysBetween(review.window.start, review.window.end),
    },
    accountsInScope: accounts.map((a) => ({ label: a.label, reviewed: a.reviewed })),
    notReviewed: accounts.filter((a) => !a.reviewed).map((a) => a.label),
    risk: riskView(review),
    tiles: tiles(review, accounts, gaps.length),
    charts: {
      severity: severityChart(countOpenBySeverity(review.findings)),
      principalClass: principalClassChart(review.summary.grantsByClass),
      recency: usageRecencyChart(recencyBuckets(review)),
      accounts: accountFindingsChart(
        accounts.filter((a) => a.reviewed).map((a) => ({ label: a.name ?? a.accountId, value: a.openFindingCount })),
      ),
    },
    topActions: topActionViews(review, namer),
    moreActions: Math.max(0, review.summary.topActions.length - TOP_ACTIONS_SHOWN),
    furtherActions: topActionViews(review, namer, review.summary.topActions.length, TOP_ACTIONS_SHOWN),
    gaps,
    accounts,
    openFindingCount: review.findings.filter(isOpen).length,
    acceptedRisks: sorted.filter((f) => f.status === 'suppressed').map((f) => findingView(f, namer, now)),
    expiredSuppressions: sorted.filter((f) => f.status === 'suppression-expired').map((f) => findingView(f, namer, now)),
    unmatchedSuppressions: review.unmatchedSuppressions.map((s) => suppressionView(s, now)),
    reach: review.reach.map((p) => ({
      from: p.from,
      fromClass: p.fromClass,
      hops: p.hops.map((h) => shortArn(h, namer)),
      to: shortArn(p.to, namer),
      targetAdminEquivalent: p.targetAdminEquivalent,
    })),
    coverage: coverageGroups(coverage, namer),
    coverageStats: {
      total: coverage.length,
      ok: coverage.filter((c) => c.status === 'ok').length,
      gaps: coverage.filter((c) => c.status !== 'ok').length,
    },
    accountsReviewedLine: accountsReviewedLine(accounts.filter((a) => a.reviewed).length, accounts.length),
    practices: practiceViews(review, namer),
    notCovered: notCovered(review),
  };
  const configuration = configurationView(review);
  if (configuration !== undefined) view.configuration = configuration;
  const leastPrivilege = leastPrivilegeSummaryView(review.leastPrivilege, anchorFor, (id) => namer.label(id));
  if (leastPrivilege !== undefined) view.leastPrivilege = leastPrivilege;
  const owners = ownersView(review, namer);
  if (owners !== undefined) view.owners = owners;
  const changes = changesView(review, namer);
  if (changes !== undefined) view.changes = changes;
  if (review.changesUnavailableReason !== undefined) view.changesUnavailable = review.changesUnavailableReason;
  if (review.organization !== undefined) {
    view.organization = {
      id: review.organization.id,
      managementAccount: namer.label(review.organization.managementAccountId),
    };
  }
  return view;
}
