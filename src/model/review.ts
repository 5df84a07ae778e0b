/**
 * The review: the one model every output (HTML, PDF, JSON, CSV) renders from. Produced by `analyze` from a
 * snapshot, deterministically for a given `now`. Versioned like the snapshot: fields are only added within
 * a major version, because auditors' tools read archived review.json files months later.
 */
import type { CoverageItem, IsoTime, Tag, TimeWindow, Scope, AnalyzerRecord } from './snapshot.js';
import type { LeastPrivilegeOverview, RoleLeastPrivilege } from './least-privilege.js';
import type { OwnerRef, Ownership } from './ownership.js';

export const REVIEW_KIND = 'access-review/review';
export const REVIEW_SCHEMA_VERSION = '1.2';

export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

/** Who a trust statement lets in, from the reviewed account's point of view. */
export type PrincipalClass =
  | 'same-account'
  | 'org-account'
  | 'known-vendor'
  | 'external'
  | 'public'
  | 'service'
  | 'federated-oidc'
  | 'federated-saml'
  | 'deleted'
  | 'unknown';

export const PRINCIPAL_CLASSES: readonly PrincipalClass[] = [
  'public',
  'external',
  'known-vendor',
  'org-account',
  'same-account',
  'service',
  'federated-oidc',
  'federated-saml',
  'deleted',
  'unknown',
];

/** What the principal string names: the whole account (root) differs from one role or user. */
export type PrincipalKind =
  | 'wildcard'
  | 'account'
  | 'role'
  | 'user'
  | 'assumed-role'
  | 'federated-user'
  | 'service'
  | 'oidc-provider'
  | 'saml-provider'
  | 'unique-id'
  | 'canonical-user'
  | 'invalid';

export interface ClassifiedPrincipal {
  /** The principal exactly as written in the policy, e.g. "arn:aws:iam::111122223333:root". */
  raw: string;
  /** The Principal block key it came from: AWS, Service, Federated, CanonicalUser or "*". */
  type: 'AWS' | 'Service' | 'Federated' | 'CanonicalUser' | '*';
  kind: PrincipalKind;
  class: PrincipalClass;
  accountId?: string;
  /** For known vendors, the vendor's name and where the account id is published. */
  vendor?: { name: string; source: string };
  /** Human label: "Account 111122223333 (any principal)", "Role deploy in 444455556666", ... */
  label: string;
}

export type GuardKind =
  | 'external-id'
  | 'mfa'
  | 'principal-org-id'
  | 'principal-org-paths'
  | 'principal-account'
  | 'principal-arn'
  | 'source-account'
  | 'source-arn'
  | 'source-org-id'
  | 'oidc-aud'
  | 'oidc-sub'
  | 'saml-aud'
  | 'source-ip'
  | 'source-vpc'
  | 'other';

export interface Guard {
  kind: GuardKind;
  /** The condition operator as written, e.g. StringEquals, StringLike, ForAnyValue:StringLike, Bool. */
  operator: string;
  /** The condition key as written, e.g. sts:ExternalId, token.actions.githubusercontent.com:sub. */
  key: string;
  values: string[];
  /**
   * Whether the guard actually narrows who gets in: a StringLike "*" on sub, an IfExists on MFA or
   * Bool false on MultiFactorAuthPresent does not.
   */
  effective: boolean;
  /** Why it is judged ineffective, when it is. */
  note?: string;
  /** Values left out of `values` to keep the review's size linear (every value was judged). */
  valuesOmitted?: number;
  /**
   * For an effective guard on the caller's identity (PrincipalOrgID/OrgPaths, PrincipalAccount,
   * PrincipalArn) or on the party a service acts for (SourceAccount/SourceOwner, the account of SourceArn,
   * SourceOrgID/SourceOrgPaths): whether every value it admits lies inside the organization (or the role's account when
   * there is no organization), or some lies outside it — at a known vendor or an unknown party.
   */
  party?: GuardParty;
}

