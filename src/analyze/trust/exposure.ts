/**
 * Whether a grant opens the role to parties outside the organization. Shared by the rules and the reach
 * graph so both draw the line in the same place.
 */
import type { GuardKind, GuardParty, PrincipalClass, TrustGrant } from '../../model/review.js';
import { oidcIssuer } from './oidc-providers.js';
import { oidcHostOf } from './principals.js';

/**
 * Keys that pin who or where the caller is. Caller-chosen values (sts:ExternalId, session names, request
 * tags) and MFA (anyone can have MFA in their own account) do not make a public trust private.
 */
export const RESTRICTING_GUARDS: readonly GuardKind[] = [
  'principal-org-id',
  'principal-org-paths',
  'principal-account',
  'principal-arn',
  'source-account',
  'source-arn',
  'source-org-id',
  'source-ip',
  'source-vpc',
  'oidc-sub',
];

export function isUnrestrictedPublic(grant: TrustGrant): boolean {
  return (
    grant.principal.class === 'public' &&
    !grant.guards.some((guard) => guard.effective && RESTRICTING_GUARDS.includes(guard.kind))
  );
}

/**
 * A public grant whose identity conditions admit only parties outside the organization, e.g.
 * aws:PrincipalOrgID naming another organization or aws:PrincipalAccount an account not in it. Guards
 * are ANDed, so one guard pinning the caller inside the organization keeps the grant inside.
 */
export function isPinnedOutside(grant: TrustGrant): boolean {
  if (grant.principal.class !== 'public') return false;
  const parties = grant.guards.filter((guard) => guard.effective && guard.party !== undefined).map((guard) => guard.party);
  return parties.includes('inside') ? false : parties.some((party) => party === 'outside' || party === 'vendor');
}

const SOURCE_GUARDS: readonly GuardKind[] = ['source-account', 'source-arn', 'source-org-id'];

/**
 * Whose resources a service trust serves, as its source guards name them: a service acts for whichever
 * account's resource it is configured on, so aws:SourceAccount naming a foreign account is that account's
 * access to the role. One foreign value among own ones makes the whole guard foreign.
 */
export function serviceSourceParty(grant: TrustGrant): GuardParty | undefined {
  if (grant.principal.class !== 'service') return undefined;
  const parties = grant.guards
    .filter((guard) => guard.effective && SOURCE_GUARDS.includes(guard.kind) && guard.party !== undefined)
    .map((guard) => guard.party);
  if (parties.includes('outside')) return 'outside';
  if (parties.includes('vendor')) return 'vendor';
  return parties.includes('inside') ? 'inside' : undefined;
}

/** The guards that name a service's foreign source, for evidence and messages. */
export function foreignSourceGuards(grant: TrustGrant): TrustGrant['guards'] {
  return grant.guards.filter((guard) => guard.effective && SOURCE_GUARDS.includes(guard.kind) && (guard.party === 'outside' || guard.party === 'vendor'));
}

/**
 * Who is outside, in words: the principal's label, or for a service acting for a foreign account's
 * resources, the service together with the accounts its source guards name.
 */
export function outsidePartyLabel(grant: TrustGrant): string {
  const foreign = foreignSourceGuards(grant);
  if (grant.principal.class !== 'service' || foreign.length === 0) return grant.principal.label;
  return `${grant.principal.label} (acting for resources of ${[...new Set(foreign.flatMap((guard) => guard.values))].join(', ')})`;
}

/** Principals outside the organization's control. */
export const OUTSIDE_CLASSES: readonly PrincipalClass[] = ['public', 'external', 'known-vendor', 'federated-oidc'];

export function isExposedOutside(grant: TrustGrant): boolean {
  if (grant.negatedBy) return false;
  if (grant.principal.class === 'service') {
    const party = serviceSourceParty(grant);
    return party === 'outside' || party === 'vendor';
  }
  if (!OUTSIDE_CLASSES.includes(grant.principal.class)) return false;
  // A public grant pinned to the organization is an internal grant in effect.
  if (grant.principal.class === 'public') return isUnrestrictedPublic(grant) || isPinnedOutside(grant);
  // Tokens from the organization's own EKS clusters are not an outside party's.
  if (grant.principal.class === 'federated-oidc') return oidcIssuer(oidcHostOf(grant.principal) ?? grant.principal.raw).thirdParty;
  return true;
}
