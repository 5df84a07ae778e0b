/**
 * The report's view model: the review reshaped for reading (sorted, grouped, labelled, dates formatted)
 * so templates stay free of logic. Every string here is still untrusted text; the templates escape it.
 */
import type { CoverageStatus, Tag } from '../../model/snapshot.js';
import type { FindingStatus, PrincipalClass, PrincipalKind, Severity } from '../../model/review.js';
import type { LeastPrivilegeSummaryView, LeastPrivilegeView } from './least-privilege.js';

export type RiskLevel = Severity | 'none';

export interface ReportView {
  title: string;
  scopeLabel: string;
  scopeMode: 'account' | 'organization';
  runId: string;
  generatedAt: string;
  snapshotCollectedAt: string;
  tool: string;
  regions: string[];
  /** Days for the cover, exact times for the appendix. */
  window: { start: string; end: string; startTime: string; endTime: string; days: number | undefined };
  organization?: { id: string; managementAccount: string };
  accountsInScope: { label: string; reviewed: boolean }[];
  notReviewed: string[];
  risk: RiskView;
  tiles: TileView[];
  charts: ChartSet;
  topActions: TopActionView[];
  /** Ranked actions left off the cover. */
  moreActions: number;
  gaps: GapView[];
  changes?: ChangesView;
  accounts: AccountView[];
  openFindingCount: number;
  acceptedRisks: FindingView[];
  expiredSuppressions: FindingView[];
  unmatchedSuppressions: SuppressionView[];
  reach: ReachView[];
  coverage: CoverageGroupView[];
  coverageStats: { total: number; ok: number; gaps: number };
  /** Set when only flagged roles get a full card (output.pdfRoles "flagged"); the counts say so in print. */
  abridged?: { detailed: number; total: number };
  /** Granted vs used for roles assumable from outside their account (IAM Access Advisor), when collected. */
  leastPrivilege?: LeastPrivilegeSummaryView;
}

export interface ChartSet {
  severity: string;
  principalClass: string;
  recency: string;
  accounts: string;
}

export interface RiskView {
  level: RiskLevel;
  label: string;
  score: number;
  sentence: string;
}

export interface TileView {
  label: string;
  value: string;
  note?: string;
  tone: 'neutral' | 'good' | 'warn' | 'bad';
}

export interface TopActionView {
  rank: number;
  title: string;
  severity: Severity;
  findingCount: number;
  resources: string[];
}

export interface GapView {
  account: string;
  source: string;
  region?: string;
  status: CoverageStatus;
  detail?: string;
  errorCode?: string;
  consequence: string;
}

export interface ChangesView {
  previousRunId: string;
  previousGeneratedAt: string;
  counts: { label: string; value: number; tone: 'good' | 'bad' | 'neutral' }[];
  newGrants: string[];
  removedGrants: string[];
  newFindings: ChangedFindingView[];
  resolvedFindings: ChangedFindingView[];
  reopenedFindings: ChangedFindingView[];
  nothingChanged: boolean;
  /** How many items each list left out (the lists are capped to keep the summary short). */
  more: { newGrants: number; removedGrants: number; newFindings: number; resolvedFindings: number; reopenedFindings: number };
}

export interface ChangedFindingView {
  id: string;
  title?: string;
  severity?: Severity;
}

export interface AccountView {
  accountId: string;
  label: string;
  name?: string;
  reviewed: boolean;
  notReviewedReason?: string;
  analyzers: { name: string; type: string; region: string; status: string }[];
  gaps: GapView[];
  roles: RoleView[];
  roleCount: number;
  grantCount: number;
  openFindingCount: number;
  accountFindings: FindingView[];
}

export interface RoleView {
  anchor: string;
  name: string;
  arn: string;
  path: string;
  createDate: string;
  description?: string;
  tags: Tag[];
  riskScore: number;
  topSeverity?: Severity;
  trustPolicyError?: string;
  grants: GrantView[];
  classes: PrincipalClass[];
  permissions: PermissionView;
  usage: RoleUsageView;
  findings: FindingView[];
  openFindingCount: number;
  /** Whether the role's full card is printed (always, unless the report is abridged: see abridgeView). */
  detailed: boolean;
  leastPrivilege?: LeastPrivilegeView;
}

export interface GrantView {
  principalLabel: string;
  principalRaw: string;
  principalType: string;
  kind: PrincipalKind;
  class: PrincipalClass;
  vendor?: { name: string; source: string };
  actions: string[];
  sid?: string;
  statementIndex: number;
  guards: GuardView[];
  unguarded: boolean;
  negatedBy?: string;
  used: boolean;
  count: number;
  firstSeen: string;
  lastSeen: string;
  lastSeenAgo: string;
  callers: string[];
  moreCallers: number;
  crossAccount: boolean;
}

export interface GuardView {
  kind: string;
  operator: string;
  key: string;
  values: string[];
  effective: boolean;
  note?: string;
}

export interface PermissionView {
  adminEquivalent: boolean;
  readEverything: boolean;
  escalation: { method: string; actions: string[] }[];
  allowedActionCount: number;
  highlights: string[];
  gaps: string[];
  policies: { name: string; arn?: string; kind: string }[];
}

export interface RoleUsageView {
  lastUsed: string;
  lastUsedAgo: string;
  lastUsedRegion?: string;
  assumeCount: number;
  neverUsed: boolean;
  unexpectedCallers: { id: string; eventName: string; count: number; lastSeen: string }[];
}

export interface FindingView {
  id: string;
  ruleId: string;
  severity: Severity;
  title: string;
  message: string;
  account: string;
  resource: string;
  resourceLabel: string;
  evidence: { label: string; value: string }[];
  remediation: string;
  score: number;
  status: FindingStatus;
  statusLabel: string;
  suppression?: SuppressionView;
}

export interface SuppressionView {
  ruleId: string;
  resource: string;
  reason: string;
  owner: string;
  expires: string;
  expiresNote: string;
}

export interface ReachView {
  from: string;
  fromClass: PrincipalClass;
  hops: string[];
  to: string;
  targetAdminEquivalent: boolean;
}

export interface CoverageGroupView {
  account: string;
  items: {
    source: string;
    region: string;
    status: CoverageStatus;
    detail?: string;
    errorCode?: string;
    apiCalls?: number;
    gap: boolean;
  }[];
}
