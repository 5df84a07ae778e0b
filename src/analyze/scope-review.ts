/**
 * One owner's report from the organization-wide review: the same review filtered to the owner's accounts
 * and roles, with every figure computed again from what is left. Nothing about the rest of the organization
 * survives: not its accounts' names, not its roles, not its findings, not a total that counts them. Where
 * an in-scope item points at a role outside the scope (a trust principal, a caller, a reach hop), the role
 * is replaced by a placeholder naming only its account id.
 *
 * Pure: no clock (the review's generatedAt is "now"), no I/O.
 */
import type { Ownership, OwnerSummary } from '../model/ownership.js';
import type {
  AccountReview,
  AppliedSuppression,
  Finding,
  PrincipalClass,
  ReachPath,
  ReportScope,
  Review,
  ReviewChanges,
  ReviewSummary,
  RoleReview,
  Severity,
  TrustGrant,
} from '../model/review.js';
import { PRINCIPAL_CLASSES, SEVERITIES } from '../model/review.js';
import { diffReviews } from './changes.js';
import { concreteFix } from './fixes.js';
import { leastPrivilegeOverview } from './least-privilege/overview.js';
import { practiceRollup, type PracticeContext } from './practices.js';
import { CROSS_ACCOUNT_CLASSES } from './rules/helpers.js';
import { ruleById } from './rules/index.js';
import { aggregateScore, topActions } from './scoring.js';
import { ownersOf } from './owners.js';
import { accountReviewed } from './summary.js';
import { wildcardMatch } from './wildcard.js';

/** What one scoped report covers. */
export interface ReviewScope {
  ownerId: string;
  ownerName: string;
  accountIds: readonly string[];
  roleArns: readonly string[];
  /**
   * The accounts the owner owns as an account (not only through a role in it): their account-level findings
   * (an analyzer missing, a source not read) and their roles gone since the last run are the owner's.
   * Without it, an account all of whose roles are the owner's counts as theirs.
   */
  ownedAccounts?: readonly string[];
}

export function scopeOfOwner(owner: Pick<OwnerSummary, 'id' | 'name' | 'accountIds' | 'roleArns'>, ownership?: Pick<Ownership, 'accounts'>): ReviewScope {
  const scope: ReviewScope = { ownerId: owner.id, ownerName: owner.name, accountIds: owner.accountIds, roleArns: owner.roleArns };
  if (ownership) scope.ownedAccounts = owner.accountIds.filter((id) => ownership.accounts[id]?.id === owner.id);
  return scope;
}

export interface ScopeOptions {
  /**
   * The previous organization-wide review: scoped the same way and compared with, so the scoped report's
   * changes are its own (no phantom removals from outside the scope). Without it, the current review's
   * changes are filtered to the scope and the organization-wide previous totals dropped.
   */
  previous?: Review;
}

/** Role ARNs, assumed-role and user ARNs: the forms in which another account's identities appear in text. */
const IDENTITY_ARN = /arn:(aws[a-z-]*):(iam|sts)::(\d{12}):(role|assumed-role|user)\/([A-Za-z0-9+=,.@_\-/]+)/g;

interface Membership {
  roles: ReadonlySet<string>;
  accounts: ReadonlySet<string>;
  /** Accounts that are the owner's as accounts (ReviewScope.ownedAccounts): account-level findings, gone roles. */
  whole: ReadonlySet<string>;
  /** The current organization-wide review's roles: a role not among them has no owner of its own now. */
  known: ReadonlySet<string>;
  /** Every role ARN of the reviews being scoped, to tell a role resource from an account one. */
  allRoles: ReadonlySet<string>;
}

function membership(review: Review, scope: ReviewScope): Membership {
  const roles = new Set(scope.roleArns);
  const known = new Set(review.accounts.flatMap((a) => a.roles.map((r) => r.arn)));
  const accounts = new Set(scope.accountIds);
  // A role's account is part of the scope even if the owner list forgot to say so.
  for (const a of review.accounts) if (a.roles.some((r) => roles.has(r.arn))) accounts.add(a.accountId);
  const whole = new Set(
    scope.ownedAccounts ?? [...accounts].filter((id) => review.accounts.find((a) => a.accountId === id)?.roles.every((r) => roles.has(r.arn)) ?? true),
  );
  return { roles, accounts, whole, known, allRoles: known };
}

function accountOfArn(arn: string): string {
  return arn.split(':')[4] ?? '';
}

function roleIn(m: Membership, arn: string): boolean {
  return m.roles.has(arn) || (!m.known.has(arn) && m.whole.has(accountOfArn(arn)));
}

