/**
 * Condition operators, decomposed into what decides whether a condition narrows access: the set qualifier
 * (ForAnyValue:/ForAllValues:), the base operator, negation, pattern matching and the IfExists suffix, and
 * from those whether a request without the key passes.
 */
import { BlockList, isIP } from 'node:net';
import { globMatch } from '../permissions/glob.js';
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

/*
 * Evaluation. Every rule that asks whether a condition holds asks here: the trust side (grants, guards,
 * Deny statements) with ConditionTests, the permissions engine through evaluateConditionBlock.
 */

export type Outcome = 'true' | 'false' | 'unknown';

/**
 * What the analysis knows of a key when it evaluates: that the request cannot carry it, its values, or
 * (for times it knows only within bounds, such as aws:TokenIssueTime) the range the value lies in.
 */
export type KnownValue =
  | { kind: 'absent' }
  | { kind: 'values'; values: readonly string[] }
  /** Epoch milliseconds, both ends inclusive; `maybeAbsent` when the request may also lack the key. */
  | { kind: 'time-range'; from: number; to: number; maybeAbsent?: boolean }
  /**
   * Present or absent, but certainly none of these values: the aws:PrincipalOrgID of a caller whose account
   * lies outside the organization is not the organization's id, whatever organization it belongs to.
   */
  | { kind: 'other-than'; values: readonly string[] }
  /**
   * Present or absent, but certainly no value starting with these: the aws:PrincipalOrgPaths of a caller
   * outside the organization never begins with the organization's id.
   */
  | { kind: 'other-than-prefix'; prefixes: readonly string[] }
  /**
   * Present, with a value of this shape (a glob) and nothing more known: a role session's aws:userid is
   * "AROA…:<session name>", an IAM user's "AIDA…". `form` says it in words for evidence.
   */
  | { kind: 'shape'; pattern: string; form: string };

/** Lower-cased key -> what is known of it. */
export type KnownKeys = ReadonlyMap<string, KnownValue>;

/** The longest-lived STS credentials (GetSessionToken) last 36 hours: a live session was issued at most that long ago. */
export const MAX_SESSION_AGE_MS = 36 * 3_600_000;

export interface EvaluationFacts {
  now?: Date;
  /** The account whose resource is being accessed (aws:ResourceAccount): for a trust policy, the role's own. */
  resourceAccount?: string;
  /** Which kind of caller is asking: decides keys such as aws:MultiFactorAuthPresent and aws:PrincipalIsAWSService. */
  caller?: 'aws' | 'service' | 'web-identity' | 'saml' | 'any';
  /**
   * The caller certainly signs with temporary credentials (a role session), so aws:TokenIssueTime is
   * present; long-term access keys carry none.
   */
  session?: boolean;
  /** The caller's own ARN, when the question is about one principal (a role's permission summary). */
  principalArn?: string;
  /**
   * The caller is certainly a role session: IAM puts aws:username only in IAM users' requests, so a
   * ${aws:username} variable resolves to nothing and a test on the key sees it absent.
   */
  roleSession?: boolean;
}

/**
 * The keys whose value the analysis knows at evaluation time. Services and federated callers never carry
 * MFA keys (web identity and SAML assertions have no IAM MFA context), so their absence is known; for IAM
 * callers MFA depends on the session and stays unknown.
 */
