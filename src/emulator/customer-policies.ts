/**
 * Customer managed and inline policy documents, written the way teams write them: wildcards on whole
 * services, NotAction, resource-constrained grants, and the classic privilege-escalation pairs
 * (iam:PassRole + lambda:CreateFunction, iam:PutRolePolicy on "*").
 */
import type { Json } from './org-types.js';

const V = '2012-10-17';

export interface CustomerPolicyDef {
  name: string;
  path: string;
  description?: string;
  /** Versions oldest first; `defaultIndex` says which one is in force. */
  versions: Json[];
  defaultIndex: number;
}

export interface PolicyContext {
  accountId: string;
  region: string;
  /** Short company prefix used in bucket and repository names, e.g. "acme". */
  company: string;
}

export function deployLambdaApps(c: PolicyContext): CustomerPolicyDef {
  return {
    name: 'DeployLambdaApps',
    path: '/',
    description: 'CI deploys Lambda functions and hands them their execution role',
    defaultIndex: 1,
    versions: [
      {
        Version: V,
        Statement: [{ Effect: 'Allow', Action: ['lambda:UpdateFunctionCode'], Resource: `arn:aws:lambda:${c.region}:${c.accountId}:function:*` }],
      },
      {
        Version: V,
        Statement: [
          {
            Sid: 'PassExecutionRoles',
            Effect: 'Allow',
            Action: 'iam:PassRole',
            Resource: '*',
          },
          {
            Sid: 'ManageFunctions',
            Effect: 'Allow',
            Action: [
              'lambda:CreateFunction',
              'lambda:UpdateFunctionCode',
              'lambda:UpdateFunctionConfiguration',
              'lambda:InvokeFunction',
              'lambda:AddPermission',
              'lambda:Get*',
              'lambda:List*',
            ],
            Resource: '*',
          },
          {
            Sid: 'Artifacts',
            Effect: 'Allow',
            Action: ['s3:GetObject', 's3:PutObject'],
            Resource: `arn:aws:s3:::${c.company}-ci-artifacts-${c.accountId}/*`,
          },
        ],
      },
    ],
  };
}

export function rolePolicyManager(c: PolicyContext): CustomerPolicyDef {
  return {
    name: 'PlatformRoleManager',
    path: '/platform/',
    description: 'Lets the platform team manage workload roles',
    defaultIndex: 0,
    versions: [
      {
        Version: V,
        Statement: [
          {
            Effect: 'Allow',
            Action: ['iam:CreateRole', 'iam:PutRolePolicy', 'iam:AttachRolePolicy', 'iam:UpdateAssumeRolePolicy', 'iam:TagRole'],
            Resource: '*',
          },
          {
            Effect: 'Allow',
            Action: ['iam:Get*', 'iam:List*'],
            Resource: `arn:aws:iam::${c.accountId}:role/*`,
          },
        ],
      },
    ],
  };
}

export function dataLakeAccess(c: PolicyContext): CustomerPolicyDef {
  return {
    name: 'DataLakeReadWrite',
    path: '/',
    description: 'Read and write the data lake buckets and query them with Athena',
    defaultIndex: 0,
    versions: [
      {
        Version: V,
        Statement: [
          {
            Effect: 'Allow',
            Action: 's3:*',
            Resource: [`arn:aws:s3:::${c.company}-data-lake-*`, `arn:aws:s3:::${c.company}-data-lake-*/*`],
          },
          { Effect: 'Allow', Action: ['athena:*', 'glue:Get*', 'glue:BatchGet*'], Resource: '*' },
          {
            Effect: 'Allow',
            Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
            Resource: `arn:aws:kms:${c.region}:${c.accountId}:key/*`,
            Condition: { StringEquals: { 'kms:ViaService': `s3.${c.region}.amazonaws.com` } },
          },
        ],
      },
    ],
  };
}

export function noIamPowerUser(): CustomerPolicyDef {
  return {
    name: 'EverythingButIam',
    path: '/',
    description: 'Broad operator access without IAM or Organizations',
    defaultIndex: 0,
    versions: [
      {
        Version: V,
        Statement: [
          { Sid: 'AllButIdentity', Effect: 'Allow', NotAction: ['iam:*', 'organizations:*', 'sts:*'], Resource: '*' },
          { Sid: 'ReadIdentity', Effect: 'Allow', Action: ['iam:Get*', 'iam:List*', 'sts:GetCallerIdentity'], Resource: '*' },
        ],
      },
    ],
  };
}

