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
  type Evidence,
  type Finding,
  type ReachPath,
  type Review,
  type RoleReview,
  type RunConfiguration,
  type TrustGrant,
} from '../model/review.js';
import type { AnalysisSettings, VendorAccount } from '../model/settings.js';
import type { AccountSnapshot, AssumeAggregate, RoleRecord, Snapshot } from '../model/snapshot.js';
import { diffReviews } from './changes.js';
import { judgeEscalationTargets, type TargetRole } from './escalation-targets.js';
import { isServiceLinked, type AccountContext, type ReviewContext, type RoleContext } from './context.js';
import type { AccessVerdict, PermissionQuestions, PermissionsEngine, PolicyInput, TrustAdmission } from './engine.js';
import { findingId } from './finding-id.js';
import { concreteFix, type FixContext } from './fixes.js';
import { practiceRollup } from './practices.js';
import { buildReach, type ReachNode } from './reach.js';
import { isInternalEscalation } from './rules/reach-role-to-admin.js';
import { rolePolicies } from './role-permissions.js';
import { sharedPermissions, type SharedPermissions } from './shared-permissions.js';
import { RULES, ruleById } from './rules/index.js';
import type { Rule, RuleHit } from './rules/rule.js';
import { aggregateScore, findingScore, topActions } from './scoring.js';
import { summarize } from './summary.js';
import { applySuppressions } from './suppressions.js';
import { analyzeTrustPolicy, type TrustContext } from './trust/grants.js';
import { joinUsage } from './usage.js';
import { joinLeastPrivilege } from './least-privilege/join.js';
import { leastPrivilegeOverview } from './least-privilege/overview.js';
import { applyUsageState, usageUnknownReason } from './usage-state.js';
import { vendorIndex } from './vendors.js';
import { boundReview } from './bound-evidence.js';
import { ownerOfFinding, ownersOf, resolveOwnership } from './owners.js';
import { OWNERS_DEFAULTS, type OwnerRef } from '../model/ownership.js';

export interface AnalyzeOptions {
  now: Date;
  settings: AnalysisSettings;
  catalog: ActionCatalog;
  vendors: VendorAccount[];
  previous?: Review;
  /** The run's configuration digest and echo, computed by the caller (the analysis reads no config file). */
  configuration?: RunConfiguration;
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
  // One cache for the whole organization: AWS managed policies are the same document in every account.
  const shared = sharedPermissions(options.catalog, engine, options.now);
  const leastPrivilegeInputs = { catalog: options.catalog, engine, collectedAt: snapshot.collectedAt, granted: new Map<string, Granted | undefined>() };

  const accounts = [...snapshot.accounts]
    .sort((a, b) => compare(a.accountId, b.accountId))
    .map((account): AnalysedAccount => {
      const trustContext: TrustContext = { accountId: account.accountId, orgAccountIds, vendors, now: options.now };
      if (organizationId) trustContext.organizationId = organizationId;
      return { snapshot: account, roles: analyseRoles(account, trustContext, shared, leastPrivilegeInputs) };
    });

  applyEscalationTargets(accounts, shared.engine(), options.catalog, options.now, snapshot.shard === undefined, organizationId);

  const nodes: ReachNode[] = accounts.flatMap((account) =>
    account.roles.map((role) => {
      const node: ReachNode = {
        arn: role.record.arn,
        accountId: role.review.accountId,
        grants: role.review.trustGrants,
        policies: role.policies,
        adminEquivalent: role.review.permissions.adminEquivalent,
        policyKey: shared.keyOf(role.policies, role.boundary),
      };
      if (role.boundary) node.boundary = role.boundary;
      return node;
    }),
  );
  const reach = buildReach(nodes, shared.engine(), options.catalog, undefined, options.now, organizationId);
  addAssumeEscalations(accounts, reach.paths);

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
  const ownership = resolveOwnership(snapshot, options.settings.owners ?? OWNERS_DEFAULTS);
  const findings = sortFindings(suppressed.findings).map((f) => ({ ...f, owner: ownerOfFinding(f, ownership) }));
  const ownerByFinding = new Map<string, OwnerRef>(findings.map((f) => [f.id, f.owner]));
  const openByOwner = new Map<string, number>();
  for (const f of findings) if (f.status !== 'suppressed') openByOwner.set(f.owner.id, (openByOwner.get(f.owner.id) ?? 0) + 1);
  for (const summary of ownership.owners) summary.openFindings = openByOwner.get(summary.id) ?? 0;

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

