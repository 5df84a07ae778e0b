import type { OwnerRef } from '../../model/ownership.js';
import { ownerLabel, ownerWhy } from './owners.js';
import type { AccountReview, Finding, Guard, PrincipalClass, Review, RoleReview, TrustGrant } from '../../model/review.js';
import { formatAgo, formatDay } from '../format.js';
import { compareFindings, findingView, isOpen, severityRank } from './findings.js';
import { gapViews } from './coverage.js';
import { anchorFor, type AccountNamer } from './labels.js';
import { leastPrivilegeView } from './least-privilege.js';
import type { AccountView, GrantView, GuardView, RoleView } from './types.js';

/** Callers listed per grant before "and N more": enough to recognise who, short enough to print. */
const MAX_CALLERS = 5;

/** Principals that do not belong to the reviewed account itself. */
export function isCrossAccount(cls: PrincipalClass): boolean {
  return cls !== 'same-account' && cls !== 'service';
}

function guardView(g: Guard): GuardView {
  const values = g.valuesOmitted ? [...g.values, `… and ${g.valuesOmitted} more`] : g.values;
  const v: GuardView = { kind: g.kind, operator: g.operator, key: g.key, values, effective: g.effective };
  if (g.note !== undefined) v.note = g.note;
  return v;
}

function grantView(g: TrustGrant, now: string): GrantView {
  const v: GrantView = {
    principalLabel: g.principal.label,
    principalRaw: g.principal.raw,
    principalType: g.principal.type,
    kind: g.principal.kind,
    class: g.principal.class,
    actions: g.actions,
    statement: g.statementIndex + 1,
    guards: g.guards.map(guardView),
    unguarded: !g.guards.some((x) => x.effective),
    used: g.usage.used,
    usageState: usageStateOf(g),
    count: g.usage.count,
    firstSeen: formatDay(g.usage.firstSeen),
    lastSeen: formatDay(g.usage.lastSeen),
    lastSeenAgo: formatAgo(g.usage.lastSeen, now),
    callers: g.usage.callers.slice(0, MAX_CALLERS),
    moreCallers: Math.max(0, g.usage.callers.length - MAX_CALLERS),
    crossAccount: isCrossAccount(g.principal.class),
  };
  if (g.principal.vendor !== undefined) v.vendor = g.principal.vendor;
  if (g.sid !== undefined) v.sid = g.sid;
  if (g.negatedBy !== undefined) v.negatedBy = g.negatedBy;
  if (v.usageState === 'unknown') v.unknownReason = g.usage.unknownReason ?? 'CloudTrail was not read completely';
  return v;
}

/** Reviews before 1.1 have no state: there, only "used" was ever known for sure. */
function usageStateOf(g: TrustGrant): GrantView['usageState'] {
  return g.usage.state ?? (g.usage.used ? 'used' : 'unused');
}

function roleView(role: RoleReview, findingsById: Map<string, Finding>, namer: AccountNamer, now: string, owner?: OwnerRef): RoleView {
  const findings = role.findingIds
    .map((id) => findingsById.get(id))
    .filter((f): f is Finding => f !== undefined)
    .sort(compareFindings);
  const open = findings.filter(isOpen);
  const classes = [...new Set(role.trustGrants.map((g) => g.principal.class))];
  const v: RoleView = {
    anchor: anchorFor(role.arn),
    name: role.name,
    arn: role.arn,
    path: role.path,
    createDate: formatDay(role.createDate),
    tags: role.tags,
    riskScore: role.riskScore,
    grants: role.trustGrants.map((g) => grantView(g, now)),
    classes,
    permissions: {
      adminEquivalent: role.permissions.adminEquivalent,
      readEverything: role.permissions.readEverything,
      escalation: role.permissions.privilegeEscalation,
      allowedActionCount: role.permissions.allowedActionCount,
      highlights: role.permissions.highlights,
      gaps: role.permissions.gaps,
      policies: role.permissions.policies,
      caveats: role.permissions.caveats ?? [],
    },
    usage: {
      lastUsed: formatDay(role.usage.lastUsed),
      lastUsedAgo: formatAgo(role.usage.lastUsed, now),
      assumeCount: role.usage.assumeCount,
      neverUsed: role.usage.lastUsed === undefined && role.usage.assumeCount === 0,
      unexpectedCallers: role.usage.callers
        .filter((c) => c.grantId === undefined)
        .map((c) => ({ id: c.id, eventName: c.eventName, count: c.count, lastSeen: formatDay(c.lastSeen) })),
    },
    findings: findings.map((f) => findingView(f, namer, now)),
    openFindingCount: open.length,
    detailed: true,
  };
  if (role.description !== undefined && role.description !== '') v.description = role.description;
  if (role.trustPolicyError !== undefined) v.trustPolicyError = role.trustPolicyError;
  if (role.usage.lastUsedRegion !== undefined) v.usage.lastUsedRegion = role.usage.lastUsedRegion;
  if (role.usage.state === 'unknown') {
    v.usage.unknownReason = role.usage.unknownReason ?? 'CloudTrail was not read completely';
    v.usage.neverUsed = false;
  }
  if (role.leastPrivilege !== undefined) v.leastPrivilege = leastPrivilegeView(role.leastPrivilege);
  const top = open[0];
  if (top !== undefined) v.topSeverity = top.severity;
  if (owner !== undefined) v.owner = { name: ownerLabel(owner), why: ownerWhy(owner) };
  return v;
}

