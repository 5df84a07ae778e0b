/**
 * What changed since the previous review: grants that appeared or went, and findings that are new,
 * resolved, or back. "Back" means open now and either suppressed last time or resolved last time (the
 * previous review's own change list remembers that).
 *
 * Changes know coverage. An item can only be "removed" or "resolved" when everything it depends on was read
 * successfully both times; an item that is missing because its account or source was not read this run is
 * carried forward as "not reviewed this time", and the next review compares against it as if it were still
 * there. Symmetrically, an item that appears in an account or source the previous review could not read is
 * not "new": it was simply not seen before.
 */
import type {
  ChangedFinding,
  ChangedGrant,
  Finding,
  Review,
  ReviewChanges,
  Severity,
  TrustGrant,
} from '../model/review.js';
import { SEVERITIES } from '../model/review.js';
import type { CoverageItem, CoverageSource } from '../model/snapshot.js';

type AccountCoverage = CoverageItem & { accountId: string };

/** The current run, as the diff needs it. */
export interface CurrentRun {
  grants: readonly TrustGrant[];
  findings: readonly Finding[];
  coverage: readonly AccountCoverage[];
  /** Roles read this time whose trust policy could not be parsed: their grants are unknown, not gone. */
  unreadableTrustRoles: ReadonlySet<string>;
}

/**
 * What each rule's findings depend on besides the account being entered. Usage rules need CloudTrail,
 * Access Analyzer rules need Access Analyzer; coverage rules are about the collection itself and resolve
 * when the source is read again.
 */
export function sourcesOfRule(ruleId: string): CoverageSource[] {
  if (ruleId.startsWith('coverage-')) return [];
  if (ruleId.startsWith('access-analyzer-')) return ['access-analyzer'];
  if (ruleId === 'role-unused' || ruleId === 'trust-cross-account-unused' || ruleId === 'trust-unexpected-caller') {
    return ['iam', 'cloudtrail'];
  }
  if (ruleId === 'trust-cross-account-without-mfa') return ['iam', 'cloudtrail'];
  // Gone because Access Advisor failed this run is not resolved.
  if (ruleId.startsWith('least-privilege-')) return ['iam', 'iam-last-accessed'];
  return ['iam'];
}

/** Reads a coverage list: whether a source was read completely in an account, and what was not. */
export class CoverageIndex {
  readonly #byAccount = new Map<string, AccountCoverage[]>();

  constructor(items: readonly AccountCoverage[]) {
    for (const item of items) {
      const list = this.#byAccount.get(item.accountId);
      if (list) list.push(item);
      else this.#byAccount.set(item.accountId, [item]);
    }
  }

  /** The account was collected at all (it has coverage) and its credentials were accepted. */
  entered(accountId: string): boolean {
    const items = this.#byAccount.get(accountId);
    return items !== undefined && !items.some((i) => i.source === 'sts' && i.status === 'failed');
  }

