/**
 * Whether a caller may assume a role through one of the role's trust grants: the one place the analysis
 * decides it (the reach graph and the escalation targets both ask here). The trust decides how much the
 * caller's own policies must say (TrustAdmission); the policy engine answers, telling an explicit Deny from
 * a missing Allow, so a same-account trust naming the caller is a hop unless a Deny (or, for a role, its
 * boundary) stops it, and a trust naming only the account root needs the caller's identity Allow.
 */
import type { AccessVerdict, TrustAdmission } from '../engine.js';
import type { TrustGrant } from '../../model/review.js';
import { conditionOf } from '../trust/guard-condition.js';
import { isUnrestrictedPublic } from '../trust/exposure.js';
import { ASSUME_ROLE } from './actions.js';
import { roleNameFromArn } from './arn.js';
import { evaluateTest, knownKeys, type KnownKeys, type Outcome } from './conditions.js';

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

/** What is known of the callers the analysis itself names: roles of the review, or IAM users a trust names. */
export interface CallerFacts {
  now?: Date;
  /** The organization every reviewed account belongs to: its roles carry this aws:PrincipalOrgID. */
  organizationId?: string;
  /** An IAM user signs with long-term keys or a session; a role's caller is always a role session. */
  kind?: 'role' | 'user';
}

/**
 * Whether the grant's own conditions (its Condition block and what Deny statements made of guards) let this
 * caller in: 'false' when they certainly shut it out (an aws:PrincipalArn naming another role), 'unknown'
 * when they depend on the request (an external id, MFA, a session tag), 'true' when they certainly hold or
 * there are none. Guards judged ineffective narrow nothing and are passed over, but a conditional Deny
 * too entangled to read as one guard leaves the answer undecided.
 */
export function trustConditionFor(grant: TrustGrant, caller: AssumeCaller, targetAccount: string, facts: CallerFacts = {}): Outcome {
  if (grant.guards.length === 0) return 'true';
  let known: KnownKeys | undefined;
  let outcome: Outcome = 'true';
  for (const guard of grant.guards) {
    const condition = conditionOf(guard);
    if (condition?.kind === 'opaque-deny') {
      outcome = 'unknown';
      continue;
    }
    if (!guard.effective) continue;
    // A guard without the trust analysis's judgement (a copy) or with no testable condition (a Deny's
    // NotPrincipal) is undecided: its evidence alone could read as the opposite of what IAM enforces.
    if (condition?.kind !== 'test') {
      outcome = 'unknown';
      continue;
    }
    known ??= callerKeys(caller, targetAccount, facts);
    const one = evaluateTest(condition.test, known.get(condition.test.keyLower), known);
    if (one === 'false') return 'false';
    if (one === 'unknown') outcome = 'unknown';
  }
  return outcome;
}

function callerKeys(caller: AssumeCaller, targetAccount: string, facts: CallerFacts): KnownKeys {
  const role = facts.kind !== 'user';
  const known = knownKeys({
    ...(facts.now ? { now: facts.now } : {}),
    resourceAccount: targetAccount,
    caller: 'aws',
    principalArn: caller.arn,
    ...(role ? { session: true, roleSession: true } : {}),
  });
  if (facts.organizationId) known.set('aws:principalorgid', { kind: 'values', values: [facts.organizationId] });
  return known;
}

const NO: AccessVerdict = { allowed: false, conditional: false };

export type AskAssume = (admission: TrustAdmission) => AccessVerdict | undefined;

/**
 * The best verdict over the role's grants: allowed unconditionally if some grant admits it so, else
 * conditionally, else not. `ask` is the policy engine's answer for the caller (undefined: it failed, no hop).
 */
export function mayAssumeRole(grants: readonly TrustGrant[], caller: AssumeCaller, targetAccount: string, ask: AskAssume, facts: CallerFacts = {}): AccessVerdict {
  let best = NO;
  // Asked for every pair of roles: no allocation unless some grant admits the caller.
  let asked: Partial<Record<TrustAdmission, AccessVerdict | null>> | undefined;
  for (const grant of grants) {
    const admission = trustAdmission(grant, caller, targetAccount);
    if (!admission) continue;
    const condition = trustConditionFor(grant, caller, targetAccount, facts);
    if (condition === 'false') continue;
    asked ??= {};
    let verdict = asked[admission];
    if (verdict === undefined) asked[admission] = verdict = ask(admission) ?? null;
    if (!verdict?.allowed) continue;
    if (!verdict.conditional && condition === 'true') return verdict;
    best = { allowed: true, conditional: true };
  }
  return best;
}
