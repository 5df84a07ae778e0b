/** Shared reading of grants and roles for the rules: iteration, guard tests and evidence. */
import type { Evidence, Guard, GuardKind, PrincipalClass, TrustGrant } from '../../model/review.js';
import type { ReviewContext, RoleContext } from '../context.js';
import { isServiceLinked } from '../context.js';

export interface GrantInContext {
  role: RoleContext;
  grant: TrustGrant;
}

/** Every grant that still lets someone in, on roles the customer controls. */
export function liveGrants(context: ReviewContext): GrantInContext[] {
  const result: GrantInContext[] = [];
  for (const account of context.accounts) {
    for (const role of account.roles) {
      if (isServiceLinked(role.record)) continue;
      for (const grant of role.review.trustGrants) {
        if (!grant.negatedBy) result.push({ role, grant });
      }
    }
  }
  return result;
}

export function effectiveGuards(grant: TrustGrant, kinds: readonly GuardKind[]): Guard[] {
  return grant.guards.filter((guard) => guard.effective && kinds.includes(guard.kind));
}

export function hasEffectiveGuard(grant: TrustGrant, kinds: readonly GuardKind[]): boolean {
  return effectiveGuards(grant, kinds).length > 0;
}

/** Anything that crosses the role's account boundary. */
export const CROSS_ACCOUNT_CLASSES: readonly PrincipalClass[] = [
  'public',
  'external',
  'known-vendor',
  'org-account',
  'federated-oidc',
  'federated-saml',
];

export function describeGuard(guard: Guard): string {
  const text = `${guard.key} ${guard.operator} ${guard.values.map((v) => JSON.stringify(v)).join(', ')}`;
  return guard.effective ? (guard.note ? `${text} (${clause(guard.note)})` : text) : `${text}, which does not restrict: ${clause(guard.note ?? 'ineffective')}`;
}

/** A note is a sentence; inside another sentence it loses its full stop. */
export function clause(note: string): string {
  return note.replace(/\.$/, '');
}

export function grantEvidence(grant: TrustGrant, role: RoleContext): Evidence[] {
  const evidence: Evidence[] = [
    { label: 'Role', value: role.record.arn },
    { label: 'Trusted principal', value: grant.principal.label },
    { label: 'Principal as written', value: `${grant.principal.type === '*' ? 'Principal' : grant.principal.type}: ${grant.principal.raw}` },
    { label: 'Scope', value: scopeOf(grant) },
    {
      label: 'Statement',
      value: `${grant.statementIndex + 1}${grant.sid ? ` (Sid "${grant.sid}")` : ''}: ${grant.actions.join(', ')}`,
    },
  ];
  if (grant.principal.vendor) {
    evidence.push({ label: 'Vendor', value: `${grant.principal.vendor.name} (${grant.principal.vendor.source})` });
  }
  evidence.push({
    label: 'Conditions',
    value: grant.guards.length > 0 ? grant.guards.map(describeGuard).join('; ') : 'none',
  });
  evidence.push({ label: 'Use in window', value: usageText(grant) });
  return evidence;
}

function scopeOf(grant: TrustGrant): string {
  switch (grant.principal.kind) {
    case 'wildcard':
      return 'every principal in every AWS account';
    case 'account':
      return 'every principal in the account that its own IAM policies allow (the account root delegates)';
    case 'role':
      return 'one role';
    case 'user':
      return 'one IAM user';
    case 'assumed-role':
      return 'one role session';
    case 'oidc-provider':
      return 'every token the identity provider issues that the conditions accept';
    case 'saml-provider':
      return 'every assertion the identity provider issues that the conditions accept';
    case 'service':
      return 'the AWS service, acting for whichever resource it is configured on';
    default:
      return grant.principal.kind;
  }
}

function usageText(grant: TrustGrant): string {
  if (grant.usage.state === 'unknown') return `unknown: ${grant.usage.unknownReason ?? 'CloudTrail was not read completely'}`;
  if (!grant.usage.used) return 'not used';
  return `${grant.usage.count} assumption(s) by ${grant.usage.callers.join(', ')}; last ${grant.usage.lastSeen ?? 'unknown'}`;
}

export function roleName(role: RoleContext): string {
  return role.record.name;
}
