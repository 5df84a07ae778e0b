/**
 * What to do when the SDK finds no credentials at all: the one setup step every new user meets first, and
 * the SDK's own message ("Could not load credentials from any providers") says nothing about where to set
 * them. Recognised by the error the SDK's provider chain throws, wherever in the cause chain it sits.
 */
export const MISSING_CREDENTIALS = `access-review: no AWS credentials were found (the SDK tried the environment, the shared config and
SSO, web identity, and the container and instance endpoints). Give the job an identity:
  - locally: export AWS_PROFILE=<profile> (after \`aws sso login --profile <profile>\` for IAM Identity
    Center), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN) of a session;
  - on EKS: IRSA (annotate the ServiceAccount with eks.amazonaws.com/role-arn, see k8s/base/serviceaccount.yaml)
    or an EKS Pod Identity association for the access-review ServiceAccount;
  - on ECS: the task definition's taskRoleArn (see docs/ecs/task-definition.json).
The role needs docs/iam/collector-policy.json. \`access-review check\` then tests every permission.
`;

export function isMissingCredentials(e: unknown): boolean {
  for (let err = e, depth = 0; err instanceof Error && depth < 5; err = err.cause, depth++) {
    if (err.name === 'CredentialsProviderError' && /Could not load credentials from any providers/.test(err.message)) return true;
  }
  return false;
}
