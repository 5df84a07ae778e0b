import { isServiceLinked } from '../context.js';
import { clause, grantEvidence } from './helpers.js';
import { REF } from './references.js';
import type { Rule, RuleHit } from './rule.js';

/**
 * Statements that grant nothing because no caller can satisfy what they ask: hygiene, not access. They are
 * kept apart from the exposure rules (a dead grant lets nobody in) and from the guard rules (a condition no
 * one passes protects nothing), since the author meant something the policy does not do.
 */
export const policyDeadGrant: Rule = {
  meta: {
    id: 'policy-dead-grant',
    title: 'Statement that grants nothing: no caller can satisfy its condition',
    severity: 'info',
    rationale:
      'A statement whose condition no caller can meet does not do what its author meant: an sts:ExternalId that STS would refuse (outside 2 to 1,224 characters of [\\w+=,.@:/-]), an aws:PrincipalOrgID, aws:PrincipalOrgPaths or aws:PrincipalAccount pin that the trusted principal lies outside, aws:SourceAccount or aws:SourceArn on a principal that is not a service (only services acting for a resource carry them), a key or policy variable the caller never carries (${aws:username} for a role session, a federated user or a web identity; saml: keys on an OIDC provider; another issuer\'s claims) or an aws:userid of a shape it never has (AIDA… user ids on a role), a time window that has closed. It is neither exposure nor a guard; the intended access silently does not work, and a later "fix" may open more than meant.',
    remediation:
      'Rewrite the statement to say what was meant (the vendor\'s real external id, a source key on a service principal, ${aws:userid} or a role tag in role policies), or delete it.',
    bestPractice: ['least-privilege'],
    references: [REF.conditionKeys, REF.policyVariables, REF.externalIdLimits],
    action: 'Rewrite or delete statements that grant nothing',
  },
  evaluate(context) {
    const hits: RuleHit[] = [];
    for (const account of context.accounts) {
      for (const role of account.roles) {
        if (isServiceLinked(role.record)) continue;
        for (const grant of role.review.trustGrants) {
          if (grant.dead === undefined) continue;
          hits.push({
            accountId: role.review.accountId,
            resource: role.record.arn,
            subject: `${grant.principal.raw}|${grant.statementIndex}`,
            grantId: grant.id,
            message: `Trust statement ${grant.statementIndex + 1} of ${role.record.name} names ${grant.principal.label} but admits nobody: ${clause(grant.dead)}.`,
            evidence: grantEvidence(grant, role),
          });
        }
        for (const dead of role.review.permissions.deadStatements ?? []) {
          hits.push({
            accountId: role.review.accountId,
            resource: role.record.arn,
            subject: `permissions|${dead.policy}|${dead.statement}`,
            message: `${dead.label} of ${role.record.name} grants nothing: ${clause(dead.reason)}.`,
            evidence: [
              { label: 'Role', value: role.record.arn },
              { label: 'Policy', value: dead.policy },
              { label: 'Statement', value: dead.label },
              { label: 'Why it is dead', value: dead.reason },
            ],
          });
        }
      }
    }
    return hits;
  },
};
