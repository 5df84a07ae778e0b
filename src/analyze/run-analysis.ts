/**
 * The analysis pipeline over one snapshot: trust grants, permissions and usage per role, the reach graph,
 * the rules, scores, suppressions, the summary and the diff against the previous review. Pure: the
 * permissions engine is passed in, and time comes from options.now.
 */
import type { ActionCatalog } from '../model/action-catalog.js';
import {
  REVIEW_KIND,
  REVIEW_SCHEMA_VERSION,
  SEVERITIES,
  type AccountReview,
  type Finding,
  type Review,
  type RoleReview,
  type TrustGrant,
} from '../model/review.js';
import type { AnalysisSettings, VendorAccount } from '../model/settings.js';
import type { AccountSnapshot, AssumeAggregate, Snapshot } from '../model/snapshot.js';
import { diffReviews } from './changes.js';
import { isServiceLinked, type AccountContext, type ReviewContext, type RoleContext } from './context.js';
import type { PermissionsEngine, PolicyInput } from './engine.js';
import { findingId } from './finding-id.js';
import { buildReach, type ReachNode } from './reach.js';
import { rolePolicies, summarizeRolePermissions } from './role-permissions.js';
import { RULES, ruleById } from './rules/index.js';
import type { Rule, RuleHit } from './rules/rule.js';
import { aggregateScore, findingScore, topActions } from './scoring.js';
import { summarize } from './summary.js';
import { applySuppressions } from './suppressions.js';
import { analyzeTrustPolicy, type TrustContext } from './trust/grants.js';
import { joinUsage } from './usage.js';
import { joinLeastPrivilege } from './least-privilege/join.js';
import { leastPrivilegeOverview } from './least-privilege/overview.js';
import { vendorIndex } from './vendors.js';

export interface AnalyzeOptions {
  now: Date;
  settings: AnalysisSettings;
  catalog: ActionCatalog;
  vendors: VendorAccount[];
  previous?: Review;
}

interface AnalysedRole extends RoleContext {
  policies: PolicyInput[];
  boundary?: PolicyInput;
}

interface AnalysedAccount {
  snapshot: AccountSnapshot;
  roles: AnalysedRole[];
}