export type GuardParty = 'inside' | 'vendor' | 'outside';

export interface TrustGrant {
  /** Stable id: `${roleArn}#${statementIndex}#${principal.raw}`. */
  id: string;
  roleArn: string;
  accountId: string;
  statementIndex: number;
  sid?: string;
  actions: string[];
  principal: ClassifiedPrincipal;
  guards: Guard[];
  /** The statement's Condition block as written, kept as evidence (long value lists cut; see below). */
  conditions: Record<string, Record<string, string[]>>;
  /** Condition values left out of `conditions` (more than 25 under one key); snapshot.json has them all. */
  conditionValuesOmitted?: number;
  /**
   * Set when the grant admits nobody: a Deny or NotPrincipal statement in the same policy takes it away, or
   * its own condition cannot hold at review time (an expired aws:CurrentTime window). Says which.
   */
  negatedBy?: string;
  /**
   * Set when the grant's own condition is one no caller through its principal can satisfy (an external id
   * STS would refuse, an organization or account pin the principal is outside, a source key only services
   * carry, an expired window): the statement is dead, a hygiene matter rather than access. Says why.
   */
  dead?: string;
  usage: GrantUsage;
  /**
   * The assume actions this grant lets its principal call (sts:AssumeRole, sts:AssumeRoleWithSAML,
   * sts:AssumeRoleWithWebIdentity), after wildcards, NotAction and Deny statements; `actions` stays as written.
   */
  assumeActions?: string[];
}

/**
 * Whether use was seen, absence of use was proven, or neither: CloudTrail was not read completely for the
 * account, so an absent event proves nothing. `used` stays for readers of 1.0 reviews; it is true only when
 * use was seen.
 */
export type UsageState = 'used' | 'unused' | 'unknown';

export interface GrantUsage {
  used: boolean;
  /** Absent in reviews made before 1.1 (read `used` there). */
  state?: UsageState;
  /** Why the state is unknown: which source was not read, e.g. "CloudTrail not read in us-east-1 (AccessDenied)". */
  unknownReason?: string;
  count: number;
  firstSeen?: IsoTime;
  lastSeen?: IsoTime;
  /** Distinct callers seen through this grant (ARNs or account ids). */
  callers: string[];
}

export interface Caller {
  /** The caller ARN, identity provider, or account id, whatever CloudTrail recorded. */
  id: string;
  accountId?: string;
  eventName: string;
  count: number;
  mfaCount: number;
  firstSeen: IsoTime;
  lastSeen: IsoTime;
  /** The trust grant that admitted this caller; absent when none matches (unexpected caller). */
  grantId?: string;
}

export interface RoleUsage {
  /** As on GrantUsage: "unknown" when CloudTrail was not read completely and IAM reports no use either. */
  state?: UsageState;
  unknownReason?: string;
  /** From IAM RoleLastUsed. */
  lastUsed?: IsoTime;
  lastUsedRegion?: string;
  assumeCount: number;
  callers: Caller[];
}