export function datadogIntegration(): CustomerPolicyDef {
  return {
    name: 'DatadogIntegrationPolicy',
    path: '/',
    description: 'Datadog AWS integration',
    defaultIndex: 0,
    versions: [
      {
        Version: V,
        Statement: [
          {
            Action: [
              'apigateway:GET',
              'autoscaling:Describe*',
              'backup:List*',
              'budgets:ViewBudget',
              'cloudfront:GetDistributionConfig',
              'cloudfront:ListDistributions',
              'cloudtrail:DescribeTrails',
              'cloudtrail:GetTrailStatus',
              'cloudtrail:LookupEvents',
              'cloudwatch:Describe*',
              'cloudwatch:Get*',
              'cloudwatch:List*',
              'dynamodb:Describe*',
              'dynamodb:List*',
              'ec2:Describe*',
              'ecs:Describe*',
              'ecs:List*',
              'elasticloadbalancing:Describe*',
              'lambda:GetPolicy',
              'lambda:List*',
              'logs:DeleteSubscriptionFilter',
              'logs:DescribeLogGroups',
              'logs:DescribeLogStreams',
              'logs:DescribeSubscriptionFilters',
              'logs:FilterLogEvents',
              'logs:PutSubscriptionFilter',
              'logs:TestMetricFilter',
              'rds:Describe*',
              'rds:List*',
              's3:GetBucketLogging',
              's3:GetBucketLocation',
              's3:GetBucketNotification',
              's3:GetBucketTagging',
              's3:ListAllMyBuckets',
              's3:PutBucketNotification',
              'sns:List*',
              'sqs:ListQueues',
              'tag:GetResources',
            ],
            Effect: 'Allow',
            Resource: '*',
          },
        ],
      },
    ],
  };
}

export function developerBoundary(c: PolicyContext): CustomerPolicyDef {
  return {
    name: 'DeveloperBoundary',
    path: '/boundaries/',
    description: 'Permissions boundary for roles developers create',
    defaultIndex: 0,
    versions: [
      {
        Version: V,
        Statement: [
          { Sid: 'AllowMost', Effect: 'Allow', Action: '*', Resource: '*' },
          {
            Sid: 'DenyIdentityAdmin',
            Effect: 'Deny',
            Action: ['iam:CreateUser', 'iam:CreateAccessKey', 'iam:DeleteRolePermissionsBoundary', 'organizations:*', 'account:*'],
            Resource: '*',
          },
          {
            Sid: 'DenyBoundaryEdits',
            Effect: 'Deny',
            Action: ['iam:CreatePolicyVersion', 'iam:DeletePolicy', 'iam:SetDefaultPolicyVersion'],
            Resource: `arn:aws:iam::${c.accountId}:policy/boundaries/*`,
          },
        ],
      },
    ],
  };
}

export function terraformState(c: PolicyContext): CustomerPolicyDef {
  return {
    name: 'TerraformStateAccess',
    path: '/',
    defaultIndex: 1,
    versions: [
      {
        Version: V,
        Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }],
      },
      {
        Version: V,
        Statement: [
          {
            Effect: 'Allow',
            Action: ['s3:ListBucket'],
            Resource: `arn:aws:s3:::${c.company}-terraform-state-${c.accountId}`,
          },
          {
            Effect: 'Allow',
            Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
            Resource: `arn:aws:s3:::${c.company}-terraform-state-${c.accountId}/*`,
          },
          {
            Effect: 'Allow',
            Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'],
            Resource: `arn:aws:dynamodb:${c.region}:${c.accountId}:table/terraform-locks`,
          },
        ],
      },
      {
        Version: V,
        Statement: [
          { Effect: 'Allow', Action: ['s3:*', 'dynamodb:*'], Resource: '*' },
        ],
      },
    ],
  };
}

/** Nobody attaches this one any more; IAM still lists it (local managed policies are listed attached or not). */
export function legacyEc2Admin(): CustomerPolicyDef {
  return {
    name: 'legacy-ec2-admin',
    path: '/',
    description: 'Old EC2 admin policy from the 2019 migration',
    defaultIndex: 0,
    versions: [{ Version: '2008-10-17', Statement: [{ Sid: '', Effect: 'Allow', Action: 'ec2:*', Resource: '*' }] }],
  };
}

