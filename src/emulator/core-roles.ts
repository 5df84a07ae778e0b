/**
 * Roles every account of a real organization has: the audit role the product assumes, the role
 * Organizations creates in new accounts, IAM Identity Center permission sets, service-linked roles, and
 * the CI role GitHub Actions deploys with.
 */
import { awsManagedArn } from './aws-managed-policies.js';
import { deployLambdaApps, inline } from './customer-policies.js';
import { allow, awsCaller, GITHUB_ISSUER, IPS, roleSpec, SAML_AUDIENCE, serviceCaller, trustDoc, UA } from './role-helpers.js';
import type { AccountContext, RoleSpec } from './role-spec.js';

export const READ_ONLY_ROLE_NAME = 'AccessReviewReadOnly';
export const RUNNER_USER_NAME = 'access-review';

export function githubProviderArn(accountId: string): string {
  return `arn:aws:iam::${accountId}:oidc-provider/${GITHUB_ISSUER}`;
}

function accessReviewReadOnly(ctx: AccountContext): RoleSpec {
  return roleSpec({
    archetype: 'access-review-readonly',
    name: READ_ONLY_ROLE_NAME,
    description: 'Read-only role the access-review job assumes from the management account',
    trust: trustDoc(allow({ AWS: `arn:aws:iam::${ctx.mgmt}:root` })),
    trustStyle: 'compact',
    attached: [awsManagedArn('SecurityAudit')],
    inline: [{ name: 'AccessReviewCollect', document: inline.accessReviewCollect(), style: 'spaces2' }],
    tags: [
      { Key: 'owner', Value: 'security-engineering' },
      { Key: 'managed-by', Value: 'stacksets' },
    ],
    usage: 'regular',
    callers: [awsCaller(ctx.user(ctx.mgmt, RUNNER_USER_NAME), 1)],
  });
}

function organizationAccountAccess(ctx: AccountContext): RoleSpec {
  return roleSpec({
    archetype: 'organization-account-access',
    name: 'OrganizationAccountAccessRole',
    trust: trustDoc(allow({ AWS: `arn:aws:iam::${ctx.mgmt}:root` })),
    trustStyle: 'spaces2',
    attached: [awsManagedArn('AdministratorAccess')],
    usage: 'rare',
    callers: [awsCaller(ctx.ssoAdminRole(ctx.mgmt), 1)],
  });
}

function ssoPermissionSet(ctx: AccountContext, permissionSet: 'AdministratorAccess' | 'ReadOnlyAccess'): RoleSpec {
  return roleSpec({
    archetype: permissionSet === 'AdministratorAccess' ? 'sso-admin' : 'sso-readonly',
    name: `AWSReservedSSO_${permissionSet}_${ctx.ssoSuffix(permissionSet)}`,
    path: '/aws-reserved/sso.amazonaws.com/',
    description: 'Allows users of IAM Identity Center to use this account',
    trust: trustDoc(
      allow({ Federated: ctx.ssoProviderArn }, ['sts:AssumeRoleWithSAML', 'sts:TagSession'], {
        StringEquals: { 'SAML:aud': SAML_AUDIENCE },
      }),
    ),
    trustStyle: 'compact',
    attached: [awsManagedArn(permissionSet)],
    maxSessionDuration: permissionSet === 'AdministratorAccess' ? 3600 : 43200,
    usage: permissionSet === 'AdministratorAccess' ? 'regular' : 'hot',
    callers: [
      {
        kind: 'saml',
        providerArn: ctx.ssoProviderArn,
        issuer: ctx.ssoIssuer,
        users: permissionSet === 'AdministratorAccess' ? ctx.ssoUsers.slice(0, 2) : ctx.ssoUsers,
        weight: 1,
      },
    ],
  });
}

