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
  /** Those ranked actions, with the same detail, for the summary part. */
  furtherActions: TopActionView[];
  gaps: GapView[];
  changes?: ChangesView;
  /** Why there is no comparison although a previous review exists (it failed its checks). */
  changesUnavailable?: string;
  accounts: AccountView[];
  openFindingCount: number;
  acceptedRisks: FindingView[];
  expiredSuppressions: FindingView[];
  unmatchedSuppressions: SuppressionView[];
  reach: ReachView[];
  coverage: CoverageGroupView[];
  coverageStats: { total: number; ok: number; gaps: number };
  /**
   * Set for the manager's abridged PDF (output.pdfRoles "flagged", see abridgeView): roles with a card, roles
   * listed (flagged), all roles, and whether the card limit left flagged roles without a card.
   */
  abridged?: { detailed: number; flagged: number; total: number; capped: boolean };
  /** "4 of 5 accounts reviewed" or "all 5 accounts reviewed". */
  accountsReviewedLine: string;
  practices: PracticeView[];
  configuration?: ConfigurationView;
  /** What the review does not cover by design. */
  notCovered: string[];
  /** Granted vs used for roles assumable from outside their account (IAM Access Advisor), when collected. */
  leastPrivilege?: LeastPrivilegeSummaryView;
  /** Page of each link target in the printed PDF (set on the second printing); the pageRef helper reads it. */
  pages?: Record<string, number>;
  /** Who owns what, when the review resolved ownership. */
  owners?: OwnersView;
  /** Set when the PDF is printed in parts: which parts of the report this document holds (see pdf-parts). */
  printPart?: PrintPartView;
}

export interface OwnersView {
  owners: {
    name: string;
    id: string;
    emails: string[];
    /** How they came to own it: "role tag", "organizational unit", ... */
    sources: string[];
    accounts: string[];
    moreAccounts: number;
    roleCount: number;
    openFindings: number;
  }[];
  unassignedAccounts: { account: string; why: string }[];
  unassignedRoles: { role: string; why: string }[];
  moreUnassignedRoles: number;
  unassignedRoleCount: number;
  unassignedOpenFindings: number;
  /** Owners config the organization contradicts, by config path. */
  problems: { path: string; message: string }[];
}

export interface PrintPartView {
  /** Cover, summary, practices and the evidence's heading and contents. */
  front: boolean;
  /** Accepted risks, reach paths and the appendices. */
  back: boolean;
  /** The accounts (or the slice of one account's role cards) this document prints. */
  accounts: AccountView[];
}

export interface PracticeView {
  id: string;
  title: string;
  figures: { label: string; value: string }[];
  openFindings: number;
  findings: { anchor: string; severity: Severity; text: string }[];
  moreFindings: number;
  caveats: string[];
}

export interface ConfigurationView {
  sha256: string;
  rows: { label: string; value: string }[];
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
  /** The change against the previous review, e.g. "−6 since 2026-11-29". */
  change?: string;
}

export interface TopActionView {
  rank: number;
  title: string;
  severity: Severity;
  findingCount: number;
  resources: string[];
  /** "3 critical · 33 high". */
  bySeverity: string;
  why?: string;
  fix?: string;
  example?: { role: string; change: string };
  /** Where the evidence is: the first finding's row. */
  evidenceAnchor?: string;
  practices: string[];
  /** Who owns its findings, most findings first: "Payments, Web" or "Unassigned". */
  owners?: string;
  ownerCount?: number;
}

export interface GapView {
  account: string;
  source: string;
  region?: string;
  status: CoverageStatus;
  detail?: string;
  errorCode?: string;
  httpStatus?: number;
  consequence: string;
}

export interface ChangesView {
  previousRunId: string;
  previousGeneratedAt: string;
  /** `short` for the cover, where one row must hold them all. */
  counts: { label: string; short: string; value: number; tone: 'good' | 'bad' | 'neutral' }[];
  newGrants: ChangedItemView[];
  removedGrants: ChangedItemView[];
  newFindings: ChangedItemView[];
  resolvedFindings: ChangedItemView[];
  reopenedFindings: ChangedItemView[];
  notReviewedGrants: ChangedItemView[];
  notReviewedFindings: ChangedItemView[];
  notPreviouslyReviewedGrants: ChangedItemView[];
  /** Per account, why its items were carried forward. */
  notReviewed: { account: string; reason: string }[];
  nothingChanged: boolean;
  /** How many items each list left out (the lists are capped to keep the summary short). */
  more: {
    newGrants: number;
    removedGrants: number;
    newFindings: number;
    resolvedFindings: number;
    reopenedFindings: number;
    notReviewedGrants: number;
    notReviewedFindings: number;
    notPreviouslyReviewedGrants: number;
  };
}

/** One changed grant or finding, named so a reader can find it: rule, role, account, and a link where it is shown. */
export interface ChangedItemView {
  id: string;
  severity?: Severity;
  /** The rule's title, or "principal → role" for a grant. */
  title: string;
  /** "rule-id · role (account)". */
  detail: string;
  /** In-document link to where the item is shown in this report (its role card), when it is. */
  anchor?: string;
}

export interface AccountView {
  accountId: string;
  label: string;
  name?: string;
  /** The account's owner and why (its roles may have their own, through role tags). */
  owner?: { name: string; why: string };
  reviewed: boolean;
  notReviewedReason?: string;
  analyzers: { name: string; type: string; region: string; status: string }[];
  /** Regions where Access Analyzer could not be read: there, "no analyzer" would be a guess. */
  analyzersUnread?: string;
  gaps: GapView[];
  roles: RoleView[];
  roleCount: number;
  grantCount: number;
  openFindingCount: number;
  accountFindings: FindingView[];
  /** In a part printed after the account's first: only more of its role cards, no heading or tables. */
  printContinued?: boolean;
  /** Abridged print: roles of this account left out of its table (not flagged), counted so print says so. */
  unlistedRoles?: number;
  /** Printed in parts: the role cards this document prints (the at-a-glance table still lists every role). */
  printCards?: RoleView[];
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
  /** Who owns the role and why. */
  owner?: { name: string; why: string };
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
  /** 1-based, as the IAM console shows it (and as finding evidence names it). */
  statement: number;
  guards: GuardView[];
  unguarded: boolean;
  negatedBy?: string;
  used: boolean;
  /** Used, unused (proven by a complete CloudTrail read) or unknown (not read). */
  usageState: 'used' | 'unused' | 'unknown';
  unknownReason?: string;
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
  /** What qualifies the flags: statements allowed only under a Condition, or removed by one that cannot hold. */
  caveats: string[];
}

export interface RoleUsageView {
  lastUsed: string;
  lastUsedAgo: string;
  lastUsedRegion?: string;
  assumeCount: number;
  neverUsed: boolean;
  /** Set when CloudTrail was not read completely and IAM shows no use either: use is unknown, not absent. */
  unknownReason?: string;
  unexpectedCallers: { id: string; eventName: string; count: number; lastSeen: string }[];
}

export interface FindingView {
  id: string;
  anchor: string;
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
  /** The owner's name and why (source and what matched). */
  owner?: { name: string; why: string };
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
    httpStatus?: number;
    apiCalls?: number;
    gap: boolean;
  }[];
}
