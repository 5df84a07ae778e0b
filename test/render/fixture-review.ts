/**
 * A hand-written review for the render tests, shaped like what `analyze` produces for a small organization:
 * two reviewed accounts, one that could not be entered, every principal class, findings of every severity,
 * accepted and expired suppressions, coverage gaps, changes since a previous run, and hostile strings in
 * role names, tags and descriptions (role names cannot hold "<" in IAM, but the renderer must not rely on
 * that: reviews are also re-rendered from stored JSON).
 */
import {
  PRINCIPAL_CLASSES,
  REVIEW_KIND,
  REVIEW_SCHEMA_VERSION,
  SEVERITIES,
  type ClassifiedPrincipal,
  type Finding,
  type Guard,
  type PermissionSummary,
  type PrincipalClass,
  type Review,
  type RoleReview,
  type Severity,
  type TrustGrant,
} from '../../src/model/review.js';
import type { CoverageItem, Tag } from '../../src/model/snapshot.js';

export const HOSTILE_ROLE_NAME = '<script>alert(1)</script>';
export const HOSTILE_TAG_VALUE = `"&'<img src=x onerror=alert(1)>`;
export const FORMULA_TAG_VALUE = '=HYPERLINK("http://evil.example/x","click")';

export const PROD = '111122223333';
export const SHARED = '444455556666';
export const SANDBOX = '777788889999';
export const MGMT = '999988887777';
const NOW = '2026-11-25T06:00:00.000Z';

const roleArn = (account: string, name: string, path = '/'): string => `arn:aws:iam::${account}:role${path}${name}`;

function guard(kind: Guard['kind'], operator: string, key: string, values: string[], effective = true, note?: string): Guard {
  return note === undefined ? { kind, operator, key, values, effective } : { kind, operator, key, values, effective, note };
}

interface GrantSpec {
  principal: ClassifiedPrincipal;
  guards?: Guard[];
  actions?: string[];
  statementIndex?: number;
  sid?: string;
  used?: { count: number; first: string; last: string; callers: string[] };
  negatedBy?: string;
}

function grant(arn: string, account: string, spec: GrantSpec): TrustGrant {
  const statementIndex = spec.statementIndex ?? 0;
  const guards = spec.guards ?? [];
  const conditions: TrustGrant['conditions'] = {};
  for (const g of guards) {
    const byKey = conditions[g.operator] ?? {};
    byKey[g.key] = g.values;
    conditions[g.operator] = byKey;
  }
  const g: TrustGrant = {
    id: `${arn}#${statementIndex}#${spec.principal.raw}`,
    roleArn: arn,
    accountId: account,
    statementIndex,
    actions: spec.actions ?? ['sts:AssumeRole'],
    principal: spec.principal,
    guards,
    conditions,
    usage: spec.used
      ? { used: true, count: spec.used.count, firstSeen: spec.used.first, lastSeen: spec.used.last, callers: spec.used.callers }
      : { used: false, count: 0, callers: [] },
  };
  if (spec.sid !== undefined) g.sid = spec.sid;
  if (spec.negatedBy !== undefined) g.negatedBy = spec.negatedBy;
  return g;
}

function perms(p: Partial<PermissionSummary> = {}): PermissionSummary {
  return {
    adminEquivalent: false,
    readEverything: false,
    privilegeEscalation: [],
    allowedActionCount: 12,
    highlights: [],
    gaps: [],
    policies: [],
    ...p,
  };
}

interface RoleSpec {
  account: string;
  name: string;
  path?: string;
  description?: string;
  tags?: Tag[];
  createDate?: string;
  grants: GrantSpec[];
  permissions?: Partial<PermissionSummary>;
  lastUsed?: string;
  lastUsedRegion?: string;
  riskScore: number;
  trustPolicyError?: string;
}

function role(spec: RoleSpec): RoleReview {
  const arn = roleArn(spec.account, spec.name, spec.path);
  const grants = spec.grants.map((g) => grant(arn, spec.account, g));
  const r: RoleReview = {
    arn,
    name: spec.name,
    accountId: spec.account,
    path: spec.path ?? '/',
    createDate: spec.createDate ?? '2024-03-14T09:30:00Z',
    tags: spec.tags ?? [],
    trustGrants: grants,
    permissions: perms(spec.permissions),
    usage: {
      assumeCount: grants.reduce((n, g) => n + g.usage.count, 0),
      callers: grants
        .filter((g) => g.usage.used)
        .flatMap((g) =>
          g.usage.callers.map((c) => ({
            id: c,
            eventName: 'AssumeRole',
            count: Math.max(1, Math.floor(g.usage.count / g.usage.callers.length)),
            mfaCount: 0,
            firstSeen: g.usage.firstSeen ?? NOW,
            lastSeen: g.usage.lastSeen ?? NOW,
            grantId: g.id,
          })),
        ),
    },
    findingIds: [],
    riskScore: spec.riskScore,
  };
  if (spec.description !== undefined) r.description = spec.description;
  if (spec.lastUsed !== undefined) r.usage.lastUsed = spec.lastUsed;
  if (spec.lastUsedRegion !== undefined) r.usage.lastUsedRegion = spec.lastUsedRegion;
  if (spec.trustPolicyError !== undefined) r.trustPolicyError = spec.trustPolicyError;
  return r;
}