export function knownKeys(facts: EvaluationFacts): Map<string, KnownValue> {
  const known = new Map<string, KnownValue>();
  if (facts.now) {
    const ms = facts.now.getTime();
    known.set('aws:currenttime', { kind: 'values', values: [facts.now.toISOString()] });
    known.set('aws:epochtime', { kind: 'values', values: [String(Math.floor(ms / 1000))] });
    // Web identity and SAML requests are not signed with credentials at all, so they carry no token time.
    if (facts.caller === 'web-identity' || facts.caller === 'saml') known.set('aws:tokenissuetime', { kind: 'absent' });
    else known.set('aws:tokenissuetime', { kind: 'time-range', from: ms - MAX_SESSION_AGE_MS, to: ms, ...(facts.session ? {} : { maybeAbsent: true }) });
  }
  if (facts.resourceAccount) known.set('aws:resourceaccount', { kind: 'values', values: [facts.resourceAccount] });
  if (facts.principalArn) {
    // A role session's aws:PrincipalArn is the role's ARN, not the session's.
    known.set('aws:principalarn', { kind: 'values', values: [facts.principalArn] });
    const account = facts.principalArn.split(':')[4];
    if (account) known.set('aws:principalaccount', { kind: 'values', values: [account] });
  }
  if (facts.roleSession) {
    known.set('aws:username', { kind: 'absent' });
    // AWS's unique-id prefixes: a role's id starts with AROA, and a session's aws:userid is "<role id>:<session name>".
    known.set('aws:userid', { kind: 'shape', pattern: 'AROA*:*', form: 'role-id:session-name (AROA…:…)' });
  }
  if (facts.caller && facts.caller !== 'any') {
    known.set('aws:principalisawsservice', { kind: 'values', values: [facts.caller === 'service' ? 'true' : 'false'] });
    if (facts.caller !== 'aws') {
      known.set('aws:multifactorauthpresent', { kind: 'absent' });
      known.set('aws:multifactorauthage', { kind: 'absent' });
    }
  }
  return known;
}

const POLICY_VARIABLE = /\$\{[^}]*\}/g;

/**
 * The keys of the policy variables in a value that have no default: "home/${aws:username}/*" names
 * aws:username, "${aws:username, 'shared'}" names nothing (the default stands in), and the escapes
 * ${*}, ${?} and ${$} are characters.
 */
export function variablesWithoutDefault(value: string): string[] {
  const keys: string[] = [];
  for (const variable of value.match(POLICY_VARIABLE) ?? []) {
    const inner = variable.slice(2, -1);
    if (inner === '$' || inner === '?' || inner === '*' || inner.includes(',')) continue;
    keys.push(inner.trim().toLowerCase());
  }
  return keys;
}

/**
 * A value with its policy variables filled in from what is known: a key with one known value, the default
 * of a key known absent ("${aws:username, 'ci'}"), the escapes ${*}, ${?} and ${$}. Undefined when some
 * variable depends on what the request carries.
 */
export function resolveVariables(value: string, all?: KnownKeys): string | undefined {
  if (!value.includes('${')) return value;
  let unresolved = false;
  const out = value.replace(POLICY_VARIABLE, (variable) => {
    const inner = variable.slice(2, -1);
    if (inner === '*' || inner === '?' || inner === '$') return inner;
    const comma = inner.indexOf(',');
    const key = (comma < 0 ? inner : inner.slice(0, comma)).trim().toLowerCase();
    const fallback = comma < 0 ? undefined : inner.slice(comma + 1).trim().replace(/^'(.*)'$/, '$1');
    const known = all?.get(key);
    if (known?.kind === 'values' && known.values.length === 1 && known.values[0] !== undefined) return known.values[0];
    if (known?.kind === 'absent' && fallback !== undefined) return fallback;
    unresolved = true;
    return variable;
  });
  return unresolved ? undefined : out;
}

/** Variables of a test's values that the request certainly lacks, as written in the policy (lower-cased keys). */
export function missingVariables(test: ConditionTest, all: KnownKeys): string[] {
  const missing = new Set<string>();
  for (const value of test.values) for (const key of variablesWithoutDefault(value)) if (all.get(key)?.kind === 'absent') missing.add(key);
  return [...missing];
}

/**
 * The outcome of one test given what is known of its key; unknown keys leave it open. With every known
 * key at hand (`all`), a value built on a variable the request lacks is dropped: IAM gives such a variable
 * no value, so "there is no equal or like value" and the value matches nothing (AWS, "IAM policy elements:
 * variables and tags", policy variables with no value). Only positive operators are decided that way; what a
 * negated operator makes of a value that is not there is not documented, so those stay as written.
 */
