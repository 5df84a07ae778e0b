/**
 * Shapes shared by the permissions modules. Kept apart from index.ts so the modules can import them
 * without importing the public entry point.
 */
import type { PolicyDocumentField } from '../../model/snapshot.js';

export type PolicyKind = 'inline' | 'managed' | 'aws-managed';

export interface PolicyInput {
  name: string;
  arn?: string;
  kind: PolicyKind;
  policy: PolicyDocumentField;
}

/** Where a statement came from: the principal's own policies, or its permissions boundary. */
export type PolicyRole = 'identity' | 'boundary';

export interface PolicyRef {
  name: string;
  arn?: string;
  kind: PolicyKind;
  role: PolicyRole;
}

/** Operator -> condition key -> values, as written (values normalised to strings). */
export type ConditionBlock = Record<string, Record<string, string[]>>;

export interface ParsedStatement {
  policy: PolicyRef;
  /** Position in the policy's Statement array, 0-based. */
  index: number;
  sid?: string;
  effect: 'Allow' | 'Deny';
  /** Action or NotAction patterns, lower-cased: IAM compares action names case-insensitively. */
  actions: { negated: boolean; patterns: string[] };
  /**
   * Resource or NotResource patterns as written, except that policy variables (`${aws:username}`) are
   * widened to `*`: which resource they name depends on the request, so the statement counts as conditional.
   */
  resources: { negated: boolean; patterns: string[] };
  conditions: ConditionBlock;
  usesPolicyVariables: boolean;
  /**
   * Per Resource pattern, the keys of the policy variables it uses without a default (lower-cased): a
   * key the caller never carries leaves the variable unresolved, and IAM then matches no resource.
   */
  resourceVariables?: string[][];
}

/**
 * How sure an answer is. CERTAIN: allowed whatever the request context. CONDITIONAL: allowed only when a
 * Condition holds (or unless a conditional Deny applies). NONE: not allowed.
 */
export type Level = 0 | 1 | 2;
export const NONE: Level = 0;
export const CONDITIONAL: Level = 1;
export const CERTAIN: Level = 2;

/** Request context keys known for a question (lower-cased key -> value), e.g. iam:PassedToService. */
export type RequestContext = Readonly<Record<string, string>>;
