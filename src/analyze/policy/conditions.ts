/**
 * Condition operators, decomposed into what decides whether a condition narrows access: the set qualifier
 * (ForAnyValue:/ForAllValues:), the base operator, negation, pattern matching and the IfExists suffix, and
 * from those whether a request without the key passes.
 */
import type { ConditionEntry } from './document.js';

export type OperatorFamily = 'string' | 'numeric' | 'date' | 'bool' | 'binary' | 'ip' | 'arn' | 'null' | 'unknown';

interface BaseOperator {
  name: string;
  family: OperatorFamily;
  /** Matches every value except those listed (StringNotEquals, ArnNotLike, NotIpAddress...). */
  negated: boolean;
  /** Values are patterns with * and ? (StringLike, ArnLike, and ArnEquals, which IAM also matches as a pattern). */
  like: boolean;
}

const BASE_OPERATORS: readonly BaseOperator[] = [
  { name: 'StringEquals', family: 'string', negated: false, like: false },
  { name: 'StringNotEquals', family: 'string', negated: true, like: false },
  { name: 'StringEqualsIgnoreCase', family: 'string', negated: false, like: false },
  { name: 'StringNotEqualsIgnoreCase', family: 'string', negated: true, like: false },
  { name: 'StringLike', family: 'string', negated: false, like: true },
  { name: 'StringNotLike', family: 'string', negated: true, like: true },
  { name: 'NumericEquals', family: 'numeric', negated: false, like: false },
  { name: 'NumericNotEquals', family: 'numeric', negated: true, like: false },
  { name: 'NumericLessThan', family: 'numeric', negated: false, like: false },
  { name: 'NumericLessThanEquals', family: 'numeric', negated: false, like: false },
  { name: 'NumericGreaterThan', family: 'numeric', negated: false, like: false },
  { name: 'NumericGreaterThanEquals', family: 'numeric', negated: false, like: false },
  { name: 'DateEquals', family: 'date', negated: false, like: false },
  { name: 'DateNotEquals', family: 'date', negated: true, like: false },
  { name: 'DateLessThan', family: 'date', negated: false, like: false },
  { name: 'DateLessThanEquals', family: 'date', negated: false, like: false },
  { name: 'DateGreaterThan', family: 'date', negated: false, like: false },
  { name: 'DateGreaterThanEquals', family: 'date', negated: false, like: false },
  { name: 'Bool', family: 'bool', negated: false, like: false },
  { name: 'BinaryEquals', family: 'binary', negated: false, like: false },
  { name: 'IpAddress', family: 'ip', negated: false, like: false },
  { name: 'NotIpAddress', family: 'ip', negated: true, like: false },
  { name: 'ArnEquals', family: 'arn', negated: false, like: true },
  { name: 'ArnLike', family: 'arn', negated: false, like: true },
  { name: 'ArnNotEquals', family: 'arn', negated: true, like: true },
  { name: 'ArnNotLike', family: 'arn', negated: true, like: true },
  { name: 'Null', family: 'null', negated: false, like: false },
];

const NEGATION: Record<string, string> = {
  StringEquals: 'StringNotEquals',
  StringEqualsIgnoreCase: 'StringNotEqualsIgnoreCase',
  StringLike: 'StringNotLike',
  NumericEquals: 'NumericNotEquals',
  DateEquals: 'DateNotEquals',
  IpAddress: 'NotIpAddress',
  ArnEquals: 'ArnNotEquals',
  ArnLike: 'ArnNotLike',
};

/** Comparisons negate into the opposite comparison, which is still a positive test. */
const COMPARISON_FLIP: Record<string, string> = {
  NumericLessThan: 'NumericGreaterThanEquals',
  NumericLessThanEquals: 'NumericGreaterThan',
  NumericGreaterThan: 'NumericLessThanEquals',
  NumericGreaterThanEquals: 'NumericLessThan',
  DateLessThan: 'DateGreaterThanEquals',
  DateLessThanEquals: 'DateGreaterThan',
  DateGreaterThan: 'DateLessThanEquals',
  DateGreaterThanEquals: 'DateLessThan',
};

export type SetQualifier = 'ForAnyValue' | 'ForAllValues';