export function evaluateTest(test: ConditionTest, known: KnownValue | undefined, all?: KnownKeys): Outcome {
  if (all && !test.negated && test.family !== 'null' && test.family !== 'unknown') {
    const live = test.values.filter((v) => variablesWithoutDefault(v).every((key) => all.get(key)?.kind !== 'absent'));
    if (live.length < test.values.length) {
      if (live.length > 0) return evaluateTest({ ...test, values: live }, known, all);
      // No value can match a present key; an absent one passes only where the operator lets absence pass.
      const maybeAbsent = known === undefined || known.kind === 'absent' || known.kind === 'other-than' || known.kind === 'other-than-prefix' || (known.kind === 'time-range' && known.maybeAbsent === true);
      if (known?.kind === 'absent') return test.absentPasses ? 'true' : 'false';
      return test.absentPasses && maybeAbsent ? 'unknown' : 'false';
    }
  }
  if (known?.kind !== 'absent' && test.family !== 'null' && test.values.some((v) => v.includes('${'))) {
    // A value built on a variable is compared after substitution; one whose variable the analysis cannot
    // fill is not the literal text, so only an outcome the other values settle on their own is decided.
    const resolved = test.values.map((v) => resolveVariables(v, all));
    const settled = resolved.filter((v): v is string => v !== undefined);
    if (settled.length === resolved.length) return evaluateTest({ ...test, values: settled }, known);
    const partial = settled.length > 0 ? evaluateTest({ ...test, values: settled }, known) : 'unknown';
    if (!test.negated && partial === 'true') return 'true';
    if (test.negated && partial === 'false') return 'false';
    return 'unknown';
  }
  if (test.family === 'unknown' || known === undefined) return valueFreeOutcome(test);
  if (known.kind === 'absent') return test.absentPasses ? 'true' : 'false';
  if (known.kind === 'other-than') return evaluateOtherThan(test, known.values);
  if (known.kind === 'other-than-prefix') return evaluateOtherThanPrefix(test, known.prefixes);
  if (known.kind === 'shape') return evaluateShape(test, known.pattern);
  if (known.kind === 'time-range' && known.maybeAbsent) {
    // Decided only where a request with the key and one without give the same answer.
    const present = evaluateTest(test, { kind: 'time-range', from: known.from, to: known.to });
    const absent: Outcome = test.absentPasses ? 'true' : 'false';
    return present === absent ? present : 'unknown';
  }
  if (test.family === 'null') return test.values.includes('false') ? 'true' : test.values.includes('true') ? 'false' : 'unknown';
  if (known.kind === 'time-range') return evaluateRange(test, known.from, known.to);
  return evaluateValues(test, known.values);
}

/** All tests must hold (IAM ANDs operators and keys): one false decides, unknowns keep it open. */
export function evaluateTests(tests: readonly ConditionTest[], known: KnownKeys): Outcome {
  let outcome: Outcome = 'true';
  for (const test of tests) {
    const one = evaluateTest(test, known.get(test.keyLower), known);
    if (one === 'false') return 'false';
    if (one === 'unknown') outcome = 'unknown';
  }
  return outcome;
}

/** The same over a Condition block as written (operator -> key -> values). */
export function evaluateConditionBlock(block: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>, known: KnownKeys): Outcome {
  const tests: ConditionTest[] = [];
  for (const [operator, entries] of Object.entries(block)) {
    for (const [key, values] of Object.entries(entries)) tests.push(conditionTest({ operator, key, values: [...values] }));
  }
  return evaluateTests(tests, known);
}

/**
 * Without the key's value some tests are still decided: a pattern "*" matches every value the request can
 * carry, and a value no request can carry (a malformed date or number, a Bool that is neither true nor
 * false) never matches. Presence stays unknown, so these answer only where absence gives the same answer.
 */