const P = {
  orgRoot: (id: string, name: string): ClassifiedPrincipal => ({
    raw: `arn:aws:iam::${id}:root`,
    type: 'AWS',
    kind: 'account',
    class: 'org-account',
    accountId: id,
    label: `Account ${id} (${name}, any principal)`,
  }),
  orgRole: (id: string, name: string): ClassifiedPrincipal => ({
    raw: `arn:aws:iam::${id}:role/${name}`,
    type: 'AWS',
    kind: 'role',
    class: 'org-account',
    accountId: id,
    label: `Role ${name} in ${id}`,
  }),
  sameRole: (id: string, name: string): ClassifiedPrincipal => ({
    raw: `arn:aws:iam::${id}:role/${name}`,
    type: 'AWS',
    kind: 'role',
    class: 'same-account',
    accountId: id,
    label: `Role ${name} in this account`,
  }),
  vendor: (id: string, name: string, source: string): ClassifiedPrincipal => ({
    raw: `arn:aws:iam::${id}:root`,
    type: 'AWS',
    kind: 'account',
    class: 'known-vendor',
    accountId: id,
    vendor: { name, source },
    label: `${name} (account ${id})`,
  }),
  external: (id: string): ClassifiedPrincipal => ({
    raw: `arn:aws:iam::${id}:root`,
    type: 'AWS',
    kind: 'account',
    class: 'external',
    accountId: id,
    label: `Account ${id} (outside the organization, any principal)`,
  }),
  public: (): ClassifiedPrincipal => ({ raw: '*', type: '*', kind: 'wildcard', class: 'public', label: 'Anyone (any AWS account)' }),
  service: (svc: string): ClassifiedPrincipal => ({ raw: svc, type: 'Service', kind: 'service', class: 'service', label: `AWS service ${svc}` }),
  oidc: (account: string, host: string): ClassifiedPrincipal => ({
    raw: `arn:aws:iam::${account}:oidc-provider/${host}`,
    type: 'Federated',
    kind: 'oidc-provider',
    class: 'federated-oidc',
    accountId: account,
    label: `OIDC provider ${host}`,
  }),
  saml: (account: string, name: string): ClassifiedPrincipal => ({
    raw: `arn:aws:iam::${account}:saml-provider/${name}`,
    type: 'Federated',
    kind: 'saml-provider',
    class: 'federated-saml',
    accountId: account,
    label: `SAML provider ${name}`,
  }),
  deleted: (): ClassifiedPrincipal => ({
    raw: 'AROAZ7EXAMPLEDELETED01',
    type: 'AWS',
    kind: 'unique-id',
    class: 'deleted',
    label: 'Deleted principal (unique id AROAZ7EXAMPLEDELETED01)',
  }),
  unknown: (): ClassifiedPrincipal => ({
    raw: 'arn:aws:iam::not-an-account:role/typo',
    type: 'AWS',
    kind: 'invalid',
    class: 'unknown',
    label: 'Unrecognised principal',
  }),
};

const day = (d: string): string => `${d}T03:15:00.000Z`;

const LONG_PATH = '/platform/shared-services/very/deeply/nested/path/for/automation/';

