/**
 * Keeps the review linear in the size of what was collected. A statement's conditions are evidence for
 * every grant and every finding it produces, so one statement with 3,000 principals and a 3,000-value
 * condition would otherwise be copied 3,000 times (quadratic: hundreds of MB of JSON and HTML for a policy
 * of a few hundred KB). Rules have already judged every value when this runs; only what is repeated as
 * evidence is cut, each cut says how much it left out, and the statement in full stays in snapshot.json.
 */
import type { Evidence, Guard, Review, TrustGrant } from '../model/review.js';
import { conditionOf, withCondition } from './trust/guard-condition.js';

/** Values of one condition key kept per grant and per guard. */
export const MAX_CONDITION_VALUES = 25;
/** Characters kept of one evidence value. */
export const MAX_EVIDENCE_CHARS = 500;

function boundGuard(g: Guard): Guard {
  if (g.values.length <= MAX_CONDITION_VALUES) return g;
  const bounded: Guard = { ...g, values: g.values.slice(0, MAX_CONDITION_VALUES), valuesOmitted: g.values.length - MAX_CONDITION_VALUES };
  // The judged condition (every value) is not part of the review and a spread leaves it behind: keep it.
  const condition = conditionOf(g);
  return condition ? withCondition(bounded, condition) : bounded;
}

function boundConditions(grant: TrustGrant): TrustGrant {
  let omitted = 0;
  const conditions: TrustGrant['conditions'] = {};
  for (const [operator, keys] of Object.entries(grant.conditions)) {
    conditions[operator] = {};
    for (const [key, values] of Object.entries(keys)) {
      const list = Array.isArray(values) ? values : [String(values)];
      omitted += Math.max(0, list.length - MAX_CONDITION_VALUES);
      (conditions[operator] as Record<string, string[]>)[key] = list.slice(0, MAX_CONDITION_VALUES);
    }
  }
  const guards = grant.guards.map(boundGuard);
  if (omitted === 0 && guards.every((g, i) => g === grant.guards[i])) return grant;
  return { ...grant, guards, conditions, ...(omitted > 0 ? { conditionValuesOmitted: omitted } : {}) };
}

function boundEvidence(e: Evidence): Evidence {
  if (e.value.length <= MAX_EVIDENCE_CHARS) return e;
  const left = e.value.length - MAX_EVIDENCE_CHARS;
  return { ...e, value: `${e.value.slice(0, MAX_EVIDENCE_CHARS)}… (${left.toLocaleString('en-US')} more characters; the policy in full is in snapshot.json)` };
}

export function boundReview(review: Review): Review {
  return {
    ...review,
    accounts: review.accounts.map((a) => ({ ...a, roles: a.roles.map((r) => ({ ...r, trustGrants: r.trustGrants.map(boundConditions) })) })),
    findings: review.findings.map((f) => ({ ...f, evidence: f.evidence.map(boundEvidence) })),
  };
}