/** The role a finding is about (its resource, or its grant's role), when it is about a role at all. */
function findingRole(f: Pick<Finding, 'resource' | 'grantId'>, allRoles: ReadonlySet<string>): string | undefined {
  if (allRoles.has(f.resource)) return f.resource;
  const fromGrant = f.grantId?.split('#')[0];
  if (fromGrant && allRoles.has(fromGrant)) return fromGrant;
  return /^arn:[^:]*:iam::\d{12}:role\//.test(f.resource) ? f.resource : undefined;
}

function findingInScope(f: Pick<Finding, 'resource' | 'grantId' | 'accountId'>, m: Membership): boolean {
  const role = findingRole(f, m.allRoles);
  return role !== undefined ? roleIn(m, role) : m.whole.has(f.accountId);
}

function grantRole(grantId: string): string {
  return grantId.split('#')[0] ?? grantId;
}

export function scopeReview(review: Review, scope: ReviewScope, options: ScopeOptions = {}): Review {
  const m = membership(review, scope);
  const accounts: AccountReview[] = review.accounts
    .filter((a) => m.accounts.has(a.accountId))
    .map((a) => ({ ...a, roles: a.roles.filter((r) => m.roles.has(r.arn)) }));
  const roles = accounts.flatMap((a) => a.roles);
  const findings = review.findings.filter((f) => findingInScope(f, m));
  const coverage = review.coverage.filter((c) => m.accounts.has(c.accountId));
  const suppressionMatters = (s: Pick<AppliedSuppression, 'resource'>): boolean =>
    roles.some((r) => wildcardMatch(s.resource, r.arn)) || [...m.accounts].some((id) => wildcardMatch(s.resource, id));

  const scoped: Review = {
    kind: review.kind,
    schemaVersion: review.schemaVersion,
    runId: review.runId,
    generatedAt: review.generatedAt,
    snapshotCollectedAt: review.snapshotCollectedAt,
    tool: review.tool,
    scope: review.scope,
    window: review.window,
    summary: scopedSummary(review, accounts, findings),
    accounts,
    findings,
    reach: scopedReach(review.reach, m),
    unmatchedSuppressions: review.unmatchedSuppressions.filter(suppressionMatters),
    coverage,
    reportScope: reportScope(scope, accounts, roles.length),
  };
  // The management account is named only to its owner; the organization id says nothing about the others.
  if (review.organization && m.accounts.has(review.organization.managementAccountId)) scoped.organization = review.organization;
  if (review.changesUnavailableReason !== undefined) scoped.changesUnavailableReason = review.changesUnavailableReason;
  if (review.actionCatalogVersion !== undefined) scoped.actionCatalogVersion = review.actionCatalogVersion;
  const overview = leastPrivilegeOverview(roles);
  if (overview) scoped.leastPrivilege = overview;
  const invalid = review.invalidSuppressions?.filter((i) => suppressionMatters(i.suppression));
  if (invalid && invalid.length > 0) scoped.invalidSuppressions = invalid;
  if (review.configuration) {
    const echo = review.configuration.echo;
    scoped.configuration = {
      sha256: review.configuration.sha256,
      echo: {
        ...echo,
        accounts: echo.accounts.filter((id) => m.accounts.has(id)),
        excludeAccounts: echo.excludeAccounts.filter((id) => m.accounts.has(id)),
        suppressions: echo.suppressions.filter(suppressionMatters),
      },
    };
  }
  if (review.ownership) scoped.ownership = scopedOwnership(review.ownership, scope, m);

  const changes = options.previous ? diffScoped(options.previous, m, scoped) : filterChanges(review.changes, m);
  if (changes) scoped.changes = changes;
  scoped.practices = practiceRollup(
    practiceContext(scoped),
    findings,
    (ruleId) => ruleById(ruleId)?.meta.bestPractice ?? [],
    changes ? { runId: changes.previousRunId, generatedAt: changes.previousGeneratedAt } : undefined,
    changes,
  );
  return redactOutsiders(scoped, outsiders(review, m), m.roles);
}

function reportScope(scope: ReviewScope, accounts: readonly AccountReview[], roles: number): ReportScope {
  return { ownerId: scope.ownerId, ownerName: scope.ownerName, accountIds: accounts.map((a) => a.accountId), roles };
}