export function analyzeWith(snapshot: Snapshot, options: AnalyzeOptions, engine: PermissionsEngine): Review {
  const vendors = vendorIndex([...options.vendors, ...options.settings.extraVendors]);
  const orgAccountIds: ReadonlySet<string> = new Set(snapshot.organization?.accounts.map((a) => a.id) ?? []);
  const organizationId = snapshot.organization?.id;

  const accounts = [...snapshot.accounts]
    .sort((a, b) => compare(a.accountId, b.accountId))
    .map((account): AnalysedAccount => {
      const trustContext: TrustContext = { accountId: account.accountId, orgAccountIds, vendors };
      if (organizationId) trustContext.organizationId = organizationId;
      return { snapshot: account, roles: analyseRoles(account, trustContext, options.catalog, engine, snapshot.collectedAt) };
    });

  const nodes: ReachNode[] = accounts.flatMap((account) =>
    account.roles.map((role) => {
      const node: ReachNode = {
        arn: role.record.arn,
        accountId: role.review.accountId,
        grants: role.review.trustGrants,
        policies: role.policies,
        adminEquivalent: role.review.permissions.adminEquivalent,
      };
      if (role.boundary) node.boundary = role.boundary;
      return node;
    }),
  );
  const reach = buildReach(nodes, engine, options.catalog);

  const context: ReviewContext = {
    now: options.now,
    snapshot,
    settings: options.settings,
    orgAccountIds,
    accounts,
    reach: reach.paths,
  };
  if (organizationId) context.organizationId = organizationId;

  const roles = new Map(accounts.flatMap((a) => a.roles.map((r) => [r.record.arn, r] as const)));
  const grants = new Map(accounts.flatMap((a) => a.roles.flatMap((r) => r.review.trustGrants.map((g) => [g.id, g] as const))));
  const raw = evaluateRules(RULES, context, roles, grants);
  const suppressed = applySuppressions(raw, options.settings.suppressions, options.now);
  const findings = sortFindings(suppressed.findings);

  const byRole = new Map<string, Finding[]>();
  for (const finding of findings) {
    const arn = findingRole(finding, roles);
    if (!arn) continue;
    const list = byRole.get(arn);
    if (list) list.push(finding);
    else byRole.set(arn, [finding]);
  }
  for (const role of roles.values()) {
    const mine = byRole.get(role.record.arn) ?? [];
    role.review.findingIds = mine.map((f) => f.id);
    role.review.riskScore = aggregateScore(mine);
  }

  const actions = topActions(findings, (id) => ruleById(id)?.meta);
  const review: Review = {
    kind: REVIEW_KIND,
    schemaVersion: REVIEW_SCHEMA_VERSION,
    runId: snapshot.runId,
    generatedAt: options.now.toISOString(),
    snapshotCollectedAt: snapshot.collectedAt,
    tool: snapshot.tool,
    scope: snapshot.scope,
    window: snapshot.scope.window,
    summary: summarize(context, findings, actions),
    accounts: accounts.map(accountReview),
    findings,
    reach: reach.paths,
    unmatchedSuppressions: suppressed.unmatched,
    coverage: accounts.flatMap((a) => a.snapshot.coverage.map((item) => ({ ...item, accountId: a.snapshot.accountId }))),
    actionCatalogVersion: options.catalog.version,
  };
  if (snapshot.organization) {
    review.organization = { id: snapshot.organization.id, managementAccountId: snapshot.organization.managementAccountId };
  }
  const overview = leastPrivilegeOverview(accounts.flatMap((a) => a.roles.map((r) => r.review)));
  if (overview) review.leastPrivilege = overview;
  if (suppressed.invalid.length > 0) review.invalidSuppressions = suppressed.invalid;
  if (reach.truncated > 0) review.reachTruncated = reach.truncated;
  if (options.previous) {
    const allGrants = accounts.flatMap((a) => a.roles.flatMap((r) => r.review.trustGrants));
    review.changes = diffReviews(options.previous, allGrants, findings);
  }
  return review;
}

function analyseRoles(
  account: AccountSnapshot,
  trustContext: TrustContext,
  catalog: ActionCatalog,
  engine: PermissionsEngine,
  collectedAt: string,
): AnalysedRole[] {
  const lastAccessed = new Map((account.lastAccessed?.roles ?? []).map((r) => [r.roleArn, r]));
  const managed = new Map(account.managedPolicies.map((policy) => [policy.arn, policy]));
  const assumptions = new Map<string, AssumeAggregate[]>();
  for (const aggregate of account.usage.assumptions) {
    const list = assumptions.get(aggregate.roleArn);
    if (list) list.push(aggregate);
    else assumptions.set(aggregate.roleArn, [aggregate]);
  }
  return [...account.roles]
    .sort((a, b) => compare(a.arn, b.arn))
    .map((record) => {
      const trust = analyzeTrustPolicy(record, trustContext);
      const resolved = rolePolicies(record, managed);
      const permissions = summarizeRolePermissions(record, resolved, catalog, engine);
      const usage = joinUsage(record, trust.grants, assumptions.get(record.arn) ?? []);
      const review: RoleReview = {
        arn: record.arn,
        name: record.name,
        accountId: account.accountId,
        path: record.path,
        tags: record.tags,
        trustGrants: trust.grants,
        permissions,
        usage,
        findingIds: [],
        riskScore: 0,
      };
      if (record.createDate) review.createDate = record.createDate;
      if (record.description) review.description = record.description;
      if (trust.error) review.trustPolicyError = trust.error;
      if (isServiceLinked(record)) review.serviceLinked = true;
      const la = lastAccessed.get(record.arn);
      if (la) {
        review.leastPrivilege = joinLeastPrivilege({
          accountId: account.accountId,
          record,
          lastAccessed: la,
          granted: grantedOf(engine, resolved, catalog, record.arn),
          policies: resolved.policies,
          hasBoundary: record.permissionsBoundaryArn !== undefined,
          collectedAt,
        });
      }
      const analysed: AnalysedRole = { account, record, review, policies: resolved.policies };
      if (resolved.boundary) analysed.boundary = resolved.boundary;
      return analysed;
    });
}