function buildRoles(): RoleReview[] {
  return [
    role({
      account: PROD,
      name: HOSTILE_ROLE_NAME,
      description: 'Legacy <b>public</b> reader; owner said "temporary" & never removed it',
      tags: [
        { key: 'owner', value: HOSTILE_TAG_VALUE },
        { key: 'cost-center', value: FORMULA_TAG_VALUE },
        { key: 'team', value: 'data-platform' },
      ],
      grants: [
        {
          principal: P.public(),
          sid: 'AllowAnyone',
          guards: [guard('external-id', 'StringLike', 'sts:ExternalId', ['*'], false, 'StringLike "*" matches any ExternalId')],
          used: { count: 3, first: day('2026-10-02'), last: day('2026-11-19'), callers: ['arn:aws:iam::303030303030:user/scanner', '818181818181'] },
        },
      ],
      permissions: { readEverything: true, allowedActionCount: 5210, highlights: ['s3:GetObject', 's3:ListBucket', 'dynamodb:Scan'], policies: [{ name: 'ReadOnlyAccess', arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess', kind: 'aws-managed' }] },
      lastUsed: day('2026-11-19'),
      lastUsedRegion: 'eu-west-1',
      riskScore: 96,
    }),
    role({
      account: PROD,
      name: 'OrganizationAccountAccessRole',
      grants: [{ principal: P.orgRoot(MGMT, 'management'), used: { count: 14, first: day('2026-09-03'), last: day('2026-11-24'), callers: [`arn:aws:iam::${MGMT}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0a1b2c3d`] } }],
      permissions: {
        adminEquivalent: true,
        allowedActionCount: 22410,
        highlights: ['*'],
        privilegeEscalation: [
          { method: 'iam-create-policy-version', actions: ['iam:CreatePolicyVersion'] },
          { method: 'iam-attach-role-policy', actions: ['iam:AttachRolePolicy'] },
          { method: 'iam-put-role-policy', actions: ['iam:PutRolePolicy'] },
        ],
        policies: [{ name: 'AdministratorAccess', arn: 'arn:aws:iam::aws:policy/AdministratorAccess', kind: 'aws-managed' }],
      },
      lastUsed: day('2026-11-24'),
      lastUsedRegion: 'us-east-1',
      riskScore: 61,
    }),
    role({
      account: PROD,
      name: 'DatadogIntegrationRole',
      tags: [{ key: 'vendor', value: 'datadog' }],
      grants: [
        {
          principal: P.vendor('464622532012', 'Datadog', 'https://docs.datadoghq.com/integrations/amazon_web_services/'),
          guards: [guard('external-id', 'StringEquals', 'sts:ExternalId', ['3f1a9c2e7b5d4e6f8a0b1c2d3e4f5a6b'])],
          used: { count: 8640, first: day('2026-08-27'), last: day('2026-11-25'), callers: ['arn:aws:sts::464622532012:assumed-role/DatadogAWSIntegrationRole/dd-collector'] },
        },
      ],
      permissions: { readEverything: true, allowedActionCount: 4980, highlights: ['cloudwatch:Get*', 'ec2:Describe*', 'tag:GetResources'], policies: [{ name: 'DatadogIntegrationPolicy', kind: 'managed', arn: `arn:aws:iam::${PROD}:policy/DatadogIntegrationPolicy` }, { name: 'SecurityAudit', kind: 'aws-managed', arn: 'arn:aws:iam::aws:policy/SecurityAudit' }] },
      lastUsed: day('2026-11-25'),
      lastUsedRegion: 'us-east-1',
      riskScore: 22,
    }),
    role({
      account: PROD,
      name: 'ci-deploy',
      path: '/ci/',
      description: 'Deploys the payments service from GitHub Actions',
      grants: [
        {
          principal: P.oidc(PROD, 'token.actions.githubusercontent.com'),
          actions: ['sts:AssumeRoleWithWebIdentity'],
          guards: [
            guard('oidc-aud', 'StringEquals', 'token.actions.githubusercontent.com:aud', ['sts.amazonaws.com']),
            guard('oidc-sub', 'StringLike', 'token.actions.githubusercontent.com:sub', ['repo:acme-corp/*'], true),
          ],
          used: { count: 412, first: day('2026-08-30'), last: day('2026-11-24'), callers: ['repo:acme-corp/payments:ref:refs/heads/main', 'repo:acme-corp/payments-infra:environment:prod', 'repo:acme-corp/ledger:ref:refs/heads/main'] },
        },
      ],
      permissions: {
        allowedActionCount: 318,
        privilegeEscalation: [{ method: 'PassRole to a new Lambda function', actions: ['iam:PassRole', 'lambda:CreateFunction', 'lambda:InvokeFunction'] }],
        highlights: ['lambda:*', 'iam:PassRole'],
        policies: [{ name: 'deploy-payments', kind: 'inline' }],
      },
      lastUsed: day('2026-11-24'),
      lastUsedRegion: 'eu-west-1',
      riskScore: 74,
    }),
    role({
      account: PROD,
      name: 'legacy-partner-s3-sync',
      grants: [{ principal: P.external('210987654321') }],
      permissions: { allowedActionCount: 6, highlights: [], policies: [{ name: 's3-sync-exports', kind: 'inline' }] },
      createDate: '2019-06-02T12:00:00Z',
      riskScore: 70,
    }),
    role({
      account: PROD,
      name: 'order-processor-lambda',
      path: '/service-role/',
      grants: [{ principal: P.service('lambda.amazonaws.com'), guards: [guard('source-account', 'StringEquals', 'aws:SourceAccount', [PROD])] }],
      permissions: { allowedActionCount: 9, policies: [{ name: 'AWSLambdaBasicExecutionRole', kind: 'aws-managed', arn: 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole' }] },
      lastUsed: day('2026-11-25'),
      lastUsedRegion: 'eu-west-1',
      riskScore: 3,
    }),
    role({
      account: PROD,
      name: 'okta-sso-admin',
      grants: [
        {
          principal: P.saml(PROD, 'Okta'),
          actions: ['sts:AssumeRoleWithSAML', 'sts:TagSession'],
          guards: [guard('saml-aud', 'StringEquals', 'SAML:aud', ['https://signin.aws.amazon.com/saml'])],
          used: { count: 57, first: day('2026-09-01'), last: day('2026-11-21'), callers: ['Okta:jane.doe@acme.example', 'Okta:sam.lee@acme.example'] },
        },
      ],
      permissions: { adminEquivalent: true, allowedActionCount: 22410, highlights: ['*'], policies: [{ name: 'AdministratorAccess', kind: 'aws-managed' }] },
      lastUsed: day('2026-11-21'),
      lastUsedRegion: 'us-east-1',
      riskScore: 40,
    }),
    role({
      account: PROD,
      name: 'break-glass',
      grants: [
        {
          principal: P.sameRole(PROD, 'security-oncall'),
          guards: [guard('mfa', 'Bool', 'aws:MultiFactorAuthPresent', ['true'])],
        },
      ],
      permissions: { adminEquivalent: true, allowedActionCount: 22410, highlights: ['*'], policies: [{ name: 'AdministratorAccess', kind: 'aws-managed' }] },
      riskScore: 18,
    }),
    role({
      account: PROD,
      name: 'old-migration-role',
      grants: [
        { principal: P.deleted(), statementIndex: 0 },
        { principal: P.unknown(), statementIndex: 1, sid: 'Typo' },
      ],
      permissions: { allowedActionCount: 40, gaps: ['migration-inline (policy document could not be decoded)'], policies: [{ name: 'migration-inline', kind: 'inline' }] },
      createDate: '2021-01-20T08:00:00Z',
      riskScore: 35,
    }),
    role({
      account: SHARED,
      name: 'cross-account-backup',
      path: LONG_PATH,
      grants: [
        {
          principal: P.orgRole(PROD, 'backup-agent'),
          guards: [guard('principal-org-id', 'StringEquals', 'aws:PrincipalOrgID', ['o-a1b2c3d4e5'])],
          used: { count: 91, first: day('2026-08-28'), last: day('2026-11-25'), callers: [`arn:aws:sts::${PROD}:assumed-role/backup-agent/nightly-backup-0b7d0a9e4c1f2e3d4c5b6a798877665544332211`] },
        },
      ],
      permissions: { allowedActionCount: 54, highlights: ['backup:StartBackupJob'], policies: [{ name: 'AWSBackupServiceRolePolicyForBackup', kind: 'aws-managed' }] },
      lastUsed: day('2026-11-25'),
      lastUsedRegion: 'eu-west-1',
      riskScore: 8,
    }),
    role({
      account: SHARED,
      name: 'vendor-snyk-scanner',
      grants: [
        {
          principal: P.vendor('198361731867', 'Snyk', 'https://docs.snyk.io/integrations/cloud-platforms/aws'),
          guards: [guard('external-id', 'StringEquals', 'sts:ExternalId', ['snyk-7c1e0f'])],
          used: { count: 30, first: day('2026-08-26'), last: day('2026-10-30'), callers: ['198361731867'] },
        },
      ],
      permissions: { readEverything: true, allowedActionCount: 3900, highlights: ['*:Describe*', '*:List*'], policies: [{ name: 'SecurityAudit', kind: 'aws-managed' }] },
      lastUsed: day('2026-10-30'),
      lastUsedRegion: 'us-east-1',
      riskScore: 30,
    }),
    role({
      account: SHARED,
      name: 'terraform-state-access',
      grants: [
        {
          principal: P.external('555566667777'),
          guards: [guard('external-id', 'StringEquals', 'sts:ExternalId', ['tf-state-2023'])],
          used: { count: 2, first: day('2026-07-01'), last: day('2026-07-03'), callers: ['arn:aws:iam::555566667777:user/terraform'] },
        },
      ],
      permissions: { allowedActionCount: 14, highlights: ['s3:GetObject', 's3:PutObject'], policies: [{ name: 'tf-state', kind: 'inline' }] },
      lastUsed: day('2026-07-03'),
      riskScore: 45,
    }),
    role({
      account: SHARED,
      name: 'github-actions-shared',
      grants: [
        {
          principal: P.oidc(SHARED, 'token.actions.githubusercontent.com'),
          actions: ['sts:AssumeRoleWithWebIdentity'],
          guards: [
            guard('oidc-aud', 'StringEquals', 'token.actions.githubusercontent.com:aud', ['sts.amazonaws.com']),
            guard('oidc-sub', 'StringLike', 'token.actions.githubusercontent.com:sub', ['*'], false, 'a "*" subject admits every repository on GitHub'),
          ],
          used: { count: 19, first: day('2026-09-10'), last: day('2026-11-02'), callers: ['repo:acme-corp/infra:ref:refs/heads/main'] },
        },
      ],
      permissions: { allowedActionCount: 120, highlights: ['ecr:*'], policies: [{ name: 'ecr-push', kind: 'inline' }] },
      lastUsed: day('2026-11-02'),
      riskScore: 80,
    }),
    role({
      account: SHARED,
      name: 'unreadable-trust',
      grants: [],
      trustPolicyError: 'AssumeRolePolicyDocument is not valid JSON after URL-decoding (Unexpected token } at position 212)',
      riskScore: 10,
    }),
  ];
}

interface FindingSpec {
  id: string;
  ruleId: string;
  severity: Severity;
  title: string;
  account: string;
  role?: string;
  rolePath?: string;
  resource?: string;
  message: string;
  evidence: [string, string][];
  remediation: string;
  score: number;
  status?: Finding['status'];
  suppression?: Finding['suppression'];
}

function finding(s: FindingSpec): Finding {
  const resource = s.resource ?? roleArn(s.account, s.role ?? '', s.rolePath);
  const f: Finding = {
    id: s.id,
    ruleId: s.ruleId,
    severity: s.severity,
    title: s.title,
    accountId: s.account,
    resource,
    message: s.message,
    evidence: s.evidence.map(([label, value]) => ({ label, value })),
    remediation: s.remediation,
    score: s.score,
    status: s.status ?? 'open',
  };
  if (s.suppression !== undefined) f.suppression = s.suppression;
  return f;
}

function buildFindings(): Finding[] {
  return [
    finding({
      id: 'f-public-trust-1',
      ruleId: 'trust.public-principal',
      severity: 'critical',
      title: 'Role can be assumed by anyone',
      account: PROD,
      role: HOSTILE_ROLE_NAME,
      message: 'The trust policy names Principal "*" and its only condition does not narrow who gets in.',
      evidence: [
        ['Principal', '*'],
        ['Condition', `StringLike sts:ExternalId = "*" <img src=x onerror=alert(1)>`],
        ['Statement', 'AllowAnyone'],
      ],
      remediation: 'Replace "*" with the specific account or role ARNs that need access, and require a unique sts:ExternalId.',
      score: 98,
    }),
    finding({
      id: 'f-ext-no-extid-1',
      ruleId: 'trust.external-without-external-id',
      severity: 'high',
      title: 'External account trusted without ExternalId',
      account: PROD,
      role: 'legacy-partner-s3-sync',
      message: 'Account 210987654321 is outside the organization and can assume this role with no sts:ExternalId condition (confused deputy).',
      evidence: [
        ['Principal', 'arn:aws:iam::210987654321:root'],
        ['Guards', 'none'],
      ],
      remediation: 'Add a StringEquals sts:ExternalId condition agreed with the partner, or remove the grant if the partnership has ended.',
      score: 82,
    }),
    finding({
      id: 'f-privesc-1',
      ruleId: 'permissions.privilege-escalation',
      severity: 'high',
      title: 'Role can escalate its own privileges',
      account: PROD,
      role: 'ci-deploy',
      rolePath: '/ci/',
      message: 'iam:PassRole on * with lambda:CreateFunction lets the role run code as any role that trusts Lambda.',
      evidence: [
        ['Method', 'PassRole to a new Lambda function'],
        ['Actions', 'iam:PassRole, lambda:CreateFunction, lambda:InvokeFunction'],
        ['Resource', '*'],
      ],
      remediation: 'Scope iam:PassRole to the deployment roles it needs with an iam:PassedToService condition.',
      score: 78,
    }),
    finding({
      id: 'f-oidc-sub-1',
      ruleId: 'trust.oidc-subject-wildcard',
      severity: 'high',
      title: 'GitHub OIDC trust admits every repository',
      account: SHARED,
      role: 'github-actions-shared',
      message: 'The token.actions.githubusercontent.com:sub condition is "*", so any GitHub repository can assume this role.',
      evidence: [
        ['Condition', 'StringLike token.actions.githubusercontent.com:sub = "*"'],
        ['Audience', 'sts.amazonaws.com'],
      ],
      remediation: 'Restrict sub to "repo:acme-corp/<repository>:ref:refs/heads/main" or an environment.',
      score: 85,
    }),
    finding({
      id: 'f-oidc-org-wide-1',
      ruleId: 'trust.oidc-subject-broad',
      severity: 'medium',
      title: 'GitHub OIDC trust admits every repository in the organization',
      account: PROD,
      role: 'ci-deploy',
      rolePath: '/ci/',
      message: 'The sub condition "repo:acme-corp/*" admits every repository and branch in acme-corp, not only the payments pipeline.',
      evidence: [['Condition', 'StringLike token.actions.githubusercontent.com:sub = repo:acme-corp/*']],
      remediation: 'Narrow sub to the repositories and branches that deploy payments.',
      score: 55,
    }),
    finding({
      id: 'f-deleted-1',
      ruleId: 'trust.deleted-principal',
      severity: 'medium',
      title: 'Trust policy names a deleted principal',
      account: PROD,
      role: 'old-migration-role',
      message: 'The principal AROAZ7EXAMPLEDELETED01 no longer exists; a new role with the same name would not regain access, but the statement is dead weight that hides intent.',
      evidence: [['Principal', 'AROAZ7EXAMPLEDELETED01']],
      remediation: 'Remove the statement, or delete the role if the migration is finished.',
      score: 40,
    }),
    finding({
      id: 'f-vendor-read-1',
      ruleId: 'permissions.vendor-read-everything',
      severity: 'medium',
      title: 'Vendor role reads every resource',
      account: SHARED,
      role: 'vendor-snyk-scanner',
      message: 'Snyk can read every resource in the account through SecurityAudit.',
      evidence: [['Policy', 'arn:aws:iam::aws:policy/SecurityAudit']],
      remediation: 'Limit the vendor role to the services the integration scans.',
      score: 45,
      status: 'suppressed',
      suppression: {
        ruleId: 'permissions.vendor-read-everything',
        resource: roleArn(SHARED, 'vendor-snyk-scanner'),
        reason: 'Snyk Cloud needs SecurityAudit to scan all services; reviewed by the security architecture board (ticket SEC-1182).',
        owner: 'security-architecture@acme.example',
        expires: '2026-12-15',
      },
    }),
    finding({
      id: 'f-stale-ext-1',
      ruleId: 'usage.stale-external-grant',
      severity: 'medium',
      title: 'External grant not used for over 90 days',
      account: SHARED,
      role: 'terraform-state-access',
      message: 'Account 555566667777 last assumed this role on 3 Jul 2026.',
      evidence: [
        ['Last seen', '2026-07-03'],
        ['Principal', 'arn:aws:iam::555566667777:root'],
      ],
      remediation: 'Confirm with the owner that the contractor still needs access; remove the grant otherwise.',
      score: 50,
      status: 'suppression-expired',
      suppression: {
        ruleId: 'usage.stale-external-grant',
        resource: roleArn(SHARED, 'terraform-state-access'),
        reason: 'Contractor engagement until end of Q3.',
        owner: 'platform-team@acme.example',
        expires: '2026-10-01',
      },
    }),
    finding({
      id: 'f-unused-grant-1',
      ruleId: 'usage.unused-cross-account-grant',
      severity: 'low',
      title: 'Cross-account grant never used',
      account: PROD,
      role: 'legacy-partner-s3-sync',
      message: 'No AssumeRole by 210987654321 was recorded in the 90-day window.',
      evidence: [['Window', '2026-08-27 to 2026-11-25']],
      remediation: 'Remove the grant if the partner no longer needs it.',
      score: 30,
    }),
    finding({
      id: 'f-no-analyzer-1',
      ruleId: 'account.no-access-analyzer',
      severity: 'low',
      title: 'No IAM Access Analyzer in the account',
      account: SHARED,
      resource: SHARED,
      message: 'No external-access analyzer exists in any region in scope, so new public or cross-account access is not detected between reviews.',
      evidence: [['Regions checked', 'us-east-1, eu-west-1']],
      remediation: 'Create an ORGANIZATION analyzer from the delegated administrator account.',
      score: 25,
    }),
    finding({
      id: 'f-breakglass-unused-1',
      ruleId: 'usage.unused-role',
      severity: 'info',
      title: 'Break-glass role not used in the window',
      account: PROD,
      role: 'break-glass',
      message: 'Expected for a break-glass role; listed so its existence is reviewed.',
      evidence: [['Last used', 'never (IAM RoleLastUsed empty)']],
      remediation: 'Confirm the break-glass procedure is still valid and tested.',
      score: 5,
    }),
    finding({
      id: 'f-unknown-principal-1',
      ruleId: 'trust.unrecognised-principal',
      severity: 'info',
      title: 'Principal could not be classified',
      account: PROD,
      role: 'old-migration-role',
      message: 'The principal "arn:aws:iam::not-an-account:role/typo" is not a valid ARN; IAM would reject it on the next policy update.',
      evidence: [['Principal', 'arn:aws:iam::not-an-account:role/typo']],
      remediation: 'Fix or remove the statement.',
      score: 4,
    }),
  ];
}

function coverage(): Review['coverage'] {
  const c = (accountId: string, item: CoverageItem): CoverageItem & { accountId: string } => ({ ...item, accountId });
  return [
    c(MGMT, { source: 'organizations', status: 'ok', apiCalls: 3, detail: 'Listed 3 accounts' }),
    c(PROD, { source: 'sts', status: 'ok', apiCalls: 1 }),
    c(PROD, { source: 'iam', status: 'ok', apiCalls: 4 }),
    c(PROD, { source: 'access-analyzer', region: 'us-east-1', status: 'ok', apiCalls: 6 }),
    c(PROD, { source: 'access-analyzer', region: 'eu-west-1', status: 'ok', apiCalls: 5 }),
    c(PROD, { source: 'cloudtrail', region: 'us-east-1', status: 'ok', apiCalls: 212 }),
    c(PROD, {
      source: 'cloudtrail',
      region: 'eu-west-1',
      status: 'failed',
      errorCode: 'AccessDeniedException',
      detail: 'cloudtrail:LookupEvents was denied by an SCP in eu-west-1; grant it to the review role.',
      apiCalls: 1,
    }),
    c(SHARED, { source: 'sts', status: 'ok', apiCalls: 1 }),
    c(SHARED, { source: 'iam', status: 'ok', apiCalls: 2 }),
    c(SHARED, { source: 'access-analyzer', region: 'us-east-1', status: 'skipped', detail: 'No analyzer exists in this region.' }),
    c(SHARED, { source: 'access-analyzer', region: 'eu-west-1', status: 'skipped', detail: 'No analyzer exists in this region.' }),
    c(SHARED, {
      source: 'cloudtrail',
      region: 'us-east-1',
      status: 'partial',
      detail: 'Throttled after 3 retries; events before 2026-09-12 were not read.',
      errorCode: 'ThrottlingException',
      apiCalls: 640,
    }),
    c(SHARED, { source: 'cloudtrail', region: 'eu-west-1', status: 'ok', apiCalls: 38 }),
    c(SANDBOX, {
      source: 'sts',
      status: 'failed',
      errorCode: 'AccessDenied',
      detail: `Could not assume arn:aws:iam::${SANDBOX}:role/access-review-reader: the role does not trust the review account.`,
      apiCalls: 1,
    }),
  ];
}

/** Builds a fresh fixture each call, so a test can mutate its copy freely. */
export function fixtureReview(): Review {
  const roles = buildRoles();
  const findings = buildFindings();
  for (const f of findings) {
    const r = roles.find((x) => x.arn === f.resource);
    if (r !== undefined) r.findingIds.push(f.id);
  }
  const grants = roles.flatMap((r) => r.trustGrants);
  const grantsByClass = Object.fromEntries(PRINCIPAL_CLASSES.map((c) => [c, 0])) as Record<PrincipalClass, number>;
  for (const g of grants) grantsByClass[g.principal.class] += 1;
  const findingsBySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of findings) findingsBySeverity[f.severity] += 1;
  const cov = coverage();
  const byId = (id: string): Finding => {
    const f = findings.find((x) => x.id === id);
    if (f === undefined) throw new Error(`fixture: no finding ${id}`);
    return f;
  };
  const action = (title: string, ids: string[]): Review['summary']['topActions'][number] => ({
    title,
    severity: byId(ids[0] ?? '').severity,
    findingIds: ids,
    score: Math.max(...ids.map((id) => byId(id).score)),
    why: `Why ${title.toLowerCase()}: the finding's rationale.`,
    fix: 'The rule remediation.',
  });

  return {
    kind: REVIEW_KIND,
    schemaVersion: REVIEW_SCHEMA_VERSION,
    runId: '20261125T060000Z-7f3a9c',
    generatedAt: NOW,
    snapshotCollectedAt: '2026-11-25T05:52:41.000Z',
    tool: { name: 'access-review', version: '0.1.0' },
    scope: {
      mode: 'organization',
      regions: ['us-east-1', 'eu-west-1'],
      window: { start: '2026-08-27T06:00:00.000Z', end: NOW },
    },
    window: { start: '2026-08-27T06:00:00.000Z', end: NOW },
    organization: { id: 'o-a1b2c3d4e5', managementAccountId: MGMT },
    summary: {
      accounts: 3,
      roles: roles.length,
      trustGrants: grants.length,
      grantsByClass,
      findingsBySeverity,
      openFindings: findings.filter((f) => f.status !== 'suppressed').length,
      suppressedFindings: findings.filter((f) => f.status === 'suppressed').length,
      unusedRoles: roles.filter((r) => r.usage.lastUsed === undefined).length,
      unusedCrossAccountGrants: grants.filter((g) => !g.usage.used && !['same-account', 'service'].includes(g.principal.class)).length,
      coverageGaps: cov.filter((c) => c.status !== 'ok').length,
      riskScore: 87,
      topActions: [
        action(`Remove public trust from ${HOSTILE_ROLE_NAME}`, ['f-public-trust-1']),
        action('Pin the GitHub OIDC subject on github-actions-shared and ci-deploy', ['f-oidc-sub-1', 'f-oidc-org-wide-1']),
        action('Require an ExternalId from partner 210987654321 or remove the grant', ['f-ext-no-extid-1', 'f-unused-grant-1']),
        action('Scope iam:PassRole on ci-deploy', ['f-privesc-1']),
        action('Renew or fix the lapsed acceptance on terraform-state-access', ['f-stale-ext-1']),
      ],
    },
    accounts: [
      {
        accountId: PROD,
        accountName: 'prod-payments',
        analyzers: [
          { arn: `arn:aws:access-analyzer:us-east-1:${PROD}:analyzer/org-external`, name: 'org-external', type: 'ORGANIZATION', status: 'ACTIVE', region: 'us-east-1' },
          { arn: `arn:aws:access-analyzer:eu-west-1:${PROD}:analyzer/org-external`, name: 'org-external', type: 'ORGANIZATION', status: 'ACTIVE', region: 'eu-west-1' },
        ],
        coverage: cov.filter((c) => c.accountId === PROD),
        roles: roles.filter((r) => r.accountId === PROD),
      },
      {
        accountId: SHARED,
        accountName: 'shared-services',
        analyzers: [],
        coverage: cov.filter((c) => c.accountId === SHARED),
        roles: roles.filter((r) => r.accountId === SHARED),
      },
      {
        accountId: SANDBOX,
        accountName: 'sandbox-legacy',
        analyzers: [],
        coverage: cov.filter((c) => c.accountId === SANDBOX),
        roles: [],
      },
    ],
    findings,
    reach: [
      { from: '*', fromClass: 'public', to: roleArn(PROD, HOSTILE_ROLE_NAME), hops: [], targetAdminEquivalent: false },
      {
        from: `arn:aws:iam::${SHARED}:oidc-provider/token.actions.githubusercontent.com`,
        fromClass: 'federated-oidc',
        to: roleArn(PROD, 'OrganizationAccountAccessRole'),
        hops: [roleArn(SHARED, 'github-actions-shared'), roleArn(PROD, 'backup-agent')],
        targetAdminEquivalent: true,
      },
      { from: '210987654321', fromClass: 'external', to: roleArn(PROD, 'legacy-partner-s3-sync'), hops: [], targetAdminEquivalent: false },
    ],
    unmatchedSuppressions: [
      {
        ruleId: 'trust.external-without-external-id',
        resource: roleArn(PROD, 'decommissioned-etl-role'),
        reason: 'ETL vendor cannot send an ExternalId (accepted 2025).',
        owner: 'data-eng@acme.example',
        expires: '2027-01-31',
      },
    ],
    changes: {
      previousRunId: '20261028T060000Z-1c2d3e',
      previousGeneratedAt: '2026-10-28T06:00:00.000Z',
      newGrants: [`${roleArn(SHARED, 'github-actions-shared')}#0#arn:aws:iam::${SHARED}:oidc-provider/token.actions.githubusercontent.com`],
      removedGrants: [`${roleArn(PROD, 'decommissioned-etl-role')}#0#arn:aws:iam::606060606060:root`],
      newFindings: ['f-oidc-sub-1'],
      resolvedFindings: ['f-old-resolved-9'],
      reopenedFindings: ['f-stale-ext-1'],
    },
    coverage: cov,
  };
}