  const actions = topActions(
    findings,
    (id) => ruleById(id)?.meta,
    (finding) => {
      const fixContext: FixContext = {};
      if (organizationId) fixContext.organizationId = organizationId;
      const grant = finding.grantId ? grants.get(finding.grantId) : undefined;
      if (grant) {
        fixContext.grant = grant;
        const name = roles.get(grant.roleArn)?.record.name;
        if (name) fixContext.roleName = name;
      }
      return concreteFix(finding, fixContext);
    },
  ).map((action) => ({ ...action, owners: ownersOf(action.findingIds, ownerByFinding) }));
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
    coverage: [
      ...accounts.flatMap((a) => a.snapshot.coverage.map((item) => ({ ...item, accountId: a.snapshot.accountId }))),
      // The tree and tag reads are the organization's, made from the management account (or delegate).
      ...(snapshot.organization?.coverage ?? []).map((item) => ({ ...item, accountId: snapshot.organization?.managementAccountId ?? '' })),
    ],
    actionCatalogVersion: options.catalog.version,
    ownership,
  };
  if (snapshot.organization) {
    review.organization = { id: snapshot.organization.id, managementAccountId: snapshot.organization.managementAccountId };
  }
  const overview = leastPrivilegeOverview(accounts.flatMap((a) => a.roles.map((r) => r.review)));
  if (overview) review.leastPrivilege = overview;
  if (options.configuration) {
    review.configuration = {
      sha256: options.configuration.sha256,
      echo: { ...options.configuration.echo, actionCatalogVersion: options.catalog.version },
    };
  }
  if (suppressed.invalid.length > 0) review.invalidSuppressions = suppressed.invalid;
  if (reach.truncated > 0) review.reachTruncated = reach.truncated;
  if (options.previous) {
    const allGrants = accounts.flatMap((a) => a.roles.flatMap((r) => r.review.trustGrants));
    const unreadableTrustRoles = new Set(
      accounts.flatMap((a) => a.roles.filter((r) => r.review.trustPolicyError !== undefined).map((r) => r.record.arn)),
    );
    review.changes = diffReviews(options.previous, { grants: allGrants, findings, coverage: review.coverage, unreadableTrustRoles });
  }
  review.practices = practiceRollup(
    context,
    findings,
    (ruleId) => ruleById(ruleId)?.meta.bestPractice ?? [],
    options.previous ? { runId: options.previous.runId, generatedAt: options.previous.generatedAt } : undefined,
    review.changes,
  );
  return boundReview(review);
}

function analyseRoles(
  account: AccountSnapshot,
  trustContext: TrustContext,
  shared: SharedPermissions,
  leastPrivilege: { catalog: ActionCatalog; engine: PermissionsEngine; collectedAt: string; granted: Map<string, Granted | undefined> },
): AnalysedRole[] {
  const lastAccessed = new Map((account.lastAccessed?.roles ?? []).map((r) => [r.roleArn, r]));
  const managed = new Map(account.managedPolicies.map((policy) => [policy.arn, policy]));
  const assumptions = new Map<string, AssumeAggregate[]>();
  for (const aggregate of account.usage.assumptions) {
    const list = assumptions.get(aggregate.roleArn);
    if (list) list.push(aggregate);
    else assumptions.set(aggregate.roleArn, [aggregate]);
  }
  const unknownReason = usageUnknownReason(account);
  return [...account.roles]
    .sort((a, b) => compare(a.arn, b.arn))
    .map((record) => {
      const trust = analyzeTrustPolicy(record, trustContext);
      const resolved = rolePolicies(record, managed);
      const permissions = shared.summarize(record, resolved);
      const usage = joinUsage(record, trust.grants, assumptions.get(record.arn) ?? []);
      applyUsageState(trust.grants, usage, unknownReason);
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
          granted: grantedOf(leastPrivilege.engine, resolved, leastPrivilege.catalog, record.arn, leastPrivilege.granted),
          policies: resolved.policies,
          hasBoundary: record.permissionsBoundaryArn !== undefined,
          collectedAt: leastPrivilege.collectedAt,
        });
      }
      const analysed: AnalysedRole = { account, record, review, policies: resolved.policies };
      if (resolved.boundary) analysed.boundary = resolved.boundary;
      return analysed;
    });
}

/**
 * Judges each escalation method against its concrete target where the snapshot holds it (see
 * escalation-targets.ts). Each role's summary is replaced, not changed in place: summaries are shared.
 */
