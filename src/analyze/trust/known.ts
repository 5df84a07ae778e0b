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

/** The keys known when this principal calls an assume action on the role. */
export function knownFor(principal: ClassifiedPrincipal, context: { accountId: string; now?: Date }): Map<string, KnownValue> {
  // A role or its session calls with temporary credentials; users and account roots may use long-term keys.
  const session = principal.kind === 'role' || principal.kind === 'assumed-role' || principal.kind === 'federated-user';
  const known = knownKeys({ ...(context.now ? { now: context.now } : {}), resourceAccount: context.accountId, caller: callerOf(principal), session });
  // Principal "*" admits services too, but those are AWS acting for a resource, not public exposure: a
  // "Deny unless aws:PrincipalIsAWSService" reads, for the public, as applying to everyone.
  if (principal.kind === 'wildcard') known.set('aws:principalisawsservice', { kind: 'values', values: ['false'] });
  return known;
}

