/**
 * IAM Access Analyzer state per account: which analyzers exist (some accounts have none — a coverage gap
 * the product must report, not crash on) and findings consistent with the roles: ExternalAccess for trust
 * that reaches outside the account, UnusedIAMRole and UnusedPermission from the roles' last use.
 */
import { isoSeconds } from './cloudtrail-records.js';
import type {
  FindingDetailWire,
  SyntheticAnalyzer,
  SyntheticAnalyzerType,
  SyntheticFinding,
  SyntheticRole,
  TrustClass,
  TrustGrantTruth,
} from './org-types.js';
import type { Rng } from './prng.js';

export interface AnalyzerSlot {
  type: SyntheticAnalyzerType;
  region: string;
}

const DAY = 86_400_000;

/**
 * Fixed patterns for the first accounts, so every org of five or more accounts shows each case:
 * both analyzers, external-access only (in two regions), none at all, unused-access only.
 */
export function analyzerPlan(accountIndex: number, rng: Rng, regions: string[]): AnalyzerSlot[] {
  const [primary = 'us-east-1', secondary] = regions;
  const both: AnalyzerSlot[] = [
    { type: 'ACCOUNT', region: primary },
    { type: 'ACCOUNT_UNUSED_ACCESS', region: primary },
  ];
  const patterns: AnalyzerSlot[][] = [
    both,
    secondary ? [{ type: 'ACCOUNT', region: primary }, { type: 'ACCOUNT', region: secondary }] : [{ type: 'ACCOUNT', region: primary }],
    [],
    [{ type: 'ACCOUNT_UNUSED_ACCESS', region: primary }],
    both,
  ];
  return patterns[accountIndex] ?? rng.pick(patterns);
}

export function buildAnalyzers(rng: Rng, accountId: string, slots: AnalyzerSlot[], now: Date, byConsole: boolean): SyntheticAnalyzer[] {
  return slots.map((slot) => {
    const name =
      slot.type === 'ACCOUNT'
        ? byConsole
          ? `ConsoleAnalyzer-${rng.uuid()}`
          : `external-access-${slot.region}`
        : byConsole
          ? `UnusedAccess-ConsoleAnalyzer-${rng.uuid()}`
          : `unused-access-${slot.region}`;
    const createdAt = new Date(now.getTime() - rng.int(120, 700) * DAY);
    const a: SyntheticAnalyzer = {
      arn: `arn:aws:access-analyzer:${slot.region}:${accountId}:analyzer/${name}`,
      name,
      type: slot.type,
      region: slot.region,
      status: 'ACTIVE',
      createdAt: isoSeconds(createdAt),
      lastResourceAnalyzed: `arn:aws:iam::${accountId}:role/ci-deployer`,
      lastResourceAnalyzedAt: isoSeconds(new Date(now.getTime() - rng.int(5, 300) * 60_000)),
    };
    if (slot.type === 'ACCOUNT_UNUSED_ACCESS') a.unusedAccessAge = 90;
    return a;
  });
}

const EXTERNAL: ReadonlySet<TrustClass> = new Set(['org-account', 'known-vendor', 'external', 'public', 'federated-oidc', 'federated-saml']);

/** A Deny on every principal outside the organization removes the outside grants from reach. */
function deniesOutsideOrg(role: SyntheticRole): boolean {
  return role.trustGrants.some((g) => g.effect === 'Deny' && g.class === 'public' && g.guards.includes('principal-org-id'));
}

function statementCondition(role: SyntheticRole, grant: TrustGrantTruth): Record<string, string> {
  const doc = role.trustPolicy.document;
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return {};
  const raw = doc['Statement'];
  const list = Array.isArray(raw) ? raw : [raw];
  const s = list[grant.statement];
  if (s === null || typeof s !== 'object' || Array.isArray(s) || s === undefined) return {};
  const cond = s['Condition'];
  const out: Record<string, string> = {};
  if (cond === null || typeof cond !== 'object' || Array.isArray(cond) || cond === undefined) return out;
  for (const block of Object.values(cond)) {
    if (block === null || typeof block !== 'object' || Array.isArray(block)) continue;
    for (const [k, v] of Object.entries(block)) out[k] = Array.isArray(v) ? v.join(',') : String(v);
  }
  return out;
}

function externalAccess(rng: Rng, analyzer: SyntheticAnalyzer, role: SyntheticRole, now: Date): SyntheticFinding[] {
  if (role.serviceLinked) return [];
  const outsideDenied = deniesOutsideOrg(role);
  const out: SyntheticFinding[] = [];
  for (const g of role.trustGrants) {
    if (g.effect !== 'Allow' || !EXTERNAL.has(g.class)) continue;
    if (outsideDenied && g.class !== 'org-account' && g.class !== 'federated-oidc' && g.class !== 'federated-saml') continue;
    const principalKey = g.principalType === 'Federated' ? 'Federated' : 'AWS';
    const isPublic = g.class === 'public' && !g.guards.includes('principal-org-id');
    const created = new Date(Math.max(Date.parse(role.createDate), now.getTime() - 400 * DAY) + rng.int(1, 48) * 3_600_000);
    const archived = g.class === 'known-vendor' && g.guards.includes('external-id');
    out.push({
      id: rng.uuid(),
      analyzerArn: analyzer.arn,
      region: analyzer.region,
      findingType: 'ExternalAccess',
      resource: role.arn,
      resourceType: 'AWS::IAM::Role',
      resourceOwnerAccount: role.accountId,
      status: archived ? 'ARCHIVED' : 'ACTIVE',
      createdAt: isoSeconds(created),
      updatedAt: isoSeconds(archived ? new Date(created.getTime() + 2 * DAY) : created),
      analyzedAt: isoSeconds(new Date(now.getTime() - rng.int(1, 12) * 3_600_000)),
      details: [
        {
          externalAccessDetails: {
            action: g.actions,
            condition: statementCondition(role, g),
            isPublic,
            principal: { [principalKey]: g.principal },
          },
        },
      ],
    });
  }
  return out;
}

