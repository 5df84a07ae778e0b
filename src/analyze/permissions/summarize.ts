/**
 * The effective-permission summary of one principal (normally a role) from its identity policies and
 * optional permissions boundary. One bulk pass over the catalogue decides, per action, whether it is allowed
 * on some resource and on every resource; the flags are read off that pass, the escalation methods are
 * asked action by action.
 */
import type { ActionCatalog } from '../../model/action-catalog.js';
import type { PermissionSummary } from '../../model/review.js';
import { blanketStatements, everythingLevel, selfGrantVerdict } from './admin-equivalence.js';
import { expandActionPattern } from './catalog-index.js';
import { detectEscalations } from './escalation.js';
import { highlights, sensitiveReads } from './highlights.js';
import { buildPolicySet, catalogEvaluator, type PolicySet } from './policy-set.js';
import { readEverything } from './read-everything.js';
import { knownKeys } from '../policy/conditions.js';
import { CONDITIONAL, NONE, type PolicyInput } from './types.js';

export interface SummaryOptions {
  /**
   * The principal's own ARN. It makes "can grant itself" exact (iam:PutRolePolicy on this very role) and
   * fixes the partition; without it, only grants on every role count as self-grants.
   */
  principalArn?: string;
  /** The review's instant: decides aws:CurrentTime, aws:EpochTime and aws:TokenIssueTime in conditions. */
  now?: Date;
}

export function partitionOf(arn: string | undefined): string {
  const match = arn === undefined ? null : /^arn:([^:]+):/.exec(arn);
  return match?.[1] ?? 'aws';
}

/** Allow patterns that expand to nothing in the catalogue: typos, retired actions, or a stale catalogue. */
function uncatalogued(set: PolicySet): string[] {
  const out = new Set<string>();
  for (const s of set.identity) {
    if (s.effect !== 'Allow' || s.actions.negated) continue;
    for (const p of s.actions.patterns) if (expandActionPattern(set.index, p).length === 0) out.add(p);
  }
  return [...out].sort();
}

export function summarizeWith(set: PolicySet, options: SummaryOptions = {}): PermissionSummary {
  const partition = partitionOf(options.principalArn);
  const everything = `arn:${partition}:*`;
  const size = set.index.keys.length;
  const onEveryResource = new Uint8Array(size);
  const evaluator = catalogEvaluator(set);
  let allowedActionCount = 0;
  for (let i = 0; i < size; i++) {
    if (!evaluator.mentioned(i)) continue;
    if (evaluator.evaluate(i, everything, 'some').level === NONE) continue;
    allowedActionCount++;
    onEveryResource[i] = evaluator.evaluate(i, everything, 'all').level;
  }

  const caveats: string[] = [...set.notes];
  let adminEquivalent = false;
  let adminEquivalentReason: string | undefined;
  const blanket = everythingLevel(onEveryResource);
  if (blanket !== NONE) {
    adminEquivalent = true;
    adminEquivalentReason = `Allows every action on every resource (${blanketStatements(set).join('; ')}).`;
    if (blanket === CONDITIONAL) {
      caveats.push('Admin-equivalent only when the Conditions of its statements hold (or a conditional Deny does not apply).');
    }
  } else {
    const verdict = selfGrantVerdict(set, options.principalArn, partition);
    adminEquivalent = verdict.adminEquivalent;
    adminEquivalentReason = verdict.reason;
    caveats.push(...verdict.caveats);
  }

  const reads = readEverything(set.index, onEveryResource);
  if (reads.level === CONDITIONAL) caveats.push('Reads everything only when the Conditions of its statements hold.');

  const escalations = detectEscalations(set, partition);
  const summary: PermissionSummary = {
    adminEquivalent,
    readEverything: reads.level !== NONE,
    privilegeEscalation: escalations.map((e) => ({
      method: e.method,
      actions: e.actions,
      title: e.title,
      resources: e.resources,
      conditional: e.conditional,
      source: e.source,
    })),
    allowedActionCount,
    highlights: highlights(set.index, onEveryResource),
    gaps: [...set.gaps],
    policies: set.inputs.map((p) => ({ name: p.name, ...(p.arn !== undefined ? { arn: p.arn } : {}), kind: p.kind })),
    sensitiveReads: sensitiveReads(set.index, onEveryResource),
    uncataloguedActions: uncatalogued(set),
    catalogVersion: set.index.catalog.version,
  };
  if (adminEquivalentReason !== undefined) summary.adminEquivalentReason = adminEquivalentReason;
  if (caveats.length > 0) summary.caveats = caveats;
  if (set.boundaryRef) {
    summary.boundary = {
      name: set.boundaryRef.name,
      ...(set.boundaryRef.arn !== undefined ? { arn: set.boundaryRef.arn } : {}),
    };
  }
  return summary;
}

export function summarize(
  policies: PolicyInput[],
  catalog: ActionCatalog,
  boundary?: PolicyInput,
  options: SummaryOptions = {},
): PermissionSummary {
  // The caller is a role session, so only time is known; MFA and the rest depend on the session.
  const known = knownKeys({ caller: 'aws', session: true, ...(options.now ? { now: options.now } : {}), ...(options.principalArn ? { principalArn: options.principalArn } : {}) });
  return summarizeWith(buildPolicySet(policies, catalog, boundary, known), options);
}
