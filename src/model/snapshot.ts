/**
 * The snapshot: everything one run collected, as plain JSON. It is a contract (schemas/snapshot.schema.json):
 * `analyze` and `render` can run again from a stored snapshot without touching AWS, so a field is only ever
 * added (a minor change) or the major version is bumped with a migration.
 */

export const SNAPSHOT_KIND = 'access-review/snapshot';
export const SNAPSHOT_SCHEMA_VERSION = '1.5';

/** An ISO-8601 timestamp in UTC, e.g. 2026-11-25T06:00:00.000Z. */
export type IsoTime = string;

export interface Snapshot {
  kind: typeof SNAPSHOT_KIND;
  schemaVersion: string;
  runId: string;
  collectedAt: IsoTime;
  tool: { name: string; version: string };
  scope: Scope;
  /** Present when the organization could be listed; its account ids decide "organization account". */
  organization?: OrganizationInfo;
  accounts: AccountSnapshot[];
  /** Set on one shard's part of a sharded collection; the merged snapshot has none. */
  shard?: ShardInfo;
}

export interface ShardInfo {
  /** 0-based, below count. */
  index: number;
  count: number;
  /** Shared by every shard of one collection, e.g. the Kubernetes Job name. */
  group: string;
}

export interface Scope {
  mode: 'account' | 'organization';
  /** Regions read for regional sources (Access Analyzer, CloudTrail). */
  regions: string[];
  /** The CloudTrail window the run asked for. */
  window: TimeWindow;
  /**
   * Since 1.5: the collection settings the report's configuration appendix states. A snapshot re-analyzed
   * later with another configuration must still say how it was collected, not how the analyst's config reads.
   */
  collectedWith?: CollectionSettings;
}

export interface CollectionSettings {
  /** The configured usage source in words (which one "auto" took is in the coverage). */
  usageSource: string;
  lookbackDays: number;
  cloudtrailEnabled: boolean;
  incremental: boolean;
  accessAnalyzerEnabled: boolean;
}

export interface TimeWindow {
  start: IsoTime;
  end: IsoTime;
}

export interface OrganizationInfo {
  id: string;
  managementAccountId: string;
  accounts: OrgAccount[];
  /** Since 1.4: the roots of the organization tree; absent when the tree was not read (see `coverage`). */
  roots?: OrgRoot[];
  /** Since 1.4: every organizational unit with its parent (a root or OU id). */
  organizationalUnits?: OrgUnit[];
  /**
   * Since 1.4: how the organization-level sources read for ownership fared (the tree, account tags). An
   * owner the report cannot name because one failed is then explained, not silently "unassigned".
   */
  coverage?: CoverageItem[];
}

export interface OrgRoot {
  id: string;
  name: string;
}

export interface OrgUnit {
  id: string;
  name: string;
  parentId: string;
}

export interface OrgAccount {
  id: string;
  name: string;
  email?: string;
  status: string;
  /** Since 1.4: the root or OU the account sits in directly, when the tree was read. */
  parentId?: string;
  /** Since 1.4: the account's tags in AWS Organizations; absent when not read (empty: read, none set). */
  tags?: Tag[];
}

export interface AccountSnapshot {
  accountId: string;
  accountName?: string;
  roles: RoleRecord[];
  /** Managed policies attached to the account's roles, keyed by ARN in the list. */
  managedPolicies: ManagedPolicyRecord[];
  accessAnalyzer: AccessAnalyzerData;
  usage: UsageData;
  coverage: CoverageItem[];
  /** IAM service and action last-accessed data (Access Advisor) per role; since 1.3, absent when not collected. */
  lastAccessed?: LastAccessedData;
}

/** Which roles Access Advisor was asked about, and what it said for each. */
export interface LastAccessedData {
  /** "outside-account": roles a principal outside their account can assume; "all": every role. */
  selection: 'outside-account' | 'all';
  roles: RoleLastAccessed[];
}

/**
 * One GenerateServiceLastAccessedDetails job. Only "completed" carries services; any other status is a
 * gap for that role, never an empty (unused) record.
 */