/** Services a broad policy grants that the role never touched, with a few actions for action-level ones. */
const UNUSED_SERVICES: readonly { ns: string; actions: string[] }[] = [
  { ns: 's3', actions: ['s3:DeleteBucket', 's3:PutBucketPolicy', 's3:PutObject'] },
  { ns: 'ec2', actions: ['ec2:RunInstances', 'ec2:TerminateInstances'] },
  { ns: 'iam', actions: ['iam:CreateUser', 'iam:PutRolePolicy'] },
  { ns: 'lambda', actions: ['lambda:CreateFunction', 'lambda:DeleteFunction'] },
  { ns: 'kms', actions: [] },
  { ns: 'rds', actions: [] },
  { ns: 'secretsmanager', actions: [] },
];

const BROAD = /AdministratorAccess|PowerUserAccess|ReadOnlyAccess|EverythingButIam|TerraformStateAccess/;

function unusedFindings(rng: Rng, analyzer: SyntheticAnalyzer, role: SyntheticRole, now: Date): SyntheticFinding[] {
  if (role.serviceLinked) return [];
  const age = (analyzer.unusedAccessAge ?? 90) * DAY;
  const lastUsed = role.lastUsed ? Date.parse(role.lastUsed.date) : undefined;
  const base = {
    analyzerArn: analyzer.arn,
    region: analyzer.region,
    resource: role.arn,
    resourceType: 'AWS::IAM::Role' as const,
    resourceOwnerAccount: role.accountId,
    analyzedAt: isoSeconds(new Date(now.getTime() - rng.int(1, 20) * 3_600_000)),
  };
  if (lastUsed === undefined || now.getTime() - lastUsed > age) {
    const created = new Date(now.getTime() - rng.int(2, 30) * DAY);
    const detail: FindingDetailWire = { unusedIamRoleDetails: role.lastUsed ? { lastAccessed: role.lastUsed.date } : {} };
    return [{ ...base, id: rng.uuid(), findingType: 'UnusedIAMRole', status: 'ACTIVE', createdAt: isoSeconds(created), updatedAt: isoSeconds(created), details: [detail] }];
  }
  const broad = role.attachedPolicyArns.some((a) => BROAD.test(a)) || role.inlinePolicies.some((p) => p.text.includes('"s3:*"'));
  if (!broad) return [];
  const services = rng.shuffle(UNUSED_SERVICES).slice(0, rng.int(1, 3));
  const created = new Date(now.getTime() - rng.int(2, 60) * DAY);
  const details: FindingDetailWire[] = services.map((s) => {
    const last = rng.chance(0.4) ? isoSeconds(new Date(now.getTime() - rng.int(100, 380) * DAY)) : undefined;
    return {
      unusedPermissionDetails: {
        serviceNamespace: s.ns,
        actions: s.actions.map((action) => (last && rng.chance(0.5) ? { action, lastAccessed: last } : { action })),
        ...(last ? { lastAccessed: last } : {}),
      },
    };
  });
  return [{ ...base, id: rng.uuid(), findingType: 'UnusedPermission', status: 'ACTIVE', createdAt: isoSeconds(created), updatedAt: isoSeconds(created), details }];
}

export function buildFindings(
  rng: Rng,
  analyzers: SyntheticAnalyzer[],
  roles: SyntheticRole[],
  now: Date,
  resolvedExternal: { roleArn: string; principalAccount: string },
): SyntheticFinding[] {
  const findings: SyntheticFinding[] = [];
  for (const analyzer of analyzers) {
    if (analyzer.type === 'ACCOUNT') {
      for (const role of roles) findings.push(...externalAccess(rng, analyzer, role, now));
      // Access that was removed: the finding stays, RESOLVED, naming a role that no longer exists.
      const created = new Date(now.getTime() - rng.int(100, 200) * DAY);
      findings.push({
        id: rng.uuid(),
        analyzerArn: analyzer.arn,
        region: analyzer.region,
        findingType: 'ExternalAccess',
        resource: resolvedExternal.roleArn,
        resourceType: 'AWS::IAM::Role',
        resourceOwnerAccount: analyzer.arn.split(':')[4] ?? '',
        status: 'RESOLVED',
        createdAt: isoSeconds(created),
        updatedAt: isoSeconds(new Date(created.getTime() + rng.int(5, 40) * DAY)),
        analyzedAt: isoSeconds(new Date(created.getTime() + rng.int(5, 40) * DAY)),
        details: [
          {
            externalAccessDetails: {
              action: ['sts:AssumeRole'],
              condition: {},
              isPublic: false,
              principal: { AWS: `arn:aws:iam::${resolvedExternal.principalAccount}:root` },
            },
          },
        ],
      });
    } else {
      for (const role of roles) findings.push(...unusedFindings(rng, analyzer, role, now));
    }
  }
  return findings;
}
