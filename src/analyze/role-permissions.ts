/**
 * A role's permission policies resolved from the snapshot (inline, and attached through the account's
 * managed policies), and its permission summary from the permissions engine. Anything missing becomes a
 * named gap in the summary rather than a silent omission.
 */
import type { ActionCatalog } from '../model/action-catalog.js';
import type { PermissionSummary } from '../model/review.js';
import type { ManagedPolicyRecord, RoleRecord } from '../model/snapshot.js';
import type { PermissionsEngine, PolicyInput } from './engine.js';

export interface RolePolicies {
  policies: PolicyInput[];
  boundary?: PolicyInput;
  gaps: string[];
}

export function rolePolicies(role: RoleRecord, managed: ReadonlyMap<string, ManagedPolicyRecord>): RolePolicies {
  const gaps: string[] = [];
  const policies: PolicyInput[] = role.inlinePolicies.map((inline) => ({
    name: inline.name,
    kind: 'inline',
    policy: inline.policy,
  }));
  for (const ref of role.attachedPolicies) {
    const record = managed.get(ref.arn);
    if (!record) {
      gaps.push(`Attached policy ${ref.name || ref.arn.slice(ref.arn.lastIndexOf('/') + 1)} (${ref.arn}) is not in the snapshot's managed policies; its permissions are not counted.`);
      continue;
    }
    policies.push(managedInput(record));
  }
  const result: RolePolicies = { policies, gaps };
  if (role.permissionsBoundaryArn) {
    const record = managed.get(role.permissionsBoundaryArn);
    if (record) result.boundary = managedInput(record);
    else {
      gaps.push(
        `Permissions boundary ${role.permissionsBoundaryArn} is not in the snapshot; the summary ignores it and may overstate what the role can do.`,
      );
    }
  }
  return result;
}

function managedInput(record: ManagedPolicyRecord): PolicyInput {
  // A snapshot from another collector may carry an empty name; the ARN's last segment is the name.
  const name = record.name || record.arn.slice(record.arn.lastIndexOf('/') + 1);
  return { name, arn: record.arn, kind: record.awsManaged ? 'aws-managed' : 'managed', policy: record.policy };
}

export function emptySummary(policies: readonly PolicyInput[]): PermissionSummary {
  return {
    adminEquivalent: false,
    readEverything: false,
    privilegeEscalation: [],
    allowedActionCount: 0,
    highlights: [],
    gaps: [],
    policies: policies.map((p) => (p.arn ? { name: p.name, arn: p.arn, kind: p.kind } : { name: p.name, kind: p.kind })),
  };
}

export function summarizeRolePermissions(
  role: Pick<RoleRecord, 'arn'>,
  resolved: RolePolicies,
  catalog: ActionCatalog,
  engine: PermissionsEngine,
  now?: Date,
): PermissionSummary {
  let summary: PermissionSummary;
  try {
    summary = engine.summarizePermissions(resolved.policies, catalog, resolved.boundary, { principalArn: role.arn, ...(now ? { now } : {}) });
  } catch (error) {
    // One role's evaluation failing must not take the whole review down; the gap says the summary is empty.
    summary = emptySummary(resolved.policies);
    summary.gaps.push(`The permission summary could not be computed: ${error instanceof Error ? error.message : String(error)}`);
  }
  return { ...summary, gaps: [...summary.gaps, ...resolved.gaps] };
}