export interface PermissionSummary {
  adminEquivalent: boolean;
  /**
   * Reads the account's data and configuration broadly, as ReadOnlyAccess does (ViewOnlyAccess does not);
   * the exact rule is in src/analyze/permissions/read-everything.ts. Narrower data reads such as s3:Get* on *
   * are listed in `sensitiveReads`.
   */
  readEverything: boolean;
  /** Escalation methods the role can use, by catalogue id, with the actions that enable each. */
  privilegeEscalation: {
    method: string;
    actions: string[];
    /** The method's title in the escalation catalogue (src/analyze/permissions/escalation-methods.ts). */
    title?: string;
    /** Per required action, the resources it is allowed on: "iam:PassRole on arn:aws:iam::*:role/app-*". */
    resources?: string[];
    /** True when some required action is allowed only under a Condition (or unless a conditional Deny applies). */
    conditional?: boolean;
    /** Where the method is published. */
    source?: string;
    /** Per required action, the resource patterns it is allowed on, unformatted: what the target judgement reads. */
    steps?: { action: string; resources: string[] }[];
    /**
     * The concrete targets in the snapshot the verdict was judged against (the role passed, the role or
     * policy changed), with what makes each one worth reaching; absent when a target is a wildcard or unknown.
     */
    targets?: string[];
  }[];
  /** Number of distinct allowed actions (after wildcard expansion, before conditions). */
  allowedActionCount: number;
  /** Actions allowed on "*" resources, truncated for display. */
  highlights: string[];
  /** Policies that could not be read, so the summary is a lower bound. */
  gaps: string[];
  policies: { name: string; arn?: string; kind: 'inline' | 'managed' | 'aws-managed' }[];
  /** Why adminEquivalent is true, in one sentence naming the rule and the grant; absent when false. */
  adminEquivalentReason?: string;
  /** Statements that qualify the flags above: what holds only under a Condition, what a Deny still blocks. */
  caveats?: string[];
  /** Data-plane reads (objects, items, secrets, parameters, decryption) allowed on every resource. */
  sensitiveReads?: string[];
  /**
   * Statements no session of this role can satisfy (a Resource built only on ${aws:username}, which role
   * sessions lack): left out of the summary and reported as dead grants.
   */
  deadStatements?: { policy: string; statement: number; label: string; reason: string }[];
  /** Action names or patterns in Allow statements that match nothing in the action catalogue (typos, retired). */
  uncataloguedActions?: string[];
  /** The permissions boundary intersected into this summary, when the role has one. */
  boundary?: { name: string; arn?: string };
  /** Version of the action catalogue the wildcards were expanded against. */
  catalogVersion?: string;
}

export interface Evidence {
  label: string;
  value: string;
}

export type FindingStatus = 'open' | 'suppressed' | 'suppression-expired';

export interface Finding {
  /** Stable across runs for the same rule, resource and subject (for diffs and suppressions). */
  id: string;
  ruleId: string;
  severity: Severity;
  title: string;
  accountId: string;
  /** The ARN (or account id) the finding is about. */
  resource: string;
  grantId?: string;
  message: string;
  evidence: Evidence[];
  remediation: string;
  score: number;
  status: FindingStatus;
  suppression?: AppliedSuppression;
  /** What within the resource the finding is about (a principal, an analyzer finding id, a region...). */
  subject?: string;
  /** Since 1.2: who owns it (its role's owner, else its account's), with where that came from. */
  owner?: OwnerRef;
}

export interface AppliedSuppression {
  ruleId: string;
  resource: string;
  reason: string;
  owner: string;
  expires: string;
}

export interface RoleReview {
  arn: string;
  name: string;
  accountId: string;
  path: string;
  createDate?: IsoTime;
  description?: string;
  tags: Tag[];
  /** Trust policy could not be read: the role is shown with this gap instead of its grants. */
  trustPolicyError?: string;
  trustGrants: TrustGrant[];
  permissions: PermissionSummary;
  usage: RoleUsage;
  findingIds: string[];
  riskScore: number;
  /** AWS-owned role (path /aws-service-role/): its trust cannot be edited, so rules leave it alone. */
  serviceLinked?: boolean;
  /** Since 1.1: granted vs used (IAM Access Advisor) and the right-sized policy draft, when collected. */
  leastPrivilege?: RoleLeastPrivilege;
}

export interface AccountReview {
  accountId: string;
  accountName?: string;
  analyzers: AnalyzerRecord[];
  coverage: CoverageItem[];
  roles: RoleReview[];
  /** The CloudTrail window actually read for this account, when usage was collected. */
  usageWindow?: TimeWindow;
}

