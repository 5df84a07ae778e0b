/**
 * Every catalogue action a principal's policies (and boundary) allow on some resource, with its access
 * level and the identity statements that allow it: what the least-privilege join compares with use, and
 * what a right-sized draft takes its resources and conditions from. One bulk pass, like the summary.
 */
import type { AccessLevel, ActionCatalog } from '../../model/action-catalog.js';
import { displayName } from './catalog-index.js';
import { partitionOf } from './summarize.js';
import { buildPolicySet, catalogEvaluator } from './policy-set.js';
import { CONDITIONAL, NONE, type PolicyInput } from './types.js';

export interface GrantedAction {
  /** "s3:GetObject", as the catalogue spells it. */
  action: string;
  service: string;
  accessLevel: AccessLevel;
  conditional: boolean;
  /** Identity-policy statements that allow it (boundary statements only limit). */
  allowedBy: { policy: string; policyArn?: string; statement: number }[];
}

export function grantedActions(
  policies: PolicyInput[],
  catalog: ActionCatalog,
  boundary?: PolicyInput,
  options: { principalArn?: string } = {},
): GrantedAction[] {
  const set = buildPolicySet(policies, catalog, boundary);
  const evaluator = catalogEvaluator(set);
  const everything = `arn:${partitionOf(options.principalArn)}:*`;
  const out: GrantedAction[] = [];
  for (let i = 0; i < set.index.keys.length; i++) {
    if (!evaluator.mentioned(i)) continue;
    const grant = evaluator.evaluate(i, everything, 'some');
    if (grant.level === NONE) continue;
    const info = catalog.actions[i];
    if (!info) continue;
    out.push({
      action: displayName(info),
      service: info.service.toLowerCase(),
      accessLevel: info.accessLevel,
      conditional: grant.level === CONDITIONAL,
      allowedBy: grant.allowedBy
        .filter((s) => s.policy.role !== 'boundary')
        .map((s) => ({ policy: s.policy.name, ...(s.policy.arn !== undefined ? { policyArn: s.policy.arn } : {}), statement: s.index })),
    });
  }
  return out;
}