/** One condition (operator + key + values) with its operator understood. */
export interface ConditionTest {
  operator: string;
  key: string;
  /** Condition keys are case-insensitive in IAM; compare on this. */
  keyLower: string;
  /** Values the test compares against (Bool and Null lower-cased; flipped when derived from a Deny). */
  values: string[];
  /** Values exactly as written in the policy, for evidence. */
  writtenValues: string[];
  base: string;
  family: OperatorFamily;
  negated: boolean;
  like: boolean;
  ifExists: boolean;
  set?: SetQualifier;
  /** Whether a request that lacks the key satisfies this condition. */
  absentPasses: boolean;
  /** Set when the test was derived from a Deny statement rather than written in the Allow. */
  fromDeny?: { statementIndex: number; label: string };
}

export function parseOperator(operator: string): {
  base: BaseOperator;
  ifExists: boolean;
  set?: SetQualifier;
} {
  let rest = operator.trim();
  let set: SetQualifier | undefined;
  const colon = rest.indexOf(':');
  if (colon >= 0) {
    const qualifier = rest.slice(0, colon).toLowerCase();
    if (qualifier === 'foranyvalue') set = 'ForAnyValue';
    else if (qualifier === 'forallvalues') set = 'ForAllValues';
    rest = rest.slice(colon + 1);
  }
  let ifExists = false;
  if (rest.toLowerCase().endsWith('ifexists')) {
    ifExists = true;
    rest = rest.slice(0, -'ifexists'.length);
  }
  const lower = rest.toLowerCase();
  const base = BASE_OPERATORS.find((op) => op.name.toLowerCase() === lower) ?? {
    name: rest,
    family: 'unknown' as const,
    negated: false,
    like: false,
  };
  return set ? { base, ifExists, set } : { base, ifExists };
}

export function conditionTest(entry: ConditionEntry): ConditionTest {
  const { base, ifExists, set } = parseOperator(entry.operator);
  const values = base.family === 'bool' || base.family === 'null' ? entry.values.map((v) => v.toLowerCase()) : entry.values;
  const test: ConditionTest = {
    operator: entry.operator,
    key: entry.key,
    keyLower: entry.key.toLowerCase(),
    values,
    writtenValues: entry.values,
    base: base.name,
    family: base.family,
    negated: base.negated,
    like: base.like,
    ifExists,
    absentPasses: false,
  };
  if (set) test.set = set;
  test.absentPasses = absentKeyPasses(test);
  return test;
}

/**
 * IAM evaluates a missing key as: no match for positive operators, a match for negated ones, a match for
 * ...IfExists, and a vacuous match for ForAllValues (the empty set). Null tests presence directly.
 */
function absentKeyPasses(test: Pick<ConditionTest, 'family' | 'ifExists' | 'set' | 'negated' | 'values'>): boolean {
  if (test.family === 'null') return test.values.includes('true');
  if (test.ifExists) return true;
  if (test.set === 'ForAllValues') return true;
  if (test.set === 'ForAnyValue') return false;
  return test.negated;
}

/**
 * The Allow-side reading of a one-condition Deny: "Deny unless C" is a guard requiring not-C. Returns
 * undefined for set operators, whose negation has no single-operator form.
 */
export function negateForDeny(test: ConditionTest, fromDeny: { statementIndex: number; label: string }): ConditionTest | undefined {
  if (test.set || test.family === 'unknown') return undefined;
  const negatedTest: ConditionTest = { ...test, fromDeny, absentPasses: !test.absentPasses };
  if (test.family === 'bool' || test.family === 'null') {
    negatedTest.values = test.values.map((v) => (v === 'true' ? 'false' : v === 'false' ? 'true' : v));
    negatedTest.negated = false;
    return negatedTest;
  }
  const flipped = COMPARISON_FLIP[test.base];
  if (flipped) {
    negatedTest.base = flipped;
    return negatedTest;
  }
  if (test.negated) {
    const positive = Object.entries(NEGATION).find(([, negative]) => negative === test.base)?.[0];
    negatedTest.base = positive ?? test.base;
    negatedTest.negated = false;
  } else {
    negatedTest.base = NEGATION[test.base] ?? test.base;
    negatedTest.negated = true;
  }
  return negatedTest;
}
