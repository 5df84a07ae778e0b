/**
 * One role per trust shape a reviewer must handle. The org builder spreads these over the accounts so every
 * organization, whatever its seed, contains each shape at least once (given one member account).
 */
import { awsManagedArn } from './aws-managed-policies.js';
import {
  dataLakeAccess,
  datadogIntegration,
  developerBoundary,
  inline,
  noIamPowerUser,
  rolePolicyManager,
  secretsReader,
  terraformState,
  deployLambdaApps,
} from './customer-policies.js';
import { githubProviderArn } from './core-roles.js';
import type { Json } from './org-types.js';
import { allow, awsCaller, GITHUB_ISSUER, IPS, POLICY_VERSION, roleSpec, SAML_AUDIENCE, serviceCaller, trustDoc, UA } from './role-helpers.js';
import type { AccountContext, AwsIdentity, RoleSpec } from './role-spec.js';
import type { KnownVendor } from './vendors.js';

export interface SpecialArchetype {
  id: string;
  /** Needs at least one other account in the organization. */
  needsOthers?: boolean;
  build: (ctx: AccountContext) => RoleSpec;
}

function other(ctx: AccountContext, i = 0): string {
  const id = ctx.others[i % Math.max(1, ctx.others.length)];
  if (id === undefined) throw new Error('archetype needs another account in the organization');
  return id;
}

function vendorNamed(ctx: AccountContext, name: string): KnownVendor {
  const v = ctx.vendors.find((x) => x.name === name);
  if (!v) throw new Error(`vendor ${name} missing from the catalogue`);
  return v;
}

export function vendorIdentity(ctx: AccountContext, v: KnownVendor): AwsIdentity {
  const slug = v.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  const identity = ctx.role(v.accountId, `${slug}-integration`, [`${slug}-poller`, `${slug}-scan`]);
  return { ...identity, userAgent: UA.goSdk, sourceIps: [...IPS.vendor] };
}

function external(ctx: AccountContext, i: number): string {
  const id = ctx.externalAccounts[i % ctx.externalAccounts.length];
  if (id === undefined) throw new Error('no external accounts in the pool');
  return id;
}

function externalIdentity(ctx: AccountContext, i: number, name: string): AwsIdentity {
  return { ...ctx.user(external(ctx, i), name), userAgent: UA.cliMac, sourceIps: [...IPS.unknown] };
}

function externalId(ctx: AccountContext): string {
  return ctx.rng.hex(32);
}

const policyCtx = (ctx: AccountContext) => ({ accountId: ctx.self, region: ctx.region, company: ctx.company });

