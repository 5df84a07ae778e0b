/**
 * The published IAM privilege-escalation methods, as data. Each method needs ALL of its steps: an action
 * allowed on (at least one resource of) the named kind. Sources: Rhino Security Labs' original 21 methods
 * and their part 2, Bishop Fox's iam-vulnerable (31 paths, which reproduces Rhino's as privesc1-21), and
 * Datadog's pathfinding.cloud catalogue (ids such as iam-001, lambda-003), which added the later ones.
 *
 * Methods that only chain other methods or role assumption (sts:AssumeRole on its own, iam-014 and similar)
 * are left to the reach graph, which sees the trust side too. CodeStar's CreateProjectFromTemplate is left
 * out: it never appeared in AWS's service authorization reference, and CodeStar is discontinued.
 */
import type { RequestContext } from './types.js';

/**
 * The kind of resource a step's action must be allowed on. `customer-role` is a role whose policies a
 * customer can change: service-linked roles (path /aws-service-role/) are AWS's to edit.
 */
export type ResourceTarget = 'role' | 'customer-role' | 'user' | 'group' | 'policy' | 'function' | 'instance' | 'any';

export interface EscalationStep {
  /** As AWS spells it, e.g. "iam:PassRole". */
  action: string;
  resource: ResourceTarget;
  /**
   * Request context the step implies (lower-cased keys): passing a role to EC2 sets iam:PassedToService,
   * so a PassRole limited to lambda.amazonaws.com by condition does not enable the EC2 method.
   */
  context?: RequestContext;
}

export interface EscalationMethod {
  id: string;
  title: string;
  /** How the method escalates, in one or two sentences. */
  description: string;
  requires: readonly EscalationStep[];
  /** Where the method was published. */
  source: string;
  /** The same method in other catalogues: "rhino-12", "iam-vulnerable privesc12", "pathfinding.cloud iam-005". */
  references: readonly string[];
  /** What must exist besides the permissions (a function with a privileged role, an instance...). */
  precondition?: string;
}

/**
 * IAM resources a customer owns sit in a 12-digit account; AWS managed policies sit in the account "aws"
 * (arn:aws:iam::aws:policy/...) and cannot be versioned or changed by anyone else, so a grant that only
 * reaches them enables no escalation.
 */
const CUSTOMER_ACCOUNT = '????????????';

/** ARN globs for each resource kind, across partitions and customer accounts. */
export function targetPattern(target: ResourceTarget, partition = '*'): string {
  switch (target) {
    case 'role':
    case 'customer-role':
      return `arn:${partition}:iam::${CUSTOMER_ACCOUNT}:role/*`;
    case 'user':
      return `arn:${partition}:iam::${CUSTOMER_ACCOUNT}:user/*`;
    case 'group':
      return `arn:${partition}:iam::${CUSTOMER_ACCOUNT}:group/*`;
    case 'policy':
      return `arn:${partition}:iam::${CUSTOMER_ACCOUNT}:policy/*`;
    case 'function':
      return `arn:${partition}:lambda:*:*:function:*`;
    case 'instance':
      return `arn:${partition}:ec2:*:*:instance/*`;
    case 'any':
      return '*';
  }
}

/** Resources within a target that customers cannot change: a grant reaching only these enables nothing. */
export function targetExclusions(target: ResourceTarget, partition = '*'): string[] {
  return target === 'customer-role' ? [`arn:${partition}:iam::*:role/aws-service-role/*`] : [];
}

const RHINO = 'https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/';
const RHINO_2 = 'https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation-part-2/';
const IAM_VULNERABLE = 'https://github.com/BishopFox/iam-vulnerable';
const PATHFINDING = 'https://github.com/DataDog/pathfinding-labs';

const passRoleTo = (service: string): EscalationStep => ({
  action: 'iam:PassRole',
  resource: 'role',
  context: { 'iam:passedtoservice': service },
});