function valueFreeOutcome(test: ConditionTest): Outcome {
  if (test.family === 'unknown' || test.family === 'null') return 'unknown';
  const matchesAll = (test.like && test.values.some((v) => /^\*+$/.test(v))) || (test.family === 'ip' && cidrsCoverEverything(test.values));
  const matchesNone = test.values.every((v) => parseValue(test.family, v) === undefined || impossibleValue(test.keyLower, v, test.like));
  let present: Outcome = 'unknown';
  if (test.set !== 'ForAllValues' && test.set !== 'ForAnyValue') {
    if (matchesAll) present = test.negated ? 'false' : 'true';
    else if (matchesNone) present = test.negated ? 'true' : 'false';
  }
  if (present === 'unknown') return 'unknown';
  const absent: Outcome = test.absentPasses ? 'true' : 'false';
  return present === absent ? present : 'unknown';
}

/**
 * A key known only to differ from some values decides exact tests that name nothing but those values:
 * StringEquals on them fails whether or not the key is present, StringNotEquals holds either way.
 */
function evaluateOtherThan(test: ConditionTest, excluded: readonly string[]): Outcome {
  if (test.set || test.family !== 'string' || test.values.length === 0) return 'unknown';
  const ignoreCase = /IgnoreCase$/.test(test.base);
  const named = test.values.every((v) => !(test.like && /[*?]/.test(v)) && excluded.some((e) => (ignoreCase ? e.toLowerCase() === v.toLowerCase() : e === v)));
  if (!named) return 'unknown';
  const present: Outcome = test.negated ? 'true' : 'false';
  const absent: Outcome = test.absentPasses ? 'true' : 'false';
  return present === absent ? present : 'unknown';
}

/**
 * A key known to be present with a value of some shape decides string tests whose every value cannot be of
 * that shape: a literal value the shape does not match, or a pattern whose literal start contradicts the
 * shape's ("AIDA*" against a role session's "AROA*:*"). Anything subtler stays open.
 */
function evaluateShape(test: ConditionTest, pattern: string): Outcome {
  if (test.family === 'null') return test.values.includes('false') ? 'true' : test.values.includes('true') ? 'false' : 'unknown';
  if (test.family !== 'string' || test.values.length === 0 || test.set === 'ForAllValues') return 'unknown';
  const ignoreCase = /IgnoreCase$/.test(test.base);
  const fold = (v: string): string => (ignoreCase ? v.toLowerCase() : v);
  const shape = fold(pattern);
  const shapeStart = shape.split(/[*?]/)[0] ?? '';
  const impossible = test.values.every((raw) => {
    if (raw.includes('${')) return false;
    const value = fold(raw);
    if (!test.like || !/[*?]/.test(value)) return !globMatch(shape, value);
    const start = value.split(/[*?]/)[0] ?? '';
    return !start.startsWith(shapeStart) && !shapeStart.startsWith(start);
  });
  if (!impossible) return 'unknown';
  return test.negated ? 'true' : 'false';
}

/**
 * A key known never to start with some prefixes decides tests whose every value starts with one of them
 * (for a pattern, its literal part before the first wildcard): "o-own/*" can never match a foreign path.
 */
function evaluateOtherThanPrefix(test: ConditionTest, prefixes: readonly string[]): Outcome {
  if (test.family !== 'string' || test.values.length === 0) return 'unknown';
  const ignoreCase = /IgnoreCase$/.test(test.base);
  const fold = (v: string): string => (ignoreCase ? v.toLowerCase() : v);
  const literal = (v: string): string => (test.like ? (v.split(/[*?]/)[0] ?? '') : v);
  const excluded = test.values.every((v) => prefixes.some((p) => fold(literal(v)).startsWith(fold(p))));
  if (!excluded) return 'unknown';
  const present: Outcome = test.negated ? 'true' : 'false';
  const absent: Outcome = test.absentPasses ? 'true' : 'false';
  return present === absent ? present : 'unknown';
}

