/**
 * Policy documents for the tests: AWS managed policies as published (AdministratorAccess, PowerUserAccess
 * v12), the shape of ReadOnlyAccess and ViewOnlyAccess (a few services of each, as AWS writes them), and
 * customer policies in the forms seen in real accounts.
 */
import type { PolicyInput } from '../../../src/analyze/permissions/index.js';

export const ACCOUNT = '111122223333';

export function inline(name: string, document: unknown): PolicyInput {
  return { name, kind: 'inline', policy: { ok: true, document } };
}

export function managed(name: string, document: unknown, account = ACCOUNT): PolicyInput {
  return { name, arn: `arn:aws:iam::${account}:policy/${name}`, kind: 'managed', policy: { ok: true, document } };
}

export function awsManaged(name: string, document: unknown): PolicyInput {
  return { name, arn: `arn:aws:iam::aws:policy/${name}`, kind: 'aws-managed', policy: { ok: true, document } };
}

export const ADMINISTRATOR_ACCESS = awsManaged('AdministratorAccess', {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
});

export const POWER_USER_ACCESS = awsManaged('PowerUserAccess', {
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', NotAction: ['iam:*', 'organizations:*', 'account:*'], Resource: '*' },
    {
      Effect: 'Allow',
      Action: [
        'account:GetAccountInformation',
        'account:GetGovCloudAccountInformation',
        'account:GetPrimaryEmail',
        'account:ListRegions',
        'iam:CreateServiceLinkedRole',
        'iam:DeleteServiceLinkedRole',
        'iam:ListRoles',
        'organizations:DescribeEffectivePolicy',
        'organizations:DescribeOrganization',
      ],
      Resource: '*',
    },
  ],
});

/** ReadOnlyAccess is one statement of per-service Describe*, Get*, List* (and a few data reads) on "*". */
export const READ_ONLY_ACCESS_SHAPE = awsManaged('ReadOnlyAccess', {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: [
        'cloudformation:Describe*',
        'cloudformation:Get*',
        'cloudformation:List*',
        'dynamodb:BatchGet*',
        'dynamodb:Describe*',
        'dynamodb:Get*',
        'dynamodb:List*',
        'dynamodb:Query',
        'dynamodb:Scan',
        'ec2:Describe*',
        'ec2:Get*',
        'iam:Generate*',
        'iam:Get*',
        'iam:List*',
        'lambda:Get*',
        'lambda:List*',
        's3:Get*',
        's3:List*',
        'secretsmanager:List*',
        'ssm:Describe*',
        'ssm:Get*',
      ],
      Resource: '*',
    },
  ],
});

/** ViewOnlyAccess lists and describes, but reads no data (no s3:GetObject, no dynamodb:GetItem). */
export const VIEW_ONLY_ACCESS_SHAPE = awsManaged('ViewOnlyAccess', {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'GeneralViewOnlyAccessStatement',
      Effect: 'Allow',
      Action: [
        'cloudformation:DescribeStacks',
        'cloudformation:List*',
        'dynamodb:DescribeTable',
        'dynamodb:ListTables',
        'ec2:DescribeInstance*',
        'ec2:DescribeVpc*',
        'iam:List*',
        'lambda:List*',
        's3:ListAllMyBuckets',
        's3:ListBucket',
      ],
      Resource: '*',
    },
  ],
});

/** A CI deployer: passes only lambda-basic-* roles, only to Lambda, and manages only the app's functions. */
export const LAMBDA_DEPLOYER = inline('lambda-deployer', {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'PassExecutionRoles',
      Effect: 'Allow',
      Action: 'iam:PassRole',
      Resource: `arn:aws:iam::${ACCOUNT}:role/lambda-basic-*`,
      Condition: { StringEquals: { 'iam:PassedToService': 'lambda.amazonaws.com' } },
    },
    {
      Sid: 'ManageAppFunctions',
      Effect: 'Allow',
      Action: ['lambda:CreateFunction', 'lambda:InvokeFunction', 'lambda:UpdateFunctionCode', 'lambda:GetFunction'],
      Resource: `arn:aws:lambda:eu-west-1:${ACCOUNT}:function:app-*`,
    },
    { Sid: 'LaunchInstances', Effect: 'Allow', Action: 'ec2:RunInstances', Resource: '*' },
  ],
});

export const DENY_IAM = inline('deny-iam', {
  Version: '2012-10-17',
  Statement: { Effect: 'Deny', Action: 'iam:*', Resource: '*' },
});

const perService = (patterns: Record<string, string[]>): string[] =>
  Object.entries(patterns).flatMap(([service, list]) => list.map((p) => `${service}:${p}`));

/** ReadOnlyAccess as AWS writes it for the core services the read-everything rule looks at. */
export const READ_ONLY_ACCESS_CORE = awsManaged('ReadOnlyAccess', {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: perService({
        cloudformation: ['Describe*', 'Detect*', 'Estimate*', 'Get*', 'List*'],
        cloudtrail: ['Describe*', 'Get*', 'List*', 'LookupEvents'],
        cloudwatch: ['Describe*', 'Get*', 'List*'],
        dynamodb: ['BatchGet*', 'Describe*', 'Get*', 'List*', 'PartiQLSelect', 'Query', 'Scan'],
        ec2: ['Describe*', 'Get*'],
        ecs: ['Describe*', 'List*'],
        iam: ['Generate*', 'Get*', 'List*', 'Simulate*'],
        kms: ['Describe*', 'Get*', 'List*'],
        lambda: ['Get*', 'List*'],
        logs: ['Describe*', 'FilterLogEvents', 'Get*', 'List*', 'StartQuery', 'StopQuery', 'TestMetricFilter'],
        rds: ['Describe*', 'List*'],
        s3: ['Describe*', 'Get*', 'List*'],
        sns: ['Check*', 'Get*', 'List*'],
        sqs: ['Get*', 'List*', 'Receive*'],
      }),
      Resource: '*',
    },
  ],
});

/** ViewOnlyAccess (v36) for the same services: lists and describes, reads almost no data. */
export const VIEW_ONLY_ACCESS_CORE = awsManaged('ViewOnlyAccess', {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'GeneralViewOnlyAccessStatement',
      Effect: 'Allow',
      Action: perService({
        cloudformation: ['DescribeStacks', 'List*'],
        cloudtrail: ['DescribeTrails', 'ListTrails', 'LookupEvents'],
        cloudwatch: ['Get*', 'List*'],
        dynamodb: ['DescribeTable', 'DescribeTimeToLive', 'ListBackups', 'ListGlobalTables', 'ListStreams', 'ListTables'],
        ec2: ['DescribeInstance*', 'DescribeVpc*', 'DescribeSecurityGroups', 'DescribeSubnets', 'DescribeVolume*'],
        ecs: ['Describe*', 'List*'],
        iam: ['GetAccountSummary', 'GetLoginProfile', 'List*'],
        kms: ['ListKeys', 'ListResourceTags'],
        lambda: ['List*'],
        logs: ['Describe*', 'ListTagsForResource'],
        rds: ['Describe*'],
        s3: ['ListAllMyBuckets', 'ListBucket', 'ListMultiRegionAccessPoints'],
        sns: ['List*'],
        sqs: ['GetQueueAttributes', 'GetQueueUrl', 'ListQueues', 'ListQueueTags'],
      }),
      Resource: '*',
    },
  ],
});