function serviceLinked(name: string, service: string, policy: string, usage: RoleSpec['usage'], description: string): RoleSpec {
  return roleSpec({
    archetype: 'service-linked',
    name,
    path: `/aws-service-role/${service}/`,
    description,
    trust: trustDoc(allow({ Service: service })),
    trustStyle: 'compact',
    attached: [awsManagedArn(policy)],
    serviceLinked: true,
    usage,
    callers: usage === 'never' || usage === 'dormant' ? [] : [serviceCaller(service)],
  });
}

function ciDeployer(ctx: AccountContext): RoleSpec {
  const deploy = deployLambdaApps({ accountId: ctx.self, region: ctx.region, company: ctx.company });
  const repos = ['orders-api', 'web-frontend', 'infra', 'data-pipelines'];
  return roleSpec({
    archetype: 'github-oidc-org-wildcard',
    name: 'ci-deployer',
    description: 'GitHub Actions deployments',
    trust: trustDoc(
      allow({ Federated: githubProviderArn(ctx.self) }, 'sts:AssumeRoleWithWebIdentity', {
        StringEquals: { [`${GITHUB_ISSUER}:aud`]: 'sts.amazonaws.com' },
        StringLike: { [`${GITHUB_ISSUER}:sub`]: `repo:${ctx.githubOrg}/*` },
      }),
    ),
    trustStyle: 'spaces2',
    attached: [ctx.policyArn(deploy)],
    customerPolicies: [deploy],
    inline: [{ name: 'ecr-push', document: inline.ecrPush({ accountId: ctx.self, region: ctx.region, company: ctx.company }), style: 'compact' }],
    tags: [
      { Key: 'repo', Value: `${ctx.githubOrg}/infra` },
      { Key: 'team', Value: 'platform' },
    ],
    usage: 'hot',
    callers: [
      {
        kind: 'web-identity',
        providerArn: githubProviderArn(ctx.self),
        issuer: GITHUB_ISSUER,
        subjects: repos.flatMap((r) => [`repo:${ctx.githubOrg}/${r}:ref:refs/heads/main`, `repo:${ctx.githubOrg}/${r}:environment:production`]),
        audience: 'sts.amazonaws.com',
        weight: 1,
        userAgent: UA.githubActions,
        sourceIps: [...IPS.ciRunners],
      },
    ],
  });
}

export function coreRoles(ctx: AccountContext, opts: { hasAnalyzer: boolean }): RoleSpec[] {
  const roles: RoleSpec[] = [accessReviewReadOnly(ctx)];
  if (!ctx.isManagement) roles.push(organizationAccountAccess(ctx));
  roles.push(ssoPermissionSet(ctx, 'AdministratorAccess'), ssoPermissionSet(ctx, 'ReadOnlyAccess'));
  roles.push(
    serviceLinked('AWSServiceRoleForSupport', 'support.amazonaws.com', 'AWSSupportServiceRolePolicy', 'rare', 'Enables resource access for AWS to provide billing, administrative and support services'),
    serviceLinked('AWSServiceRoleForTrustedAdvisor', 'trustedadvisor.amazonaws.com', 'AWSTrustedAdvisorServiceRolePolicy', 'regular', 'Access for the AWS Trusted Advisor Service to help reduce cost, increase performance, and improve security of your AWS environment.'),
    serviceLinked('AWSServiceRoleForSSO', 'sso.amazonaws.com', 'AWSSSOServiceRolePolicy', 'rare', 'Service-linked role used by AWS SSO to manage AWS resources, including IAM roles, policies and SAML IdP on your behalf.'),
  );
  if (ctx.isManagement) {
    roles.push(serviceLinked('AWSServiceRoleForOrganizations', 'organizations.amazonaws.com', 'AWSOrganizationsServiceTrustPolicy', 'regular', 'Service-linked role used by AWS Organizations to enable integration of other AWS services with Organizations.'));
  }
  if (opts.hasAnalyzer) {
    roles.push(serviceLinked('AWSServiceRoleForAccessAnalyzer', 'access-analyzer.amazonaws.com', 'AccessAnalyzerServiceRolePolicy', 'hot', ''));
  }
  roles.push(ciDeployer(ctx));
  return roles;
}
