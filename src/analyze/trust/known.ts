/**
 * What is known about a request to assume a role before anyone makes it: the review's instant, the role's
 * own account (aws:ResourceAccount) and what the kind of caller implies.
 */
import type { ClassifiedPrincipal } from '../../model/review.js';
import { knownKeys, type EvaluationFacts, type KnownValue } from '../policy/conditions.js';

/** Who calls through a grant decides some keys: services and federated callers carry no MFA, for one. */
export function callerOf(principal: ClassifiedPrincipal): NonNullable<EvaluationFacts['caller']> {
  if (principal.type === 'Service') return 'service';
  if (principal.class === 'federated-saml') return 'saml';
  if (principal.type === 'Federated') return 'web-identity';
  return principal.type === 'AWS' && principal.kind !== 'wildcard' ? 'aws' : 'any';
}

/**
 * Keys only a service's request carries, when it acts for a resource (AWS's global condition keys): an
 * IAM principal or a federated caller assuming a role directly never has them.
 */
const SERVICE_ONLY_KEYS = ['aws:sourceaccount', 'aws:sourcearn', 'aws:sourceowner', 'aws:sourceorgid', 'aws:sourceorgpaths'];

export interface KnownForContext {
  accountId: string;
  now?: Date;
  /** The organization and its accounts, to know that a caller from another account is outside it. */
  organizationId?: string;
  orgAccountIds?: ReadonlySet<string>;
}

/** The keys known when this principal calls an assume action on the role. */
export function knownFor(principal: ClassifiedPrincipal, context: KnownForContext): Map<string, KnownValue> {
  // A role or its session calls with temporary credentials; users and account roots may use long-term keys.
  const session = principal.kind === 'role' || principal.kind === 'assumed-role' || principal.kind === 'federated-user';
  const caller = callerOf(principal);
  const known = knownKeys({
    ...(context.now ? { now: context.now } : {}),
    resourceAccount: context.accountId,
    caller,
    session,
    roleSession: principal.kind === 'role' || principal.kind === 'assumed-role',
  });
  if (caller === 'aws' || caller === 'web-identity' || caller === 'saml') {
    for (const key of SERVICE_ONLY_KEYS) known.set(key, { kind: 'absent' });
  }
  // An IAM principal written with its account calls as that account, whoever in it signs.
  const account = principal.type === 'AWS' && principal.kind !== 'wildcard' ? principal.accountId : undefined;
  if (account && /^\d{12}$/.test(account)) {
    known.set('aws:principalaccount', { kind: 'values', values: [account] });
    if (principal.kind === 'role' || principal.kind === 'user') known.set('aws:principalarn', { kind: 'values', values: [principal.raw] });
    const orgKnown = context.organizationId !== undefined && (context.orgAccountIds?.size ?? 0) > 0;
    if (orgKnown && account !== context.accountId && !context.orgAccountIds?.has(account)) {
      known.set('aws:principalorgid', { kind: 'other-than', values: [context.organizationId as string] });
    }
  }
  // Principal "*" admits services too, but those are AWS acting for a resource, not public exposure: a
  // "Deny unless aws:PrincipalIsAWSService" reads, for the public, as applying to everyone.
  if (principal.kind === 'wildcard') known.set('aws:principalisawsservice', { kind: 'values', values: ['false'] });
  return known;
}