export interface RoleLastAccessed {
  roleArn: string;
  status: 'completed' | 'failed' | 'timed-out' | 'error';
  granularity: 'ACTION_LEVEL' | 'SERVICE_LEVEL';
  jobId?: string;
  jobCreatedAt?: IsoTime;
  /** When IAM finished the report: the end of the tracking window. */
  jobCompletedAt?: IsoTime;
  /** Why the job gave no data (IAM's Error, the timeout, or the API error). */
  error?: string;
  services: ServiceLastAccessedRecord[];
}

/** One service the role's permission policies allow, as IAM reports it (boundaries and SCPs aside). */
export interface ServiceLastAccessedRecord {
  namespace: string;
  name?: string;
  /** Absent when the role did not use the service in IAM's tracking period (400 days). */
  lastAuthenticated?: IsoTime;
  region?: string;
  entity?: string;
  /** Present only for services with action-level tracking: the tracked actions the policies allow. */
  trackedActions?: TrackedActionRecord[];
}

export interface TrackedActionRecord {
  /** "service:Action" as AWS spells the action. */
  action: string;
  lastAccessed?: IsoTime;
  region?: string;
  entity?: string;
}

export interface Tag {
  key: string;
  value: string;
}

/**
 * A policy document as decoded from IAM (URL-decoded, JSON-parsed). When decoding fails the raw text and
 * the reason are kept instead, so the gap shows in the report rather than the role disappearing.
 */
export type PolicyDocumentField =
  | { ok: true; document: unknown }
  | { ok: false; raw: string; error: string };

export interface InlinePolicy {
  name: string;
  policy: PolicyDocumentField;
}

export interface AttachedPolicyRef {
  arn: string;
  name: string;
}

export interface RoleRecord {
  arn: string;
  name: string;
  roleId: string;
  path: string;
  createDate?: IsoTime;
  description?: string;
  maxSessionDuration?: number;
  trustPolicy: PolicyDocumentField;
  inlinePolicies: InlinePolicy[];
  attachedPolicies: AttachedPolicyRef[];
  permissionsBoundaryArn?: string;
  tags: Tag[];
  /** IAM's RoleLastUsed (trailing 400 days); absent when IAM reports no use in that period. */
  lastUsed?: { date?: IsoTime; region?: string };
}

export interface ManagedPolicyRecord {
  arn: string;
  name: string;
  awsManaged: boolean;
  defaultVersionId?: string;
  policy: PolicyDocumentField;
}

export interface AccessAnalyzerData {
  analyzers: AnalyzerRecord[];
  findings: AnalyzerFinding[];
}

export type AnalyzerType =
  | 'ACCOUNT'
  | 'ORGANIZATION'
  | 'ACCOUNT_UNUSED_ACCESS'
  | 'ORGANIZATION_UNUSED_ACCESS'
  | 'ACCOUNT_INTERNAL_ACCESS'
  | 'ORGANIZATION_INTERNAL_ACCESS';

export interface AnalyzerRecord {
  arn: string;
  name: string;
  type: AnalyzerType | string;
  status: string;
  region: string;
}

export type AnalyzerFindingType =
  | 'ExternalAccess'
  | 'InternalAccess'
  | 'UnusedIAMRole'
  | 'UnusedIAMUserAccessKey'
  | 'UnusedIAMUserPassword'
  | 'UnusedPermission';

export interface AnalyzerFinding {
  id: string;
  analyzerArn: string;
  region: string;
  findingType: AnalyzerFindingType | string;
  resource?: string;
  resourceType: string;
  resourceOwnerAccount: string;
  status: 'ACTIVE' | 'ARCHIVED' | 'RESOLVED' | string;
  createdAt?: IsoTime;
  updatedAt?: IsoTime;
  details: AnalyzerFindingDetail[];
}

export type AnalyzerFindingDetail =
  | {
      kind: 'externalAccess';
      principal: Record<string, string>;
      action: string[];
      condition: Record<string, string>;
      isPublic: boolean;
    }
  | { kind: 'unusedIamRole'; lastAccessed?: IsoTime }
  | {
      kind: 'unusedPermission';
      serviceNamespace: string;
      actions: { action: string; lastAccessed?: IsoTime }[];
      lastAccessed?: IsoTime;
    }
  | { kind: 'other'; raw: unknown };

