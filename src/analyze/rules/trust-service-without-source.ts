import type { TrustGrant } from '../../model/review.js';
import { grantEvidence, hasEffectiveGuard, liveGrants } from './helpers.js';
import { REF } from './references.js';
import type { Rule } from './rule.js';

/**
 * Compute runtimes assume a role only for an instance, function, task or pod in your own account that a
 * principal with iam:PassRole attached it to; there is no source resource for a condition to name, and EC2
 * instance profiles do not support one.
 */
const EXECUTION_ROLE_SERVICES: ReadonlySet<string> = new Set([
  'ec2.amazonaws.com',
  'lambda.amazonaws.com',
  'edgelambda.amazonaws.com',
  'ecs-tasks.amazonaws.com',
  'eks.amazonaws.com',
  'eks-fargate-pods.amazonaws.com',
  'pods.eks.amazonaws.com',
]);

export function serviceLacksSource(grant: TrustGrant): boolean {
  return (
    grant.principal.class === 'service' &&
    !EXECUTION_ROLE_SERVICES.has(grant.principal.raw.toLowerCase()) &&
    !hasEffectiveGuard(grant, ['source-account', 'source-arn', 'source-org-id'])
  );
}

export const trustServiceWithoutSource: Rule = {
  meta: {
    id: 'trust-service-without-source',
    title: 'AWS service trusted without aws:SourceAccount or aws:SourceArn',
    severity: 'medium',
    rationale:
      'A service principal such as s3.amazonaws.com acts for every customer of the service. Without aws:SourceAccount or aws:SourceArn the service can be steered into using this role for a resource in another account (the cross-service confused deputy). Execution roles of compute services (EC2, Lambda, ECS tasks, EKS) are exempt: they are bound by iam:PassRole within the account.',
    remediation:
      'Add a Condition with aws:SourceAccount (StringEquals your account id) and, where the service documents it, aws:SourceArn (ArnLike the resources that use the role).',
    bestPractice: ['role-based-trust', 'least-privilege'],
    references: [REF.confusedDeputy, REF.conditionKeys],
    action: 'Add aws:SourceAccount/aws:SourceArn to service trust',
  },
  evaluate(context) {
    return liveGrants(context)
      .filter(({ grant }) => serviceLacksSource(grant))
      .map(({ role, grant }) => ({
        accountId: role.review.accountId,
        resource: role.record.arn,
        subject: grant.principal.raw,
        grantId: grant.id,
        message: `${role.record.name} trusts ${grant.principal.raw} without aws:SourceAccount or aws:SourceArn, so the service could use it on behalf of a resource in another account.`,
        evidence: grantEvidence(grant, role),
      }));
  },
};
