/** Plain-data builders for snapshots in the analysis tests. Everything a test does not set is benign. */
import type { ActionCatalog } from '../../src/model/action-catalog.js';
import type { Review } from '../../src/model/review.js';
import { DEFAULT_ANALYSIS_SETTINGS, type AnalysisSettings, type VendorAccount } from '../../src/model/settings.js';
import {
  SNAPSHOT_KIND,
  SNAPSHOT_SCHEMA_VERSION,
  type AccountSnapshot,
  type AnalyzerFinding,
  type AssumeAggregate,
  type CoverageItem,
  type ManagedPolicyRecord,
  type PolicyDocumentField,
  type RoleRecord,
  type Snapshot,
} from '../../src/model/snapshot.js';
import { analyzeWith, type AnalyzeOptions } from '../../src/analyze/run-analysis.js';
import { stubEngine } from './stub-permissions.js';

export const NOW = new Date('2026-11-25T06:00:00.000Z');
export const WINDOW = { start: '2026-08-27T06:00:00.000Z', end: '2026-11-25T06:00:00.000Z' };

export const ACCOUNT = '111111111111';
export const ORG_ACCOUNT = '222222222222';
export const EXTERNAL = '999988887777';
export const DATADOG = '464622532012';
export const ORG_ID = 'o-abc123def4';

export const VENDORS: VendorAccount[] = [
  { accountId: DATADOG, name: 'Datadog', source: 'https://docs.datadoghq.com/integrations/guide/aws-manual-setup/' },
];

export type Statement = Record<string, unknown>;

export function policy(...statements: Statement[]): PolicyDocumentField {
  return { ok: true, document: { Version: '2012-10-17', Statement: statements } };
}

export function allow(principal: unknown, extra: Statement = {}): Statement {
  return { Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole', ...extra };
}

export function deny(principal: unknown, extra: Statement = {}): Statement {
  return { Effect: 'Deny', Principal: principal, Action: 'sts:AssumeRole', ...extra };
}

export function roleArn(name: string, accountId = ACCOUNT, path = '/'): string {
  return `arn:aws:iam::${accountId}:role${path}${name}`;
}

export function role(name: string, trustPolicy: PolicyDocumentField, overrides: Partial<RoleRecord> = {}): RoleRecord {
  const path = overrides.path ?? '/';
  const accountId = overrides.arn?.split(':')[4] ?? ACCOUNT;
  return {
    arn: roleArn(name, accountId, path),
    name,
    roleId: `AROA${name.toUpperCase().replace(/[^A-Z0-9]/g, '').padEnd(17, 'X').slice(0, 17)}`,
    path,
    createDate: '2024-01-01T00:00:00.000Z',
    trustPolicy,
    inlinePolicies: [],
    attachedPolicies: [],
    tags: [],
    lastUsed: { date: '2026-11-20T10:00:00.000Z', region: 'us-east-1' },
    ...overrides,
  };
}

export const ADMIN_POLICY: ManagedPolicyRecord = {
  arn: 'arn:aws:iam::aws:policy/AdministratorAccess',
  name: 'AdministratorAccess',
  awsManaged: true,
  policy: { ok: true, document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } },
};