export function secretsReader(c: PolicyContext): CustomerPolicyDef {
  return {
    name: 'ProdSecretsRead',
    path: '/',
    defaultIndex: 0,
    versions: [
      {
        Version: V,
        Statement: [
          {
            Effect: 'Allow',
            Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
            Resource: `arn:aws:secretsmanager:${c.region}:${c.accountId}:secret:prod/*`,
          },
          {
            Effect: 'Allow',
            Action: 'kms:Decrypt',
            Resource: '*',
            Condition: { StringEquals: { 'kms:ViaService': `secretsmanager.${c.region}.amazonaws.com` } },
          },
        ],
      },
    ],
  };
}

/** Inline policy documents keyed by what they do. */
export const inline = {
  accessReviewCollect(): Json {
    return {
      Version: V,
      Statement: [
        {
          Sid: 'CollectAccessReview',
          Effect: 'Allow',
          Action: [
            'iam:GetAccountAuthorizationDetails',
            'iam:GenerateServiceLastAccessedDetails',
            'iam:GetServiceLastAccessedDetails',
            'access-analyzer:ListAnalyzers',
            'access-analyzer:ListFindingsV2',
            'access-analyzer:GetFindingV2',
            'cloudtrail:LookupEvents',
          ],
          Resource: '*',
        },
      ],
    };
  },
  s3ReadBucket(bucket: string): Json {
    return {
      Version: V,
      Statement: [
        { Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`] },
      ],
    };
  },
  dynamoTable(c: PolicyContext, table: string): Json {
    return {
      Version: V,
      Statement: [
        {
          Effect: 'Allow',
          Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query'],
          Resource: [`arn:aws:dynamodb:${c.region}:${c.accountId}:table/${table}`, `arn:aws:dynamodb:${c.region}:${c.accountId}:table/${table}/index/*`],
        },
      ],
    };
  },
  sqsConsume(c: PolicyContext, queue: string): Json {
    return {
      Version: V,
      Statement: [
        {
          Effect: 'Allow',
          Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'],
          Resource: `arn:aws:sqs:${c.region}:${c.accountId}:${queue}`,
        },
      ],
    };
  },
  putRolePolicyAnywhere(): Json {
    return {
      Version: V,
      Statement: [{ Effect: 'Allow', Action: ['iam:PutRolePolicy', 'iam:AttachRolePolicy', 'iam:PassRole'], Resource: '*' }],
    };
  },
  fullS3(): Json {
    return { Version: V, Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] };
  },
  denyOutsideRegions(): Json {
    return {
      Version: V,
      Statement: [
        {
          Sid: 'DenyOutsideApprovedRegions',
          Effect: 'Deny',
          NotAction: ['iam:*', 'sts:*', 'organizations:*', 'support:*', 'cloudfront:*', 'route53:*'],
          Resource: '*',
          Condition: { StringNotEquals: { 'aws:RequestedRegion': ['us-east-1', 'eu-west-1'] } },
        },
      ],
    };
  },
  vendorLogsRead(c: PolicyContext): Json {
    return {
      Version: V,
      Statement: [
        {
          Effect: 'Allow',
          Action: ['s3:GetObject', 's3:ListBucket'],
          Resource: [`arn:aws:s3:::${c.company}-logs-${c.accountId}`, `arn:aws:s3:::${c.company}-logs-${c.accountId}/*`],
        },
        { Effect: 'Allow', Action: ['cloudtrail:LookupEvents', 'cloudtrail:DescribeTrails'], Resource: '*' },
      ],
    };
  },
  ecrPush(c: PolicyContext): Json {
    return {
      Version: V,
      Statement: [
        { Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
        {
          Effect: 'Allow',
          Action: ['ecr:BatchCheckLayerAvailability', 'ecr:CompleteLayerUpload', 'ecr:InitiateLayerUpload', 'ecr:PutImage', 'ecr:UploadLayerPart'],
          Resource: `arn:aws:ecr:${c.region}:${c.accountId}:repository/*`,
        },
      ],
    };
  },
};