/**
 * Values a key can never carry, whatever the caller: STS accepts an external id of 2 to 1,224 characters
 * from [\w+=,.@:/-] (AssumeRole's ExternalId parameter), so a trust pinned to any other value admits nobody.
 */
const IMPOSSIBLE_VALUES: Readonly<Record<string, (value: string, like: boolean) => boolean>> = {
  'sts:externalid': (value, like) => {
    if (!like || !/[*?]/.test(value)) return value.length < 2 || value.length > 1224 || !/^[\w+=,.@:/-]+$/.test(value);
    // A pattern needs at least its literal characters; one that needs more than STS allows, or a character it refuses, matches nothing.
    const literal = value.replace(/\*/g, '');
    return literal.length > 1224 || !/^[\w+=,.@:/?-]*$/.test(literal);
  },
};

/** Whether no request can carry a value matching this policy value, for keys whose values STS or IAM constrain. */
export function impossibleValue(keyLower: string, value: string, like: boolean): boolean {
  return IMPOSSIBLE_VALUES[keyLower]?.(value, like) ?? false;
}

type Parsed = string | number;

function parseValue(family: OperatorFamily, value: string): Parsed | undefined {
  switch (family) {
    case 'numeric': {
      const n = value.trim() === '' ? Number.NaN : Number(value);
      return Number.isFinite(n) ? n : undefined;
    }
    case 'date':
      return parseDate(value);
    case 'bool': {
      const lower = value.toLowerCase();
      return lower === 'true' || lower === 'false' ? lower : undefined;
    }
    case 'ip':
      return parseCidr(value) ? value : undefined;
    default:
      return value;
  }
}

/** Date condition values are ISO 8601 or epoch seconds. */
export function parseDate(value: string): number | undefined {
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  if (!/^\d{4}-\d{2}-\d{2}/.test(value.trim())) return undefined;
  const ms = Date.parse(value.trim());
  return Number.isNaN(ms) ? undefined : ms;
}

/** Whether one request value satisfies the positive form of the base operator for one policy value. */
function matchOne(base: string, family: OperatorFamily, requestValue: string, policyValue: string): boolean | undefined {
  switch (family) {
    case 'string': {
      if (base.startsWith('StringEqualsIgnoreCase') || base === 'StringNotEqualsIgnoreCase') {
        return requestValue.toLowerCase() === policyValue.toLowerCase();
      }
      // Only the *Like operators expand wildcards; StringEquals compares "*" as the character.
      return base === 'StringLike' || base === 'StringNotLike' ? globMatch(policyValue, requestValue) : requestValue === policyValue;
    }
    case 'arn':
      return arnMatch(policyValue, requestValue);
    case 'binary':
      return requestValue === policyValue;
    case 'bool':
      return requestValue.toLowerCase() === policyValue.toLowerCase();
    case 'ip': {
      const cidr = parseCidr(policyValue);
      return cidr ? cidrContains(cidr, requestValue) : false;
    }
    case 'numeric':
    case 'date': {
      const a = parseValue(family, requestValue);
      const b = parseValue(family, policyValue);
      if (typeof a !== 'number') return undefined;
      if (typeof b !== 'number') return false; // IAM matches nothing against a malformed policy value
      return compareNumbers(base, a, b);
    }
    default:
      return undefined;
  }
}

function compareNumbers(base: string, a: number, b: number): boolean {
  const op = base.replace(/^(Numeric|Date)/, '');
  switch (op) {
    case 'Equals':
    case 'NotEquals':
      return a === b;
    case 'LessThan':
      return a < b;
    case 'LessThanEquals':
      return a <= b;
    case 'GreaterThan':
      return a > b;
    default:
      return a >= b;
  }
}