/** As summarize() counts them, from the review's own records of the scoped accounts and roles. */
function scopedSummary(review: Review, accounts: readonly AccountReview[], findings: readonly Finding[]): ReviewSummary {
  const grantsByClass = Object.fromEntries(PRINCIPAL_CLASSES.map((c) => [c, 0])) as Record<PrincipalClass, number>;
  const findingsBySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  let trustGrants = 0;
  let unusedCrossAccountGrants = 0;
  let unknownUsageCrossAccountGrants = 0;
  for (const account of accounts) {
    const trail = account.coverage.filter((c) => c.source === 'cloudtrail');
    const complete = account.usageWindow !== undefined && trail.length > 0 && trail.every((c) => c.status === 'ok');
    for (const grant of account.roles.flatMap((r) => r.trustGrants)) {
      if (grant.negatedBy) continue;
      trustGrants += 1;
      grantsByClass[grant.principal.class] += 1;
      const cross = CROSS_ACCOUNT_CLASSES.includes(grant.principal.class);
      if (complete && !grant.usage.used && cross) unusedCrossAccountGrants += 1;
      if (grant.usage.state === 'unknown' && cross) unknownUsageCrossAccountGrants += 1;
    }
  }
  const open = findings.filter((f) => f.status !== 'suppressed');
  for (const f of open) findingsBySeverity[f.severity] += 1;
  // The role-unused rule flags exactly the roles summarize() counts as unused (isUnusedRole), suppressed or not.
  const unusedRoles = new Set(findings.filter((f) => f.ruleId === 'role-unused').map((f) => f.resource)).size;
  const gaps = new Set<string>();
  for (const a of accounts) {
    for (const c of a.coverage) if (c.status !== 'ok') gaps.add(JSON.stringify([a.accountId, c.source, c.status, c.detail ?? '', c.errorCode ?? '']));
  }
  return {
    accounts: accounts.length,
    roles: accounts.reduce((n, a) => n + a.roles.length, 0),
    trustGrants,
    grantsByClass,
    findingsBySeverity,
    openFindings: open.length,
    suppressedFindings: findings.length - open.length,
    unusedRoles,
    unusedCrossAccountGrants,
    coverageGaps: gaps.size,
    riskScore: aggregateScore(findings),
    topActions: scopedTopActions(review, accounts, findings),
    accountsReviewed: accounts.filter((a) => accountReviewed(a)).length,
    unknownUsageCrossAccountGrants,
  };
}

function scopedTopActions(review: Review, accounts: readonly AccountReview[], findings: readonly Finding[]): ReviewSummary['topActions'] {
  const grants = new Map<string, { grant: TrustGrant; roleName: string }>();
  for (const role of accounts.flatMap((a) => a.roles)) for (const grant of role.trustGrants) grants.set(grant.id, { grant, roleName: role.name });
  const organizationId = review.organization?.id;
  // Each scoped finding still carries its owner, so the recomputed groups name theirs as the organization's do.
  const ownerByFinding = new Map(findings.flatMap((f) => (f.owner ? [[f.id, f.owner] as const] : [])));
  return topActions(
    findings,
    (id) => ruleById(id)?.meta,
    (finding) => {
      const found = finding.grantId ? grants.get(finding.grantId) : undefined;
      return concreteFix(finding, {
        ...(organizationId ? { organizationId } : {}),
        ...(found ? { grant: found.grant, roleName: found.roleName } : {}),
      });
    },
  ).map((action) => (ownerByFinding.size > 0 ? { ...action, owners: ownersOf(action.findingIds, ownerByFinding) } : action));
}

/**
 * The paths that start at, pass through or end at one of the owner's roles; the rest are someone else's.
 * The truncation count is organization-wide and is not carried.
 */
function scopedReach(paths: readonly ReachPath[], m: Membership): ReachPath[] {
  return paths.filter((p) => [p.from, p.to, ...p.hops].some((arn) => roleIn(m, arn)));
}

function scopedOwnership(ownership: NonNullable<Review['ownership']>, scope: ReviewScope, m: Membership): NonNullable<Review['ownership']> {
  const pick = <T>(record: Record<string, T>, keep: (key: string) => boolean): Record<string, T> =>
    Object.fromEntries(Object.entries(record).filter(([key]) => keep(key)));
  return {
    owners: ownership.owners.filter((o) => o.id === scope.ownerId),
    roles: pick(ownership.roles, (arn) => m.roles.has(arn)),
    accounts: pick(ownership.accounts, (id) => m.accounts.has(id)),
    unassigned: {
      accountIds: ownership.unassigned.accountIds.filter((id) => m.accounts.has(id)),
      roleArns: ownership.unassigned.roleArns.filter((arn) => m.roles.has(arn)),
    },
  };
}

