/**
 * Effective permissions of an IAM principal from its identity policies and permissions boundary: wildcard
 * and NotAction expansion against the action catalogue, NotResource, explicit Deny, conditions kept as
 * evidence, admin-equivalence, read-everything and the published privilege-escalation methods. Pure: the
 * catalogue is handed in (src/catalog/load-action-catalog.ts loads it).
 */
import type { ActionCatalog } from '../../model/action-catalog.js';
import type { PermissionSummary } from '../../model/review.js';
import { evaluateAction, evaluateNamedInResource, buildPolicySet, type PolicySet } from './policy-set.js';
import type { TrustAdmission } from '../engine.js';
import { ASSUME_ROLE } from '../policy/actions.js';
import { summarize, type SummaryOptions } from './summarize.js';
import { knownKeys } from '../policy/conditions.js';
import { CONDITIONAL, NONE, type ParsedStatement, type PolicyInput, type RequestContext } from './types.js';

/** { name, arn?, kind: 'inline' | 'managed' | 'aws-managed', policy: PolicyDocumentField } */
export type { PolicyInput } from './types.js';

/**
 * The summary a role review shows. `options.principalArn` (the role's ARN) is optional but makes the
 * self-grant rule of admin-equivalence exact; see admin-equivalence.ts.
 */
export function summarizePermissions(
  policies: PolicyInput[],
  catalog: ActionCatalog,
  boundary?: PolicyInput,
  options?: SummaryOptions,
): PermissionSummary {
  return summarize(policies, catalog, boundary, options);
}

/**
 * Whether the policies allow `action` on `resourceArn` (IAM action names are case-insensitive, ARNs are
 * not). `conditional` means: allowed only if some Condition holds, or unless a conditional Deny applies.
 * A resource given as a glob ("arn:aws:iam::*:role/*") asks about at least one matching resource.
 * Pass the principal's permissions boundary, when it has one, as `boundary`.
 */
export function isActionAllowed(
  policies: PolicyInput[],
  action: string,
  resourceArn: string,
  catalog: ActionCatalog,
  boundary?: PolicyInput,
): { allowed: boolean; conditional: boolean } {
  return createPermissionEvaluator(policies, catalog, boundary).isAllowed(action, resourceArn);
}

/** sts:AssumeRole on a role, given how its trust admits the caller (see TrustAdmission in engine.ts). */
export function canAssume(
  policies: PolicyInput[],
  roleArn: string,
  admission: TrustAdmission,
  catalog: ActionCatalog,
  boundary?: PolicyInput,
): { allowed: boolean; conditional: boolean } {
  return createPermissionEvaluator(policies, catalog, boundary).canAssume(roleArn, admission);
}

export interface StatementRef {
  policy: string;
  policyArn?: string;
  /** Position in the policy's Statement array, 0-based. */
  statement: number;
  sid?: string;
  effect: 'Allow' | 'Deny';
  /** The Condition block as written; empty when unconditional. */
  conditions: Record<string, Record<string, string[]>>;
  fromBoundary: boolean;
}

export interface AccessDecision {
  allowed: boolean;
  conditional: boolean;
  /** The Allow statements behind the decision. */
  allowedBy: StatementRef[];
  /** The Deny statements that removed the access or made it conditional. */
  deniedBy: StatementRef[];
  /** The allowing statements' resource patterns that match the resource. */
  resources: string[];
}

/** Parses the policies once, for callers that ask many questions (the reach graph). */
export interface PermissionEvaluator {
  isAllowed(action: string, resourceArn: string, context?: RequestContext): { allowed: boolean; conditional: boolean };
  explain(action: string, resourceArn: string, context?: RequestContext): AccessDecision;
  /**
   * sts:AssumeRole on `roleArn`: an explicit Deny (identity or boundary) is told from a missing Allow, which
   * only matters when the trust leaves the decision to the caller's identity policies.
   */
  canAssume(roleArn: string, admission: TrustAdmission): { allowed: boolean; conditional: boolean };
  /** Policies and statements that could not be read. */
  gaps: readonly string[];
}

function ref(s: ParsedStatement): StatementRef {
  return {
    policy: s.policy.name,
    ...(s.policy.arn !== undefined ? { policyArn: s.policy.arn } : {}),
    statement: s.index,
    ...(s.sid !== undefined ? { sid: s.sid } : {}),
    effect: s.effect,
    conditions: s.conditions,
    fromBoundary: s.policy.role === 'boundary',
  };
}

export function evaluatorFor(set: PolicySet): PermissionEvaluator {
  const explain = (action: string, resourceArn: string, context: RequestContext = {}): AccessDecision => {
    const lowered = Object.fromEntries(Object.entries(context).map(([k, v]) => [k.toLowerCase(), v]));
    const grant = evaluateAction(set, action, resourceArn, 'some', lowered);
    return {
      allowed: grant.level !== NONE,
      conditional: grant.level === CONDITIONAL,
      allowedBy: grant.allowedBy.map(ref),
      deniedBy: grant.deniedBy.map(ref),
      resources: grant.resources,
    };
  };
  return {
    gaps: set.gaps,
    explain,
    isAllowed(action, resourceArn, context) {
      const { allowed, conditional } = explain(action, resourceArn, context);
      return { allowed, conditional };
    },
    canAssume(roleArn, admission) {
      if (admission === 'identity') {
        const { allowed, conditional } = explain(ASSUME_ROLE, roleArn);
        return { allowed, conditional };
      }
      const grant = evaluateNamedInResource(set, ASSUME_ROLE, roleArn, {}, admission === 'names-role');
      return { allowed: grant.level !== NONE, conditional: grant.level === CONDITIONAL };
    },
  };
}

export function createPermissionEvaluator(
  policies: PolicyInput[],
  catalog: ActionCatalog,
  boundary?: PolicyInput,
  options: { now?: Date; principalArn?: string } = {},
): PermissionEvaluator {
  // The caller is a role session: its ARN and the time are known at review time, the rest depends on the request.
  const known = knownKeys({ caller: 'aws', session: true, roleSession: true, ...(options.now ? { now: options.now } : {}), ...(options.principalArn ? { principalArn: options.principalArn } : {}) });
  return evaluatorFor(buildPolicySet(policies, catalog, boundary, known));
}

export type { SummaryOptions } from './summarize.js';
export type { RequestContext } from './types.js';
export {
  ESCALATION_METHODS,
  targetPattern,
  type EscalationMethod,
  type EscalationStep,
  type ResourceTarget,
} from './escalation-methods.js';
export { CORE_READ_SERVICES } from './read-everything.js';
export { grantedActions, type GrantedAction } from './granted-actions.js';
export { SENSITIVE_READS } from './highlights.js';