export type AssumeEventName =
  | 'AssumeRole'
  | 'AssumeRoleWithSAML'
  | 'AssumeRoleWithWebIdentity'
  | string;

/** CloudTrail AssumeRole* events aggregated per role, caller and event name. */
export interface AssumeAggregate {
  roleArn: string;
  eventName: AssumeEventName;
  /** The calling account as CloudTrail recorded it; absent for federated callers. */
  callerAccountId?: string;
  /** The caller's ARN, or the identity provider for federated calls, when the record carries it. */
  callerArn?: string;
  /** userIdentity.type of the records (IAMUser, AssumedRole, AWSService, SAMLUser, WebIdentityUser, ...). */
  callerType?: string;
  count: number;
  mfaCount: number;
  withExternalIdCount: number;
  firstSeen: IsoTime;
  lastSeen: IsoTime;
  regions: string[];
}

export interface UsageData {
  /** The CloudTrail window actually covered (may be shorter than asked: event history keeps 90 days). */
  window?: TimeWindow;
  regions: string[];
  /** Events read from CloudTrail by this run (days reused from the previous run's ledger not counted). */
  eventsRead: number;
  assumptions: AssumeAggregate[];
  /**
   * Per region, the window's aggregates by UTC day, carried to the next run so that it reads only the
   * events after `coveredUntil` instead of the whole window again (CloudTrail allows 2 reads a second).
   */
  ledger?: UsageLedger[];
}

export interface UsageLedger {
  region: string;
  /** The event names scanned; a run asking for others cannot reuse the ledger. */
  eventNames: string[];
  /** Every event before this instant within the days below is counted in them; none at or after it. */
  coveredUntil: IsoTime;
  /** The distinct role, event and caller combinations the rows refer to by position. */
  keys: UsageLedgerKey[];
  /**
   * One row per key and UTC day with events, kept compact because a large organization has millions:
   * [day YYYY-MM-DD, key index, count, mfaCount, withExternalIdCount, firstSeen, lastSeen (epoch seconds)].
   */
  rows: UsageLedgerRow[];
}

export interface UsageLedgerKey {
  roleArn: string;
  eventName: AssumeEventName;
  callerAccountId?: string;
  callerArn?: string;
  callerType?: string;
}

export type UsageLedgerRow = [day: string, key: number, count: number, mfaCount: number, withExternalIdCount: number, firstSeen: number, lastSeen: number];

export type CoverageSource =
  | 'organizations'
  /** Since 1.4: the organization tree (roots, OUs, each account's parent). */
  | 'organizations-tree'
  /** Since 1.4: account tags in AWS Organizations. */
  | 'organizations-tags'
  | 'sts'
  | 'iam'
  | 'access-analyzer'
  | 'cloudtrail'
  | 'iam-last-accessed';

export type CoverageStatus = 'ok' | 'partial' | 'failed' | 'skipped';

export interface CoverageItem {
  source: CoverageSource;
  region?: string;
  status: CoverageStatus;
  /** One sentence a reader can act on, e.g. which permission is missing. */
  detail?: string;
  errorCode?: string;
  /** The HTTP status of the failed answer, also when it was not an AWS error (a proxy's 502, an HTML page). */
  httpStatus?: number;
  apiCalls?: number;
}

/**
 * A managed policy's name from its ARN: the last path segment ("arn:aws:iam::aws:policy/job-function/
 * ViewOnlyAccess" -> "ViewOnlyAccess"). Some collectors leave PolicyName out.
 */
export function policyNameFromArn(arn: string): string {
  const resource = arn.split(':').slice(5).join(':');
  return resource.slice(resource.lastIndexOf('/') + 1);
}

/** The snapshot with every managed policy and attachment named, taking missing names from the ARNs. */
export function withPolicyNames(snapshot: Snapshot): Snapshot {
  const named = <T extends { arn: string; name?: string }>(item: T): T => (item.name ? item : { ...item, name: policyNameFromArn(item.arn) });
  return {
    ...snapshot,
    accounts: snapshot.accounts.map((account) => ({
      ...account,
      managedPolicies: account.managedPolicies.map(named),
      roles: account.roles.map((role) => ({ ...role, attachedPolicies: role.attachedPolicies.map(named) })),
    })),
  };
}
