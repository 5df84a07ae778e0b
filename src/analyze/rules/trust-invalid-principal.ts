import type { ClassifiedPrincipal } from '../../model/review.js';
import { isAccountId, parseArn } from '../policy/arn.js';
import { grantEvidence, liveGrants } from './helpers.js';
import { REF } from './references.js';
import type { Rule } from './rule.js';

export const trustInvalidPrincipal: Rule = {
  meta: {
    id: 'trust-invalid-principal',
    title: 'Trust policy holds a principal IAM does not accept',
    severity: 'medium',
    rationale:
      'IAM rejects a trust policy whose principal is not a valid form (a wildcard inside an ARN such as arn:aws:iam::*:root, a malformed ARN, an unknown service name), so the document as collected is not one IAM would enforce: it was altered on the way, written by a tool that bypasses validation, or the collector misread it. Either way nobody can say whom the statement was meant to trust, and the review does not guess.',
    remediation:
      'Compare the trust policy with IAM (aws iam get-role); rewrite the principal as an account id, a role or user ARN, a service name ending in amazonaws.com, or "*" narrowed by aws:PrincipalOrgID or aws:PrincipalAccount.',
    bestPractice: ['role-based-trust', 'periodic-review'],
    references: [REF.principalElement],
    action: 'Fix trust policies holding principals IAM does not accept',
  },
  evaluate(context) {
    return liveGrants(context)
      .filter(({ grant }) => grant.principal.kind === 'invalid' || grant.principal.kind === 'canonical-user')
      .map(({ role, grant }) => ({
        accountId: role.review.accountId,
        resource: role.record.arn,
        subject: grant.principal.raw,
        grantId: grant.id,
        message: `The trust policy of ${role.record.name} holds a principal IAM does not accept: ${grant.principal.type}: ${JSON.stringify(grant.principal.raw)} (${whyInvalid(grant.principal)}).`,
        evidence: [...grantEvidence(grant, role), { label: 'Raw principal', value: `${grant.principal.type}: ${grant.principal.raw}` }],
      }));
  },
};

export function whyInvalid(principal: Pick<ClassifiedPrincipal, 'type' | 'raw' | 'kind'>): string {
  const raw = principal.raw;
  if (principal.kind === 'canonical-user') return 'S3 canonical user ids belong in bucket ACLs and policies, not in a role trust policy';
  if (principal.type === 'Service') return 'not a service principal name such as ec2.amazonaws.com';
  if (principal.type === 'Federated') return 'neither a SAML or OIDC provider ARN nor a named web identity provider';
  const arn = parseArn(raw);
  if (!arn) return raw.includes('*') ? 'a wildcard is allowed only as the whole principal "*"' : 'neither an account id nor an ARN';
  if (arn.account.includes('*') || arn.account.includes('?')) return 'a wildcard in the account field; IAM accepts "*" only as the whole principal';
  if (!isAccountId(arn.account)) return `the account field "${arn.account}" is not a 12-digit account id`;
  if (arn.region !== '') return 'IAM principal ARNs have no region';
  if (/[*?]/.test(raw)) return 'a wildcard inside a principal ARN; IAM accepts "*" only as the whole principal (narrow it with aws:PrincipalArn instead)';
  return 'not the ARN of an account root, role, user, role session or federated user';
}
