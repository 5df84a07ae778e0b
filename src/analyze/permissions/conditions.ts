/**
 * Conditions on the permissions side: the few request-context keys a question pins down (such as
 * iam:PassedToService when asking whether a role can be passed to EC2) and the keys known at review time
 * (aws:CurrentTime...). Every other key is unknown, so a statement that tests it stays conditional: the
 * analysis never assumes a condition is met or unmet. The evaluation itself is the one in
 * src/analyze/policy/conditions.ts, shared with the trust side.
 */
import {
  conditionTest,
  evaluateConditionBlock,
  evaluateTest,
  type ConditionTest,
  type KnownKeys,
  type KnownValue,
  type Outcome,
} from '../policy/conditions.js';
import type { ConditionBlock, ParsedStatement, RequestContext } from './types.js';

export type ConditionOutcome = Outcome;

function knownFrom(context: RequestContext): KnownKeys {
  const known = new Map<string, KnownValue>();
  for (const [key, value] of Object.entries(context)) known.set(key.toLowerCase(), { kind: 'values', values: [value] });
  return known;
}

/** All entries must hold (IAM ANDs operators and keys); one false entry decides, unknowns keep it open. */
export function evaluateConditions(block: ConditionBlock, context: RequestContext): ConditionOutcome {
  return evaluateConditionBlock(block, knownFrom(context));
}

/** Condition keys used in a block, as written, for evidence. */
export function conditionKeys(block: ConditionBlock): string[] {
  const keys = new Set<string>();
  for (const entries of Object.values(block)) for (const key of Object.keys(entries)) keys.add(key);
  return [...keys].sort();
}

export interface ResolvedStatements {
  statements: ParsedStatement[];
  /** One sentence per statement that a known key removed or simplified. */
  notes: string[];
}

/**
 * Applies what is known at review time to each statement once, before any question is asked: a statement
 * whose condition can never hold (an Allow that expired) is dropped, and entries that always hold (an
 * aws:CurrentTime window that is open now) are removed, so they no longer make the answer conditional.
 */
export function resolveKnownConditions(statements: readonly ParsedStatement[], known: KnownKeys, label: (s: ParsedStatement) => string): ResolvedStatements {
  if (known.size === 0) return { statements: [...statements], notes: [] };
  const out: ParsedStatement[] = [];
  const notes: string[] = [];
  for (const statement of statements) {
    const decided: { test: ConditionTest; outcome: Outcome }[] = [];
    const block: ConditionBlock = {};
    for (const [operator, entries] of Object.entries(statement.conditions)) {
      for (const [key, values] of Object.entries(entries)) {
        const test = conditionTest({ operator, key, values });
        const value = known.get(test.keyLower);
        const outcome = value === undefined ? 'unknown' : evaluateTest(test, value);
        if (outcome === 'unknown') (block[operator] ??= {})[key] = values;
        else decided.push({ test, outcome });
      }
    }
    if (decided.length === 0) {
      out.push(statement);
      continue;
    }
    const never = decided.find((d) => d.outcome === 'false');
    const text = (d: { test: ConditionTest }): string => `${d.test.key} ${d.test.operator} ${d.test.writtenValues.join(', ')}`;
    if (never) {
      notes.push(`${label(statement)} (${statement.effect}) never applies: its condition ${text(never)} cannot hold at review time, so it is not counted.`);
      continue;
    }
    notes.push(`${label(statement)} (${statement.effect}): ${decided.map(text).join(' and ')} always holds at review time, so it does not narrow the statement.`);
    out.push({ ...statement, conditions: block });
  }
  return { statements: out, notes };
}