/** The engine's granted actions, or undefined when it has none or fails (the join then reports the gap). */
function grantedOf(engine: PermissionsEngine, resolved: ReturnType<typeof rolePolicies>, catalog: ActionCatalog, principalArn: string) {
  if (!engine.grantedActions) return undefined;
  try {
    return engine.grantedActions(resolved.policies, catalog, resolved.boundary, { principalArn });
  } catch {
    return undefined;
  }
}

function evaluateRules(
  rules: readonly Rule[],
  context: ReviewContext,
  roles: ReadonlyMap<string, AnalysedRole>,
  grants: ReadonlyMap<string, TrustGrant>,
): Finding[] {
  const findings = new Map<string, Finding>();
  for (const rule of rules) {
    for (const hit of rule.evaluate(context)) {
      const finding = toFinding(rule, hit, roles, grants);
      // Two statements naming the same principal give the same id; the first (lowest statement) stands.
      if (!findings.has(finding.id)) findings.set(finding.id, finding);
    }
  }
  return [...findings.values()];
}

function toFinding(
  rule: Rule,
  hit: RuleHit,
  roles: ReadonlyMap<string, AnalysedRole>,
  grants: ReadonlyMap<string, TrustGrant>,
): Finding {
  const severity = hit.severity ?? rule.meta.severity;
  const role = roles.get(hit.roleArn ?? hit.resource);
  const grant = hit.grantId ? grants.get(hit.grantId) : undefined;
  const scoreInput: Parameters<typeof findingScore>[0] = { severity };
  if (grant) scoreInput.grant = grant;
  if (role) {
    scoreInput.permissions = role.review.permissions;
    scoreInput.unexpectedCallers = role.review.usage.callers.some((c) => c.grantId === undefined);
  }
  const finding: Finding = {
    id: findingId(rule.meta.id, hit.resource, hit.subject),
    ruleId: rule.meta.id,
    severity,
    title: rule.meta.title,
    accountId: hit.accountId,
    resource: hit.resource,
    message: hit.message,
    evidence: hit.evidence,
    remediation: hit.remediation ?? rule.meta.remediation,
    score: findingScore(scoreInput),
    status: 'open',
    subject: hit.subject,
  };
  if (hit.grantId) finding.grantId = hit.grantId;
  return finding;
}

/** The role a finding belongs to: its resource, or the role of its grant. */
function findingRole(finding: Finding, roles: ReadonlyMap<string, AnalysedRole>): string | undefined {
  if (roles.has(finding.resource)) return finding.resource;
  const fromGrant = finding.grantId?.split('#')[0];
  return fromGrant && roles.has(fromGrant) ? fromGrant : undefined;
}

function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      b.score - a.score ||
      SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
      compare(a.ruleId, b.ruleId) ||
      compare(a.resource, b.resource) ||
      compare(a.id, b.id),
  );
}

function accountReview(account: AccountContext): AccountReview {
  const review: AccountReview = {
    accountId: account.snapshot.accountId,
    analyzers: account.snapshot.accessAnalyzer.analyzers,
    coverage: account.snapshot.coverage,
    roles: account.roles.map((r) => r.review),
  };
  if (account.snapshot.accountName) review.accountName = account.snapshot.accountName;
  if (account.snapshot.usage.window) review.usageWindow = account.snapshot.usage.window;
  return review;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