  /** Every item of the source in the account is "ok" (and there is at least one). */
  read(accountId: string, source: CoverageSource): boolean {
    if (!this.entered(accountId)) return false;
    const items = (this.#byAccount.get(accountId) ?? []).filter((i) => i.source === source);
    return items.length > 0 && items.every((i) => i.status === 'ok');
  }

  readAll(accountId: string, sources: readonly CoverageSource[]): boolean {
    return this.entered(accountId) && sources.every((s) => this.read(accountId, s));
  }

  /** The sources of the account not read completely (of those given), for the "not reviewed" note. */
  missing(accountId: string, sources: readonly CoverageSource[]): AccountCoverage[] {
    const items = this.#byAccount.get(accountId) ?? [];
    const sts = items.find((i) => i.source === 'sts' && i.status === 'failed');
    if (sts) return [sts];
    return items.filter((i) => sources.includes(i.source) && i.status !== 'ok');
  }
}

export function coverageOfReview(review: Pick<Review, 'coverage' | 'accounts'>): AccountCoverage[] {
  if (review.coverage.length > 0) return review.coverage;
  return review.accounts.flatMap((a) => a.coverage.map((c) => ({ ...c, accountId: a.accountId })));
}

function grantAccount(grantId: string): { roleArn: string; accountId: string } {
  const roleArn = grantId.split('#')[0] ?? grantId;
  const accountId = /^arn:[^:]*:iam::(\d{12}):/.exec(roleArn)?.[1] ?? '';
  return { roleArn, accountId };
}

function grantDetail(grant: TrustGrant): ChangedGrant {
  const detail: ChangedGrant = {
    roleArn: grant.roleArn,
    accountId: grant.accountId,
    principal: grant.principal.raw,
    principalLabel: grant.principal.label,
    principalClass: grant.principal.class,
    statement: grant.statementIndex + 1,
  };
  return detail;
}

function grantDetailFromId(id: string): ChangedGrant {
  const [roleArn = id, index = '0', ...rest] = id.split('#');
  const { accountId } = grantAccount(id);
  return { roleArn, accountId, principal: rest.join('#'), statement: Number(index) + 1 };
}

function findingDetail(finding: Finding): ChangedFinding {
  const detail: ChangedFinding = {
    ruleId: finding.ruleId,
    title: finding.title,
    severity: finding.severity,
    accountId: finding.accountId,
    resource: finding.resource,
  };
  const roleArn = finding.resource.includes(':role/') ? finding.resource : finding.grantId?.split('#')[0];
  if (roleArn) detail.roleArn = roleArn;
  if (finding.subject !== undefined) detail.subject = finding.subject;
  return detail;
}

function isOpen(finding: Pick<Finding, 'status'>): boolean {
  return finding.status !== 'suppressed';
}

export function diffReviews(previous: Review, current: CurrentRun): ReviewChanges {
  const now = new CoverageIndex(current.coverage);
  const previousCoverage = coverageOfReview(previous);
  // A previous review that recorded no coverage at all cannot say what it missed: take it as complete, as
  // the comparison always did, rather than call every item of this run "seen for the first time".
  const before = previousCoverage.length > 0 ? new CoverageIndex(previousCoverage) : undefined;

  // The baseline is what the previous review saw plus what it carried forward unseen.
  const previousGrantObjects = new Map(
    previous.accounts.flatMap((a) => a.roles.flatMap((r) => r.trustGrants.map((g) => [g.id, g] as const))),
  );
  const carriedGrants = new Set(previous.changes?.notReviewedGrants ?? []);
  const baselineGrants = new Set([...previousGrantObjects.keys(), ...carriedGrants]);
  const previousFindings = new Map(previous.findings.map((f) => [f.id, f]));
  const carriedFindings = new Map<string, ChangedFinding>();
  for (const id of previous.changes?.notReviewedFindings ?? []) {
    const detail = previous.changes?.findingDetails?.[id];
    if (detail && !previousFindings.has(id)) carriedFindings.set(id, detail);
  }
  const resolvedLastTime = new Set(previous.changes?.resolvedFindings ?? []);

  const currentGrants = new Map(current.grants.map((g) => [g.id, g]));
  const currentFindings = new Map(current.findings.map((f) => [f.id, f]));

  const grantReadNow = (id: string): boolean => {
    const { roleArn, accountId } = grantAccount(id);
    return now.read(accountId, 'iam') && !current.unreadableTrustRoles.has(roleArn);
  };
  const grantReadBefore = (id: string): boolean => before?.read(grantAccount(id).accountId, 'iam') ?? true;

  const newGrants: string[] = [];
  const notPreviouslyReviewedGrants: string[] = [];
  for (const id of currentGrants.keys()) {
    if (baselineGrants.has(id)) continue;
    (grantReadBefore(id) ? newGrants : notPreviouslyReviewedGrants).push(id);
  }
  const removedGrants: string[] = [];
  const notReviewedGrants: string[] = [];
  for (const id of baselineGrants) {
    if (currentGrants.has(id)) continue;
    (grantReadNow(id) ? removedGrants : notReviewedGrants).push(id);
  }

  const baselineFinding = (id: string): { status?: Finding['status']; ruleId: string; accountId: string } | undefined => {
    const f = previousFindings.get(id);
    if (f) return f;
    const c = carriedFindings.get(id);
    return c ? { ruleId: c.ruleId, accountId: c.accountId } : undefined;
  };

  const newFindings: string[] = [];
  const reopenedFindings: string[] = [];
  for (const finding of current.findings) {
    if (!isOpen(finding)) continue;
    const base = baselineFinding(finding.id);
    if (!base) {
      if (resolvedLastTime.has(finding.id)) reopenedFindings.push(finding.id);
      else if (before?.readAll(finding.accountId, sourcesOfRule(finding.ruleId)) ?? true) newFindings.push(finding.id);
      // Otherwise the previous review could not have seen it: not new, just seen for the first time.
    } else if (base.status === 'suppressed') {
      reopenedFindings.push(finding.id);
    }
  }
  const resolvedFindings: string[] = [];
  const notReviewedFindings: string[] = [];
  const details: Record<string, ChangedFinding> = {};
  for (const [id, f] of previousFindings) {
    if (currentFindings.has(id)) continue;
    if (now.readAll(f.accountId, sourcesOfRule(f.ruleId))) resolvedFindings.push(id);
    else if (isOpen(f)) notReviewedFindings.push(id);
    else continue;
    details[id] = findingDetail(f);
  }
  for (const [id, c] of carriedFindings) {
    if (currentFindings.has(id)) continue;
    if (now.readAll(c.accountId, sourcesOfRule(c.ruleId))) resolvedFindings.push(id);
    else notReviewedFindings.push(id);
    details[id] = c;
  }
  for (const id of [...newFindings, ...reopenedFindings]) {
    const f = currentFindings.get(id);
    if (f) details[id] = findingDetail(f);
  }

  const grantDetails: Record<string, ChangedGrant> = {};
  for (const id of [...newGrants, ...notPreviouslyReviewedGrants]) {
    const g = currentGrants.get(id);
    if (g) grantDetails[id] = grantDetail(g);
  }
  for (const id of [...removedGrants, ...notReviewedGrants]) {
    const g = previousGrantObjects.get(id);
    grantDetails[id] = g ? grantDetail(g) : (previous.changes?.grantDetails?.[id] ?? grantDetailFromId(id));
  }

  const figures = previousFigures(previous, current.coverage);
  const changes: ReviewChanges = {
    previousRunId: previous.runId,
    previousGeneratedAt: previous.generatedAt,
    newGrants: newGrants.sort(),
    removedGrants: removedGrants.sort(),
    newFindings: newFindings.sort(),
    resolvedFindings: resolvedFindings.sort(),
    reopenedFindings: reopenedFindings.sort(),
    findingDetails: details,
    grantDetails,
    previousOpenFindings: figures.open.length,
    previousFindingsBySeverity: countBySeverity(figures.open),
    previousTrustGrants: figures.trustGrants,
  };
  if (figures.accountsReviewed !== undefined) changes.previousAccountsReviewed = figures.accountsReviewed;
  if (notReviewedGrants.length > 0) changes.notReviewedGrants = notReviewedGrants.sort();
  if (notReviewedFindings.length > 0) changes.notReviewedFindings = notReviewedFindings.sort();
  if (notPreviouslyReviewedGrants.length > 0) changes.notPreviouslyReviewedGrants = notPreviouslyReviewedGrants.sort();
  const notReviewed = notReviewedAccounts(now, [
    ...notReviewedGrants.map((id) => ({ accountId: grantAccount(id).accountId, sources: ['iam'] as CoverageSource[] })),
    ...notReviewedFindings.map((id) => {
      const d = details[id];
      return { accountId: d?.accountId ?? '', sources: sourcesOfRule(d?.ruleId ?? '') };
    }),
  ]);
  if (notReviewed.length > 0) changes.notReviewed = notReviewed;
  return changes;
}

/**
 * The previous review's headline figures over the accounts this run covers: a run of two accounts after an
 * organization-wide one compares "open findings" on those two accounts, not on the organization (which
 * would read as a hundred findings resolved). Accounts this run did not collect at all are not in it.
 */
function previousFigures(previous: Review, now: readonly AccountCoverage[]): { open: Finding[]; trustGrants: number; accountsReviewed?: number } {
  const inRun = new Set(now.map((c) => c.accountId));
  const common = (accountId: string): boolean => now.length === 0 || inRun.has(accountId);
  const open = previous.findings.filter((f) => isOpen(f) && common(f.accountId));
  if (previous.accounts.every((a) => common(a.accountId))) {
    return { open, trustGrants: previous.summary.trustGrants, ...(previous.summary.accountsReviewed !== undefined ? { accountsReviewed: previous.summary.accountsReviewed } : {}) };
  }
  const shared = previous.accounts.filter((a) => common(a.accountId));
  const trustGrants = shared.reduce((n, a) => n + a.roles.reduce((m, r) => m + r.trustGrants.filter((g) => !g.negatedBy).length, 0), 0);
  const failed = (a: (typeof shared)[number], source: string): boolean => a.coverage.some((c) => c.source === source && c.status === 'failed');
  return { open, trustGrants, accountsReviewed: shared.filter((a) => !failed(a, 'sts') && !failed(a, 'iam')).length };
}

const SOURCE_NAMES: Record<CoverageSource, string> = {
  sts: 'the review role',
  iam: 'the IAM role inventory',
  cloudtrail: 'CloudTrail',
  'access-analyzer': 'Access Analyzer',
  organizations: 'the organization',
  'organizations-tree': 'the organization tree',
  'organizations-tags': 'account tags',
  'iam-last-accessed': 'IAM last-accessed data',
};

const STATUS_WORDS: Record<CoverageItem['status'], string> = {
  failed: 'could not be read',
  partial: 'was read only in part',
  skipped: 'was not read',
  ok: 'was read',
};

/** Per account, which sources were not read and why, for the items carried forward. */
function notReviewedAccounts(
  now: CoverageIndex,
  items: readonly { accountId: string; sources: readonly CoverageSource[] }[],
): NonNullable<ReviewChanges['notReviewed']> {
  const byAccount = new Map<string, Set<CoverageSource>>();
  for (const item of items) {
    const set = byAccount.get(item.accountId) ?? new Set<CoverageSource>();
    for (const s of item.sources) set.add(s);
    byAccount.set(item.accountId, set);
  }
  return [...byAccount.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([accountId, sources]) => {
      const missing = now.missing(accountId, [...sources]);
      const reason =
        missing.length === 0
          ? now.entered(accountId)
            ? 'a trust policy could not be read this time'
            : 'the account was not collected in this run'
          : missing
              .map(
                (m) =>
                  `${SOURCE_NAMES[m.source]}${m.region ? ` in ${m.region}` : ''} ${m.source === 'sts' ? 'could not be assumed' : STATUS_WORDS[m.status]}${m.errorCode ? ` (${m.errorCode}${m.httpStatus ? `, HTTP ${m.httpStatus}` : ''})` : ''}`,
              )
              .join('; ');
      return { accountId, sources: [...new Set(missing.map((m) => m.source))].sort(), reason };
    });
}

function countBySeverity(findings: readonly Pick<Finding, 'severity'>[]): Record<Severity, number> {
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of findings) counts[f.severity] += 1;
  return counts;
}
