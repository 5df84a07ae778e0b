/**
 * What is known about a request to assume a role before anyone makes it: the review's instant, the role's
 * own account (aws:ResourceAccount) and what the kind of caller implies.
 */
import type { ClassifiedPrincipal } from '../../model/review.js';
import { knownKeys, variablesWithoutDefault, type ConditionTest, type EvaluationFacts, type KnownValue } from '../policy/conditions.js';
import { oidcHostOf } from './principals.js';

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

/**
 * Callers that carry no aws:username: IAM puts it only in IAM users' requests, so a role or its session, a
 * federated user (GetFederationToken), a web identity or SAML caller and a service lack it (AWS, "IAM policy
 * elements: variables and tags", request information for policy variables).
 */
function lacksUserName(principal: ClassifiedPrincipal): boolean {
  return ['role', 'assumed-role', 'federated-user', 'oidc-provider', 'saml-provider', 'service'].includes(principal.kind);
}

/**
 * Claims of an identity provider are keyed by its issuer ("token.actions.githubusercontent.com:sub"): the
 * part before the first colon is a host name, which no service prefix ("s3", "aws", "sts") is. (Tag keys
 * after it may hold dots and colons: "aws:PrincipalTag/app.team:x" is an aws: key.)
 */
function claimIssuer(keyLower: string): string | undefined {
  const colon = keyLower.indexOf(':');
  const issuer = colon > 0 ? keyLower.slice(0, colon) : '';
  return issuer.includes('.') ? issuer : undefined;
}

/**
 * Why the request of this principal certainly lacks a key, or undefined when it may carry it. SAML keys
 * (saml:aud, saml:sub...) are only in AssumeRoleWithSAML requests and an issuer's claims only in
 * AssumeRoleWithWebIdentity requests with that issuer's token (AWS, "Available keys for SAML-based
 * federation" and "Available keys for OIDC federation"); a direct AssumeRole carries neither.
 */
export function absenceReason(keyLower: string, principal: ClassifiedPrincipal): string | undefined {
  // A principal written as "*" or as IAM would reject it may be any caller: nothing is certain.
  if (principal.kind === 'wildcard' || principal.kind === 'invalid' || principal.kind === 'canonical-user' || principal.kind === 'unique-id') return undefined;
  if (keyLower === 'aws:username' && lacksUserName(principal)) {
    return `${principal.label} carries no aws:username (IAM sets it only for IAM users)`;
  }
  if (keyLower.startsWith('saml:') && principal.kind !== 'saml-provider') {
    return `${principal.label} is not a SAML provider, and saml: keys are only in AssumeRoleWithSAML requests`;
  }
  const issuer = claimIssuer(keyLower);
  if (issuer !== undefined) {
    const host = oidcHostOf(principal)?.toLowerCase();
    if (host === undefined) return `${principal.label} is not an OIDC provider, and ${issuer} claims are only in AssumeRoleWithWebIdentity requests with its tokens`;
    if (host !== issuer) return `${principal.label} presents ${host} tokens, which carry no ${issuer} claims`;
  }
  return undefined;
}

/** The keys known when this principal calls an assume action on the role; `referenced` adds what the statement names. */
export function knownFor(principal: ClassifiedPrincipal, context: KnownForContext, referenced: Iterable<string> = []): Map<string, KnownValue> {
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
  // The resource is the role, so aws:ResourceOrgID is the organization its account belongs to.
  if (context.organizationId && context.orgAccountIds?.has(context.accountId)) known.set('aws:resourceorgid', { kind: 'values', values: [context.organizationId] });
  if (caller === 'aws' || caller === 'web-identity' || caller === 'saml') {
    for (const key of SERVICE_ONLY_KEYS) known.set(key, { kind: 'absent' });
  }
  // An IAM principal written with its account calls as that account, whoever in it signs.
  const account = principal.type === 'AWS' && principal.kind !== 'wildcard' ? principal.accountId : undefined;
  if (account && /^\d{12}$/.test(account)) {
    known.set('aws:principalaccount', { kind: 'values', values: [account] });
    // AWS's unique-id prefixes: an IAM user's aws:userid is its id (AIDA…); a federated user's "<account>:<name>".
    if (principal.kind === 'user') known.set('aws:userid', { kind: 'shape', pattern: 'AIDA*', form: 'the user id (AIDA…)' });
    if (principal.kind === 'federated-user') known.set('aws:userid', { kind: 'shape', pattern: `${account}:*`, form: `account:caller-specified-name (${account}:…)` });
    if (principal.kind === 'role' || principal.kind === 'user') known.set('aws:principalarn', { kind: 'values', values: [principal.raw] });
    const orgKnown = context.organizationId !== undefined && (context.orgAccountIds?.size ?? 0) > 0;
    if (orgKnown && account !== context.accountId && !context.orgAccountIds?.has(account)) {
      known.set('aws:principalorgid', { kind: 'other-than', values: [context.organizationId as string] });
      // Every organization path starts with its organization's id ("o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/").
      known.set('aws:principalorgpaths', { kind: 'other-than-prefix', prefixes: [`${context.organizationId as string}/`] });
    }
  }
  for (const key of referenced) if (!known.has(key) && absenceReason(key, principal) !== undefined) known.set(key, { kind: 'absent' });
  // Principal "*" admits services too, but those are AWS acting for a resource, not public exposure: a
  // "Deny unless aws:PrincipalIsAWSService" reads, for the public, as applying to everyone.
  if (principal.kind === 'wildcard') known.set('aws:principalisawsservice', { kind: 'values', values: ['false'] });
  return known;
}

/** Keys a statement's tests name, directly or as policy variables in their values. */
export function referencedKeys(tests: readonly ConditionTest[]): Set<string> {
  const keys = new Set<string>();
  for (const test of tests) {
    keys.add(test.keyLower);
    for (const value of test.values) for (const key of variablesWithoutDefault(value)) keys.add(key);
  }
  return keys;
}