export const SPECIAL_ARCHETYPES: readonly SpecialArchetype[] = [
  {
    id: 'public-principal-string',
    build: (ctx) =>
      roleSpec({
        archetype: 'public-principal-string',
        name: 'legacy-public-assume',
        description: 'Created by a 2019 tutorial; nobody remembers why',
        trust: trustDoc({ Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole' }),
        trustStyle: 'tabs',
        attached: [awsManagedArn('ReadOnlyAccess')],
        usage: 'rare',
        callers: [awsCaller(externalIdentity(ctx, 0, 'scanner'), 1, { unexpected: true })],
      }),
  },
  {
    id: 'public-aws-star-external-id',
    build: (ctx) => {
      const id = externalId(ctx);
      return roleSpec({
        archetype: 'public-aws-star-external-id',
        name: 'partner-data-exchange',
        trust: trustDoc(allow({ AWS: '*' }, 'sts:AssumeRole', { StringEquals: { 'sts:ExternalId': id } })),
        inline: [{ name: 'exchange-bucket', document: inline.s3ReadBucket(`${ctx.company}-partner-exchange`), style: 'spaces2' }],
        usage: 'rare',
        callers: [awsCaller(externalIdentity(ctx, 2, 'etl'), 1, { externalId: id })],
      });
    },
  },
  {
    id: 'public-aws-star-org-id',
    needsOthers: true,
    build: (ctx) =>
      roleSpec({
        archetype: 'public-aws-star-org-id',
        name: 'org-shared-artifacts-read',
        trust: trustDoc(allow({ AWS: '*' }, 'sts:AssumeRole', { StringEquals: { 'aws:PrincipalOrgID': ctx.orgId } })),
        trustStyle: 'spaces2',
        inline: [{ name: 'artifacts', document: inline.s3ReadBucket(`${ctx.company}-shared-artifacts`), style: 'compact' }],
        usage: 'hot',
        callers: ctx.others.map((acct) => awsCaller(ctx.role(acct, 'ci-deployer', ['GitHubActions']), 1)),
      }),
  },
  {
    id: 'public-aws-star-unconditioned',
    build: (ctx) =>
      roleSpec({
        archetype: 'public-aws-star-unconditioned',
        name: 'debug-anyone-role',
        trust: trustDoc(allow({ AWS: '*' }, ['sts:AssumeRole', 'sts:TagSession'])),
        trustStyle: 'compact',
        attached: [awsManagedArn('ViewOnlyAccess')],
        usage: 'never',
      }),
  },
  {
    id: 'vendor-external-id',
    build: (ctx) => {
      const v = vendorNamed(ctx, 'Datadog');
      const id = externalId(ctx);
      const policy = datadogIntegration();
      return roleSpec({
        archetype: 'vendor-external-id',
        name: 'DatadogIntegrationRole',
        description: 'Datadog AWS integration',
        trust: trustDoc(allow({ AWS: `arn:aws:iam::${v.accountId}:root` }, 'sts:AssumeRole', { StringEquals: { 'sts:ExternalId': id } })),
        attached: [ctx.policyArn(policy), awsManagedArn('SecurityAudit')],
        customerPolicies: [policy],
        tags: [{ Key: 'vendor', Value: 'datadog' }],
        usage: 'hot',
        callers: [awsCaller(vendorIdentity(ctx, v), 1, { externalId: id })],
      });
    },
  },
  {
    id: 'vendor-no-external-id',
    build: (ctx) => {
      const v = vendorNamed(ctx, 'Cloudability');
      return roleSpec({
        archetype: 'vendor-no-external-id',
        name: 'cloudability-cost-read',
        trust: trustDoc(allow({ AWS: `arn:aws:iam::${v.accountId}:root` })),
        trustStyle: 'tabs',
        attached: [awsManagedArn('ReadOnlyAccess')],
        usage: 'regular',
        callers: [awsCaller(vendorIdentity(ctx, v), 1)],
      });
    },
  },
  {
    id: 'vendor-bare-account-id',
    build: (ctx) => {
      const v = vendorNamed(ctx, 'Lacework');
      const id = externalId(ctx);
      return roleSpec({
        archetype: 'vendor-bare-account-id',
        name: 'lacework-audit',
        trust: trustDoc(allow({ AWS: v.accountId }, 'sts:AssumeRole', { StringEquals: { 'sts:ExternalId': id } })),
        trustStyle: 'compact',
        attached: [awsManagedArn('SecurityAudit')],
        usage: 'regular',
        callers: [awsCaller(vendorIdentity(ctx, v), 1, { externalId: id })],
      });
    },
  },
  {
    id: 'unknown-external-root',
    build: (ctx) =>
      roleSpec({
        archetype: 'unknown-external-root',
        name: 'contractor-access',
        description: 'Access for the 2024 migration contractor',
        trust: trustDoc(allow({ AWS: `arn:aws:iam::${external(ctx, 0)}:root` })),
        attached: [awsManagedArn('AdministratorAccess')],
        usage: 'dormant',
      }),
  },
  {
    id: 'unknown-external-user-mfa',
    build: (ctx) =>
      roleSpec({
        archetype: 'unknown-external-user-mfa',
        name: 'consultant-readonly',
        trust: trustDoc(
          allow({ AWS: `arn:aws:iam::${external(ctx, 1)}:user/jsmith` }, 'sts:AssumeRole', {
            Bool: { 'aws:MultiFactorAuthPresent': 'true' },
          }),
        ),
        trustStyle: 'spaces2',
        attached: [awsManagedArn('ViewOnlyAccess')],
        usage: 'rare',
        callers: [awsCaller(externalIdentity(ctx, 1, 'jsmith'), 1, { mfa: true })],
      }),
  },
  {
    id: 'org-bare-account-id',
    needsOthers: true,
    build: (ctx) => {
      const acct = other(ctx, 0);
      return roleSpec({
        archetype: 'org-bare-account-id',
        name: 'shared-services-deploy',
        trust: trustDoc(allow({ AWS: acct })),
        trustStyle: 'compact',
        attached: [awsManagedArn('PowerUserAccess')],
        usage: 'regular',
        callers: [awsCaller(ctx.role(acct, 'ci-deployer', ['GitHubActions']), 3), awsCaller(ctx.ssoAdminRole(acct), 1)],
      });
    },
  },
  {
    id: 'org-account-list',
    needsOthers: true,
    build: (ctx) => {
      const accts = [...new Set([other(ctx, 0), other(ctx, 1), ctx.mgmt])].filter((a) => a !== ctx.self);
      return roleSpec({
        archetype: 'org-account-list',
        name: 'monitoring-read',
        trust: trustDoc(allow({ AWS: accts.map((a) => `arn:aws:iam::${a}:root`) })),
        attached: [awsManagedArn('ReadOnlyAccess'), awsManagedArn('CloudWatchAgentServerPolicy')],
        usage: 'regular',
        callers: accts.map((a) => awsCaller(ctx.ssoAdminRole(a), 1)),
      });
    },
  },
  {
    id: 'org-role-arn',
    needsOthers: true,
    build: (ctx) => {
      const acct = other(ctx, 1);
      const deploy = deployLambdaApps(policyCtx(ctx));
      const tf = terraformState(policyCtx(ctx));
      return roleSpec({
        archetype: 'org-role-arn',
        name: 'cross-account-deployer',
        trust: trustDoc(allow({ AWS: `arn:aws:iam::${acct}:role/ci-deployer` }, ['sts:AssumeRole', 'sts:TagSession'])),
        trustStyle: 'spaces2',
        attached: [ctx.policyArn(deploy), ctx.policyArn(tf)],
        customerPolicies: [deploy, tf],
        usage: 'hot',
        callers: [awsCaller(ctx.role(acct, 'ci-deployer', ['GitHubActions']), 1)],
      });
    },
  },
  {
    id: 'same-account-root-mfa',
    build: (ctx) => {
      const alice = ctx.user(ctx.self, 'alice');
      return roleSpec({
        archetype: 'same-account-root-mfa',
        name: 'BreakGlassAdmin',
        description: 'Emergency access; page the security on-call before use',
        trust: trustDoc(allow({ AWS: `arn:aws:iam::${ctx.self}:root` }, 'sts:AssumeRole', { Bool: { 'aws:MultiFactorAuthPresent': 'true' } })),
        attached: [awsManagedArn('AdministratorAccess')],
        maxSessionDuration: 3600,
        tags: [{ Key: 'criticality', Value: 'break-glass' }],
        usage: 'rare',
        callers: [awsCaller(alice, 3, { mfa: true }), awsCaller(ctx.user(ctx.self, 'ops-bot'), 1, { denied: true })],
      });
    },
  },
  {
    id: 'same-account-role-arn',
    build: (ctx) =>
      roleSpec({
        archetype: 'same-account-role-arn',
        name: 'app-config-reader',
        trust: trustDoc(allow({ AWS: `arn:aws:iam::${ctx.self}:role/ci-deployer` })),
        trustStyle: 'compact',
        attached: [ctx.policyArn(secretsReader(policyCtx(ctx)))],
        customerPolicies: [secretsReader(policyCtx(ctx))],
        usage: 'hot',
        callers: [awsCaller(ctx.role(ctx.self, 'ci-deployer', ['GitHubActions']), 1)],
      }),
  },
  {
    id: 'same-account-user-arn',
    build: (ctx) =>
      roleSpec({
        archetype: 'same-account-user-arn',
        name: 'ops-maintenance',
        trust: trustDoc(allow({ AWS: `arn:aws:iam::${ctx.self}:user/ops-bot` })),
        attached: [ctx.policyArn(noIamPowerUser())],
        customerPolicies: [noIamPowerUser()],
        usage: 'hot',
        callers: [awsCaller(ctx.user(ctx.self, 'ops-bot'), 1)],
      }),
  },
  {
    id: 'service-single',
    build: (ctx) =>
      roleSpec({
        archetype: 'service-single',
        name: 'orders-api-lambda',
        path: '/service-role/',
        trust: trustDoc(allow({ Service: 'lambda.amazonaws.com' })),
        attached: [awsManagedArn('AWSLambdaBasicExecutionRole')],
        inline: [{ name: 'orders-table', document: inline.dynamoTable(policyCtx(ctx), 'orders'), style: 'spaces4' }],
        usage: 'hot',
        callers: [serviceCaller('lambda.amazonaws.com')],
      }),
  },
  {
    id: 'service-list',
    build: (ctx) =>
      roleSpec({
        archetype: 'service-list',
        name: 'edge-router-lambda',
        trust: trustDoc(allow({ Service: ['lambda.amazonaws.com', 'edgelambda.amazonaws.com'] })),
        trustStyle: 'spaces2',
        attached: [awsManagedArn('AWSLambdaBasicExecutionRole')],
        usage: 'regular',
        callers: [serviceCaller('lambda.amazonaws.com', 3), serviceCaller('edgelambda.amazonaws.com', 1)],
      }),
  },
  {
    id: 'service-source-conditions',
    build: (ctx) =>
      roleSpec({
        archetype: 'service-source-conditions',
        name: 'aws-config-recorder',
        path: '/service-role/',
        trust: trustDoc(
          allow({ Service: 'config.amazonaws.com' }, 'sts:AssumeRole', {
            StringEquals: { 'aws:SourceAccount': ctx.self },
            ArnLike: { 'aws:SourceArn': `arn:aws:config:*:${ctx.self}:*` },
          }),
        ),
        attached: [awsManagedArn('AWS_ConfigRole')],
        usage: 'hot',
        callers: [serviceCaller('config.amazonaws.com')],
      }),
  },
  {
    id: 'github-oidc-wildcard-sub',
    build: (ctx) =>
      roleSpec({
        archetype: 'github-oidc-wildcard-sub',
        name: 'github-actions-terraform',
        description: 'Terraform plans from GitHub Actions',
        trust: trustDoc(
          allow({ Federated: githubProviderArn(ctx.self) }, 'sts:AssumeRoleWithWebIdentity', {
            StringEquals: { [`${GITHUB_ISSUER}:aud`]: 'sts.amazonaws.com' },
            StringLike: { [`${GITHUB_ISSUER}:sub`]: '*' },
          }),
        ),
        attached: [awsManagedArn('AdministratorAccess')],
        usage: 'regular',
        callers: [
          {
            kind: 'web-identity',
            providerArn: githubProviderArn(ctx.self),
            issuer: GITHUB_ISSUER,
            subjects: [`repo:${ctx.githubOrg}/infra:ref:refs/heads/main`, `repo:${ctx.githubOrg}/infra:pull_request`],
            audience: 'sts.amazonaws.com',
            weight: 20,
            userAgent: UA.githubActions,
            sourceIps: [...IPS.ciRunners],
          },
          {
            kind: 'web-identity',
            providerArn: githubProviderArn(ctx.self),
            issuer: GITHUB_ISSUER,
            subjects: ['repo:octo-attacker/aws-probe:ref:refs/heads/main'],
            audience: 'sts.amazonaws.com',
            weight: 1,
            unexpected: true,
            userAgent: UA.githubActions,
            sourceIps: [...IPS.unknown],
          },
        ],
      }),
  },
  {
    id: 'github-oidc-exact-sub',
    build: (ctx) =>
      roleSpec({
        archetype: 'github-oidc-exact-sub',
        name: 'github-release-publisher',
        trust: trustDoc(
          allow({ Federated: githubProviderArn(ctx.self) }, 'sts:AssumeRoleWithWebIdentity', {
            StringEquals: {
              [`${GITHUB_ISSUER}:aud`]: 'sts.amazonaws.com',
              [`${GITHUB_ISSUER}:sub`]: `repo:${ctx.githubOrg}/release-tools:ref:refs/heads/main`,
            },
          }),
        ),
        trustStyle: 'compact',
        inline: [{ name: 'publish', document: inline.fullS3(), style: 'compact' }],
        usage: 'rare',
        callers: [
          {
            kind: 'web-identity',
            providerArn: githubProviderArn(ctx.self),
            issuer: GITHUB_ISSUER,
            subjects: [`repo:${ctx.githubOrg}/release-tools:ref:refs/heads/main`],
            audience: 'sts.amazonaws.com',
            weight: 1,
            userAgent: UA.githubActions,
            sourceIps: [...IPS.ciRunners],
          },
        ],
      }),
  },
  {
    id: 'eks-irsa',
    build: (ctx) => {
      const provider = `arn:aws:iam::${ctx.self}:oidc-provider/${ctx.eksOidcIssuer}`;
      return roleSpec({
        archetype: 'eks-irsa',
        name: 'payments-api-irsa',
        trust: trustDoc(
          allow({ Federated: provider }, 'sts:AssumeRoleWithWebIdentity', {
            StringEquals: {
              [`${ctx.eksOidcIssuer}:sub`]: 'system:serviceaccount:payments:payments-api',
              [`${ctx.eksOidcIssuer}:aud`]: 'sts.amazonaws.com',
            },
          }),
        ),
        trustStyle: 'spaces2',
        attached: [ctx.policyArn(secretsReader(policyCtx(ctx)))],
        customerPolicies: [secretsReader(policyCtx(ctx))],
        inline: [{ name: 'payments-table', document: inline.dynamoTable(policyCtx(ctx), 'payments'), style: 'spaces2' }],
        usage: 'hot',
        callers: [
          {
            kind: 'web-identity',
            providerArn: provider,
            issuer: ctx.eksOidcIssuer,
            subjects: ['system:serviceaccount:payments:payments-api'],
            audience: 'sts.amazonaws.com',
            weight: 1,
            userAgent: UA.goSdkV2,
            sourceIps: [...IPS.eksNat],
          },
        ],
      });
    },
  },
  {
    id: 'saml-okta',
    build: (ctx) => {
      const provider = `arn:aws:iam::${ctx.self}:saml-provider/Okta`;
      return roleSpec({
        archetype: 'saml-okta',
        name: 'okta-engineering',
        trust: trustDoc(allow({ Federated: provider }, 'sts:AssumeRoleWithSAML', { StringEquals: { 'SAML:aud': SAML_AUDIENCE } })),
        trustStyle: 'tabs',
        attached: [awsManagedArn('PowerUserAccess')],
        maxSessionDuration: 28800,
        usage: 'regular',
        callers: [{ kind: 'saml', providerArn: provider, issuer: 'http://www.okta.com/exk1a2b3c4d5e6f7g8h9', users: ctx.ssoUsers.slice(1, 4), weight: 1 }],
      });
    },
  },
  {
    id: 'deny-outside-org',
    needsOthers: true,
    build: (ctx) => {
      const acct = other(ctx, 0);
      return roleSpec({
        archetype: 'deny-outside-org',
        name: 'cross-account-auditor',
        trust: trustDoc(
          allow({ AWS: [`arn:aws:iam::${acct}:root`, `arn:aws:iam::${external(ctx, 1)}:root`] }),
          {
            Sid: 'DenyOutsideOrganization',
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: 'sts:AssumeRole',
            Condition: { StringNotEquals: { 'aws:PrincipalOrgID': ctx.orgId } },
          },
        ),
        attached: [awsManagedArn('SecurityAudit')],
        usage: 'regular',
        callers: [awsCaller(ctx.ssoAdminRole(acct), 1)],
      });
    },
  },
  {
    id: 'deleted-principal',
    needsOthers: true,
    build: (ctx) => {
      const acct = other(ctx, 1);
      const deletedId = `AROA${ctx.rng.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 17)}`;
      const lake = dataLakeAccess(policyCtx(ctx));
      return roleSpec({
        archetype: 'deleted-principal',
        name: 'legacy-etl-runner',
        trust: trustDoc(allow({ AWS: [deletedId, `arn:aws:iam::${acct}:role/ci-deployer`] })),
        attached: [ctx.policyArn(lake)],
        customerPolicies: [lake],
        usage: 'rare',
        callers: [awsCaller(ctx.role(acct, 'ci-deployer', ['etl-nightly']), 1)],
      });
    },
  },
  {
    id: 'legacy-single-statement',
    build: (ctx) => {
      // Old roles carry Version 2008-10-17, an empty Sid and a bare Statement object instead of a list.
      const doc: Json = {
        Version: '2008-10-17',
        Statement: { Sid: '', Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
      };
      return roleSpec({
        archetype: 'legacy-single-statement',
        name: 'old-backup-role',
        trust: doc,
        trustStyle: 'compact',
        attached: [awsManagedArn('AmazonS3ReadOnlyAccess')],
        inline: [{ name: 'backup-full-s3', document: inline.fullS3(), style: 'tabs' }],
        instanceProfile: true,
        usage: 'dormant',
        callers: [],
      });
    },
  },
  {
    id: 'markup-in-tags',
    build: (ctx) =>
      roleSpec({
        archetype: 'markup-in-tags',
        name: 'reporting-export',
        path: '/reports/',
        trust: trustDoc(allow({ Service: 'ecs-tasks.amazonaws.com' })),
        inline: [{ name: 'reports-bucket', document: inline.s3ReadBucket(`${ctx.company}-reports`), style: 'spaces2' }],
        tags: [
          { Key: 'Description', Value: '<script>alert(1)</script>' },
          { Key: 'Notes', Value: `"quoted" & 'apostrophe' <b>bold</b> </td></tr>` },
          { Key: 'owner', Value: 'data-team@acme.example' },
        ],
        usage: 'regular',
        callers: [serviceCaller('ecs-tasks.amazonaws.com')],
      }),
  },
  {
    id: 'escalation-put-role-policy',
    build: (ctx) => {
      const manager = rolePolicyManager(policyCtx(ctx));
      const boundary = developerBoundary(policyCtx(ctx));
      return roleSpec({
        archetype: 'escalation-put-role-policy',
        name: 'platform-automation',
        // A console-made trust: tab-indented, with the empty Condition block the console writes.
        trust: trustDoc({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ctx.self}:root` }, Action: 'sts:AssumeRole', Condition: {} }),
        trustStyle: 'tabs',
        attached: [ctx.policyArn(manager)],
        customerPolicies: [manager],
        inline: [{ name: 'self-service', document: inline.putRolePolicyAnywhere(), style: 'compact' }],
        boundary,
        usage: 'regular',
        callers: [awsCaller(ctx.user(ctx.self, 'ops-bot'), 2), awsCaller(ctx.ssoAdminRole(ctx.self), 1)],
      });
    },
  },
  {
    id: 'service-with-source-arn-ecs',
    build: (ctx) =>
      roleSpec({
        archetype: 'service-with-source-arn-ecs',
        name: 'ecsTaskExecutionRole',
        trust: {
          Version: POLICY_VERSION,
          Statement: [
            {
              Sid: '',
              Effect: 'Allow',
              Principal: { Service: 'ecs-tasks.amazonaws.com' },
              Action: 'sts:AssumeRole',
              Condition: {
                ArnLike: { 'aws:SourceArn': `arn:aws:ecs:${ctx.region}:${ctx.self}:*` },
                StringEquals: { 'aws:SourceAccount': ctx.self },
              },
            },
          ],
        },
        attached: [awsManagedArn('AmazonECSTaskExecutionRolePolicy')],
        usage: 'hot',
        callers: [serviceCaller('ecs-tasks.amazonaws.com')],
      }),
  },
];