/** Riskiest roles first, so an auditor reading from the top meets what matters before the long tail. */
export function compareRoles(a: RoleView, b: RoleView): number {
  const sa = a.topSeverity === undefined ? 99 : severityRank(a.topSeverity);
  const sb = b.topSeverity === undefined ? 99 : severityRank(b.topSeverity);
  return sa - sb || b.riskScore - a.riskScore || a.name.localeCompare(b.name);
}

export function accountViews(review: Review, namer: AccountNamer): AccountView[] {
  const now = review.generatedAt;
  const findingsById = new Map(review.findings.map((f) => [f.id, f]));
  const coverage = review.coverage.length > 0 ? review.coverage : undefined;
  const views = review.accounts.map((a) => accountView(a, review, findingsById, namer, coverage));
  // An account that appears only in coverage (it could not be entered) still gets its own section, so its
  // absence from the role tables is explained where a reader looks for it.
  const known = new Set(review.accounts.map((a) => a.accountId));
  const orphanIds = [
    ...new Set(review.coverage.filter((c) => c.source === 'sts' && c.status === 'failed').map((c) => c.accountId)),
  ]
    .filter((id) => !known.has(id))
    .sort();
  for (const accountId of orphanIds) {
    const stub: AccountReview = { accountId, analyzers: [], coverage: [], roles: [] };
    views.push(accountView(stub, review, findingsById, namer, coverage));
  }
  return views;
}

function accountView(
  a: AccountReview,
  review: Review,
  findingsById: Map<string, Finding>,
  namer: AccountNamer,
  flatCoverage: Review['coverage'] | undefined,
): AccountView {
  const now = review.generatedAt;
  const coverage = flatCoverage
    ? flatCoverage.filter((c) => c.accountId === a.accountId)
    : a.coverage.map((c) => ({ ...c, accountId: a.accountId }));
  const gaps = gapViews(coverage, namer);
  const roles = a.roles.map((r) => roleView(r, findingsById, namer, now, review.ownership?.roles[r.arn])).sort(compareRoles);
  const roleFindingIds = new Set(a.roles.flatMap((r) => r.findingIds));
  const accountFindings = review.findings
    .filter((f) => f.accountId === a.accountId && !roleFindingIds.has(f.id))
    .sort(compareFindings);
  const stsFailure =
    coverage.find((c) => c.source === 'sts' && c.status === 'failed') ??
    coverage.find((c) => c.source === 'iam' && c.status === 'failed');
  const reviewed = stsFailure === undefined;
  const v: AccountView = {
    accountId: a.accountId,
    label: namer.label(a.accountId),
    reviewed,
    analyzers: a.analyzers.map((x) => ({ name: x.name, type: x.type, region: x.region, status: x.status })),
    gaps,
    roles,
    roleCount: roles.length,
    grantCount: roles.reduce((n, r) => n + r.grants.length, 0),
    openFindingCount:
      roles.reduce((n, r) => n + r.openFindingCount, 0) + accountFindings.filter(isOpen).length,
    accountFindings: accountFindings.map((f) => findingView(f, namer, now)),
  };
  const name = namer.name(a.accountId);
  if (name !== undefined) v.name = name;
  const owner = review.ownership?.accounts[a.accountId];
  if (owner !== undefined) v.owner = { name: ownerLabel(owner), why: ownerWhy(owner) };
  const unread = coverage.filter((c) => c.source === 'access-analyzer' && (c.status === 'failed' || c.status === 'partial'));
  if (unread.length > 0) v.analyzersUnread = unread.map((c) => c.region ?? 'global').join(', ');
  if (!reviewed && stsFailure !== undefined) {
    const why = [stsFailure.detail, stsFailure.errorCode ? `(${stsFailure.errorCode})` : '']
      .filter((s) => s !== undefined && s !== '')
      .join(' ');
    const what = stsFailure.source === 'sts' ? 'The review role could not be assumed' : 'Its role inventory (IAM) could not be read';
    v.notReviewedReason = `${what}${why ? `: ${why}` : ''}.`.replace(/\.\.$/, '.');
  }
  return v;
}
