/**
 * Whether a caller may assume a role through one of the role's trust grants: the one place the analysis
 * decides it (the reach graph and the escalation targets both ask here). The trust decides how much the
 * caller's own policies must say (TrustAdmission); the policy engine answers, telling an explicit Deny from
 * a missing Allow, so a same-account trust naming the caller is a hop unless a Deny (or, for a role, its
 * boundary) stops it, and a trust naming only the account root needs the caller's identity Allow.
 */
import type { AccessVerdict, TrustAdmission } from '../engine.js';
import type { TrustGrant } from '../../model/review.js';
import { isUnrestrictedPublic } from '../trust/exposure.js';
import { ASSUME_ROLE } from './actions.js';
import { roleNameFromArn } from './arn.js';

export interface AssumeCaller {
  arn: string;
  accountId: string;
}

/**
 * How `grant` admits `caller` to a role in `targetAccount`; undefined when it does not name the caller at
 * all (another principal, a dead or negated grant, a public grant its conditions restrict).
 */
export function trustAdmission(grant: TrustGrant, caller: AssumeCaller, targetAccount: string): TrustAdmission | undefined {
  if (grant.negatedBy || !(grant.assumeActions ?? []).includes(ASSUME_ROLE)) return undefined;
  const p = grant.principal;
  if (p.kind === 'role') {
    // Trusts name a role by account and name; the path is not part of the principal.
    if (p.accountId !== caller.accountId || (p.raw !== caller.arn && roleNameFromArn(p.raw) !== roleNameFromArn(caller.arn))) return undefined;
    return caller.accountId === targetAccount ? 'names-role' : 'identity';
  }
  if (p.kind === 'account') return p.accountId === caller.accountId ? 'identity' : undefined;
  if (p.kind === 'wildcard') return isUnrestrictedPublic(grant) ? 'identity' : undefined;
  return undefined;
}

const NO: AccessVerdict = { allowed: false, conditional: false };

export type AskAssume = (admission: TrustAdmission) => AccessVerdict | undefined;

/**
 * The best verdict over the role's grants: allowed unconditionally if some grant admits it so, else
 * conditionally, else not. `ask` is the policy engine's answer for the caller (undefined: it failed, no hop).
 */
export function mayAssumeRole(grants: readonly TrustGrant[], caller: AssumeCaller, targetAccount: string, ask: AskAssume): AccessVerdict {
  let best = NO;
  // Asked for every pair of roles: no allocation unless some grant admits the caller.
  let asked: Partial<Record<TrustAdmission, AccessVerdict | null>> | undefined;
  for (const grant of grants) {
    const admission = trustAdmission(grant, caller, targetAccount);
    if (!admission) continue;
    asked ??= {};
    let verdict = asked[admission];
    if (verdict === undefined) asked[admission] = verdict = ask(admission) ?? null;
    if (!verdict?.allowed) continue;
    if (!verdict.conditional) return verdict;
    best = verdict;
  }
  return best;
}
