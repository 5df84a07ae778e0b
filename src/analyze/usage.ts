/**
 * Joins CloudTrail's AssumeRole* aggregates and IAM's RoleLastUsed onto a role's trust grants: which grant
 * admitted each caller, which grants nobody used, and which callers no grant explains.
 */
import type { Caller, RoleUsage, TrustGrant } from '../model/review.js';
import type { AssumeAggregate, RoleRecord } from '../model/snapshot.js';
import { actionForEventName } from './policy/actions.js';
import { accountOfArn, parseArn, roleNameFromArn } from './policy/arn.js';
import { oidcHostOf } from './trust/principals.js';

export function joinUsage(role: RoleRecord, grants: TrustGrant[], aggregates: readonly AssumeAggregate[]): RoleUsage {
  const callers = mergeCallers(aggregates.map((aggregate) => callerOf(aggregate, grants)));
  for (const grant of grants) {
    const mine = callers.filter((caller) => caller.grantId === grant.id);
    grant.usage = {
      used: mine.length > 0,
      count: sum(mine.map((c) => c.count)),
      callers: [...new Set(mine.map((c) => c.id))].sort(),
    };
    const first = earliest(mine.map((c) => c.firstSeen));
    const last = latest(mine.map((c) => c.lastSeen));
    if (first) grant.usage.firstSeen = first;
    if (last) grant.usage.lastSeen = last;
  }
  const usage: RoleUsage = { assumeCount: sum(callers.map((c) => c.count)), callers };
  if (role.lastUsed?.date) usage.lastUsed = role.lastUsed.date;
  if (role.lastUsed?.region) usage.lastUsedRegion = role.lastUsed.region;
  return usage;
}

function callerOf(aggregate: AssumeAggregate, grants: readonly TrustGrant[]): Caller {
  const accountId = aggregate.callerAccountId ?? (aggregate.callerArn ? accountOfArn(aggregate.callerArn) : undefined);
  const caller: Caller = {
    id: aggregate.callerArn ?? accountId ?? aggregate.callerType ?? 'unknown caller',
    eventName: aggregate.eventName,
    count: aggregate.count,
    mfaCount: aggregate.mfaCount,
    firstSeen: aggregate.firstSeen,
    lastSeen: aggregate.lastSeen,
  };
  if (accountId) caller.accountId = accountId;
  const grant = matchGrant(aggregate, accountId, grants);
  if (grant) caller.grantId = grant.id;
  return caller;
}

/**
 * The grant that admitted a call: the most specific one whose principal and action fit. A role session
 * matches a grant to that role (by account and name: session ARNs drop the role's path), then a grant to its
 * whole account, then a public grant.
 */
export function matchGrant(
  aggregate: Pick<AssumeAggregate, 'eventName' | 'callerArn' | 'callerType'>,
  callerAccountId: string | undefined,
  grants: readonly TrustGrant[],
): TrustGrant | undefined {
  const action = actionForEventName(aggregate.eventName);
  const candidates = grants.filter(
    (grant) => !grant.negatedBy && action !== undefined && (grant.assumeActions ?? []).includes(action),
  );
  let best: { grant: TrustGrant; rank: number } | undefined;
  for (const grant of candidates) {
    const rank = matchRank(grant, aggregate, callerAccountId);
    if (rank > 0 && (!best || rank > best.rank)) best = { grant, rank };
  }
  return best?.grant;
}

function matchRank(
  grant: TrustGrant,
  aggregate: Pick<AssumeAggregate, 'eventName' | 'callerArn' | 'callerType'>,
  callerAccountId: string | undefined,
): number {
  const principal = grant.principal;
  if (principal.kind === 'wildcard') return 1;
  const callerArn = aggregate.callerArn;
  switch (principal.class) {
    case 'federated-oidc': {
      if (!callerArn) return 2;
      const host = oidcHostOf(principal)?.toLowerCase();
      const seen = callerArn.replace(/^https:\/\//, '').toLowerCase();
      if (principal.raw.toLowerCase() === callerArn.toLowerCase() || (host !== undefined && seen.includes(host))) return 3;
      // Another issuer, named by ARN or host, is not this grant; anything opaque cannot be told apart.
      return callerArn.startsWith('arn:') || /^[a-z0-9-]+(\.[a-z0-9-]+)+(\/|$)/i.test(seen) ? 0 : 2;
    }
    case 'federated-saml':
      // CloudTrail's SAMLUser identityProvider is an opaque hash, not the provider ARN: only an ARN can rule a grant out.
      if (!callerArn || !callerArn.startsWith('arn:')) return 2;
      return callerArn === principal.raw ? 3 : 0;
    case 'service':
      if (aggregate.callerType !== 'AWSService') return 0;
      return !callerArn || callerArn.toLowerCase() === principal.raw.toLowerCase() ? 3 : 0;
    default:
      break;
  }
  if (principal.type !== 'AWS' || !principal.accountId || principal.accountId !== callerAccountId) return 0;
  if (principal.kind === 'account') return 2;
  // The role owner's copy of a cross-account event may carry only the caller's account: a grant to a
  // principal of that account may well be the one used, so it is not reported as unexpected.
  if (!callerArn) return 1.5;
  if (principal.raw === callerArn) return 3;
  if (principal.kind === 'role') {
    const session = parseArn(callerArn);
    const [type, roleName] = session?.resource.split('/') ?? [];
    return type === 'assumed-role' && roleName === roleNameFromArn(principal.raw) ? 3 : 0;
  }
  return 0;
}

function mergeCallers(callers: Caller[]): Caller[] {
  const merged = new Map<string, Caller>();
  for (const caller of callers) {
    const key = `${caller.id}\u0000${caller.eventName}\u0000${caller.grantId ?? ''}`;
    const existing = merged.get(key);
    if (!existing) {
      merged.set(key, { ...caller });
      continue;
    }
    existing.count += caller.count;
    existing.mfaCount += caller.mfaCount;
    existing.firstSeen = earliest([existing.firstSeen, caller.firstSeen]) ?? existing.firstSeen;
    existing.lastSeen = latest([existing.lastSeen, caller.lastSeen]) ?? existing.lastSeen;
  }
  return [...merged.values()].sort(
    (a, b) => compare(a.id, b.id) || compare(a.eventName, b.eventName) || compare(a.grantId ?? '', b.grantId ?? ''),
  );
}

function sum(values: number[]): number {
  return values.reduce((total, v) => total + v, 0);
}

export function earliest(times: readonly (string | undefined)[]): string | undefined {
  return times.filter((t): t is string => Boolean(t)).sort((a, b) => Date.parse(a) - Date.parse(b))[0];
}

export function latest(times: readonly (string | undefined)[]): string | undefined {
  return times.filter((t): t is string => Boolean(t)).sort((a, b) => Date.parse(b) - Date.parse(a))[0];
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