export interface ReachPath {
  /**
   * Where the path starts: an external account id, "*", a provider ARN, ..., or a reviewed role's (or an
   * inside IAM user's) ARN, whose paths are kept only where they reach an admin-equivalent role.
   */
  from: string;
  fromClass: PrincipalClass;
  to: string;
  hops: string[];
  targetAdminEquivalent: boolean;
  /** Human label of the starting point, e.g. "Datadog (account 464622532012, any principal)". */
  fromLabel?: string;
  /** True when some hop depends on a conditional sts:AssumeRole permission. */
  conditional?: boolean;
  /**
   * Whether the start is a party outside the organization (anyone, an account outside it, a vendor, a
   * third-party OIDC issuer such as GitHub) rather than one of the organization's own identity providers
   * (its SAML providers, its own EKS clusters' OIDC issuers, its own roles and users). Absent in reviews made
   * before it was added.
   */
  fromOutside?: boolean;
}

export interface TopAction {
  title: string;
  /** The median severity of its findings, so a minority of critical ones does not label the whole group. */
  severity: Severity;
  findingIds: string[];
  score: number;
  ruleId?: string;
  /** Why it matters, in one line (the rule's rationale). */
  why?: string;
  /** How to fix it in general (the rule's remediation). */
  fix?: string;
  /** The concrete change for one role, when the rule can give one (a Condition block with the values filled in). */
  example?: { roleArn: string; change: string };
  /** Open findings per severity in the group. */
  bySeverity?: Partial<Record<Severity, number>>;
  bestPractice?: BestPractice[];
  /**
   * Since 1.2: the owners of its findings, most findings first (a group can span teams). Each names the
   * owner only; a finding's own `owner` carries the evidence for it.
   */
  owners?: OwnerRef[];
}

/** The practices the rules enforce (DESIGN.md). */
export type BestPractice = 'least-privilege' | 'role-based-trust' | 'logging-and-monitoring' | 'periodic-review' | 'mfa';

export const PRACTICE_TITLES: Record<BestPractice, string> = {
  'least-privilege': 'Least privilege',
  'role-based-trust': 'Role-based trust',
  'logging-and-monitoring': 'Logging and monitoring',
  'periodic-review': 'Periodic access review',
  mfa: 'Multi-factor authentication',
};

export interface ReviewSummary {
  accounts: number;
  roles: number;
  trustGrants: number;
  grantsByClass: Record<PrincipalClass, number>;
  findingsBySeverity: Record<Severity, number>;
  openFindings: number;
  suppressedFindings: number;
  unusedRoles: number;
  unusedCrossAccountGrants: number;
  coverageGaps: number;
  riskScore: number;
  topActions: TopAction[];
  /** Accounts whose roles were read (entered, and the IAM inventory collected at least in part); of `accounts`. */
  accountsReviewed?: number;
  /** Cross-account grants whose use is unknown (CloudTrail not read completely): not counted as unused. */
  unknownUsageCrossAccountGrants?: number;
}

export interface ReviewChanges {
  previousRunId: string;
  previousGeneratedAt: IsoTime;
  newGrants: string[];
  /** Gone from an account whose IAM inventory was read completely both times. */
  removedGrants: string[];
  newFindings: string[];
  /** Gone although everything the finding depends on was read successfully both times. */
  resolvedFindings: string[];
  reopenedFindings: string[];
  /**
   * In the previous review, absent now, and in an account or source this run could not read: carried
   * forward as "not reviewed this time", never counted as removed or resolved.
   */
  notReviewedGrants?: string[];
  notReviewedFindings?: string[];
  /** Present now in an account the previous review could not read: not "new", just not seen before. */
  notPreviouslyReviewedGrants?: string[];
  /** Why items were carried forward: per account, the sources not read this time. */
  notReviewed?: { accountId: string; sources: string[]; reason: string }[];
  /** Who and what each changed item is (rule, role, account), including those only the previous review holds. */
  findingDetails?: Record<string, ChangedFinding>;
  grantDetails?: Record<string, ChangedGrant>;
  /** Open findings in the previous review (for "112 open, −6"). */
  previousOpenFindings?: number;
  previousFindingsBySeverity?: Record<Severity, number>;
  previousTrustGrants?: number;
  previousAccountsReviewed?: number;
}