/** One request value against all policy values: positive operators need one match, negated ones none. */
function valueOutcome(test: ConditionTest, requestValue: string): Outcome {
  let any = false;
  let unknown = false;
  for (const policyValue of test.values) {
    const m = matchOne(test.base, test.family, requestValue, policyValue);
    if (m === undefined) unknown = true;
    else if (m) any = true;
  }
  if (!any && unknown) return 'unknown';
  // Negated operators (StringNotEquals, NotIpAddress, DateNotEquals...) hold when no policy value matches.
  return (test.negated ? !any : any) ? 'true' : 'false';
}

function evaluateValues(test: ConditionTest, values: readonly string[]): Outcome {
  const outcomes = values.map((v) => valueOutcome(test, v));
  if (test.set === 'ForAllValues') {
    // Every value must satisfy the test; an empty set satisfies it vacuously.
    if (outcomes.includes('false')) return 'false';
    return outcomes.includes('unknown') ? 'unknown' : 'true';
  }
  if (values.length === 0) return test.absentPasses ? 'true' : 'false';
  if (outcomes.includes('true')) return 'true';
  return outcomes.includes('unknown') ? 'unknown' : 'false';
}

/** A time known only within [from, to]: decided when both ends give the same answer. */
function evaluateRange(test: ConditionTest, from: number, to: number): Outcome {
  if (test.family !== 'date' && test.family !== 'numeric') return 'unknown';
  const asValue = (ms: number): string => (test.family === 'numeric' ? String(Math.floor(ms / 1000)) : new Date(ms).toISOString());
  const low = evaluateValues(test, [asValue(from)]);
  const high = evaluateValues(test, [asValue(to)]);
  if (/Equals$/.test(test.base) && !/(Less|Greater)ThanEquals$/.test(test.base)) {
    // Equality is not monotone: it is decided only when no policy value falls inside the range.
    const inside = test.values.some((v) => {
      const ms = test.family === 'numeric' ? Number(v) * 1000 : parseDate(v);
      return ms !== undefined && ms >= from && ms <= to;
    });
    return inside ? 'unknown' : low;
  }
  return low === high ? low : 'unknown';
}

/** IAM matches each of the six colon-separated ARN fields on its own: a wildcard never spans a colon. */
export function arnMatch(pattern: string, arn: string): boolean {
  const split = (value: string): string[] => {
    const parts = value.split(':');
    return parts.length <= 6 ? parts : [...parts.slice(0, 5), parts.slice(5).join(':')];
  };
  const p = split(pattern);
  const a = split(arn);
  if (p.length === 1 && p[0] !== undefined && /^\*+$/.test(p[0])) return true;
  if (p.length !== 6 || a.length !== 6) return false;
  return p.every((field, i) => globMatch(field, a[i] ?? ''));
}

interface Cidr {
  type: 'ipv4' | 'ipv6';
  address: string;
  prefix: number;
}

function parseCidr(value: string): Cidr | undefined {
  const [address = '', prefixText] = value.trim().split('/');
  const version = isIP(address);
  if (version === 0) return undefined;
  const max = version === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) return undefined;
  return { type: version === 4 ? 'ipv4' : 'ipv6', address, prefix };
}

function cidrContains(cidr: Cidr, address: string): boolean {
  const version = isIP(address);
  if (version === 0) return false;
  const list = new BlockList();
  list.addSubnet(cidr.address, cidr.prefix, cidr.type);
  return list.check(address, version === 4 ? 'ipv4' : 'ipv6');
}

/** Whether an IP test's ranges admit every address (0.0.0.0/0 together with ::/0, or either for its family). */
export function cidrsCoverEverything(values: readonly string[]): boolean {
  const cidrs = values.map(parseCidr).filter((c): c is Cidr => c !== undefined && c.prefix === 0);
  return cidrs.some((c) => c.type === 'ipv4') && cidrs.some((c) => c.type === 'ipv6');
}