/** The previous review scoped alike, then the usual coverage-aware diff: the scope is compared with itself. */
function diffScoped(previous: Review, m: Membership, current: Review): ReviewChanges {
  const before = scopeReviewUnredacted(previous, m);
  const grants = current.accounts.flatMap((a) => a.roles.flatMap((r) => r.trustGrants));
  const unreadableTrustRoles = new Set(current.accounts.flatMap((a) => a.roles.filter((r) => r.trustPolicyError !== undefined).map((r) => r.arn)));
  return diffReviews(before, { grants, findings: current.findings, coverage: current.coverage, unreadableTrustRoles });
}

/**
 * The previous review as this scope saw it, without placeholders: the diff compares real ids. Its own
 * change list is filtered too, because the diff reads what it carried forward and what it resolved.
 */
function scopeReviewUnredacted(review: Review, current: Membership): Review {
  const m: Membership = { ...current, allRoles: new Set([...current.allRoles, ...review.accounts.flatMap((a) => a.roles.map((r) => r.arn))]) };
  const accounts = review.accounts.filter((a) => m.accounts.has(a.accountId)).map((a) => ({ ...a, roles: a.roles.filter((r) => roleIn(m, r.arn)) }));
  const findings = review.findings.filter((f) => findingInScope(f, m));
  const out: Review = {
    ...review,
    accounts,
    findings,
    coverage: review.coverage.filter((c) => m.accounts.has(c.accountId)),
    summary: scopedSummary(review, accounts, findings),
  };
  const changes = filterChanges(review.changes, m);
  if (changes) out.changes = changes;
  else delete out.changes;
  return out;
}

/** An organization-wide change list cut to the scope; its organization-wide "previous" totals are dropped. */
function filterChanges(changes: ReviewChanges | undefined, m: Membership): ReviewChanges | undefined {
  if (!changes) return undefined;
  const grantIn = (id: string): boolean => roleIn(m, grantRole(id));
  const findingIn = (id: string): boolean => {
    const d = changes.findingDetails?.[id];
    if (!d) return false;
    return d.roleArn !== undefined ? roleIn(m, d.roleArn) : findingInScope({ resource: d.resource, accountId: d.accountId }, m);
  };
  const out: ReviewChanges = {
    previousRunId: changes.previousRunId,
    previousGeneratedAt: changes.previousGeneratedAt,
    newGrants: changes.newGrants.filter(grantIn),
    removedGrants: changes.removedGrants.filter(grantIn),
    newFindings: changes.newFindings.filter(findingIn),
    resolvedFindings: changes.resolvedFindings.filter(findingIn),
    reopenedFindings: changes.reopenedFindings.filter(findingIn),
  };
  const optional = (list: string[] | undefined, keep: (id: string) => boolean): string[] | undefined => {
    const kept = list?.filter(keep);
    return kept && kept.length > 0 ? kept : undefined;
  };
  const notReviewedGrants = optional(changes.notReviewedGrants, grantIn);
  const notReviewedFindings = optional(changes.notReviewedFindings, findingIn);
  const notPreviouslyReviewedGrants = optional(changes.notPreviouslyReviewedGrants, grantIn);
  if (notReviewedGrants) out.notReviewedGrants = notReviewedGrants;
  if (notReviewedFindings) out.notReviewedFindings = notReviewedFindings;
  if (notPreviouslyReviewedGrants) out.notPreviouslyReviewedGrants = notPreviouslyReviewedGrants;
  const notReviewed = changes.notReviewed?.filter((n) => m.accounts.has(n.accountId));
  if (notReviewed && notReviewed.length > 0) out.notReviewed = notReviewed;
  if (changes.findingDetails) out.findingDetails = Object.fromEntries(Object.entries(changes.findingDetails).filter(([id]) => findingIn(id)));
  if (changes.grantDetails) out.grantDetails = Object.fromEntries(Object.entries(changes.grantDetails).filter(([id]) => grantIn(id)));
  return out;
}

function practiceContext(review: Review): PracticeContext {
  return {
    now: new Date(review.generatedAt),
    snapshot: { scope: { regions: review.scope.regions } },
    settings: { suppressions: review.configuration?.echo.suppressions ?? [] },
    accounts: review.accounts.map((a) => ({
      snapshot: { accountId: a.accountId, coverage: a.coverage, accessAnalyzer: { analyzers: a.analyzers } },
      roles: a.roles.map((r: RoleReview) => ({ record: { arn: r.arn, path: r.path }, review: r })),
    })),
  };
}

