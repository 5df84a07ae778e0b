/**
 * AWS managed policies the synthetic roles attach. The documents follow the real ones in shape (the big
 * read-only ones are abridged); ids are generated once from a fixed seed because AWS managed policies
 * have the same id in every account.
 */
import type { Json, SyntheticManagedPolicy } from './org-types.js';
import { policyText } from './policy-text.js';
import { Rng, iamUniqueId } from './prng.js';

interface AwsPolicyDef {
  name: string;
  /** "/", "/service-role/", "/aws-service-role/" or "/job-function/". */
  path: string;
  description: string;
  createDate: string;
  updateDate: string;
  defaultVersion: number;
  document: Json;
  /** The version before the default, when it is interesting (GetAccountAuthorizationDetails lists both). */
  previous?: Json;
}

const V = '2012-10-17';

const DEFS: readonly AwsPolicyDef[] = [
  {
    name: 'AdministratorAccess',
    path: '/',
    description: 'Provides full access to AWS services and resources.',
    createDate: '2015-02-06T18:39:46Z',
    updateDate: '2015-02-06T18:39:46Z',
    defaultVersion: 1,
    document: { Version: V, Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
  },
  {
    name: 'PowerUserAccess',
    path: '/',
    description: 'Provides full access to AWS services and resources, but does not allow management of Users and groups.',
    createDate: '2015-02-06T18:39:47Z',
    updateDate: '2023-07-06T22:04:00Z',
    defaultVersion: 5,
    document: {
      Version: V,
      Statement: [
        { Effect: 'Allow', NotAction: ['iam:*', 'organizations:*', 'account:*'], Resource: '*' },
        {
          Effect: 'Allow',
          Action: [
            'account:GetAccountInformation',
            'account:GetPrimaryEmail',
            'account:ListRegions',
            'iam:CreateServiceLinkedRole',
            'iam:DeleteServiceLinkedRole',
            'iam:ListRoles',
            'organizations:DescribeOrganization',
          ],
          Resource: '*',
        },
      ],
    },
    previous: {
      Version: V,
      Statement: [
        { Effect: 'Allow', NotAction: ['iam:*', 'organizations:*', 'account:*'], Resource: '*' },
        {
          Effect: 'Allow',
          Action: ['iam:CreateServiceLinkedRole', 'iam:DeleteServiceLinkedRole', 'iam:ListRoles', 'organizations:DescribeOrganization', 'account:ListRegions'],
          Resource: '*',
        },
      ],
    },
  },
  {
    name: 'ReadOnlyAccess',
    path: '/',
    description: 'Provides read-only access to AWS services and resources.',
    createDate: '2015-02-06T18:39:48Z',
    updateDate: '2026-08-14T17:21:09Z',
    defaultVersion: 121,
    document: {
      Version: V,
      Statement: [
        {
          Sid: 'ReadOnlyActions',
          Effect: 'Allow',
          Action: [
            'access-analyzer:Get*',
            'access-analyzer:List*',
            'acm:Describe*',
            'acm:Get*',
            'acm:List*',
            'autoscaling:Describe*',
            'cloudformation:Describe*',
            'cloudformation:Get*',
            'cloudformation:List*',
            'cloudtrail:Describe*',
            'cloudtrail:Get*',
            'cloudtrail:List*',
            'cloudtrail:LookupEvents',
            'cloudwatch:Describe*',
            'cloudwatch:Get*',
            'cloudwatch:List*',
            'dynamodb:BatchGet*',
            'dynamodb:Describe*',
            'dynamodb:Get*',
            'dynamodb:List*',
            'dynamodb:Query',
            'dynamodb:Scan',
            'ec2:Describe*',
            'ec2:Get*',
            'ecr:BatchGet*',
            'ecr:Describe*',
            'ecr:Get*',
            'ecr:List*',
            'ecs:Describe*',
            'ecs:List*',
            'eks:Describe*',
            'eks:List*',
            'iam:Generate*',
            'iam:Get*',
            'iam:List*',
            'iam:Simulate*',
            'kms:Describe*',
            'kms:Get*',
            'kms:List*',
            'lambda:Get*',
            'lambda:List*',
            'logs:Describe*',
            'logs:FilterLogEvents',
            'logs:Get*',
            'logs:StartQuery',
            'organizations:Describe*',
            'organizations:List*',
            'rds:Describe*',
            'rds:List*',
            's3:Describe*',
            's3:Get*',
            's3:List*',
            'secretsmanager:Describe*',
            'secretsmanager:GetResourcePolicy',
            'secretsmanager:List*',
            'sns:Get*',
            'sns:List*',
            'sqs:Get*',
            'sqs:List*',
            'ssm:Describe*',
            'ssm:Get*',
            'ssm:List*',
            'sts:GetCallerIdentity',
          ],
          Resource: '*',
        },
      ],
    },
  },
  {
    name: 'SecurityAudit',
    path: '/',
    description: 'The security audit template grants access to read security configuration metadata.',
    createDate: '2015-02-06T18:41:01Z',
    updateDate: '2026-06-02T16:12:44Z',
    defaultVersion: 48,
    document: {
      Version: V,
      Statement: [
        {
          Effect: 'Allow',
          Action: [
            'access-analyzer:GetAnalyzer',
            'access-analyzer:GetFindingV2',
            'access-analyzer:ListAnalyzers',
            'access-analyzer:ListFindings',
            'access-analyzer:ListFindingsV2',
            'cloudtrail:DescribeTrails',
            'cloudtrail:GetEventSelectors',
            'cloudtrail:GetTrailStatus',
            'cloudtrail:ListTags',
            'cloudtrail:LookupEvents',
            'config:Describe*',
            'ec2:Describe*',
            'iam:GenerateCredentialReport',
            'iam:GenerateServiceLastAccessedDetails',
            'iam:Get*',
            'iam:List*',
            'iam:SimulateCustomPolicy',
            'iam:SimulatePrincipalPolicy',
            'kms:Describe*',
            'kms:Get*',
            'kms:List*',
            'organizations:Describe*',
            'organizations:List*',
            's3:GetAccountPublicAccessBlock',
            's3:GetBucketAcl',
            's3:GetBucketPolicy',
            's3:GetBucketPolicyStatus',
            's3:ListAllMyBuckets',
            'sts:GetCallerIdentity',
          ],
          Resource: '*',
        },
        {
          Sid: 'APIGatewayAccess',
          Effect: 'Allow',
          Action: ['apigateway:GET'],
          Resource: ['arn:aws:apigateway:*::/restapis', 'arn:aws:apigateway:*::/restapis/*/authorizers'],
        },
      ],
    },
  },
  {
    name: 'ViewOnlyAccess',
    path: '/job-function/',
    description: 'This policy grants permissions to view resources and basic metadata across all AWS services',
    createDate: '2016-11-10T17:20:15Z',
    updateDate: '2025-11-20T21:18:50Z',
    defaultVersion: 22,
    document: {
      Version: V,
      Statement: [
        {
          Sid: 'ViewOnlyActions',
          Effect: 'Allow',
          Action: [
            'cloudtrail:DescribeTrails',
            'cloudtrail:LookupEvents',
            'cloudwatch:List*',
            'dynamodb:ListTables',
            'ec2:DescribeInstances',
            'ec2:DescribeSecurityGroups',
            'iam:ListRoles',
            'iam:ListUsers',
            'lambda:ListFunctions',
            'rds:DescribeDBInstances',
            's3:ListAllMyBuckets',
            's3:ListBucket',
          ],
          Resource: '*',
        },
      ],
    },
  },
  {
    name: 'AWSLambdaBasicExecutionRole',
    path: '/service-role/',
    description: 'Provides write permissions to CloudWatch Logs.',
    createDate: '2015-04-09T15:03:43Z',
    updateDate: '2015-04-09T15:03:43Z',
    defaultVersion: 1,
    document: {
      Version: V,
      Statement: [
        { Effect: 'Allow', Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'], Resource: '*' },
      ],
    },
  },
  {
    name: 'AmazonECSTaskExecutionRolePolicy',
    path: '/service-role/',
    description: 'Provides access to other AWS service resources that are required to run Amazon ECS tasks',
    createDate: '2017-11-16T18:48:22Z',
    updateDate: '2017-11-16T18:48:22Z',
    defaultVersion: 1,
    document: {
      Version: V,
      Statement: [
        {
          Effect: 'Allow',
          Action: [
            'ecr:GetAuthorizationToken',
            'ecr:BatchCheckLayerAvailability',
            'ecr:GetDownloadUrlForLayer',
            'ecr:BatchGetImage',
            'logs:CreateLogStream',
            'logs:PutLogEvents',
          ],
          Resource: '*',
        },
      ],
    },
  },
  {
    name: 'AmazonSSMManagedInstanceCore',
    path: '/',
    description: 'The policy for Amazon EC2 Role to enable AWS Systems Manager service core functionality.',
    createDate: '2019-03-15T17:22:12Z',
    updateDate: '2023-05-23T16:56:45Z',
    defaultVersion: 3,
    document: {
      Version: V,
      Statement: [
        {
          Effect: 'Allow',
          Action: [
            'ssm:DescribeAssociation',
            'ssm:GetDeployablePatchSnapshotForInstance',
            'ssm:GetDocument',
            'ssm:DescribeDocument',
            'ssm:GetManifest',
            'ssm:GetParameter',
            'ssm:GetParameters',
            'ssm:ListAssociations',
            'ssm:ListInstanceAssociations',
            'ssm:PutInventory',
            'ssm:PutComplianceItems',
            'ssm:PutConfigurePackageResult',
            'ssm:UpdateAssociationStatus',
            'ssm:UpdateInstanceAssociationStatus',
            'ssm:UpdateInstanceInformation',
          ],
          Resource: '*',
        },
        {
          Effect: 'Allow',
          Action: ['ssmmessages:CreateControlChannel', 'ssmmessages:CreateDataChannel', 'ssmmessages:OpenControlChannel', 'ssmmessages:OpenDataChannel'],
          Resource: '*',
        },
        {
          Effect: 'Allow',
          Action: ['ec2messages:AcknowledgeMessage', 'ec2messages:DeleteMessage', 'ec2messages:FailMessage', 'ec2messages:GetEndpoint', 'ec2messages:GetMessages', 'ec2messages:SendReply'],
          Resource: '*',
        },
      ],
    },
  },
  {
    name: 'CloudWatchAgentServerPolicy',
    path: '/',
    description: 'Permissions required to use AmazonCloudWatchAgent on servers',
    createDate: '2017-09-13T00:00:35Z',
    updateDate: '2023-12-01T18:27:40Z',
    defaultVersion: 3,
    document: {
      Version: V,
      Statement: [
        {
          Sid: 'CWACloudWatchServerPermissions',
          Effect: 'Allow',
          Action: [
            'cloudwatch:PutMetricData',
            'ec2:DescribeVolumes',
            'ec2:DescribeTags',
            'logs:PutLogEvents',
            'logs:PutRetentionPolicy',
            'logs:DescribeLogStreams',
            'logs:DescribeLogGroups',
            'logs:CreateLogStream',
            'logs:CreateLogGroup',
            'xray:PutTraceSegments',
            'xray:PutTelemetryRecords',
          ],
          Resource: '*',
        },
        {
          Sid: 'CWASSMServerPermissions',
          Effect: 'Allow',
          Action: ['ssm:GetParameter'],
          Resource: 'arn:aws:ssm:*:*:parameter/AmazonCloudWatch-*',
        },
      ],
    },
  },
  {
    name: 'AmazonS3ReadOnlyAccess',
    path: '/',
    description: 'Provides read only access to all buckets via the AWS Management Console.',
    createDate: '2015-02-06T18:40:59Z',
    updateDate: '2023-08-10T21:31:39Z',
    defaultVersion: 3,
    document: {
      Version: V,
      Statement: [
        {
          Effect: 'Allow',
          Action: ['s3:Get*', 's3:List*', 's3:Describe*', 's3-object-lambda:Get*', 's3-object-lambda:List*'],
          Resource: '*',
        },
      ],
    },
  },
  {
    name: 'AmazonEC2ContainerRegistryReadOnly',
    path: '/',
    description: 'Provides read-only access to Amazon EC2 Container Registry repositories.',
    createDate: '2015-12-21T17:04:23Z',
    updateDate: '2019-12-10T20:56:32Z',
    defaultVersion: 3,
    document: {
      Version: V,
      Statement: [
        {
          Effect: 'Allow',
          Action: [
            'ecr:GetAuthorizationToken',
            'ecr:BatchCheckLayerAvailability',
            'ecr:GetDownloadUrlForLayer',
            'ecr:GetRepositoryPolicy',
            'ecr:DescribeRepositories',
            'ecr:ListImages',
            'ecr:DescribeImages',
            'ecr:BatchGetImage',
            'ecr:GetLifecyclePolicy',
            'ecr:GetLifecyclePolicyPreview',
            'ecr:ListTagsForResource',
            'ecr:DescribeImageScanFindings',
          ],
          Resource: '*',
        },
      ],
    },
  },
  {
    name: 'AWS_ConfigRole',
    path: '/service-role/',
    description: 'Managed policy for the AWS Config role',
    createDate: '2020-09-14T19:52:05Z',
    updateDate: '2026-07-29T18:30:12Z',
    defaultVersion: 64,
    document: {
      Version: V,
      Statement: [
        {
          Sid: 'AWSConfigRoleStatementID',
          Effect: 'Allow',
          Action: ['cloudtrail:DescribeTrails', 'ec2:Describe*', 'iam:GetRole', 'iam:GetRolePolicy', 'iam:ListAttachedRolePolicies', 'iam:ListRolePolicies', 'iam:ListRoles', 's3:GetBucketPolicy', 'tag:GetResources'],
          Resource: '*',
        },
      ],
    },
  },
  {
    name: 'AWSSupportServiceRolePolicy',
    path: '/aws-service-role/',
    description: 'Enables resource access for AWS to provide billing, administrative and support services',
    createDate: '2018-04-19T18:04:44Z',
    updateDate: '2026-05-21T20:05:41Z',
    defaultVersion: 41,
    document: {
      Version: V,
      Statement: [
        {
          Sid: 'AWSSupportAPIGatewayAccess',
          Effect: 'Allow',
          Action: ['apigateway:GET'],
          Resource: ['arn:aws:apigateway:*::/account', 'arn:aws:apigateway:*::/restapis', 'arn:aws:apigateway:*::/restapis/*'],
        },
        {
          Sid: 'AWSSupportActions',
          Effect: 'Allow',
          Action: ['ec2:DescribeInstances', 'iam:GetAccountSummary', 'iam:ListRoles', 'rds:DescribeDBInstances', 's3:GetBucketLocation', 's3:ListAllMyBuckets'],
          Resource: '*',
        },
      ],
    },
  },
  {
    name: 'AWSTrustedAdvisorServiceRolePolicy',
    path: '/aws-service-role/',
    description: 'Access policy for the AWS Trusted Advisor service-linked role',
    createDate: '2018-02-22T21:24:25Z',
    updateDate: '2026-03-12T18:40:11Z',
    defaultVersion: 24,
    document: {
      Version: V,
      Statement: [
        {
          Sid: 'TrustedAdvisorServiceRolePermissions',
          Effect: 'Allow',
          Action: ['autoscaling:Describe*', 'cloudtrail:DescribeTrails', 'ec2:Describe*', 'iam:GenerateCredentialReport', 'iam:GetAccountPasswordPolicy', 'iam:ListUsers', 's3:ListAllMyBuckets'],
          Resource: '*',
        },
      ],
    },
  },
  {
    name: 'AWSOrganizationsServiceTrustPolicy',
    path: '/aws-service-role/',
    description: 'Policy to allow AWS Organizations to share trust with other AWS services.',
    createDate: '2017-10-10T23:04:07Z',
    updateDate: '2019-11-12T18:49:29Z',
    defaultVersion: 2,
    document: {
      Version: V,
      Statement: [
        {
          Sid: 'AllowDeletionOfServiceLinkedRoleForOrganizations',
          Effect: 'Allow',
          Action: ['iam:DeleteRole'],
          Resource: ['arn:aws:iam::*:role/aws-service-role/organizations.amazonaws.com/*'],
        },
        {
          Sid: 'AllowCreationOfServiceLinkedRoles',
          Effect: 'Allow',
          Action: ['iam:CreateServiceLinkedRole'],
          Resource: '*',
        },
      ],
    },
  },
  {
    name: 'AccessAnalyzerServiceRolePolicy',
    path: '/aws-service-role/',
    description: 'Allow Access Analyzer to analyze resource metadata',
    createDate: '2019-12-02T17:13:12Z',
    updateDate: '2026-04-29T17:08:36Z',
    defaultVersion: 18,
    document: {
      Version: V,
      Statement: [
        {
          Effect: 'Allow',
          Action: ['ec2:DescribeSnapshotAttribute', 'iam:GetRole', 'iam:ListRoles', 'kms:GetKeyPolicy', 'organizations:ListAccounts', 's3:GetBucketPolicy', 'sts:GetCallerIdentity'],
          Resource: '*',
        },
      ],
    },
  },
  {
    name: 'AWSSSOServiceRolePolicy',
    path: '/aws-service-role/',
    description: 'Grants AWS Single Sign-On permissions to manage roles and SAML providers in member accounts.',
    createDate: '2017-12-07T23:43:19Z',
    updateDate: '2025-09-18T20:11:50Z',
    defaultVersion: 22,
    document: {
      Version: V,
      Statement: [
        {
          Sid: 'IAMRoleProvisioningActions',
          Effect: 'Allow',
          Action: ['iam:AttachRolePolicy', 'iam:CreateRole', 'iam:PutRolePolicy', 'iam:UpdateRole', 'iam:UpdateRoleDescription', 'iam:UpdateAssumeRolePolicy'],
          Resource: ['arn:aws:iam::*:role/aws-reserved/sso.amazonaws.com/*'],
          Condition: { StringNotEquals: { 'aws:PrincipalOrgMasterAccountId': '${aws:PrincipalAccount}' } },
        },
      ],
    },
  },
];

const ARN_PREFIX = 'arn:aws:iam::aws:policy';

export function awsManagedArn(name: string): string {
  const def = DEFS.find((d) => d.name === name);
  if (!def) throw new Error(`unknown AWS managed policy ${name}`);
  return `${ARN_PREFIX}${def.path}${name}`;
}

export function isAwsManagedArn(arn: string): boolean {
  return arn.startsWith(`${ARN_PREFIX}/`);
}

let catalogue: Map<string, SyntheticManagedPolicy> | undefined;

/** The catalogue keyed by ARN; policy ids are fixed for the process, as AWS's are for the world. */
export function awsManagedPolicies(): Map<string, SyntheticManagedPolicy> {
  if (catalogue) return catalogue;
  const rng = new Rng(0x1a2b3c);
  catalogue = new Map();
  for (const def of DEFS) {
    const arn = `${ARN_PREFIX}${def.path}${def.name}`;
    const defaultId = `v${def.defaultVersion}`;
    const versions = [
      { versionId: defaultId, isDefault: true, createDate: def.updateDate, document: def.document, text: policyText(def.document, 'spaces4') },
    ];
    if (def.previous !== undefined && def.defaultVersion > 1) {
      versions.push({
        versionId: `v${def.defaultVersion - 1}`,
        isDefault: false,
        createDate: def.createDate,
        document: def.previous,
        text: policyText(def.previous, 'spaces4'),
      });
    }
    catalogue.set(arn, {
      arn,
      name: def.name,
      policyId: iamUniqueId(rng, 'ANPA'),
      path: def.path,
      awsManaged: true,
      description: def.description,
      createDate: def.createDate,
      updateDate: def.updateDate,
      defaultVersionId: defaultId,
      versions,
    });
  }
  return catalogue;
}
