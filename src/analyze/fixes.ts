/**
 * The concrete change a finding asks of one role, with the values filled in: the Condition block to add to
 * the statement (organization id, account, issuer), or the statement to remove. Only where the rule's fix
 * is mechanical; otherwise undefined and the rule's general remediation stands.
 */
import type { Finding, TrustGrant } from '../model/review.js';
import { oidcHostOf } from './trust/principals.js';

export interface FixContext {
  organizationId?: string;
  grant?: TrustGrant;
  roleName?: string;
}

function condition(block: Record<string, Record<string, string>>): string {
  return `"Condition": ${JSON.stringify(block)}`;
}

function statementRef(grant: TrustGrant): string {
  return `statement ${grant.statementIndex + 1}${grant.sid ? ` (Sid "${grant.sid}")` : ''}`;
}

export function concreteFix(finding: Pick<Finding, 'ruleId' | 'accountId'>, context: FixContext): string | undefined {
  const { grant, organizationId } = context;
  if (!grant) return undefined;
  const where = `to ${statementRef(grant)} of ${context.roleName ?? grant.roleArn}'s trust policy`;
  switch (finding.ruleId) {
    case 'trust-public':
      return organizationId
        ? `Add ${condition({ StringEquals: { 'aws:PrincipalOrgID': organizationId } })} ${where}, or name the trusted accounts in Principal.`
        : `Replace Principal "*" in ${statementRef(grant)} with the trusted account or role ARNs, or add ${condition({ StringEquals: { 'aws:PrincipalAccount': '<trusted account id>' } })}.`;
    case 'trust-vendor-without-external-id':
      return `Add ${condition({ StringEquals: { 'sts:ExternalId': '<the id the vendor issued to you>' } })} ${where}.`;
    case 'trust-saml-without-audience':
      return `Add ${condition({ StringEquals: { 'SAML:aud': 'https://signin.aws.amazon.com/saml' } })} ${where}.`;
    case 'trust-service-without-source':
      return `Add ${condition({ StringEquals: { 'aws:SourceAccount': finding.accountId } })} ${where}.`;
    case 'trust-cross-account-without-mfa':
      return `Add ${condition({ Bool: { 'aws:MultiFactorAuthPresent': 'true' } })} ${where}.`;
    case 'trust-oidc-without-subject': {
      const host = oidcHostOf(grant.principal);
      if (!host) return undefined;
      const example = host === 'token.actions.githubusercontent.com' ? 'repo:<owner>/<repo>:ref:refs/heads/main' : '<the subject allowed>';
      return `Add ${condition({ StringEquals: { [`${host}:sub`]: example } })} ${where}.`;
    }
    case 'trust-cross-account-unused':
    case 'trust-unknown-external-account':
    case 'trust-deleted-principal':
      return `Remove ${grant.principal.raw} from ${statementRef(grant)} of ${context.roleName ?? grant.roleArn}'s trust policy (the whole statement if it is the only principal), unless its owner confirms it is needed.`;
    default:
      return undefined;
  }
}
