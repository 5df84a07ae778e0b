/**
 * The decision for one action on one resource target, from the statements that name the action. A target
 * is a glob: a concrete ARN asks about that resource, "arn:*:iam::*:role/*" asks about roles in general.
 *
 * - mode 'some': is the action allowed on at least one resource within the target? An Allow counts when
 *   its resources meet the target; a Deny removes it only when the Deny covers everything the Allow grants
 *   there (a Deny on one bucket does not take away s3:GetObject on the others).
 * - mode 'all': is the action allowed on every resource within the target? The Allow must contain the
 *   target, and any Deny that touches the target breaks "every".
 *
 * Explicit Deny wins over Allow. A Deny whose Condition may or may not hold cannot be said to remove the
 * Allow, nor to leave it standing: the answer becomes CONDITIONAL rather than either guess.
 */
import { evaluateConditions } from './conditions.js';
import { globMatch, resourceContains, resourcesIntersect } from './glob.js';
import {
  CERTAIN,
  CONDITIONAL,
  NONE,
  type Level,
  type ParsedStatement,
  type RequestContext,
} from './types.js';

export type Mode = 'some' | 'all';

export interface Grant {
  level: Level;
  /** The Allow statements that give the answer (those reaching its level). */
  allowedBy: ParsedStatement[];
  /** The Deny statements that took something away or made the answer conditional. */
  deniedBy: ParsedStatement[];
  /** The granting statements' resource patterns that meet the target, for evidence. */
  resources: string[];
}

export const NO_GRANT: Grant = { level: NONE, allowedBy: [], deniedBy: [], resources: [] };

export function statementMatchesAction(statement: ParsedStatement, action: string): boolean {
  const lower = action.toLowerCase();
  const hit = statement.actions.patterns.some((p) => globMatch(p, lower));
  return statement.actions.negated ? !hit : hit;
}

/** How firmly a statement applies in the given context: NONE when a known key rules it out. */
export function statementLevel(statement: ParsedStatement, context: RequestContext): Level {
  const outcome = evaluateConditions(statement.conditions, context);
  if (outcome === 'false') return NONE;
  return outcome === 'true' && !statement.usesPolicyVariables ? CERTAIN : CONDITIONAL;
}

function reaches(statement: ParsedStatement, target: string, mode: Mode): boolean {
  const { negated, patterns } = statement.resources;
  if (!negated) {
    return mode === 'some'
      ? patterns.some((p) => resourcesIntersect(p, target))
      : patterns.some((p) => resourceContains(p, target));
  }
  // NotResource: everything except the patterns. Several exclusions that only together cover the target
  // are not detected, so 'some' may over-state reach there; 'all' is exact.
  return mode === 'some'
    ? !patterns.some((n) => resourceContains(n, target))
    : !patterns.some((n) => resourcesIntersect(n, target));
}

function relevantPatterns(statement: ParsedStatement, target: string): string[] {
  const { negated, patterns } = statement.resources;
  if (negated) return [`NotResource ${patterns.join(', ')}`];
  return patterns.filter((p) => resourcesIntersect(p, target));
}

/** Whether the Deny removes everything the Allow grants within the target. */
function covers(deny: ParsedStatement, allow: ParsedStatement, target: string): boolean {
  const granted = allow.resources.negated ? undefined : relevantPatterns(allow, target);
  if (deny.resources.negated) {
    // The Deny applies outside its exclusions: it covers a set that meets none of them.
    const outside = (x: string): boolean => !deny.resources.patterns.some((n) => resourcesIntersect(n, x));
    return outside(target) || (granted !== undefined && granted.length > 0 && granted.every(outside));
  }
  const denied = deny.resources.patterns;
  if (denied.some((d) => resourceContains(d, target))) return true;
  return (
    granted !== undefined && granted.length > 0 && granted.every((g) => denied.some((d) => resourceContains(d, g)))
  );
}

/** The decision from one set of policies (identity or boundary), statements already matched to the action. */
export function grantFrom(
  statements: readonly ParsedStatement[],
  target: string,
  mode: Mode,
  context: RequestContext = {},
): Grant {
  const denies: { statement: ParsedStatement; level: Level }[] = [];
  for (const s of statements) {
    if (s.effect !== 'Deny') continue;
    const level = statementLevel(s, context);
    if (level !== NONE && reaches(s, target, 'some')) denies.push({ statement: s, level });
  }
  let best: Level = NONE;
  let allowedBy: ParsedStatement[] = [];
  const deniedBy = new Set<ParsedStatement>();
  for (const s of statements) {
    if (s.effect !== 'Allow') continue;
    let level = statementLevel(s, context);
    if (level === NONE || !reaches(s, target, mode)) continue;
    for (const deny of denies) {
      if (mode === 'some' && !covers(deny.statement, s, target)) continue;
      deniedBy.add(deny.statement);
      if (deny.level === CERTAIN) {
        level = NONE;
        break;
      }
      level = CONDITIONAL;
    }
    if (level > best) {
      best = level;
      allowedBy = [s];
    } else if (level === best && level !== NONE) {
      allowedBy.push(s);
    }
  }
  const resources = [...new Set(allowedBy.flatMap((s) => relevantPatterns(s, target)))];
  return { level: best, allowedBy, deniedBy: [...deniedBy], resources };
}

function scopesOverlap(a: ParsedStatement, b: ParsedStatement, target: string): boolean {
  if (a.resources.negated || b.resources.negated) return true;
  return a.resources.patterns.some((p) => b.resources.patterns.some((q) => resourcesIntersect(p, q, target)));
}

/**
 * Identity policies intersected with the permissions boundary: both must allow. For 'some', the two must
 * also allow it on overlapping resources (a boundary that allows s3:GetObject only on bucket A does not
 * combine with an identity policy that allows it only on bucket B).
 */
export function combineWithBoundary(identity: Grant, boundary: Grant | undefined, target: string, mode: Mode): Grant {
  if (boundary === undefined || identity.level === NONE) return identity;
  let level = Math.min(identity.level, boundary.level) as Level;
  if (
    level !== NONE &&
    mode === 'some' &&
    !identity.allowedBy.some((a) => boundary.allowedBy.some((b) => scopesOverlap(a, b, target)))
  ) {
    level = NONE;
  }
  return {
    level,
    allowedBy: level === NONE ? [] : identity.allowedBy,
    deniedBy: [...identity.deniedBy, ...boundary.deniedBy],
    resources: level === NONE ? [] : identity.resources,
  };
}