export const ESCALATION_METHODS: readonly EscalationMethod[] = [
  {
    id: 'iam-create-policy-version',
    title: 'Create a new version of a managed policy',
    description:
      'Writes a new default version of a customer managed policy attached to the principal (or to one it can use) granting any permission.',
    requires: [{ action: 'iam:CreatePolicyVersion', resource: 'policy' }],
    source: RHINO,
    references: ['rhino-1', 'iam-vulnerable privesc1', 'pathfinding.cloud iam-001'],
  },
  {
    id: 'iam-set-default-policy-version',
    title: 'Switch a managed policy to a more permissive old version',
    description: 'Makes an existing, more permissive non-default version of a customer managed policy the default.',
    requires: [{ action: 'iam:SetDefaultPolicyVersion', resource: 'policy' }],
    source: RHINO,
    references: ['rhino-2', 'iam-vulnerable privesc2'],
    precondition: 'A managed policy in use with a more permissive non-default version.',
  },
  {
    id: 'ec2-passrole-run-instances',
    title: 'Launch an EC2 instance with a more privileged role',
    description: 'Starts an instance with an instance profile for a privileged role and reads its credentials from the instance.',
    requires: [passRoleTo('ec2.amazonaws.com'), { action: 'ec2:RunInstances', resource: 'any' }],
    source: RHINO,
    references: ['rhino-3', 'iam-vulnerable privesc3', 'pathfinding.cloud ec2-001'],
    precondition: 'An instance profile for a privileged role.',
  },
  {
    id: 'iam-create-access-key',
    title: 'Create an access key for another user',
    description: 'Creates long-term keys for a more privileged IAM user and acts as that user.',
    requires: [{ action: 'iam:CreateAccessKey', resource: 'user' }],
    source: RHINO,
    references: ['rhino-4', 'iam-vulnerable privesc4', 'pathfinding.cloud iam-002'],
  },
  {
    id: 'iam-create-login-profile',
    title: 'Create a console password for another user',
    description: 'Gives a more privileged IAM user without one a console password chosen by the attacker.',
    requires: [{ action: 'iam:CreateLoginProfile', resource: 'user' }],
    source: RHINO,
    references: ['rhino-5', 'iam-vulnerable privesc5', 'pathfinding.cloud iam-004'],
  },
  {
    id: 'iam-update-login-profile',
    title: "Reset another user's console password",
    description: 'Changes the console password of a more privileged IAM user.',
    requires: [{ action: 'iam:UpdateLoginProfile', resource: 'user' }],
    source: RHINO,
    references: ['rhino-6', 'iam-vulnerable privesc6', 'pathfinding.cloud iam-006'],
  },
  {
    id: 'iam-attach-user-policy',
    title: 'Attach a managed policy to a user',
    description: 'Attaches AdministratorAccess (or any managed policy) to a user the attacker controls.',
    requires: [{ action: 'iam:AttachUserPolicy', resource: 'user' }],
    source: RHINO,
    references: ['rhino-7', 'iam-vulnerable privesc7', 'pathfinding.cloud iam-008'],
  },
  {
    id: 'iam-attach-group-policy',
    title: 'Attach a managed policy to a group',
    description: 'Attaches AdministratorAccess (or any managed policy) to a group a controlled user belongs to.',
    requires: [{ action: 'iam:AttachGroupPolicy', resource: 'group' }],
    source: RHINO,
    references: ['rhino-8', 'iam-vulnerable privesc8', 'pathfinding.cloud iam-010'],
  },
  {
    id: 'iam-attach-role-policy',
    title: 'Attach a managed policy to a role',
    description: 'Attaches AdministratorAccess (or any managed policy) to its own role or to a role it can assume.',
    requires: [{ action: 'iam:AttachRolePolicy', resource: 'customer-role' }],
    source: RHINO,
    references: ['rhino-9', 'iam-vulnerable privesc9', 'pathfinding.cloud iam-009'],
  },
  {
    id: 'iam-put-user-policy',
    title: 'Write an inline policy on a user',
    description: 'Adds an inline policy granting any permission to a user the attacker controls.',
    requires: [{ action: 'iam:PutUserPolicy', resource: 'user' }],
    source: RHINO,
    references: ['rhino-10', 'iam-vulnerable privesc10', 'pathfinding.cloud iam-007'],
  },
  {
    id: 'iam-put-group-policy',
    title: 'Write an inline policy on a group',
    description: 'Adds an inline policy granting any permission to a group a controlled user belongs to.',
    requires: [{ action: 'iam:PutGroupPolicy', resource: 'group' }],
    source: RHINO,
    references: ['rhino-11', 'iam-vulnerable privesc11', 'pathfinding.cloud iam-011'],
  },
  {
    id: 'iam-put-role-policy',
    title: 'Write an inline policy on a role',
    description: 'Adds an inline policy granting any permission to its own role or to a role it can assume.',
    requires: [{ action: 'iam:PutRolePolicy', resource: 'customer-role' }],
    source: RHINO,
    references: ['rhino-12', 'iam-vulnerable privesc12', 'pathfinding.cloud iam-005'],
  },
  {
    id: 'iam-add-user-to-group',
    title: 'Add a user to a more privileged group',
    description: 'Adds a user the attacker controls to a group with more permissions.',
    requires: [{ action: 'iam:AddUserToGroup', resource: 'group' }],
    source: RHINO,
    references: ['rhino-13', 'iam-vulnerable privesc13', 'pathfinding.cloud iam-013'],
  },
  {
    id: 'iam-update-assume-role-policy',
    title: "Rewrite a privileged role's trust policy, then assume it",
    description: 'Changes the trust policy of a more privileged role to trust the attacker, then assumes the role.',
    requires: [
      { action: 'iam:UpdateAssumeRolePolicy', resource: 'customer-role' },
      { action: 'sts:AssumeRole', resource: 'role' },
    ],
    source: RHINO,
    references: ['rhino-14', 'iam-vulnerable privesc14', 'pathfinding.cloud iam-012'],
  },
  {
    id: 'lambda-passrole-create-invoke',
    title: 'Create a Lambda function with a privileged role and invoke it',
    description: 'Creates a function that runs as a privileged role and invokes it to act with, or return, its credentials.',
    requires: [
      passRoleTo('lambda.amazonaws.com'),
      { action: 'lambda:CreateFunction', resource: 'function' },
      { action: 'lambda:InvokeFunction', resource: 'function' },
    ],
    source: RHINO,
    references: ['rhino-15', 'iam-vulnerable privesc15', 'pathfinding.cloud lambda-001'],
  },
  {
    id: 'lambda-passrole-create-event-source-mapping',
    title: 'Create a Lambda function with a privileged role and trigger it from an event source',
    description: 'Creates a function running as a privileged role and maps an event source (DynamoDB, Kinesis, SQS) to run it.',
    requires: [
      passRoleTo('lambda.amazonaws.com'),
      { action: 'lambda:CreateFunction', resource: 'function' },
      { action: 'lambda:CreateEventSourceMapping', resource: 'any' },
    ],
    source: RHINO,
    references: ['rhino-16', 'iam-vulnerable privesc16', 'pathfinding.cloud lambda-002'],
  },
  {
    id: 'lambda-update-function-code',
    title: "Replace an existing Lambda function's code",
    description: 'Uploads new code to a function that already runs as a more privileged role.',
    requires: [{ action: 'lambda:UpdateFunctionCode', resource: 'function' }],
    source: RHINO,
    references: ['rhino-17', 'iam-vulnerable privesc17', 'pathfinding.cloud lambda-003'],
    precondition: 'A function whose execution role is more privileged.',
  },
  {
    id: 'lambda-update-function-configuration',
    title: "Change an existing Lambda function's configuration (layers)",
    description: 'Attaches a layer with attacker code to a function that already runs as a more privileged role.',
    requires: [{ action: 'lambda:UpdateFunctionConfiguration', resource: 'function' }],
    source: RHINO_2,
    references: ['rhino part 2'],
    precondition: 'A function whose execution role is more privileged.',
  },
  {
    id: 'glue-passrole-create-dev-endpoint',
    title: 'Create a Glue development endpoint with a privileged role',
    description: 'Creates a dev endpoint running as a privileged role and logs in to it over SSH.',
    requires: [passRoleTo('glue.amazonaws.com'), { action: 'glue:CreateDevEndpoint', resource: 'any' }],
    source: RHINO,
    references: ['rhino-18', 'iam-vulnerable privesc18', 'pathfinding.cloud glue-001'],
  },
  {
    id: 'glue-update-dev-endpoint',
    title: 'Add an SSH key to an existing Glue development endpoint',
    description: 'Adds the attacker SSH key to a dev endpoint that runs as a more privileged role.',
    requires: [{ action: 'glue:UpdateDevEndpoint', resource: 'any' }],
    source: RHINO,
    references: ['rhino-19', 'iam-vulnerable privesc19', 'pathfinding.cloud glue-002'],
    precondition: 'A dev endpoint with a more privileged role.',
  },
  {
    id: 'glue-passrole-create-job',
    title: 'Create and run a Glue job with a privileged role',
    description: 'Creates a Glue job running attacker script as a privileged role and starts it.',
    requires: [
      passRoleTo('glue.amazonaws.com'),
      { action: 'glue:CreateJob', resource: 'any' },
      { action: 'glue:StartJobRun', resource: 'any' },
    ],
    source: PATHFINDING,
    references: ['pathfinding.cloud glue-003'],
  },
  {
    id: 'cloudformation-passrole-create-stack',
    title: 'Create a CloudFormation stack with a privileged service role',
    description: 'Creates a stack whose service role is privileged, so the template can create or change anything.',
    requires: [passRoleTo('cloudformation.amazonaws.com'), { action: 'cloudformation:CreateStack', resource: 'any' }],
    source: RHINO,
    references: ['rhino-20', 'iam-vulnerable privesc20', 'pathfinding.cloud cloudformation-001'],
  },
  {
    id: 'cloudformation-update-stack',
    title: 'Update an existing stack that has a privileged service role',
    description: 'Changes the template of a stack that already deploys with a more privileged service role.',
    requires: [{ action: 'cloudformation:UpdateStack', resource: 'any' }],
    source: IAM_VULNERABLE,
    references: ['iam-vulnerable privesc-cfUpdateStack', 'pathfinding.cloud cloudformation-002'],
    precondition: 'A stack with a more privileged service role.',
  },
  {
    id: 'datapipeline-passrole-create-pipeline',
    title: 'Create a Data Pipeline that runs commands with a privileged role',
    description: 'Creates a pipeline whose definition runs attacker commands as a privileged role.',
    requires: [
      passRoleTo('datapipeline.amazonaws.com'),
      { action: 'datapipeline:CreatePipeline', resource: 'any' },
      { action: 'datapipeline:PutPipelineDefinition', resource: 'any' },
    ],
    source: RHINO,
    references: ['rhino-21', 'iam-vulnerable privesc21'],
  },
  {
    id: 'codestar-passrole-create-project',
    title: 'Create a CodeStar project with a privileged service role',
    description: 'Creates a project whose template is deployed with a privileged role passed to CodeStar.',
    requires: [passRoleTo('codestar.amazonaws.com'), { action: 'codestar:CreateProject', resource: 'any' }],
    source: RHINO_2,
    references: ['rhino part 2'],
  },
  {
    id: 'codestar-create-project-associate-team-member',
    title: 'Create a CodeStar project and make itself its owner',
    description: 'CodeStar creates an owner policy for the project; associating itself as owner grants that policy.',
    requires: [
      { action: 'codestar:CreateProject', resource: 'any' },
      { action: 'codestar:AssociateTeamMember', resource: 'any' },
    ],
    source: RHINO_2,
    references: ['rhino part 2'],
  },
  {
    id: 'sagemaker-passrole-create-notebook',
    title: 'Create a SageMaker notebook with a privileged role',
    description: 'Creates a notebook instance running as a privileged role and opens its Jupyter terminal.',
    requires: [
      passRoleTo('sagemaker.amazonaws.com'),
      { action: 'sagemaker:CreateNotebookInstance', resource: 'any' },
      { action: 'sagemaker:CreatePresignedNotebookInstanceUrl', resource: 'any' },
    ],
    source: RHINO_2,
    references: ['iam-vulnerable privesc-sageNotebook', 'pathfinding.cloud sagemaker-001'],
  },
  {
    id: 'sagemaker-presigned-notebook-url',
    title: 'Open an existing SageMaker notebook',
    description: 'Creates a sign-in URL for a notebook instance that already runs as a more privileged role.',
    requires: [{ action: 'sagemaker:CreatePresignedNotebookInstanceUrl', resource: 'any' }],
    source: RHINO_2,
    references: ['iam-vulnerable privesc-sageUpdateURL', 'pathfinding.cloud sagemaker-004'],
    precondition: 'A notebook instance with a more privileged role.',
  },
  {
    id: 'sagemaker-passrole-create-training-job',
    title: 'Run a SageMaker training job with a privileged role',
    description: 'Starts a training job whose container runs attacker code as a privileged role.',
    requires: [passRoleTo('sagemaker.amazonaws.com'), { action: 'sagemaker:CreateTrainingJob', resource: 'any' }],
    source: IAM_VULNERABLE,
    references: ['iam-vulnerable privesc-sageTraining', 'pathfinding.cloud sagemaker-002'],
  },
  {
    id: 'sagemaker-passrole-create-processing-job',
    title: 'Run a SageMaker processing job with a privileged role',
    description: 'Starts a processing job whose container runs attacker code as a privileged role.',
    requires: [passRoleTo('sagemaker.amazonaws.com'), { action: 'sagemaker:CreateProcessingJob', resource: 'any' }],
    source: IAM_VULNERABLE,
    references: ['iam-vulnerable privesc-sageProcessing', 'pathfinding.cloud sagemaker-003'],
  },
  {
    id: 'codebuild-passrole-create-project',
    title: 'Create and run a CodeBuild project with a privileged role',
    description: 'Creates a build project with a privileged service role and a buildspec of attacker commands, then starts it.',
    requires: [
      passRoleTo('codebuild.amazonaws.com'),
      { action: 'codebuild:CreateProject', resource: 'any' },
      { action: 'codebuild:StartBuild', resource: 'any' },
    ],
    source: IAM_VULNERABLE,
    references: ['iam-vulnerable privesc-codeBuildProject', 'pathfinding.cloud codebuild-001'],
  },
  {
    id: 'codebuild-start-build',
    title: 'Start an existing CodeBuild project with an overridden buildspec',
    description: 'Starts a build of a project with a more privileged service role, replacing its buildspec with attacker commands.',
    requires: [{ action: 'codebuild:StartBuild', resource: 'any' }],
    source: PATHFINDING,
    references: ['pathfinding.cloud codebuild-002'],
    precondition: 'A build project with a more privileged service role.',
  },
  {
    id: 'ecs-passrole-run-task',
    title: 'Register an ECS task definition with a privileged role and run it',
    description: 'Registers a task definition whose task role is privileged and runs attacker containers with it.',
    requires: [
      passRoleTo('ecs-tasks.amazonaws.com'),
      { action: 'ecs:RegisterTaskDefinition', resource: 'any' },
      { action: 'ecs:RunTask', resource: 'any' },
    ],
    source: PATHFINDING,
    references: ['pathfinding.cloud ecs-004'],
  },
  {
    id: 'ecs-execute-command',
    title: 'Open a shell in a running ECS task',
    description: 'Uses ECS Exec to run commands inside a task whose task role is more privileged.',
    requires: [{ action: 'ecs:ExecuteCommand', resource: 'any' }],
    source: PATHFINDING,
    references: ['pathfinding.cloud ecs-006'],
    precondition: 'A running task with ECS Exec enabled and a more privileged task role.',
  },
  {
    id: 'apprunner-passrole-create-service',
    title: 'Create an App Runner service with a privileged instance role',
    description: 'Creates a service whose instance role is privileged and whose code is the attacker’s.',
    requires: [
      passRoleTo('tasks.apprunner.amazonaws.com'),
      { action: 'apprunner:CreateService', resource: 'any' },
    ],
    source: PATHFINDING,
    references: ['pathfinding.cloud apprunner-001'],
  },
  {
    id: 'ec2-modify-instance-user-data',
    title: "Rewrite an EC2 instance's user data and restart it",
    description: 'Stops an instance with a privileged instance profile, replaces its user data with attacker commands and starts it.',
    requires: [
      { action: 'ec2:ModifyInstanceAttribute', resource: 'instance' },
      { action: 'ec2:StopInstances', resource: 'instance' },
      { action: 'ec2:StartInstances', resource: 'instance' },
    ],
    source: PATHFINDING,
    references: ['pathfinding.cloud ec2-002'],
    precondition: 'An instance with a more privileged instance profile.',
  },
  {
    id: 'ec2-instance-connect-send-ssh-public-key',
    title: 'Push an SSH key to an EC2 instance (Instance Connect)',
    description: 'Pushes a temporary SSH key to an instance with a privileged instance profile and reads its credentials.',
    requires: [{ action: 'ec2-instance-connect:SendSSHPublicKey', resource: 'instance' }],
    source: IAM_VULNERABLE,
    references: ['iam-vulnerable privesc-instanceConnect', 'pathfinding.cloud ec2-003'],
    precondition: 'A reachable instance with a more privileged instance profile.',
  },
  {
    id: 'ssm-send-command',
    title: 'Run commands on EC2 instances through SSM',
    description: 'Runs shell commands on a managed instance with a privileged instance profile and reads its credentials.',
    requires: [{ action: 'ssm:SendCommand', resource: 'instance' }],
    source: IAM_VULNERABLE,
    references: ['iam-vulnerable privesc-ssm-command', 'pathfinding.cloud ssm-002'],
    precondition: 'A managed instance with a more privileged instance profile.',
  },
  {
    id: 'ssm-start-session',
    title: 'Open an SSM session on an EC2 instance',
    description: 'Opens a shell on a managed instance with a privileged instance profile and reads its credentials.',
    requires: [{ action: 'ssm:StartSession', resource: 'instance' }],
    source: IAM_VULNERABLE,
    references: ['iam-vulnerable privesc-ssm-session', 'pathfinding.cloud ssm-001'],
    precondition: 'A managed instance with a more privileged instance profile.',
  },
];
