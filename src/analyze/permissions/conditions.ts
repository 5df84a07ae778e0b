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
  missingVariables,
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
  /** Allow statements no caller can satisfy: every Resource names a variable the caller never carries. */
  dead: { statement: ParsedStatement; reason: string }[];
}

/**
 * Drops the Resource patterns whose variables the caller never carries (IAM matches nothing there); the
 * statement is dead when none is left.
 */
function withoutUnresolvable(statement: ParsedStatement, known: KnownKeys): { statement?: ParsedStatement; reason?: string } {
  const perPattern = statement.resourceVariables;
  if (!perPattern || statement.resources.negated) return { statement };
  const missing = perPattern.map((keys) => keys.find((key) => known.get(key)?.kind === 'absent'));
  if (missing.every((m) => m === undefined)) return { statement };
  const patterns = statement.resources.patterns.filter((_, i) => missing[i] === undefined);
  const keys = [...new Set(missing.filter((m): m is string => m !== undefined))];
  const reason = `its Resource uses \${${keys.join('}, ${')}}, which a role session never carries, so IAM matches no resource there`;
  if (patterns.length === 0) return { reason };
  return { statement: { ...statement, resources: { negated: false, patterns }, resourceVariables: perPattern.filter((_, i) => missing[i] === undefined) }, reason };
}

/** Far enough ahead that no review will reach it: a time test false now and then is false for good. */
const END_OF_TIME_MS = Date.UTC(9999, 11, 31, 23, 59, 59);

/**
 * Why a time test that fails at review time can never hold again (an aws:CurrentTime window that closed, no
 * live session issued before a date); undefined when it may still open (DateGreaterThan a future date is a
 * grant not yet in force, not a dead one) or the key is not a clock.
 */
function closedWindow(test: ConditionTest, known: KnownKeys): string | undefined {
  const now = known.get('aws:currenttime');
  const at = now?.kind === 'values' ? now.values[0] : undefined;
  if (at === undefined) return undefined;
  const written = `${test.key} ${test.operator} ${test.writtenValues.join(', ')}`;
  let later: KnownValue;
  let reason: string;
  if (test.keyLower === 'aws:currenttime') {
    later = { kind: 'values', values: [new Date(END_OF_TIME_MS).toISOString()] };
    reason = `its condition ${written} is a time window that had closed by the review (${at}), and time only moves on`;
  } else if (test.keyLower === 'aws:epochtime') {
    later = { kind: 'values', values: [String(Math.floor(END_OF_TIME_MS / 1000))] };
    reason = `its condition ${written} is a time window that had closed by the review (${at}), and time only moves on`;
  } else if (test.keyLower === 'aws:tokenissuetime') {
    const value = known.get(test.keyLower);
    if (value?.kind !== 'time-range') return undefined;
    later = { ...value, from: END_OF_TIME_MS - (value.to - value.from), to: END_OF_TIME_MS };
    reason = `its condition ${written} admits only sessions issued in a window that had closed by the review (${at}): no live session was, and none will be`;
  } else {
    return undefined;
  }
  const laterKnown = new Map(known).set(test.keyLower, later);
  return evaluateTest(test, later, laterKnown) === 'false' ? reason : undefined;
}

/**
 * Applies what is known at review time to each statement once, before any question is asked: a statement
 * whose condition can never hold (an Allow that expired) is dropped, and entries that always hold (an
 * aws:CurrentTime window that is open now) are removed, so they no longer make the answer conditional.
 */
export function resolveKnownConditions(statements: readonly ParsedStatement[], known: KnownKeys, label: (s: ParsedStatement) => string): ResolvedStatements {
  if (known.size === 0) return { statements: [...statements], notes: [], dead: [] };
  const out: ParsedStatement[] = [];
  const notes: string[] = [];
  const dead: ResolvedStatements['dead'] = [];
  for (const original of statements) {
    const resolved = withoutUnresolvable(original, known);
    if (!resolved.statement) {
      notes.push(`${label(original)} (${original.effect}) never applies: ${resolved.reason ?? ''}; it is not counted.`);
      if (original.effect === 'Allow') dead.push({ statement: original, reason: `${resolved.reason ?? ''}` });
      continue;
    }
    if (resolved.reason) notes.push(`${label(original)} (${original.effect}): some of its resources never match: ${resolved.reason}.`);
    const statement = resolved.statement;
    const decided: { test: ConditionTest; outcome: Outcome }[] = [];
    const block: ConditionBlock = {};
    for (const [operator, entries] of Object.entries(statement.conditions)) {
      for (const [key, values] of Object.entries(entries)) {
        const test = conditionTest({ operator, key, values });
        const value = known.get(test.keyLower);
        const outcome = value === undefined && missingVariables(test, known).length === 0 ? 'unknown' : evaluateTest(test, value, known);
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
      const missing = missingVariables(never.test, known);
      const neverKnown = known.get(never.test.keyLower);
      const callerReason =
        missing.length > 0
          ? undefined
          : neverKnown?.kind === 'shape'
            ? `its condition ${text(never)} tests ${never.test.key}, which for a role session has the form ${neverKnown.form}, so it never holds`
            : neverKnown?.kind === 'absent' && never.test.keyLower === 'aws:username'
              ? `its condition ${text(never)} tests aws:username, which a role session never carries, so it never holds`
              : undefined;
      if (callerReason) {
        // A key fixed by who calls, not by time: the statement can never work for this role, a dead grant.
        notes.push(`${label(statement)} (${statement.effect}) never applies: ${callerReason}; it is not counted.`);
        if (statement.effect === 'Allow') dead.push({ statement: original, reason: callerReason });
        continue;
      }
      if (missing.length > 0) {
        // A variable the caller never carries: the author meant a per-user grant, and it grants nothing.
        const reason = `its condition ${text(never)} uses \${${missing.join('}, ${')}}, which a role session never carries, so no value matches`;
        notes.push(`${label(statement)} (${statement.effect}) never applies: ${reason}; it is not counted.`);
        if (statement.effect === 'Allow') dead.push({ statement: original, reason });
        continue;
      }
      const closed = closedWindow(never.test, known);
      if (closed) {
        // A window that has closed never reopens: the grant is dead, not merely out of season.
        notes.push(`${label(statement)} (${statement.effect}) never applies: ${closed}; it is not counted.`);
        if (statement.effect === 'Allow') dead.push({ statement: original, reason: closed });
        continue;
      }
      notes.push(`${label(statement)} (${statement.effect}) does not apply at review time: its condition ${text(never)} cannot hold then, so it is not counted.`);
      continue;
    }
    notes.push(`${label(statement)} (${statement.effect}): ${decided.map(text).join(' and ')} always holds at review time, so it does not narrow the statement.`);
    out.push({ ...statement, conditions: block });
  }
  return { statements: out, notes, dead };
}
