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

/*
 * 2026 update: Datadog's pathfinding.cloud catalogue (the pathfinding-labs scenarios, one per path, each
 * with the exact permissions the demo uses) added paths through newer services and newer APIs of old ones:
 * spot requests and launch templates, ECS services and StartTask, Glue triggers and job updates, stack
 * sets and change sets, CodeBuild batch builds, SageMaker lifecycle configurations, Bedrock AgentCore code
 * interpreters and agent runtimes, App Runner updates, Batch, Amplify, Braket, MWAA, CodeDeploy, Cognito
 * identity pools, and key rotation to mint credentials for an existing user. Those are below, after the
 * 2018-2019 methods, each citing its pathfinding.cloud id.
 */

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
  /**
   * When the call may carry one of several contexts (Braket's CreateJob passes its role with
   * iam:PassedToService braket.amazonaws.com or sagemaker.amazonaws.com), each one; the step is possible
   * when any of them is allowed. `context` is then the first.
   */
  contexts?: readonly RequestContext[];
  /**
   * For a pass-role step, the service principals the passed role must trust for the service to run as it,
   * where they differ from iam:PassedToService (a Batch job role is passed to batch.amazonaws.com and
   * assumed by ecs-tasks.amazonaws.com).
   */
  assumedBy?: readonly string[];
  /** Where the iam:PassedToService value of a pass-role step is documented. */
  contextSource?: string;
  /** Where what the step needs is documented, when that is not the method's source. */
  documented?: string;
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
  /**
   * Calls the method makes that need no Allow in the principal's own policies, only the absence of an
   * explicit Deny there (or in its permissions boundary). A method that rewrites a role's trust writes
   * the principal's own ARN into it, and within one account a trust policy that names the caller directly
   * admits it however its identity policies are silent (see SAME_ACCOUNT_TRUST); an explicit Deny still wins.
   */
  unlessDenied?: readonly EscalationStep[];
  /**
   * Actions that look like the method but do not enable it, the must-not-flag fixture of a one-step method
   * (a multi-step method's look-alike is every step but the last). Checked against the real catalogue.
   */
  lookAlike?: readonly string[];
}

/**
 * IAM resources a customer owns sit in a 12-digit account; AWS managed policies sit in the account "aws"
 * (arn:aws:iam::aws:policy/...) and cannot be versioned or changed by anyone else, so a grant that only
 * reaches them enables no escalation.
 */
const CUSTOMER_ACCOUNT = '????????????';

/**
 * Rewriting a role's trust needs no sts:AssumeRole permission to pay off. IAM's evaluation logic: role trust
 * policies must name the principal explicitly even within one account, and "if a resource-based policy grants
 * permission directly to the IAM user or the session principal that is making the request, then an implicit
 * deny in an identity-based policy, a permissions boundary, or a session policy does not impact the final
 * decision"; only a trust that names the account root leaves the decision to the caller's identity policies.
 * An attacker who writes the trust names its own user, role or role session, never the root, and
 * UpdateAssumeRolePolicy reaches only roles in the caller's own account (IAM has no resource policies for
 * cross-account writes). An explicit Deny on sts:AssumeRole in any of its policies still blocks the call.
 */
export const SAME_ACCOUNT_TRUST =
  'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html';

/** Assuming the role whose trust the method rewrote to name the principal. */
const ASSUME_REWRITTEN: EscalationStep = { action: 'sts:AssumeRole', resource: 'customer-role', documented: SAME_ACCOUNT_TRUST };

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
/** One pathfinding.cloud path, by id: its page names the permissions and links the lab scenario. */
const pathfinding = (id: string): string => `https://pathfinding.cloud/paths/${id}`;

/**
 * What a pass-role call carries as iam:PassedToService, and which principal the passed role must trust,
 * for services whose values are not simply the service's own principal or that needed checking. The
 * Service Authorization Reference's "API operations" tables list the iam:PassedToService values per call.
 */
interface PassedTo {
  values: readonly string[];
  assumedBy?: readonly string[];
  source: string;
}
const SAR = (page: string): string => `https://docs.aws.amazon.com/service-authorization/latest/reference/${page}.html`;
const PASSED_TO: Readonly<Record<string, PassedTo>> = {
  // CreateEnvironment: iam:PassedToService airflow.amazonaws.com. The execution role also trusts
  // airflow-env.amazonaws.com, but that principal is never the PassedToService value.
  airflow: { values: ['airflow.amazonaws.com'], source: SAR('list_mwaa') },
  // CreateJob passes the job role with either value; the role itself trusts braket.amazonaws.com.
  braket: { values: ['braket.amazonaws.com', 'sagemaker.amazonaws.com'], assumedBy: ['braket.amazonaws.com'], source: SAR('list_braket') },
  // The service role trusts amplify.amazonaws.com (AWS's service-role page), the value PassRole is conditioned on for CreateApp.
  amplify: { values: ['amplify.amazonaws.com'], source: 'https://docs.aws.amazon.com/amplify/latest/userguide/amplify-service-role.html' },
  // Execution roles for runtimes, code interpreters, browsers and harnesses trust bedrock-agentcore.amazonaws.com,
  // the value AWS's AgentCore permission examples condition PassRole on.
  'bedrock-agentcore': { values: ['bedrock-agentcore.amazonaws.com'], source: 'https://docs.aws.amazon.com/bedrock-agentcore/latest/devguide/runtime-permissions.html' },
  // RegisterJobDefinition passes jobRoleArn to batch.amazonaws.com; ECS tasks run as it, so it trusts ecs-tasks.amazonaws.com.
  batch: { values: ['batch.amazonaws.com'], assumedBy: ['ecs-tasks.amazonaws.com'], source: 'https://docs.aws.amazon.com/batch/latest/userguide/iam-example-job-def.html' },
  // The EMR Serverless guide's pass-role example conditions on emr-serverless.amazonaws.com, which runtime roles trust.
  'emr-serverless': { values: ['emr-serverless.amazonaws.com'], source: 'https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/security-iam-runtime-role.html' },
  /*
   * Not checked against the Service Authorization Reference: the value pathfinding.cloud's recommendation
   * conditions PassRole on, and the principal its prerequisites say the passed role trusts. EMR clusters run
   * as an EC2 instance profile; GameLift fleet instance roles trust gamelift.amazonaws.com in AWS's setup
   * guide but ec2.amazonaws.com in pathfinding's lab, so either counts.
   */
  elasticmapreduce: { values: ['elasticmapreduce.amazonaws.com'], assumedBy: ['ec2.amazonaws.com'], source: 'https://pathfinding.cloud/paths/emr-001' },
  gamelift: { values: ['gamelift.amazonaws.com'], assumedBy: ['gamelift.amazonaws.com', 'ec2.amazonaws.com'], source: 'https://pathfinding.cloud/paths/gamelift-001' },
};