/** What a scoped report must not name: the identities of these accounts, these roles' and accounts' names. */
interface Outsiders {
  /** Accounts outside the scope, and accounts the scope holds only in part (their other roles are outside). */
  accounts: ReadonlySet<string>;
  roleNames: ReadonlySet<string>;
  accountNames: ReadonlySet<string>;
}

/** Names this short are words ("api", "ci") more often than names: replacing them would garble sentences. */
const MIN_NAME_LENGTH = 3;

function outsiders(review: Review, m: Membership): Outsiders {
  const accounts = new Set(review.accounts.map((a) => a.accountId).filter((id) => !m.accounts.has(id)));
  for (const a of review.accounts) if (m.accounts.has(a.accountId) && a.roles.some((r) => !roleIn(m, r.arn))) accounts.add(a.accountId);
  const roles = review.accounts.flatMap((a) => a.roles);
  const keptRoleNames = new Set(roles.filter((r) => roleIn(m, r.arn)).map((r) => r.name));
  const keptAccountNames = new Set(review.accounts.filter((a) => m.accounts.has(a.accountId)).map((a) => a.accountName));
  const long = (name: string | undefined): name is string => name !== undefined && name.length >= MIN_NAME_LENGTH;
  return {
    accounts,
    roleNames: new Set(roles.filter((r) => !roleIn(m, r.arn) && !keptRoleNames.has(r.name)).map((r) => r.name).filter(long)),
    accountNames: new Set(review.accounts.filter((a) => !m.accounts.has(a.accountId) && !keptAccountNames.has(a.accountName)).map((a) => a.accountName).filter(long)),
  };
}

/** Any of the names as a whole word: sentence punctuation after a name ("…by deploy.") still ends it. */
function alternation(names: Iterable<string>): RegExp | undefined {
  const list = [...names].sort((a, b) => b.length - a.length).map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return list.length > 0 ? new RegExp(`(?<![A-Za-z0-9_-])(?:${list.join('|')})(?![A-Za-z0-9_-])`, 'g') : undefined;
}

/**
 * Every identity ARN of an outside account (or an outside role of a shared account) in any string of the
 * scoped review becomes a placeholder naming the account id only; in free text (labels, messages,
 * evidence: strings with a space, never ids or enum values) so do the bare names of outside roles and
 * accounts ("Role deploy in organization account 2222…"). Numbered per review, so two outside roles in
 * one trust policy stay two grants.
 */
function redactOutsiders(review: Review, out: Outsiders, inScopeRoles: ReadonlySet<string>): Review {
  if (out.accounts.size === 0 && out.roleNames.size === 0 && out.accountNames.size === 0) return review;
  const nameOf = (arn: string): string => arn.slice(arn.lastIndexOf('/') + 1);
  // Assumed-role ARNs carry the role's name without its path: match roles by account and name.
  const kept = new Set([...inScopeRoles].map((arn) => `${arn.split(':')[4] ?? ''}/${nameOf(arn)}`));
  const numbers = new Map<string, number>();
  const byName = new Map<string, number>();
  const numberFor = (key: string, name: string): number => {
    let n = numbers.get(key) ?? byName.get(name);
    if (n === undefined) n = numbers.size + 1;
    numbers.set(key, n);
    if (!byName.has(name)) byName.set(name, n);
    return n;
  };
  const replaceArns = (text: string): string =>
    text.replace(IDENTITY_ARN, (whole, partition: string, _service: string, account: string, kind: string, rest: string) => {
      if (!out.accounts.has(account)) return whole;
      const name = kind === 'assumed-role' ? (rest.split('/')[0] ?? rest) : nameOf(rest);
      const what = kind === 'user' ? 'user' : 'role';
      if (what === 'role' && kept.has(`${account}/${name}`)) return whole;
      return `arn:${partition}:iam::${account}:${what}/outside-this-report-${numberFor(`${account}/${what}/${name}`, name)}`;
    });
  const roleNames = alternation(out.roleNames);
  const accountNames = alternation(out.accountNames);
  const replace = (text: string): string => {
    let result = replaceArns(text);
    if (!result.includes(' ')) return result;
    if (roleNames) result = result.replace(roleNames, (name) => `outside-this-report-${numberFor(`name/${name}`, name)}`);
    if (accountNames) result = result.replace(accountNames, 'an account outside this report');
    return result;
  };
  const walk = (value: unknown): unknown => {
    if (typeof value === 'string') return replace(value);
    if (Array.isArray(value)) return value.map(walk);
    if (value !== null && typeof value === 'object') {
      // Keys are ids (finding and grant ids in the change details): identities only, never free text.
      return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [replaceArns(k), walk(v)]));
    }
    return value;
  };
  return walk(review) as Review;
}
