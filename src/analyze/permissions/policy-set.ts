/**
 * A principal's parsed policies plus its optional permissions boundary, and the two ways to ask them a
 * question: by action name (one decision) or by catalogue position (the bulk pass of the summary).
 */
import type { ActionCatalog } from '../../model/action-catalog.js';
import { expandActionPattern, indexCatalog, type CatalogIndex } from './catalog-index.js';
import {
  combineWithBoundary,
  grantFrom,
  statementMatchesAction,
  type Grant,
  type Mode,
} from './evaluate.js';
import { resolveKnownConditions } from './conditions.js';
import { parsePolicies, parsePolicy } from './parse-policy.js';
import type { KnownKeys } from '../policy/conditions.js';
import type { ParsedStatement, PolicyInput, PolicyRef, RequestContext } from './types.js';

export interface PolicySet {
  index: CatalogIndex;
  inputs: readonly PolicyInput[];
  identity: ParsedStatement[];
  /** Boundary statements; undefined when there is no boundary or it could not be read. */
  boundary?: ParsedStatement[];
  boundaryRef?: PolicyRef;
  gaps: string[];
  /** Statements that keys known at review time (aws:CurrentTime...) removed or simplified. */
  notes: string[];
  /** Identity Allow statements no caller can satisfy, left out (see resolveKnownConditions). */
  dead: { policy: string; statement: number; label: string; reason: string }[];
}

const statementName = (s: ParsedStatement): string =>
  `${s.policy.role === 'boundary' ? 'Permissions boundary' : 'Policy'} ${s.policy.name} statement ${s.index + 1}${s.sid ? ` ("${s.sid}")` : ''}`;

export function buildPolicySet(
  policies: readonly PolicyInput[],
  catalog: ActionCatalog,
  boundary?: PolicyInput,
  known: KnownKeys = new Map(),
): PolicySet {
  const parsedIdentity = parsePolicies(policies, 'identity');
  const identity = resolveKnownConditions(parsedIdentity.statements, known, statementName);
  const gaps = [...parsedIdentity.gaps];
  const notes = [...identity.notes];
  const dead = identity.dead.map(({ statement, reason }) => ({ policy: statement.policy.name, statement: statement.index, label: statementName(statement), reason }));
  const set: PolicySet = { index: indexCatalog(catalog), inputs: policies, identity: identity.statements, gaps, notes, dead };
  if (boundary === undefined) return set;
  set.boundaryRef = {
    name: boundary.name,
    ...(boundary.arn !== undefined ? { arn: boundary.arn } : {}),
    kind: boundary.kind,
    role: 'boundary',
  };
  const parsed = parsePolicy(boundary, 'boundary');
  if (!boundary.policy.ok) {
    // An unreadable boundary cannot be intersected: the summary then over-states, and says so.
    gaps.push(...parsed.gaps.map((g) => `${g}; the summary ignores the boundary and may over-state access`));
  } else {
    gaps.push(...parsed.gaps);
    const resolved = resolveKnownConditions(parsed.statements, known, statementName);
    notes.push(...resolved.notes);
    set.boundary = resolved.statements;
  }
  return set;
}

/** The effective decision for one action (any spelling: IAM action names are case-insensitive). */
export function evaluateAction(
  set: PolicySet,
  action: string,
  target: string,
  mode: Mode,
  context: RequestContext = {},
): Grant {
  const identity = grantFrom(
    set.identity.filter((s) => statementMatchesAction(s, action)),
    target,
    mode,
    context,
  );
  const boundary = set.boundary
    ? grantFrom(
        set.boundary.filter((s) => statementMatchesAction(s, action)),
        target,
        mode,
        context,
      )
    : undefined;
  return combineWithBoundary(identity, boundary, target, mode);
}

/**
 * The decision for a call a same-account resource policy admits by naming the principal itself (a trust
 * policy naming the caller), so no identity Allow is needed: identity and boundary Deny statements are
 * tested against an Allow of the whole target, NONE when a Deny certainly covers it. With
 * `boundaryMustAllow` (the policy names a role's ARN, not one of its sessions) the permissions boundary
 * must allow the call too: its implicit deny limits what a resource policy grants a role ARN
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html).
 */
