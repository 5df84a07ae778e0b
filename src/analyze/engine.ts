/**
 * What the core needs from the permissions module (src/analyze/permissions/, owned separately). The core is
 * written against this interface and index.ts wires in the real module, which keeps the permission
 * evaluation swappable in tests and lets a failure in it be contained to one role.
 */
import type { ActionCatalog } from '../model/action-catalog.js';
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

export interface PermissionsEngine {
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
  /** Optional: parse a principal's policies once for many questions (the reach graph asks many). */
  createPermissionEvaluator?(
    policies: PolicyInput[],
    catalog: ActionCatalog,
    boundary?: PolicyInput,
    options?: { now?: Date },
  ): { isAllowed(action: string, resourceArn: string): AccessVerdict };
}
