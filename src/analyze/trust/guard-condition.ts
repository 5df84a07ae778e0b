/**
 * What the trust engine tests of a guard for each caller, kept beside the guard by the trust analysis that
 * judged it. The engine must not rebuild a condition from the guard's evidence: a Deny-derived guard keeps
 * the Deny's operator as written, and only its note (prose, free to be reworded) said it had to be negated.
 *
 * The condition rides on the guard object as a non-enumerable symbol property, so it is not part of the
 * review: JSON.stringify (review.json), structuredClone, object spread and vitest's equality all skip it.
 * A copy therefore carries it only when the copier passes it on (bound-evidence does); a guard read back
 * from JSON has none, and the engine treats such a guard as undecided rather than guess.
 */
import type { Guard } from '../../model/review.js';
import type { ConditionTest } from '../policy/conditions.js';

export type GuardCondition =
  /** The condition a request must meet to get in: as written for an Allow, already negated for a Deny. */
  | { kind: 'test'; test: ConditionTest }
  /**
   * One condition of a conditional Deny too entangled to read as a guard (a set operator, or one of
   * several conditions that must all hold): narrows nothing on its own, yet leaves every caller undecided.
   */
  | { kind: 'opaque-deny' }
  /** No condition IAM evaluates as written (a Deny's NotPrincipal): it narrows by principal, undecided per caller. */
  | { kind: 'undecided' };

const CONDITION: unique symbol = Symbol('access-review.guard-condition');

type Judged = { readonly [CONDITION]?: GuardCondition };

/** Attaches the judged condition to a guard the trust analysis has just made; returns the same guard. */
export function withCondition<G extends Guard>(guard: G, condition: GuardCondition): G {
  Object.defineProperty(guard, CONDITION, { value: condition, enumerable: false, writable: false, configurable: false });
  return guard;
}

/** The condition the trust analysis judged for this guard; undefined for a guard it did not make (a copy). */
export function conditionOf(guard: Guard): GuardCondition | undefined {
  return (guard as Judged)[CONDITION];
}