function applyEscalationTargets(
  accounts: readonly AnalysedAccount[],
  engine: PermissionsEngine,
  catalog: ActionCatalog,
  now: Date,
  whole: boolean,
  organizationId: string | undefined,
): void {
  // One shard holds only part of an account's roles; elsewhere an account whose role inventory was read
  // whole knows which of its managed policies no role carries.
  const inventoried = new Set(
    whole ? accounts.filter((a) => a.snapshot.coverage.some((c) => c.source === 'iam' && c.status === 'ok')).map((a) => a.snapshot.accountId) : [],
  );
  const analysed = new Map<string, AnalysedRole>();
  const targets: TargetRole[] = accounts.flatMap((account) =>
    account.roles.map((role) => {
      analysed.set(role.record.arn, role);
      return {
        arn: role.record.arn,
        accountId: role.review.accountId,
        permissions: role.review.permissions,
        grants: role.review.trustGrants,
        attached: role.record.attachedPolicies.map((p) => p.arn),
      };
    }),
  );
  const evaluators = new Map<string, PermissionQuestions>();
  const canAssume = (from: TargetRole, target: string, admission: TrustAdmission): AccessVerdict | undefined => {
    const role = analysed.get(from.arn);
    if (!role) return undefined;
    try {
      if (!engine.createPermissionEvaluator) return engine.canAssume([...role.policies], target, admission, catalog, role.boundary);
      let evaluator = evaluators.get(from.arn);
      if (!evaluator) {
        evaluator = engine.createPermissionEvaluator([...role.policies], catalog, role.boundary, { principalArn: from.arn, now });
        evaluators.set(from.arn, evaluator);
      }
      return evaluator.canAssume(target, admission);
    } catch {
      return undefined; // an evaluation failure shows on the role's own summary, not guessed here
    }
  };
  const judged = judgeEscalationTargets(targets, canAssume, inventoried, { now, ...(organizationId ? { organizationId } : {}) });
  for (const role of analysed.values()) {
    const verdict = judged.get(role.record.arn);
    if (!verdict) continue;
    const permissions = { ...role.review.permissions, privilegeEscalation: verdict.privilegeEscalation };
    if (verdict.cleared.length > 0) permissions.caveats = [...(permissions.caveats ?? []), ...verdict.cleared];
    role.review.permissions = permissions;
  }
}

type Granted = ReturnType<NonNullable<PermissionsEngine['grantedActions']>>;

/**
 * The engine's granted actions, or undefined when it has none or fails (the join then reports the gap).
 * Thousands of roles attach the same few managed policies and each expansion walks the whole catalogue,
 * so results are kept, for one snapshot (where an ARN names one document), per identical policy set (inline
 * ones by name and content) and partition.
 */
function grantedOf(
  engine: PermissionsEngine,
  resolved: ReturnType<typeof rolePolicies>,
  catalog: ActionCatalog,
  principalArn: string,
  byKey: Map<string, Granted | undefined>,
) {
  if (!engine.grantedActions) return undefined;
  const identify = (p: PolicyInput): string => (p.arn !== undefined ? `arn:${p.arn}` : `inline:${p.name}:${JSON.stringify(p.policy)}`);
  const key = JSON.stringify([principalArn.split(':')[1] ?? 'aws', resolved.policies.map(identify), resolved.boundary ? identify(resolved.boundary) : null]);
  if (byKey.has(key)) return byKey.get(key);
  let granted: Granted | undefined;
  try {
    granted = engine.grantedActions(resolved.policies, catalog, resolved.boundary, { principalArn });
  } catch {
    granted = undefined;
  }
  byKey.set(key, granted);
  return granted;
}

/** Escalation methods the permission summary cannot see alone: the trust side decides which roles a role may assume. */
const ASSUME_METHOD = {
  method: 'sts-assume-more-privileged-role',
  title: 'Assume a more privileged role',
  actions: ['sts:AssumeRole'],
  source: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html',
};
const PATHS_PER_METHOD = 5;

function addAssumeEscalations(accounts: readonly AnalysedAccount[], paths: readonly ReachPath[]): void {
  const byStart = new Map<string, ReachPath[]>();
  for (const path of paths) {
    if (!isInternalEscalation(path)) continue;
    const list = byStart.get(path.from);
    if (list) list.push(path);
    else byStart.set(path.from, [path]);
  }
  for (const account of accounts) {
    for (const role of account.roles) {
      const mine = byStart.get(role.record.arn);
      if (!mine) continue;
      const shown = mine.slice(0, PATHS_PER_METHOD).map((path) => `sts:AssumeRole along ${[path.from, ...path.hops].join(' → ')}`);
      if (mine.length > PATHS_PER_METHOD) shown.push(`and ${mine.length - PATHS_PER_METHOD} more admin-equivalent role(s) in the reach graph`);
      role.review.permissions.privilegeEscalation = [
        ...role.review.permissions.privilegeEscalation,
        { ...ASSUME_METHOD, resources: shown, conditional: mine.every((path) => path.conditional === true) },
      ];
    }
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
    evidence: withStatement(hit.evidence, grant, role?.record),
    remediation: hit.remediation ?? rule.meta.remediation,
    score: findingScore(scoreInput),
    status: 'open',
    subject: hit.subject,
  };
  if (hit.grantId) finding.grantId = hit.grantId;
  return finding;
}

/**
 * The trust statement behind a grant finding, as written, so an auditor can quote it: numbered from 1 as
 * the console shows. Statement indexes count the policy's Statement array (or the single object).
 */
function withStatement(evidence: Evidence[], grant: TrustGrant | undefined, record: RoleRecord | undefined): Evidence[] {
  if (!grant || !record || !record.trustPolicy.ok) return evidence;
  const document = record.trustPolicy.document as { Statement?: unknown } | null;
  const statements = Array.isArray(document?.Statement) ? document.Statement : document?.Statement !== undefined ? [document.Statement] : [];
  const statement: unknown = statements[grant.statementIndex];
  if (statement === undefined) return evidence;
  return [...evidence, { label: `Statement ${grant.statementIndex + 1} as written`, value: JSON.stringify(statement, null, 2) }];
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