export interface ChangedFinding {
  ruleId: string;
  title: string;
  severity: Severity;
  accountId: string;
  resource: string;
  roleArn?: string;
  subject?: string;
}

export interface ChangedGrant {
  roleArn: string;
  accountId: string;
  principal: string;
  principalLabel?: string;
  principalClass?: PrincipalClass;
  /** 1-based, as the console shows. */
  statement: number;
}

/** The effective configuration the run was made with (secrets redacted), and its SHA-256. */
export interface RunConfiguration {
  sha256: string;
  /** What a reader needs to judge the review, as configured: window, regions, vendors, suppressions, thresholds, output. */
  echo: ConfigEcho;
}

export interface ConfigEcho {
  mode: 'account' | 'organization';
  accounts: string[];
  excludeAccounts: string[];
  regions: string[];
  lookbackDays: number;
  /** The configured usage source, e.g. "organization trail s3://bucket/prefix/" (which one "auto" took is in the coverage). */
  usageSource?: string;
  cloudtrailEnabled: boolean;
  incremental: boolean;
  accessAnalyzerEnabled: boolean;
  unusedAfterDays: number;
  vendors: { source: string; count: number; extra: number };
  suppressions: { ruleId: string; resource: string; owner: string; expires: string }[];
  output: { formats: string[]; pdfRoles: string; pdfAccessible: boolean; paper: string };
  actionCatalogVersion?: string;
  /** Since 1.2: how owners were resolved (the list itself, with its addresses, is in the configuration digest only). */
  owners?: { roleTagKeys: string[]; accountTagKeys: string[]; configured: number; reports: boolean; allClear: 'send' | 'skip' };
}

/** One practice of the five, with its figures and the findings of its rules. */
export interface PracticeRollup {
  practice: BestPractice;
  title: string;
  figures: { label: string; value: number | string }[];
  openFindings: number;
  findingIds: string[];
  /** What the figures could not see (sources not read). */
  caveats: string[];
}

export interface Review {
  kind: typeof REVIEW_KIND;
  schemaVersion: string;
  runId: string;
  generatedAt: IsoTime;
  snapshotCollectedAt: IsoTime;
  tool: { name: string; version: string };
  scope: Scope;
  window: TimeWindow;
  organization?: { id: string; managementAccountId: string };
  summary: ReviewSummary;
  accounts: AccountReview[];
  findings: Finding[];
  reach: ReachPath[];
  unmatchedSuppressions: AppliedSuppression[];
  changes?: ReviewChanges;
  /**
   * Set when a previous review exists but could not be used (it failed its manifest's SHA-256 or the review
   * schema, or the archive could not be read): the report says so instead of calling this the first review.
   */
  changesUnavailableReason?: string;
  coverage: (CoverageItem & { accountId: string })[];
  /** Version of the action catalogue the permissions were expanded against. */
  actionCatalogVersion?: string;
  /** Since 1.1: one line per role with Access Advisor data, for the least-privilege part of the report. */
  leastPrivilege?: LeastPrivilegeOverview;
  /** Configured suppressions that were not applied because they are incomplete (no reason, no owner, bad date). */
  invalidSuppressions?: { suppression: AppliedSuppression; problem: string }[];
  /** Number of reach paths left out of `reach` to keep the review readable (the longest, least privileged). */
  reachTruncated?: number;
  /** The configuration the run was made with (absent when analysed without one, e.g. in tests). */
  configuration?: RunConfiguration;
  /** The five practices, one part each. */
  practices?: PracticeRollup[];
  /** Since 1.2: who owns each reviewed role and account, the owners with their figures, and what nobody owns. */
  ownership?: Ownership;
  reportScope?: ReportScope;
}

/** Whose report this is and what it covers: the report and its email say so on the first line. */
export interface ReportScope {
  ownerId: string;
  ownerName: string;
  /** The owner's accounts that are in this review. */
  accountIds: string[];
  /** The owner's roles that are in this review. */
  roles: number;
}
