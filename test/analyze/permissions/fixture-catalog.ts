/**
 * A hand-built slice of the action catalogue: enough services and access levels to exercise wildcard,
 * NotAction and escalation logic with exact, countable expectations. Access levels follow AWS's reference.
 */
import type { AccessLevel, ActionCatalog, ActionInfo } from '../../../src/model/action-catalog.js';

const PM: AccessLevel = 'Permissions management';

const SERVICES: Record<string, Record<string, AccessLevel>> = {
  iam: {
    AddUserToGroup: 'Write',
    AttachGroupPolicy: PM,
    AttachRolePolicy: PM,
    AttachUserPolicy: PM,
    CreateAccessKey: 'Write',
    CreateLoginProfile: 'Write',
    CreatePolicyVersion: PM,
    CreateRole: 'Write',
    CreateServiceLinkedRole: 'Write',
    DeleteRole: 'Write',
    DeleteRolePermissionsBoundary: PM,
    DeleteRolePolicy: PM,
    DetachRolePolicy: PM,
    GetPolicy: 'Read',
    GetRole: 'Read',
    GetRolePolicy: 'Read',
    ListAttachedRolePolicies: 'List',
    ListRoles: 'List',
    ListUsers: 'List',
    PassRole: 'Write',
    PutGroupPolicy: PM,
    PutRolePermissionsBoundary: PM,
    PutRolePolicy: PM,
    PutUserPolicy: PM,
    SetDefaultPolicyVersion: PM,
    TagRole: 'Tagging',
    UpdateAssumeRolePolicy: PM,
    UpdateLoginProfile: 'Write',
  },
  sts: { AssumeRole: 'Write', GetCallerIdentity: 'Read' },
  organizations: { DescribeOrganization: 'Read', LeaveOrganization: 'Write', ListAccounts: 'List' },
  account: { GetAccountInformation: 'Read', ListRegions: 'List', PutAlternateContact: 'Write' },
  s3: {
    DeleteBucket: 'Write',
    GetBucketPolicy: 'Read',
    GetObject: 'Read',
    GetObjectAcl: 'Read',
    GetObjectVersion: 'Read',
    ListAllMyBuckets: 'List',
    ListBucket: 'List',
    PutBucketPolicy: PM,
    PutObject: 'Write',
  },
  lambda: {
    AddPermission: PM,
    CreateEventSourceMapping: 'Write',
    CreateFunction: 'Write',
    GetFunction: 'Read',
    InvokeFunction: 'Write',
    ListFunctions: 'List',
    UpdateFunctionCode: 'Write',
    UpdateFunctionConfiguration: 'Write',
  },
  ec2: {
    DescribeInstances: 'List',
    DescribeVpcs: 'List',
    GetConsoleOutput: 'Read',
    ModifyInstanceAttribute: 'Write',
    RunInstances: 'Write',
    StartInstances: 'Write',
    StopInstances: 'Write',
  },
  dynamodb: { DescribeTable: 'Read', GetItem: 'Read', ListTables: 'List', PutItem: 'Write', Query: 'Read', Scan: 'Read' },
  ssm: { GetParameter: 'Read', DescribeParameters: 'List', SendCommand: 'Write', StartSession: 'Write' },
  secretsmanager: { GetSecretValue: 'Read', ListSecrets: 'List', PutSecretValue: 'Write' },
  glue: { CreateDevEndpoint: 'Write', GetDevEndpoint: 'Read', UpdateDevEndpoint: 'Write' },
  cloudformation: { CreateStack: 'Write', DescribeStacks: 'List', UpdateStack: 'Write' },
};

export const FIXTURE_ACTIONS: readonly ActionInfo[] = Object.entries(SERVICES).flatMap(([service, actions]) =>
  Object.entries(actions).map(([name, accessLevel]) => ({ service, name, accessLevel })),
);

export const fixtureCatalog: ActionCatalog = { version: 'fixture-1', actions: FIXTURE_ACTIONS };

