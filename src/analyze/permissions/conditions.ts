/**
 * Partial evaluation of a Condition block against the few request-context keys a question pins down, such
 * as iam:PassedToService when asking whether a role can be passed to EC2. Every other key is unknown, so a
 * statement that tests it stays conditional: the analysis never assumes a condition is met or unmet.
 */
import { globMatch } from './glob.js';
import type { ConditionBlock, RequestContext } from './types.js';

export type ConditionOutcome = 'true' | 'false' | 'unknown';

type StringTest = (value: string, patterns: readonly string[]) => boolean;

const STRING_TESTS: Record<string, StringTest> = {
  stringequals: (v, ps) => ps.includes(v),
  stringnotequals: (v, ps) => !ps.includes(v),
  stringequalsignorecase: (v, ps) => ps.some((p) => p.toLowerCase() === v.toLowerCase()),
  stringnotequalsignorecase: (v, ps) => !ps.some((p) => p.toLowerCase() === v.toLowerCase()),
  stringlike: (v, ps) => ps.some((p) => globMatch(p, v)),
  stringnotlike: (v, ps) => !ps.some((p) => globMatch(p, v)),
};

/**
 * The outcome of one operator/key entry when the key's value is known. Set operators reduce to the base
 * test for a single-valued key; IfExists changes nothing when the key is present.
 */
function evaluateEntry(operator: string, value: string, patterns: readonly string[]): ConditionOutcome {
  let base = operator.toLowerCase();
  base = base.replace(/^for(any|all)value:/, '');
  base = base.replace(/ifexists$/, '');
  const test = STRING_TESTS[base];
  if (!test) return 'unknown';
  return test(value, patterns) ? 'true' : 'false';
}

/** All entries must hold (IAM ANDs operators and keys); one false entry decides, unknowns keep it open. */
export function evaluateConditions(block: ConditionBlock, context: RequestContext): ConditionOutcome {
  let outcome: ConditionOutcome = 'true';
  for (const [operator, entries] of Object.entries(block)) {
    for (const [key, patterns] of Object.entries(entries)) {
      const value = context[key.toLowerCase()];
      const entry = value === undefined ? 'unknown' : evaluateEntry(operator, value, patterns);
      if (entry === 'false') return 'false';
      if (entry === 'unknown') outcome = 'unknown';
    }
  }
  return outcome;
}

/** Condition keys used in a block, as written, for evidence. */
export function conditionKeys(block: ConditionBlock): string[] {
  const keys = new Set<string>();
  for (const entries of Object.values(block)) for (const key of Object.keys(entries)) keys.add(key);
  return [...keys].sort();
}