export const READ_ONLY_POLICY: ManagedPolicyRecord = {
  arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess',
  name: 'ReadOnlyAccess',
  awsManaged: true,
  policy: { ok: true, document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:Get*', 'ec2:Describe*'], Resource: '*' }] } },
};

export function okCoverage(regions = ['us-east-1']): CoverageItem[] {
  return [
    { source: 'sts', status: 'ok' },
    { source: 'iam', status: 'ok' },
    ...regions.map((region): CoverageItem => ({ source: 'access-analyzer', region, status: 'ok' })),
    ...regions.map((region): CoverageItem => ({ source: 'cloudtrail', region, status: 'ok' })),
  ];
}

export function account(roles: RoleRecord[], overrides: Partial<AccountSnapshot> = {}): AccountSnapshot {
  const accountId = overrides.accountId ?? ACCOUNT;
  return {
    accountId,
    accountName: accountId === ACCOUNT ? 'prod' : `account-${accountId}`,
    roles,
    managedPolicies: [ADMIN_POLICY, READ_ONLY_POLICY],
    accessAnalyzer: {
      analyzers: [
        { arn: `arn:aws:access-analyzer:us-east-1:${accountId}:analyzer/ext`, name: 'ext', type: 'ACCOUNT', status: 'ACTIVE', region: 'us-east-1' },
        {
          arn: `arn:aws:access-analyzer:us-east-1:${accountId}:analyzer/unused`,
          name: 'unused',
          type: 'ACCOUNT_UNUSED_ACCESS',
          status: 'ACTIVE',
          region: 'us-east-1',
        },
      ],
      findings: [],
    },
    usage: { window: WINDOW, regions: ['us-east-1'], eventsRead: 0, assumptions: [] },
    coverage: okCoverage(),
    ...overrides,
  };
}

export function snapshot(accounts: AccountSnapshot[], overrides: Partial<Snapshot> = {}): Snapshot {
  return {
    kind: SNAPSHOT_KIND,
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    runId: 'run-2026-11-25',
    collectedAt: NOW.toISOString(),
    tool: { name: 'access-review', version: '0.1.0' },
    scope: { mode: 'organization', regions: ['us-east-1'], window: WINDOW },
    organization: {
      id: ORG_ID,
      managementAccountId: ACCOUNT,
      accounts: [
        { id: ACCOUNT, name: 'prod', status: 'ACTIVE' },
        { id: ORG_ACCOUNT, name: 'tools', status: 'ACTIVE' },
      ],
    },
    accounts,
    ...overrides,
  };
}

export function assumption(roleName: string, overrides: Partial<AssumeAggregate> = {}): AssumeAggregate {
  return {
    roleArn: roleArn(roleName),
    eventName: 'AssumeRole',
    count: 3,
    mfaCount: 0,
    withExternalIdCount: 0,
    firstSeen: '2026-10-01T00:00:00.000Z',
    lastSeen: '2026-11-20T00:00:00.000Z',
    regions: ['us-east-1'],
    ...overrides,
  };
}

export function analyzerFinding(overrides: Partial<AnalyzerFinding> = {}): AnalyzerFinding {
  return {
    id: 'aa-finding-1',
    analyzerArn: `arn:aws:access-analyzer:us-east-1:${ACCOUNT}:analyzer/ext`,
    region: 'us-east-1',
    findingType: 'ExternalAccess',
    resource: roleArn('shared'),
    resourceType: 'AWS::IAM::Role',
    resourceOwnerAccount: ACCOUNT,
    status: 'ACTIVE',
    createdAt: '2026-10-01T00:00:00.000Z',
    details: [{ kind: 'externalAccess', principal: { AWS: EXTERNAL }, action: ['sts:AssumeRole'], condition: {}, isPublic: false }],
    ...overrides,
  };
}

export const CATALOG: ActionCatalog = { version: 'test-catalog', actions: [] };

export type OptionOverrides = Omit<Partial<AnalyzeOptions>, 'settings'> & { settings?: Partial<AnalysisSettings> };

export function options(overrides: OptionOverrides = {}): AnalyzeOptions {
  return {
    now: NOW,
    catalog: CATALOG,
    vendors: VENDORS,
    ...overrides,
    settings: { ...DEFAULT_ANALYSIS_SETTINGS, ...overrides.settings },
  };
}

/** Analyze with the stub permissions engine (test/analyze/stub-permissions.ts). */
export function run(snap: Snapshot, overrides: OptionOverrides = {}): Review {
  return analyzeWith(snap, options(overrides), stubEngine);
}

/** Analyze one account holding the given roles. */
export function runRoles(roles: RoleRecord[], accountOverrides: Partial<AccountSnapshot> = {}, overrides: OptionOverrides = {}): Review {
  return run(snapshot([account(roles, accountOverrides)]), overrides);
}

export function findings(review: Review, ruleId: string): Review['findings'] {
  return review.findings.filter((f) => f.ruleId === ruleId);
}

export function roleReview(review: Review, name: string): Review['accounts'][number]['roles'][number] {
  const found = review.accounts.flatMap((a) => a.roles).find((r) => r.name === name);
  if (!found) throw new Error(`no role ${name} in review`);
  return found;
}