/** A PassRole step to a service principal ("ec2.amazonaws.com") or to a service checked in PASSED_TO ("braket"). */
const passRoleTo = (service: string): EscalationStep => {
  const known = PASSED_TO[service];
  if (!known) return { action: 'iam:PassRole', resource: 'role', context: { 'iam:passedtoservice': service } };
  const contexts = known.values.map((value) => ({ 'iam:passedtoservice': value }));
  return {
    action: 'iam:PassRole',
    resource: 'role',
    context: contexts[0] ?? {},
    ...(contexts.length > 1 ? { contexts } : {}),
    ...(known.assumedBy ? { assumedBy: known.assumedBy } : {}),
    contextSource: known.source,
  };
};

export const ESCALATION_METHODS: readonly EscalationMethod[] = [
  {
    id: 'iam-create-policy-version',
    title: 'Create a new version of a managed policy',
    description:
      'Writes a new default version of a customer managed policy attached to the principal (or to one it can use) granting any permission.',
    requires: [{ action: 'iam:CreatePolicyVersion', resource: 'policy' }],
    source: RHINO,
    references: ['rhino-1', 'iam-vulnerable privesc1', 'pathfinding.cloud iam-001'],
    lookAlike: ['iam:GetPolicyVersion', 'iam:DeletePolicyVersion'],
  },
  {
    id: 'iam-set-default-policy-version',
    title: 'Switch a managed policy to a more permissive old version',
    description: 'Makes an existing, more permissive non-default version of a customer managed policy the default.',
    requires: [{ action: 'iam:SetDefaultPolicyVersion', resource: 'policy' }],
    source: RHINO,
    references: ['rhino-2', 'iam-vulnerable privesc2'],
    precondition: 'A managed policy in use with a more permissive non-default version.',
    lookAlike: ['iam:ListPolicyVersions', 'iam:GetPolicyVersion'],
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
    lookAlike: ['iam:ListAccessKeys', 'iam:UpdateAccessKey'],
  },
  {
    id: 'iam-create-login-profile',
    title: 'Create a console password for another user',
    description: 'Gives a more privileged IAM user without one a console password chosen by the attacker.',
    requires: [{ action: 'iam:CreateLoginProfile', resource: 'user' }],
    source: RHINO,
    references: ['rhino-5', 'iam-vulnerable privesc5', 'pathfinding.cloud iam-004'],
    lookAlike: ['iam:GetLoginProfile', 'iam:DeleteLoginProfile'],
  },
  {
    id: 'iam-update-login-profile',
    title: "Reset another user's console password",
    description: 'Changes the console password of a more privileged IAM user.',
    requires: [{ action: 'iam:UpdateLoginProfile', resource: 'user' }],
    source: RHINO,
    references: ['rhino-6', 'iam-vulnerable privesc6', 'pathfinding.cloud iam-006'],
    lookAlike: ['iam:GetLoginProfile', 'iam:DeleteLoginProfile'],
  },
  {
    id: 'iam-attach-user-policy',
    title: 'Attach a managed policy to a user',
    description: 'Attaches AdministratorAccess (or any managed policy) to a user the attacker controls.',
    requires: [{ action: 'iam:AttachUserPolicy', resource: 'user' }],
    source: RHINO,
    references: ['rhino-7', 'iam-vulnerable privesc7', 'pathfinding.cloud iam-008'],
    lookAlike: ['iam:DetachUserPolicy', 'iam:ListAttachedUserPolicies'],
  },
  {
    id: 'iam-attach-group-policy',
    title: 'Attach a managed policy to a group',
    description: 'Attaches AdministratorAccess (or any managed policy) to a group a controlled user belongs to.',
    requires: [{ action: 'iam:AttachGroupPolicy', resource: 'group' }],
    source: RHINO,
    references: ['rhino-8', 'iam-vulnerable privesc8', 'pathfinding.cloud iam-010'],
    lookAlike: ['iam:DetachGroupPolicy', 'iam:ListAttachedGroupPolicies'],
  },
  {
    id: 'iam-attach-role-policy',
    title: 'Attach a managed policy to a role',
    description: 'Attaches AdministratorAccess (or any managed policy) to its own role or to a role it can assume.',
    requires: [{ action: 'iam:AttachRolePolicy', resource: 'customer-role' }],
    source: RHINO,
    references: ['rhino-9', 'iam-vulnerable privesc9', 'pathfinding.cloud iam-009'],
    lookAlike: ['iam:DetachRolePolicy', 'iam:ListAttachedRolePolicies'],
  },
  {
    id: 'iam-put-user-policy',
    title: 'Write an inline policy on a user',
    description: 'Adds an inline policy granting any permission to a user the attacker controls.',
    requires: [{ action: 'iam:PutUserPolicy', resource: 'user' }],
    source: RHINO,
    references: ['rhino-10', 'iam-vulnerable privesc10', 'pathfinding.cloud iam-007'],
    lookAlike: ['iam:DeleteUserPolicy', 'iam:GetUserPolicy'],
  },
  {
    id: 'iam-put-group-policy',
    title: 'Write an inline policy on a group',
    description: 'Adds an inline policy granting any permission to a group a controlled user belongs to.',
    requires: [{ action: 'iam:PutGroupPolicy', resource: 'group' }],
    source: RHINO,
    references: ['rhino-11', 'iam-vulnerable privesc11', 'pathfinding.cloud iam-011'],
    lookAlike: ['iam:DeleteGroupPolicy', 'iam:GetGroupPolicy'],
  },
  {
    id: 'iam-put-role-policy',
    title: 'Write an inline policy on a role',
    description: 'Adds an inline policy granting any permission to its own role or to a role it can assume.',
    requires: [{ action: 'iam:PutRolePolicy', resource: 'customer-role' }],
    source: RHINO,
    references: ['rhino-12', 'iam-vulnerable privesc12', 'pathfinding.cloud iam-005'],
    lookAlike: ['iam:DeleteRolePolicy', 'iam:GetRolePolicy'],
  },
  {
    id: 'iam-add-user-to-group',
    title: 'Add a user to a more privileged group',
    description: 'Adds a user the attacker controls to a group with more permissions.',
    requires: [{ action: 'iam:AddUserToGroup', resource: 'group' }],
    source: RHINO,
    references: ['rhino-13', 'iam-vulnerable privesc13', 'pathfinding.cloud iam-013'],
    lookAlike: ['iam:RemoveUserFromGroup', 'iam:ListGroupsForUser'],
  },
  {
    id: 'iam-update-assume-role-policy',
    title: "Rewrite a privileged role's trust policy, then assume it",
    description:
      "Changes the trust policy of a more privileged role to name the attacker's own ARN, then assumes the role; within one account that trust alone admits it, so no sts:AssumeRole permission is needed.",
    requires: [{ action: 'iam:UpdateAssumeRolePolicy', resource: 'customer-role' }],
    unlessDenied: [ASSUME_REWRITTEN],
    source: RHINO,
    references: ['rhino-14', 'iam-vulnerable privesc14', 'pathfinding.cloud iam-012'],
    lookAlike: ['iam:GetRole', 'iam:UpdateRole'],
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
    lookAlike: ['lambda:GetFunction', 'lambda:UpdateFunctionCodeSigningConfig'],
  },
  {
    id: 'lambda-update-function-configuration',
    title: "Change an existing Lambda function's configuration (layers)",
    description: 'Attaches a layer with attacker code to a function that already runs as a more privileged role.',
    requires: [{ action: 'lambda:UpdateFunctionConfiguration', resource: 'function' }],
    source: RHINO_2,
    references: ['rhino part 2'],
    precondition: 'A function whose execution role is more privileged.',
    lookAlike: ['lambda:GetFunctionConfiguration', 'lambda:UpdateFunctionEventInvokeConfig'],
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
    lookAlike: ['glue:GetDevEndpoint', 'glue:DeleteDevEndpoint'],
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
    lookAlike: ['cloudformation:DescribeStacks', 'cloudformation:UpdateTerminationProtection'],
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
    references: ['rhino-21', 'iam-vulnerable privesc21', 'pathfinding.cloud datapipeline-001'],
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
    lookAlike: ['sagemaker:DescribeNotebookInstance', 'sagemaker:ListNotebookInstances'],
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
    lookAlike: ['codebuild:BatchGetBuilds', 'codebuild:StopBuild'],
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
    references: ['pathfinding.cloud ecs-004', 'pathfinding.cloud ecs-002 (the same with ecs:CreateCluster)'],
  },
  {
    id: 'ecs-execute-command',
    title: 'Open a shell in a running ECS task',
    description: 'Uses ECS Exec to run commands inside a task whose task role is more privileged.',
    requires: [{ action: 'ecs:ExecuteCommand', resource: 'any' }],
    source: PATHFINDING,
    references: ['pathfinding.cloud ecs-006'],
    precondition: 'A running task with ECS Exec enabled and a more privileged task role.',
    lookAlike: ['ecs:DescribeTasks', 'ecs:StopTask'],
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
    lookAlike: ['ec2:DescribeInstances', 'ec2:DescribeInstanceConnectEndpoints'],
  },
  {
    id: 'ssm-send-command',
    title: 'Run commands on EC2 instances through SSM',
    description: 'Runs shell commands on a managed instance with a privileged instance profile and reads its credentials.',
    requires: [{ action: 'ssm:SendCommand', resource: 'instance' }],
    source: IAM_VULNERABLE,
    references: ['iam-vulnerable privesc-ssm-command', 'pathfinding.cloud ssm-002'],
    precondition: 'A managed instance with a more privileged instance profile.',
    lookAlike: ['ssm:ListCommands', 'ssm:GetCommandInvocation'],
  },
  {
    id: 'ssm-start-session',
    title: 'Open an SSM session on an EC2 instance',
    description: 'Opens a shell on a managed instance with a privileged instance profile and reads its credentials.',
    requires: [{ action: 'ssm:StartSession', resource: 'instance' }],
    source: IAM_VULNERABLE,
    references: ['iam-vulnerable privesc-ssm-session', 'pathfinding.cloud ssm-001'],
    precondition: 'A managed instance with a more privileged instance profile.',
    lookAlike: ['ssm:DescribeSessions', 'ssm:TerminateSession'],
  },
  {
    id: 'ec2-passrole-request-spot-instances',
    title: 'Request a spot instance with a more privileged role',
    description:
      'Requests a spot instance whose launch specification carries an instance profile for a privileged role, and reads its credentials from the instance.',
    requires: [passRoleTo('ec2.amazonaws.com'), { action: 'ec2:RequestSpotInstances', resource: 'any' }],
    source: pathfinding('ec2-004'),
    references: ['pathfinding.cloud ec2-004'],
    precondition: 'An instance profile for a privileged role.',
  },
  {
    id: 'ec2-launch-template-new-version',
    title: 'Point an existing launch template at a privileged instance profile',
    description:
      'Creates a launch template version with attacker user data (or a privileged instance profile) and makes it the default, so the next instance an Auto Scaling group launches runs it.',
    requires: [{ action: 'ec2:CreateLaunchTemplateVersion', resource: 'any' }, { action: 'ec2:ModifyLaunchTemplate', resource: 'any' }],
    source: pathfinding('ec2-005'),
    references: ['pathfinding.cloud ec2-005'],
    precondition: 'A launch template used by an Auto Scaling group (or launches) with a more privileged instance profile.',
  },
  {
    id: 'ecs-passrole-create-service',
    title: 'Register an ECS task definition with a privileged role and run it as a service',
    description:
      'Registers a task definition whose task role is privileged and creates a service that keeps attacker containers running with it.',
    requires: [passRoleTo('ecs-tasks.amazonaws.com'), { action: 'ecs:RegisterTaskDefinition', resource: 'any' }, { action: 'ecs:CreateService', resource: 'any' }],
    source: pathfinding('ecs-003'),
    references: ['pathfinding.cloud ecs-003', 'pathfinding.cloud ecs-001 (the same with ecs:CreateCluster)'],
  },
  {
    id: 'ecs-passrole-start-task',
    title: 'Register an ECS task definition with a privileged role and start it on a container instance',
    description:
      'Registers a task definition whose task role is privileged and starts it on an existing container instance.',
    requires: [passRoleTo('ecs-tasks.amazonaws.com'), { action: 'ecs:RegisterTaskDefinition', resource: 'any' }, { action: 'ecs:StartTask', resource: 'any' }],
    source: pathfinding('ecs-005'),
    references: ['pathfinding.cloud ecs-005'],
    precondition: 'A cluster with a registered container instance.',
  },
  {
    id: 'ecs-passrole-run-task-override',
    title: 'Run an existing ECS task definition with an overridden role and command',
    description:
      "Runs a task with overrides that replace its task role with a privileged one and its command with the attacker's.",
    requires: [passRoleTo('ecs-tasks.amazonaws.com'), { action: 'ecs:RunTask', resource: 'any' }],
    source: pathfinding('ecs-008'),
    references: ['pathfinding.cloud ecs-008'],
    precondition: 'An existing task definition and a cluster (Fargate needs none of its own).',
  },
  {
    id: 'glue-passrole-create-job-trigger',
    title: 'Create a Glue job with a privileged role and a trigger that runs it',
    description:
      'Creates a Glue job running attacker script as a privileged role and a scheduled or on-demand trigger that starts it.',
    requires: [passRoleTo('glue.amazonaws.com'), { action: 'glue:CreateJob', resource: 'any' }, { action: 'glue:CreateTrigger', resource: 'any' }],
    source: pathfinding('glue-004'),
    references: ['pathfinding.cloud glue-004'],
  },
  {
    id: 'glue-passrole-update-job-run',
    title: 'Change an existing Glue job to a privileged role and run it',
    description:
      "Updates an existing job's script and role to a privileged one, then starts a run.",
    requires: [passRoleTo('glue.amazonaws.com'), { action: 'glue:UpdateJob', resource: 'any' }, { action: 'glue:StartJobRun', resource: 'any' }],
    source: pathfinding('glue-005'),
    references: ['pathfinding.cloud glue-005'],
    precondition: 'An existing Glue job.',
  },
  {
    id: 'glue-passrole-update-job-trigger',
    title: 'Change an existing Glue job to a privileged role and trigger it',
    description:
      "Updates an existing job's script and role to a privileged one and creates a trigger that starts it.",
    requires: [passRoleTo('glue.amazonaws.com'), { action: 'glue:UpdateJob', resource: 'any' }, { action: 'glue:CreateTrigger', resource: 'any' }],
    source: pathfinding('glue-006'),
    references: ['pathfinding.cloud glue-006'],
    precondition: 'An existing Glue job.',
  },
  {
    id: 'lambda-update-code-invoke',
    title: "Replace an existing Lambda function's code and invoke it",
    description:
      'Uploads new code to a function that runs as a more privileged role and invokes it at once.',
    requires: [{ action: 'lambda:UpdateFunctionCode', resource: 'function' }, { action: 'lambda:InvokeFunction', resource: 'function' }],
    source: pathfinding('lambda-004'),
    references: ['pathfinding.cloud lambda-004'],
    precondition: 'A function whose execution role is more privileged.',
  },
  {
    id: 'lambda-update-code-add-permission',
    title: "Replace an existing Lambda function's code and let itself invoke it",
    description:
      'Uploads new code to a function that runs as a more privileged role and adds a resource policy statement that lets the attacker (or anyone) invoke it.',
    requires: [{ action: 'lambda:UpdateFunctionCode', resource: 'function' }, { action: 'lambda:AddPermission', resource: 'function' }],
    source: pathfinding('lambda-005'),
    references: ['pathfinding.cloud lambda-005'],
    precondition: 'A function whose execution role is more privileged.',
  },
  {
    id: 'lambda-passrole-create-add-permission',
    title: 'Create a Lambda function with a privileged role and open it for invocation',
    description:
      "Creates a function running as a privileged role and adds a resource policy statement so it can be invoked without lambda:InvokeFunction in the attacker's own policy.",
    requires: [passRoleTo('lambda.amazonaws.com'), { action: 'lambda:CreateFunction', resource: 'function' }, { action: 'lambda:AddPermission', resource: 'function' }],
    source: pathfinding('lambda-006'),
    references: ['pathfinding.cloud lambda-006'],
  },
  {
    id: 'codebuild-start-build-batch',
    title: 'Start a batch build of an existing CodeBuild project with an overridden buildspec',
    description:
      'Starts a batch build of a project with a more privileged service role, replacing its buildspec with attacker commands.',
    requires: [{ action: 'codebuild:StartBuildBatch', resource: 'any' }],
    source: pathfinding('codebuild-003'),
    references: ['pathfinding.cloud codebuild-003'],
    precondition: 'A build project with a more privileged service role.',
    lookAlike: ['codebuild:BatchGetBuildBatches', 'codebuild:StopBuildBatch'],
  },
  {
    id: 'codebuild-passrole-create-project-batch',
    title: 'Create a CodeBuild project with a privileged role and start a batch build',
    description:
      'Creates a build project with a privileged service role and starts a batch build of attacker commands.',
    requires: [passRoleTo('codebuild.amazonaws.com'), { action: 'codebuild:CreateProject', resource: 'any' }, { action: 'codebuild:StartBuildBatch', resource: 'any' }],
    source: pathfinding('codebuild-004'),
    references: ['pathfinding.cloud codebuild-004'],
  },
  {
    id: 'cloudformation-passrole-create-stack-set',
    title: 'Create a CloudFormation stack set with a privileged administration role',
    description:
      'Creates a stack set whose administration role is privileged and deploys instances of it, so the template can create or change anything.',
    requires: [passRoleTo('cloudformation.amazonaws.com'), { action: 'cloudformation:CreateStackSet', resource: 'any' }, { action: 'cloudformation:CreateStackInstances', resource: 'any' }],
    source: pathfinding('cloudformation-003'),
    references: ['pathfinding.cloud cloudformation-003'],
    precondition: 'An execution role in the target accounts that the administration role can assume.',
  },
  {
    id: 'cloudformation-passrole-update-stack-set',
    title: 'Update an existing stack set with a privileged administration role',
    description:
      "Updates a stack set's template (and administration role), so its deployments run attacker resources with privileged roles.",
    requires: [passRoleTo('cloudformation.amazonaws.com'), { action: 'cloudformation:UpdateStackSet', resource: 'any' }],
    source: pathfinding('cloudformation-004'),
    references: ['pathfinding.cloud cloudformation-004'],
    precondition: 'An existing stack set.',
  },
  {
    id: 'cloudformation-change-set',
    title: 'Change an existing privileged stack through a change set',
    description:
      'Creates and executes a change set on a stack that already deploys with a more privileged service role, so the new template runs with it.',
    requires: [{ action: 'cloudformation:CreateChangeSet', resource: 'any' }, { action: 'cloudformation:ExecuteChangeSet', resource: 'any' }],
    source: pathfinding('cloudformation-005'),
    references: ['pathfinding.cloud cloudformation-005'],
    precondition: 'A stack with a more privileged service role.',
  },
  {
    id: 'sagemaker-notebook-lifecycle-config',
    title: 'Inject a lifecycle configuration into an existing SageMaker notebook',
    description:
      'Creates a lifecycle configuration with attacker script, attaches it to a notebook instance that runs as a more privileged role, and restarts the instance so the script runs.',
    requires: [{ action: 'sagemaker:CreateNotebookInstanceLifecycleConfig', resource: 'any' }, { action: 'sagemaker:StopNotebookInstance', resource: 'any' }, { action: 'sagemaker:UpdateNotebookInstance', resource: 'any' }, { action: 'sagemaker:StartNotebookInstance', resource: 'any' }],
    source: pathfinding('sagemaker-005'),
    references: ['pathfinding.cloud sagemaker-005'],
    precondition: 'A notebook instance with a more privileged role.',
  },
  {
    id: 'bedrock-agentcore-passrole-code-interpreter',
    title: 'Create a Bedrock AgentCore code interpreter with a privileged role and run code in it',
    description:
      "Creates a custom code interpreter whose execution role is privileged, starts a session and invokes code that uses the role's credentials.",
    requires: [passRoleTo('bedrock-agentcore'), { action: 'bedrock-agentcore:CreateCodeInterpreter', resource: 'any' }, { action: 'bedrock-agentcore:StartCodeInterpreterSession', resource: 'any' }, { action: 'bedrock-agentcore:InvokeCodeInterpreter', resource: 'any' }],
    source: pathfinding('bedrock-001'),
    references: ['pathfinding.cloud bedrock-001'],
  },
  {
    id: 'bedrock-agentcore-code-interpreter-session',
    title: 'Run code in an existing Bedrock AgentCore code interpreter',
    description:
      'Starts a session on a custom code interpreter that runs as a more privileged role and invokes code that uses its credentials.',
    requires: [{ action: 'bedrock-agentcore:StartCodeInterpreterSession', resource: 'any' }, { action: 'bedrock-agentcore:InvokeCodeInterpreter', resource: 'any' }],
    source: pathfinding('bedrock-002'),
    references: ['pathfinding.cloud bedrock-002'],
    precondition: 'A custom code interpreter with a more privileged execution role.',
  },
  {
    id: 'bedrock-agentcore-passrole-agent-runtime',
    title: 'Create a Bedrock AgentCore agent runtime with a privileged role and invoke it',
    description:
      'Creates an agent runtime from an attacker container image with a privileged execution role and invokes it.',
    requires: [passRoleTo('bedrock-agentcore'), { action: 'bedrock-agentcore:CreateAgentRuntime', resource: 'any' }, { action: 'bedrock-agentcore:InvokeAgentRuntime', resource: 'any' }],
    source: pathfinding('bedrock-003'),
    references: ['pathfinding.cloud bedrock-003'],
  },
  {
    id: 'apprunner-update-service',
    title: 'Change the code of an existing App Runner service',
    description:
      "Updates a service that runs with a more privileged instance role to run the attacker's image or start command.",
    requires: [{ action: 'apprunner:UpdateService', resource: 'any' }],
    source: pathfinding('apprunner-002'),
    references: ['pathfinding.cloud apprunner-002'],
    precondition: 'A service with a more privileged instance role.',
    lookAlike: ['apprunner:DescribeService', 'apprunner:PauseService'],
  },
  {
    id: 'batch-submit-job-override',
    title: 'Submit an AWS Batch job that overrides an existing privileged job definition',
    description:
      "Submits a job on a job definition whose job role is more privileged, overriding its command with the attacker's.",
    requires: [{ action: 'batch:SubmitJob', resource: 'any' }],
    source: pathfinding('batch-002'),
    references: ['pathfinding.cloud batch-002'],
    precondition: 'A job definition with a more privileged job role, and a job queue.',
    lookAlike: ['batch:DescribeJobs', 'batch:CancelJob'],
  },
  {
    id: 'amplify-passrole-create-app',
    title: 'Create an Amplify app with a privileged service role and build it',
    description:
      'Creates an app and branch whose build runs attacker commands with a privileged service role, then starts the build job.',
    requires: [passRoleTo('amplify'), { action: 'amplify:CreateApp', resource: 'any' }, { action: 'amplify:CreateBranch', resource: 'any' }, { action: 'amplify:StartJob', resource: 'any' }],
    source: pathfinding('amplify-001'),
    references: ['pathfinding.cloud amplify-001'],
  },
  {
    id: 'braket-passrole-create-job',
    title: 'Create an Amazon Braket hybrid job with a privileged role',
    description:
      'Creates a hybrid job whose algorithm container runs attacker code as a privileged role.',
    requires: [passRoleTo('braket'), { action: 'braket:CreateJob', resource: 'any' }],
    source: pathfinding('braket-001'),
    references: ['pathfinding.cloud braket-001'],
  },
  {
    id: 'mwaa-passrole-create-environment',
    title: 'Create an Amazon MWAA environment with a privileged execution role',
    description:
      "Creates an Airflow environment whose execution role is privileged and whose DAGs are the attacker's.",
    requires: [passRoleTo('airflow'), { action: 'airflow:CreateEnvironment', resource: 'any' }],
    source: pathfinding('mwaa-001'),
    references: ['pathfinding.cloud mwaa-001'],
  },
  {
    id: 'mwaa-update-environment',
    title: 'Change an existing Amazon MWAA environment',
    description:
      'Points an environment that runs with a more privileged execution role at attacker DAGs or plugins.',
    requires: [{ action: 'airflow:UpdateEnvironment', resource: 'any' }],
    source: pathfinding('mwaa-002'),
    references: ['pathfinding.cloud mwaa-002'],
    precondition: 'An environment with a more privileged execution role.',
    lookAlike: ['airflow:GetEnvironment', 'airflow:ListEnvironments'],
  },
  {
    id: 'codedeploy-create-deployment',
    title: 'Deploy attacker code to instances through CodeDeploy',
    description:
      'Creates a deployment whose hooks run attacker commands on instances (or functions) that run as a more privileged role.',
    requires: [{ action: 'codedeploy:CreateDeployment', resource: 'any' }],
    source: pathfinding('codedeploy-001'),
    references: ['pathfinding.cloud codedeploy-001'],
    precondition: 'A deployment group targeting compute with a more privileged role.',
    lookAlike: ['codedeploy:GetDeployment', 'codedeploy:StopDeployment'],
  },
  {
    id: 'cognito-passrole-set-identity-pool-roles',
    title: 'Give a Cognito identity pool a privileged role and take its credentials',
    description:
      "Sets a privileged role as an identity pool's (unauthenticated) role, then gets an identity and its credentials.",
    requires: [passRoleTo('cognito-identity.amazonaws.com'), { action: 'cognito-identity:SetIdentityPoolRoles', resource: 'any' }],
    source: pathfinding('cognitoidentity-001'),
    references: ['pathfinding.cloud cognitoidentity-001'],
    precondition: 'An identity pool that issues identities to the attacker (unauthenticated access or a login it controls), and a role that trusts cognito-identity.amazonaws.com.',
  },
  {
    id: 'iam-rotate-access-key',
    title: "Delete and recreate another user's access key",
    description:
      "Deletes one of a more privileged user's two access keys to make room, then creates a new one for itself.",
    requires: [{ action: 'iam:DeleteAccessKey', resource: 'user' }, { action: 'iam:CreateAccessKey', resource: 'user' }],
    source: pathfinding('iam-003'),
    references: ['pathfinding.cloud iam-003'],
    precondition: 'A more privileged user that already has two access keys.',
  },
  /*
   * The two-step IAM paths (pathfinding.cloud iam-014..021): a change to another role or user paired with
   * the way in, assuming the role, minting the user's keys, or rewriting the role's trust so that it trusts
   * the attacker (which needs no sts:AssumeRole permission). Each carries its one-step parent's caveat: the
   * reach graph and the target pass still decide whether a concrete target is one the principal can use.
   */
  {
    id: 'iam-attach-role-policy-assume-role',
    title: 'Attach a policy to another role, then assume it',
    description: 'Attaches an administrative managed policy to a role that trusts the principal, then assumes that role.',
    requires: [{ action: 'iam:AttachRolePolicy', resource: 'customer-role' }, { action: 'sts:AssumeRole', resource: 'role' }],
    source: pathfinding('iam-014'),
    references: ['pathfinding.cloud iam-014', 'variant of pathfinding.cloud iam-009'],
    precondition: 'A role whose trust policy admits the principal.',
  },
  {
    id: 'iam-attach-user-policy-create-access-key',
    title: 'Attach a policy to another user, then create its access key',
    description: 'Attaches an administrative managed policy to another IAM user and creates an access key to act as that user.',
    requires: [{ action: 'iam:AttachUserPolicy', resource: 'user' }, { action: 'iam:CreateAccessKey', resource: 'user' }],
    source: pathfinding('iam-015'),
    references: ['pathfinding.cloud iam-015', 'variant of pathfinding.cloud iam-008'],
    precondition: 'A user with fewer than two access keys.',
  },
  {
    id: 'iam-create-policy-version-assume-role',
    title: "Rewrite another role's managed policy, then assume the role",
    description: 'Writes a new default version of a customer managed policy attached to a role that trusts the principal, then assumes that role.',
    requires: [{ action: 'iam:CreatePolicyVersion', resource: 'policy' }, { action: 'sts:AssumeRole', resource: 'role' }],
    source: pathfinding('iam-016'),
    references: ['pathfinding.cloud iam-016', 'variant of pathfinding.cloud iam-001'],
    precondition: 'A customer managed policy attached to a role whose trust policy admits the principal.',
  },
  {
    id: 'iam-put-role-policy-assume-role',
    title: 'Write an inline policy on another role, then assume it',
    description: 'Adds an administrative inline policy to a role that trusts the principal, then assumes that role.',
    requires: [{ action: 'iam:PutRolePolicy', resource: 'customer-role' }, { action: 'sts:AssumeRole', resource: 'role' }],
    source: pathfinding('iam-017'),
    references: ['pathfinding.cloud iam-017', 'variant of pathfinding.cloud iam-005'],
    precondition: 'A role whose trust policy admits the principal.',
  },
  {
    id: 'iam-put-user-policy-create-access-key',
    title: 'Write an inline policy on another user, then create its access key',
    description: 'Adds an administrative inline policy to another IAM user and creates an access key to act as that user.',
    requires: [{ action: 'iam:PutUserPolicy', resource: 'user' }, { action: 'iam:CreateAccessKey', resource: 'user' }],
    source: pathfinding('iam-018'),
    references: ['pathfinding.cloud iam-018', 'variant of pathfinding.cloud iam-007'],
    precondition: 'A user with fewer than two access keys.',
  },
  {
    id: 'iam-attach-role-policy-update-trust',
    title: "Attach a policy to a role and rewrite the role's trust",
    description: 'Attaches an administrative managed policy to any customer role and rewrites its trust policy to admit the principal, then assumes it.',
    requires: [{ action: 'iam:AttachRolePolicy', resource: 'customer-role' }, { action: 'iam:UpdateAssumeRolePolicy', resource: 'customer-role' }],
    unlessDenied: [ASSUME_REWRITTEN],
    source: pathfinding('iam-019'),
    references: ['pathfinding.cloud iam-019', 'variant of pathfinding.cloud iam-009'],
  },
  {
    id: 'iam-create-policy-version-update-trust',
    title: "Rewrite a role's managed policy and the role's trust",
    description: 'Writes a new default version of a customer managed policy attached to a role, rewrites that role\'s trust policy to admit the principal, then assumes it.',
    requires: [{ action: 'iam:CreatePolicyVersion', resource: 'policy' }, { action: 'iam:UpdateAssumeRolePolicy', resource: 'customer-role' }],
    unlessDenied: [ASSUME_REWRITTEN],
    source: pathfinding('iam-020'),
    references: ['pathfinding.cloud iam-020', 'variant of pathfinding.cloud iam-001'],
    precondition: 'A customer managed policy attached to a role.',
  },
  {
    id: 'iam-put-role-policy-update-trust',
    title: "Write an inline policy on a role and rewrite the role's trust",
    description: 'Adds an administrative inline policy to any customer role and rewrites its trust policy to admit the principal, then assumes it.',
    requires: [{ action: 'iam:PutRolePolicy', resource: 'customer-role' }, { action: 'iam:UpdateAssumeRolePolicy', resource: 'customer-role' }],
    unlessDenied: [ASSUME_REWRITTEN],
    source: pathfinding('iam-021'),
    references: ['pathfinding.cloud iam-021', 'variant of pathfinding.cloud iam-005'],
  },
  /* Pass-role through AWS Batch and EMR Serverless, and the newer AgentCore paths (bedrock-004..007). */
  {
    id: 'batch-passrole-register-job-definition',
    title: 'Register a Batch job definition with a privileged job role and submit it',
    description: 'Registers a job definition whose jobRoleArn is a privileged role and submits a job whose container acts with its credentials.',
    requires: [passRoleTo('batch'), { action: 'batch:RegisterJobDefinition', resource: 'any' }, { action: 'batch:SubmitJob', resource: 'any' }],
    source: pathfinding('batch-001'),
    references: ['pathfinding.cloud batch-001'],
    precondition: 'An existing job queue, and a privileged role that trusts ecs-tasks.amazonaws.com.',
  },
  {
    id: 'batch-passrole-create-compute-environment',
    title: 'Build a Batch compute environment and queue, then run a job as a privileged role',
    description: 'Creates a compute environment and job queue, registers a job definition with a privileged job role and submits a job that acts with its credentials.',
    requires: [
      passRoleTo('batch'),
      { action: 'batch:CreateComputeEnvironment', resource: 'any' },
      { action: 'batch:CreateJobQueue', resource: 'any' },
      { action: 'batch:RegisterJobDefinition', resource: 'any' },
      { action: 'batch:SubmitJob', resource: 'any' },
    ],
    source: pathfinding('batch-003'),
    references: ['pathfinding.cloud batch-003'],
    precondition: 'A privileged role that trusts ecs-tasks.amazonaws.com, and a subnet with internet access.',
  },
  {
    id: 'emr-serverless-passrole-job-run',
    title: 'Run an EMR Serverless job as a privileged role',
    description: 'Creates an EMR Serverless application and starts a job run whose execution role is a privileged role, running attacker Spark code with its credentials.',
    requires: [passRoleTo('emr-serverless'), { action: 'emr-serverless:CreateApplication', resource: 'any' }, { action: 'emr-serverless:StartJobRun', resource: 'any' }],
    source: pathfinding('emrserverless-001'),
    references: ['pathfinding.cloud emrserverless-001'],
    precondition: 'A privileged role that trusts emr-serverless.amazonaws.com.',
  },
  {
    id: 'bedrock-agentcore-invoke-runtime-command',
    title: 'Run shell commands inside an existing AgentCore runtime',
    description: "Runs commands in an existing AgentCore runtime or harness microVM and reads its execution role's credentials from the metadata service.",
    requires: [{ action: 'bedrock-agentcore:InvokeAgentRuntimeCommand', resource: 'any' }],
    source: pathfinding('bedrock-004'),
    references: ['pathfinding.cloud bedrock-004'],
    precondition: 'A runtime (IAM inbound auth) whose execution role is more privileged.',
    lookAlike: ['bedrock-agentcore:GetAgentRuntime', 'bedrock-agentcore:ListAgentRuntimes'],
  },
  {
    id: 'bedrock-agentcore-passrole-harness',
    title: 'Create an AgentCore harness with a privileged role and run commands in it',
    description: "Creates a harness (with its runtime, endpoint and workload identity) whose execution role is a privileged role, then runs commands in it and reads the role's credentials.",
    requires: [
      passRoleTo('bedrock-agentcore'),
      { action: 'bedrock-agentcore:CreateHarness', resource: 'any' },
      { action: 'bedrock-agentcore:CreateAgentRuntime', resource: 'any' },
      { action: 'bedrock-agentcore:CreateAgentRuntimeEndpoint', resource: 'any' },
      { action: 'bedrock-agentcore:CreateWorkloadIdentity', resource: 'any' },
      { action: 'bedrock-agentcore:GetAgentRuntime', resource: 'any' },
      { action: 'bedrock-agentcore:GetHarness', resource: 'any' },
      { action: 'bedrock-agentcore:InvokeAgentRuntimeCommand', resource: 'any' },
    ],
    source: pathfinding('bedrock-005'),
    references: ['pathfinding.cloud bedrock-005'],
    precondition: 'A privileged role that trusts bedrock-agentcore.amazonaws.com, and a foundation model enabled in the account.',
  },
  {
    id: 'bedrock-agentcore-passrole-browser',
    title: 'Create an AgentCore browser with a privileged role and drive it',
    description: "Creates a custom browser whose execution role is a privileged role, starts a session and drives it over CDP to read the role's credentials.",
    requires: [
      passRoleTo('bedrock-agentcore'),
      { action: 'bedrock-agentcore:CreateBrowser', resource: 'any' },
      { action: 'bedrock-agentcore:StartBrowserSession', resource: 'any' },
      { action: 'bedrock-agentcore:ConnectBrowserAutomationStream', resource: 'any' },
    ],
    source: pathfinding('bedrock-006'),
    references: ['pathfinding.cloud bedrock-006'],
    precondition: 'A privileged role that trusts bedrock-agentcore.amazonaws.com.',
  },
  {
    id: 'bedrock-agentcore-browser-session',
    title: 'Drive an existing AgentCore browser to take its role',
    description: "Starts a session on an existing custom browser and drives it over CDP to read its execution role's credentials.",
    requires: [{ action: 'bedrock-agentcore:StartBrowserSession', resource: 'any' }, { action: 'bedrock-agentcore:ConnectBrowserAutomationStream', resource: 'any' }],
    source: pathfinding('bedrock-007'),
    references: ['pathfinding.cloud bedrock-007'],
    precondition: 'A custom browser provisioned with a more privileged execution role.',
  },
  {
    id: 'sagemaker-presigned-domain-url',
    title: "Open a SageMaker Studio session as an existing user profile",
    description: "Creates a presigned Studio URL for an existing user profile and runs code in its apps with the profile's execution role.",
    requires: [{ action: 'sagemaker:CreatePresignedDomainUrl', resource: 'any' }],
    source: 'https://ai-redteam.github.io/cybersec-wiki/cloud-security/aws/Sagemaker-presigned-urls-blog',
    references: ['sagemaker-presigned-notebook-url (the same for Studio domains)'],
    precondition: 'A Studio user profile (or its domain default) with a more privileged execution role.',
    lookAlike: ['sagemaker:DescribeUserProfile', 'sagemaker:ListUserProfiles'],
  },
  /* The rest of pathfinding.cloud's pass-role paths to 2026: more compute that runs as a passed role. */
  {
    id: 'ecs-passrole-start-task-override',
    title: 'Start an existing ECS task definition on EC2 with a privileged task role',
    description: "Starts an existing task definition on a registered container instance, overriding its task role with a privileged role and its command with the attacker's.",
    requires: [passRoleTo('ecs-tasks.amazonaws.com'), { action: 'ecs:StartTask', resource: 'any' }],
    source: pathfinding('ecs-009'),
    references: ['pathfinding.cloud ecs-009'],
    precondition: 'A cluster with a registered EC2 container instance, an existing task definition, and a privileged role that trusts ecs-tasks.amazonaws.com.',
  },
  {
    id: 'ecs-passrole-register-container-instance',
    title: 'Register an instance into a cluster and start a task there with a privileged role',
    description: 'From an EC2 instance it controls, registers the instance into a cluster, then starts an existing task definition there with a privileged task role override.',
    requires: [passRoleTo('ecs-tasks.amazonaws.com'), { action: 'ecs:RegisterContainerInstance', resource: 'any' }, { action: 'ecs:StartTask', resource: 'any' }],
    source: pathfinding('ecs-007'),
    references: ['pathfinding.cloud ecs-007'],
    precondition: 'Code execution on an EC2 instance whose role holds these permissions, an existing cluster and task definition.',
  },
  {
    id: 'glue-passrole-interactive-session',
    title: 'Run code in a Glue interactive session as a privileged role',
    description: 'Creates a Glue interactive session with a privileged role and runs inline Python in it with that role\'s credentials.',
    requires: [passRoleTo('glue.amazonaws.com'), { action: 'glue:CreateSession', resource: 'any' }, { action: 'glue:RunStatement', resource: 'any' }],
    source: pathfinding('glue-007'),
    references: ['pathfinding.cloud glue-007'],
    precondition: 'A privileged role that trusts glue.amazonaws.com.',
  },
  {
    id: 'emr-passrole-run-job-flow',
    title: 'Create an EMR cluster whose instances run as a privileged role',
    description: "Creates an EMR cluster with a privileged role as its EC2 instance profile and a step that runs the attacker's commands with that role's credentials.",
    requires: [passRoleTo('elasticmapreduce'), { action: 'elasticmapreduce:RunJobFlow', resource: 'any' }],
    source: pathfinding('emr-001'),
    references: ['pathfinding.cloud emr-001'],
    precondition: 'A privileged role with an instance profile, and an EMR service role.',
  },
  {
    id: 'gamelift-passrole-create-fleet',
    title: 'Run a GameLift fleet of attacker builds as a privileged role',
    description: "Uploads a game server build and creates a fleet whose instance role is a privileged role; the server process acts with that role's credentials.",
    requires: [
      passRoleTo('gamelift'),
      { action: 'gamelift:CreateBuild', resource: 'any' },
      { action: 'gamelift:RequestUploadCredentials', resource: 'any' },
      { action: 'gamelift:CreateFleet', resource: 'any' },
    ],
    source: pathfinding('gamelift-001'),
    references: ['pathfinding.cloud gamelift-001'],
    precondition: 'A privileged role usable as a fleet instance role.',
  },
  {
    id: 'imagebuilder-passrole-create-image',
    title: 'Build an image whose build instance runs as a privileged role',
    description: "Creates an Image Builder component with the attacker's commands, a recipe, and an infrastructure configuration with a privileged instance profile, then builds the image.",
    requires: [
      passRoleTo('ec2.amazonaws.com'),
      { action: 'imagebuilder:CreateComponent', resource: 'any' },
      { action: 'imagebuilder:CreateImageRecipe', resource: 'any' },
      { action: 'imagebuilder:CreateInfrastructureConfiguration', resource: 'any' },
      { action: 'imagebuilder:CreateImage', resource: 'any' },
    ],
    source: pathfinding('imagebuilder-001'),
    references: ['pathfinding.cloud imagebuilder-001'],
    precondition: 'A privileged role with an instance profile, and the Image Builder service-linked role.',
  },
  {
    id: 'kinesisanalytics-passrole-create-application',
    title: 'Run a Managed Apache Flink application as a privileged role',
    description: "Creates and starts a Flink application whose service execution role is a privileged role, running the attacker's job with its credentials.",
    requires: [passRoleTo('kinesisanalytics.amazonaws.com'), { action: 'kinesisanalytics:CreateApplication', resource: 'any' }, { action: 'kinesisanalytics:StartApplication', resource: 'any' }],
    source: pathfinding('kinesisanalytics-001'),
    references: ['pathfinding.cloud kinesisanalytics-001'],
    precondition: 'A privileged role that trusts kinesisanalytics.amazonaws.com.',
  },
  {
    id: 'omics-passrole-start-run',
    title: 'Run a HealthOmics workflow as a privileged role and collect its credentials',
    description: "Creates a workflow whose task copies the execution role's credentials to S3, starts a run with a privileged role, and reads them back.",
    requires: [
      passRoleTo('omics.amazonaws.com'),
      { action: 'omics:CreateWorkflow', resource: 'any' },
      { action: 'omics:StartRun', resource: 'any' },
      { action: 's3:GetObject', resource: 'any' },
    ],
    source: pathfinding('omics-001'),
    references: ['pathfinding.cloud omics-001'],
    precondition: 'A privileged role that trusts omics.amazonaws.com and may write to a bucket the principal can read, and a private ECR image.',
  },
  {
    id: 'ssm-passrole-automation',
    title: 'Run an SSM Automation script as a privileged role',
    description: 'Creates an Automation document with a Python step and starts it with a privileged AutomationAssumeRole; the script runs with that role\'s credentials.',
    requires: [passRoleTo('ssm.amazonaws.com'), { action: 'ssm:CreateDocument', resource: 'any' }, { action: 'ssm:StartAutomationExecution', resource: 'any' }],
    source: pathfinding('ssm-003'),
    references: ['pathfinding.cloud ssm-003'],
    precondition: 'A privileged role that trusts ssm.amazonaws.com.',
  },
];
