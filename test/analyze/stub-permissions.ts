/**
 * A throwaway permissions engine for the core's tests, so rule tests control the permission facts
 * directly: a statement allowing "*" on "*" is admin, a policy named ReadOnlyAccess reads everything, a
 * policy whose name starts with "escalate" carries an escalation path. Allow statements for sts:AssumeRole
 * are matched on their Resource with IAM wildcards.
 */
import type { ActionCatalog } from '../../src/model/action-catalog.js';
import type { PermissionSummary } from '../../src/model/review.js';
import type { PermissionsEngine, PolicyInput } from '../../src/analyze/engine.js';
import { wildcardMatch } from '../../src/analyze/wildcard.js';

interface Stmt {
  Effect?: unknown;
  Action?: unknown;
  Resource?: unknown;
  Condition?: unknown;
}

function statements(input: PolicyInput): Stmt[] {
  if (!input.policy.ok) return [];
  const doc = input.policy.document as { Statement?: unknown };
  const list = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  return list.filter((s): s is Stmt => typeof s === 'object' && s !== null);
}

function list(value: unknown): string[] {
  return (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
}

export const stubEngine: PermissionsEngine = {
  summarizePermissions(policies: PolicyInput[], _catalog: ActionCatalog, boundary?: PolicyInput): PermissionSummary {
    const all = policies.flatMap(statements).filter((s) => s.Effect === 'Allow');
    const admin = !boundary && all.some((s) => list(s.Action).includes('*') && list(s.Resource).includes('*'));
    return {
      adminEquivalent: admin,
      readEverything: admin || policies.some((p) => p.name === 'ReadOnlyAccess'),
      privilegeEscalation: policies
        .filter((p) => p.name.startsWith('escalate'))
        .map(() => ({ method: 'CreatePolicyVersion', actions: ['iam:CreatePolicyVersion'] })),
      allowedActionCount: all.length,
      highlights: all.flatMap((s) => list(s.Action)).slice(0, 5),
      gaps: policies.filter((p) => !p.policy.ok).map((p) => `Policy ${p.name} could not be read.`),
      policies: policies.map((p) => (p.arn ? { name: p.name, arn: p.arn, kind: p.kind } : { name: p.name, kind: p.kind })),
    };
  },
  isActionAllowed(policies: PolicyInput[], action: string, resourceArn: string) {
    const matching = policies
      .flatMap(statements)
      .filter(
        (s) =>
          s.Effect === 'Allow' &&
          list(s.Action).some((a) => wildcardMatch(a, action, { caseInsensitive: true, questionMark: true })) &&
          list(s.Resource).some((r) => wildcardMatch(r, resourceArn, { questionMark: true })),
      );
    return { allowed: matching.length > 0, conditional: matching.length > 0 && matching.every((s) => s.Condition !== undefined) };
  },
  // No Deny in the stub: a trust naming the caller in its own account admits it outright.
  canAssume(policies: PolicyInput[], roleArn: string, admission) {
    return admission === 'identity' ? this.isActionAllowed(policies, 'sts:AssumeRole', roleArn, {} as ActionCatalog) : { allowed: true, conditional: false };
  },
};