export function evaluateNamedInResource(
  set: PolicySet,
  action: string,
  target: string,
  context: RequestContext = {},
  boundaryMustAllow = false,
): Grant {
  const granted: ParsedStatement = {
    policy: { name: 'the resource policy naming the principal', kind: 'inline', role: 'identity' },
    index: 0,
    effect: 'Allow',
    actions: { negated: false, patterns: [action.toLowerCase()] },
    resources: { negated: false, patterns: [target] },
    conditions: {},
    usesPolicyVariables: false,
  };
  const denies = (statements: readonly ParsedStatement[]): ParsedStatement[] => statements.filter((s) => s.effect === 'Deny' && statementMatchesAction(s, action));
  if (!boundaryMustAllow || !set.boundary) return grantFrom([granted, ...denies([...set.identity, ...(set.boundary ?? [])])], target, 'some', context);
  const identity = grantFrom([granted, ...denies(set.identity)], target, 'some', context);
  const boundary = grantFrom(set.boundary.filter((s) => statementMatchesAction(s, action)), target, 'some', context);
  return combineWithBoundary(identity, boundary, target, 'some');
}

/** Per catalogue position, the statements (by position in `statements`) whose Action/NotAction names it. */
export function actionTable(
  statements: readonly ParsedStatement[],
  index: CatalogIndex,
): (number[] | undefined)[] {
  const table: (number[] | undefined)[] = new Array<number[] | undefined>(index.keys.length);
  const add = (action: number, statement: number): void => {
    const list = table[action];
    if (list) list.push(statement);
    else table[action] = [statement];
  };
  statements.forEach((s, si) => {
    const matched = new Set<number>();
    for (const p of s.actions.patterns) for (const i of expandActionPattern(index, p)) matched.add(i);
    if (s.actions.negated) {
      for (let i = 0; i < index.keys.length; i++) if (!matched.has(i)) add(i, si);
    } else {
      for (const i of matched) add(i, si);
    }
  });
  // Equal lists become one array, so decisions can be cached by the list itself (see catalogEvaluator).
  const shared = new Map<string, number[]>();
  for (let i = 0; i < table.length; i++) {
    const list = table[i];
    if (!list) continue;
    const key = list.join(',');
    const known = shared.get(key);
    if (known) table[i] = known;
    else shared.set(key, list);
  }
  return table;
}

/** Bulk evaluation over the whole catalogue, with the tables built once. */
export interface CatalogEvaluator {
  evaluate(position: number, target: string, mode: Mode, context?: RequestContext): Grant;
  /** Whether any identity statement names the action at all (before resources, conditions, Deny). */
  mentioned(position: number): boolean;
}

export function catalogEvaluator(set: PolicySet): CatalogEvaluator {
  const idTable = actionTable(set.identity, set.index);
  const boundaryStatements = set.boundary;
  const boundaryTable = boundaryStatements ? actionTable(boundaryStatements, set.index) : undefined;
  const pick = (statements: readonly ParsedStatement[], list: number[] | undefined): ParsedStatement[] =>
    (list ?? []).flatMap((i) => {
      const s = statements[i];
      return s ? [s] : [];
    });
  // A decision depends only on the statements that name the action, not on the action itself, and whole
  // catalogues share a few statement lists ("*", NotAction): decide each list once. The lists are shared
  // arrays (actionTable), so the cache is keyed by identity, not by a string built per action.
  const NONE_LISTED: number[] = [];
  const decided = new Map<number[], Map<number[], Map<string, Grant>>>();
  return {
    mentioned: (position) => idTable[position] !== undefined,
    evaluate(position, target, mode, context = {}) {
      const idList = idTable[position];
      const boundaryList = boundaryTable?.[position];
      const cacheable = Object.keys(context).length === 0;
      let byTarget: Map<string, Grant> | undefined;
      const key = `${mode}|${target}`;
      if (cacheable) {
        let byBoundary = decided.get(idList ?? NONE_LISTED);
        if (!byBoundary) decided.set(idList ?? NONE_LISTED, (byBoundary = new Map()));
        byTarget = byBoundary.get(boundaryList ?? NONE_LISTED);
        if (!byTarget) byBoundary.set(boundaryList ?? NONE_LISTED, (byTarget = new Map()));
        const known = byTarget.get(key);
        if (known) return known;
      }
      const identity = grantFrom(pick(set.identity, idList), target, mode, context);
      const boundary =
        boundaryStatements && boundaryTable
          ? grantFrom(pick(boundaryStatements, boundaryList), target, mode, context)
          : undefined;
      const grant = combineWithBoundary(identity, boundary, target, mode);
      byTarget?.set(key, grant);
      return grant;
    },
  };
}
