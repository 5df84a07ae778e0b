/**
 * What the core needs from the permissions module (src/analyze/permissions/, owned separately). The core is
 * written against this interface and index.ts wires in the real module, which keeps the permission
 * evaluation swappable in tests and lets a failure in it be contained to one role.
 */
import type { AccessLevel, ActionCatalog } from '../model/action-catalog.js';
import type { PermissionSummary } from '../model/review.js';
import type { PolicyDocumentField } from '../model/snapshot.js';

/** Mirrors permissions/index.ts PolicyInput; structural typing makes the two interchangeable. */
export interface PolicyInput {
  name: string;
  arn?: string;
  kind: 'inline' | 'managed' | 'aws-managed';
  policy: PolicyDocumentField;
}

export type AccessVerdict = { allowed: boolean; conditional: boolean };

/**
 * How a role's trust admits a caller, which decides what the caller's own policies must say
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html):
 * - 'identity': the trust names the caller's account (or anyone), or the caller is in another account: an
 *   identity Allow is needed, within the permissions boundary;
 * - 'names-role': a same-account trust names the calling role's own ARN: no identity Allow is needed, but an
 *   explicit Deny in its identity policies or boundary still denies, and so does a boundary that does not
 *   allow it (a boundary's implicit deny limits what a resource policy grants a role ARN);
 * - 'names-session': a same-account trust names the caller's session (or user) ARN: only an explicit Deny stops it.
 */
export type TrustAdmission = 'identity' | 'names-role' | 'names-session';

/** The questions the analysis asks of one principal's policies, parsed once. */
export interface PermissionQuestions {
  isAllowed(action: string, resourceArn: string): AccessVerdict;
  /** sts:AssumeRole on `roleArn`, given how the role's trust admits this caller. */
  canAssume(roleArn: string, admission: TrustAdmission): AccessVerdict;
}

/** Mirrors permissions/granted-actions.ts GrantedAction. */
export interface GrantedActionInfo {
  action: string;
  service: string;
  accessLevel: AccessLevel;
  conditional: boolean;
  allowedBy: { policy: string; policyArn?: string; statement: number }[];
}

export interface PermissionsEngine {
  /**
   * True when a policy's name only labels evidence: renaming an inline policy changes nothing but those
   * labels. The analysis then shares one summary among roles whose inline policies differ only in name.
   */
  readonly namesAreLabels?: boolean;
  summarizePermissions(
    policies: PolicyInput[],
    catalog: ActionCatalog,
    boundary?: PolicyInput,
    options?: { principalArn?: string; now?: Date },
  ): PermissionSummary;
  isActionAllowed(
    policies: PolicyInput[],
    action: string,
    resourceArn: string,
    catalog: ActionCatalog,
    boundary?: PolicyInput,
  ): AccessVerdict;
  /** sts:AssumeRole on `roleArn`, given how the role's trust admits the caller (see TrustAdmission). */
  canAssume(policies: PolicyInput[], roleArn: string, admission: TrustAdmission, catalog: ActionCatalog, boundary?: PolicyInput): AccessVerdict;
  /**
   * Optional: every action allowed on some resource, with its access level and the identity statements
   * allowing it (the least-privilege join). Without it, granted-vs-used is reported as unavailable.
   */
  grantedActions?(
    policies: PolicyInput[],
    catalog: ActionCatalog,
    boundary?: PolicyInput,
    options?: { principalArn?: string },
  ): GrantedActionInfo[];
  /** Optional: parse a principal's policies once for many questions (the reach graph asks many). */
  createPermissionEvaluator?(
    policies: PolicyInput[],
    catalog: ActionCatalog,
    boundary?: PolicyInput,
    options?: { now?: Date; principalArn?: string },
  ): PermissionQuestions;
}
