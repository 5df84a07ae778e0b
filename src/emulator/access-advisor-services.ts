/**
 * The services and actions the emulator's Access Advisor knows about: a small, real subset of AWS (names
 * as the Service Authorization Reference spells them), enough for the synthetic roles' policies to grant
 * and use. `tracked` marks services for which IAM reports action-level last access; within them only the
 * listed actions count as tracked, as in AWS, where a tracked service tracks a subset (mostly management
 * calls) of its actions.
 */

export interface AdvisorService {
  namespace: string;
  name: string;
  tracked: boolean;
  actions: readonly string[];
}

export const ADVISOR_SERVICES: readonly AdvisorService[] = [
  { namespace: 'access-analyzer', name: 'AWS IAM Access Analyzer', tracked: true, actions: ['ListAnalyzers', 'ListFindingsV2', 'GetFindingV2', 'CreateAnalyzer'] },
  { namespace: 'acm', name: 'AWS Certificate Manager', tracked: true, actions: ['ListCertificates', 'DescribeCertificate', 'RequestCertificate'] },
  { namespace: 'athena', name: 'Amazon Athena', tracked: false, actions: ['StartQueryExecution', 'GetQueryResults', 'ListWorkGroups'] },
  { namespace: 'cloudformation', name: 'AWS CloudFormation', tracked: false, actions: ['DescribeStacks', 'ListStacks', 'CreateStack', 'UpdateStack'] },
  { namespace: 'cloudtrail', name: 'AWS CloudTrail', tracked: true, actions: ['LookupEvents', 'DescribeTrails', 'GetTrailStatus', 'StopLogging'] },
  { namespace: 'cloudwatch', name: 'Amazon CloudWatch', tracked: true, actions: ['GetMetricData', 'ListMetrics', 'DescribeAlarms', 'PutMetricData'] },
  { namespace: 'config', name: 'AWS Config', tracked: false, actions: ['DescribeConfigRules', 'GetResourceConfigHistory', 'PutConfigRule'] },
  { namespace: 'dynamodb', name: 'Amazon DynamoDB', tracked: true, actions: ['ListTables', 'DescribeTable', 'CreateTable', 'DeleteTable'] },
  { namespace: 'ec2', name: 'Amazon EC2', tracked: true, actions: ['DescribeInstances', 'DescribeRegions', 'DescribeSecurityGroups', 'RunInstances', 'TerminateInstances', 'CreateTags'] },
  { namespace: 'ecr', name: 'Amazon Elastic Container Registry', tracked: false, actions: ['GetAuthorizationToken', 'BatchGetImage', 'GetDownloadUrlForLayer', 'PutImage'] },
  { namespace: 'ecs', name: 'Amazon Elastic Container Service', tracked: false, actions: ['ListClusters', 'DescribeServices', 'UpdateService', 'RunTask'] },
  { namespace: 'eks', name: 'Amazon Elastic Kubernetes Service', tracked: false, actions: ['ListClusters', 'DescribeCluster'] },
  { namespace: 'guardduty', name: 'Amazon GuardDuty', tracked: false, actions: ['ListDetectors', 'GetFindings'] },
  { namespace: 'iam', name: 'AWS Identity and Access Management', tracked: true, actions: ['GetAccountAuthorizationDetails', 'ListRoles', 'GetRole', 'CreateRole', 'AttachRolePolicy', 'PutRolePolicy', 'PassRole', 'CreateServiceLinkedRole', 'GenerateServiceLastAccessedDetails'] },
  { namespace: 'kms', name: 'AWS Key Management Service', tracked: true, actions: ['ListKeys', 'DescribeKey', 'Decrypt', 'Encrypt', 'CreateGrant'] },
  { namespace: 'lambda', name: 'AWS Lambda', tracked: true, actions: ['ListFunctions', 'GetFunction', 'InvokeFunction', 'UpdateFunctionCode'] },
  { namespace: 'logs', name: 'Amazon CloudWatch Logs', tracked: false, actions: ['DescribeLogGroups', 'CreateLogStream', 'PutLogEvents', 'FilterLogEvents'] },
  { namespace: 'organizations', name: 'AWS Organizations', tracked: true, actions: ['DescribeOrganization', 'ListAccounts', 'ListRoots', 'CreateAccount'] },
  { namespace: 'rds', name: 'Amazon RDS', tracked: false, actions: ['DescribeDBInstances', 'DescribeDBClusters', 'CreateDBSnapshot'] },
  { namespace: 's3', name: 'Amazon S3', tracked: true, actions: ['ListAllMyBuckets', 'GetBucketPolicy', 'GetBucketLocation', 'PutBucketPolicy', 'CreateBucket', 'GetObject', 'PutObject', 'ListBucket'] },
  { namespace: 'secretsmanager', name: 'AWS Secrets Manager', tracked: true, actions: ['ListSecrets', 'DescribeSecret', 'GetSecretValue', 'PutSecretValue'] },
  { namespace: 'securityhub', name: 'AWS Security Hub', tracked: false, actions: ['GetFindings', 'BatchImportFindings'] },
  { namespace: 'ses', name: 'Amazon Simple Email Service', tracked: false, actions: ['SendEmail', 'SendRawEmail'] },
  { namespace: 'sns', name: 'Amazon SNS', tracked: true, actions: ['ListTopics', 'Publish', 'CreateTopic'] },
  { namespace: 'sqs', name: 'Amazon SQS', tracked: true, actions: ['ListQueues', 'SendMessage', 'ReceiveMessage', 'DeleteMessage'] },
  { namespace: 'ssm', name: 'AWS Systems Manager', tracked: true, actions: ['DescribeInstanceInformation', 'GetParameter', 'GetParameters', 'UpdateInstanceInformation', 'PutParameter'] },
  { namespace: 'sts', name: 'AWS Security Token Service', tracked: true, actions: ['GetCallerIdentity', 'AssumeRole'] },
  { namespace: 'support', name: 'AWS Support', tracked: false, actions: ['DescribeTrustedAdvisorChecks', 'DescribeCases'] },
  { namespace: 'tag', name: 'AWS Resource Groups Tagging API', tracked: false, actions: ['GetResources'] },
];

/**
 * Actions that tracked services track: in AWS mostly management calls, not data-plane reads. S3 object
 * reads and writes, KMS Decrypt and SQS messages are deliberately untracked here, as there.
 */
export const UNTRACKED_ACTIONS: ReadonlySet<string> = new Set([
  's3:GetObject',
  's3:PutObject',
  's3:ListBucket',
  'kms:Decrypt',
  'kms:Encrypt',
  'sqs:SendMessage',
  'sqs:ReceiveMessage',
  'sqs:DeleteMessage',
  'lambda:InvokeFunction',
  'sts:AssumeRole',
]);

export function isTrackedAction(service: AdvisorService, action: string): boolean {
  return service.tracked && !UNTRACKED_ACTIONS.has(`${service.namespace}:${action}`);
}
