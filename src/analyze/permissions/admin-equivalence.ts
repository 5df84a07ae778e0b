/**
 * Admin-equivalence, decided by one of two rules.
 *
 * 1. Everything: every catalogued action is allowed on every resource. Conditions on such a blanket grant
 *    restrict when or from where (MFA, source IP, region), not what, so a conditional blanket grant still
 *    counts, with a caveat.
 * 2. Self-grant: the principal can certainly give itself any permission, and nothing it cannot undo stands
 *    in the way. It can write an inline policy on its own role (iam:PutRolePolicy), attach a managed policy
 *    such as AdministratorAccess to it (iam:AttachRolePolicy), or write a new default version of a customer
 *    managed policy attached to it (iam:CreatePolicyVersion); every policy of its own that carries a Deny
 *    must be removable by it (overwritten or deleted inline, detached, or rewritten); and it has no
 *    permissions boundary, or can remove or replace it. Unlike rule 1, a condition here does not count:
 *    conditions on IAM writes usually limit *what* may be granted (iam:PolicyARN, iam:PermissionsBoundary),
 *    so a conditional self-grant is reported as an escalation method and a caveat, not as admin.
 *
 * "Its own role" is the principal ARN when the caller gives it; without it, only grants on every role count.
 * Hence PowerUserAccess (no iam:*) is not admin-equivalent, while "NotAction s3:DeleteBucket on *" is.
 */
import { evaluateAction, type PolicySet } from './policy-set.js';
import { CERTAIN, CONDITIONAL, NONE, type Level } from './types.js';

export interface AdminVerdict {
  adminEquivalent: boolean;
  reason?: string;
  caveats: string[];
}

function policyLabel(names: readonly string[]): string {
  return names.length === 1 ? `policy ${names[0]}` : `policies ${names.join(', ')}`;
}

/** Rule 1, from the bulk pass: the lowest "on every resource" level over the whole catalogue. */
export function everythingLevel(onEveryResource: Uint8Array): Level {
  if (onEveryResource.length === 0) return NONE;
  let lowest: Level = CERTAIN;
  for (const level of onEveryResource) {
    if (level === NONE) return NONE;
    if (level === CONDITIONAL) lowest = CONDITIONAL;
  }
  return lowest;
}

interface SelfTarget {
  target: string;
  mode: 'some' | 'all';
  label: string;
}

function selfTarget(principalArn: string | undefined, partition: string): SelfTarget {
  return principalArn
    ? { target: principalArn, mode: 'some', label: 'its own role' }
    : { target: `arn:${partition}:iam::*:role/*`, mode: 'all', label: 'every role' };
}

function certainOn(set: PolicySet, action: string, target: string, mode: 'some' | 'all'): boolean {
  return evaluateAction(set, action, target, mode).level === CERTAIN;
}

function levelOn(set: PolicySet, action: string, target: string, mode: 'some' | 'all'): Level {
  return evaluateAction(set, action, target, mode).level;
}

/** Rule 2. */
export function selfGrantVerdict(set: PolicySet, principalArn: string | undefined, partition: string): AdminVerdict {
  const self = selfTarget(principalArn, partition);
  const caveats: string[] = [];
  const customerManaged = set.inputs.filter((p) => p.kind === 'managed' && p.arn !== undefined);

  const ways: string[] = [];
  const conditionalWays: string[] = [];
  for (const action of ['iam:PutRolePolicy', 'iam:AttachRolePolicy']) {
    const level = levelOn(set, action, self.target, self.mode);
    if (level === CERTAIN) ways.push(`${action} on ${self.label}`);
    else if (level === CONDITIONAL) conditionalWays.push(`${action} on ${self.label}`);
  }
  for (const policy of customerManaged) {
    const arn = policy.arn ?? '';
    const level = levelOn(set, 'iam:CreatePolicyVersion', arn, 'some');
    if (level === CERTAIN) ways.push(`iam:CreatePolicyVersion on its attached policy ${policy.name}`);
    else if (level === CONDITIONAL) conditionalWays.push(`iam:CreatePolicyVersion on its attached policy ${policy.name}`);
  }
  if (ways.length === 0) {
    if (conditionalWays.length > 0) {
      caveats.push(`May grant itself further permissions when the conditions hold: ${conditionalWays.join('; ')}.`);
    }
    return { adminEquivalent: false, caveats };
  }

  // A Deny in one of its own policies survives any Allow it adds, unless it can remove that policy.
  const denyPolicies = new Map<string, (typeof set.inputs)[number]>();
  for (const s of set.identity) {
    if (s.effect !== 'Deny') continue;
    const input = set.inputs.find((p) => p.name === s.policy.name && p.arn === s.policy.arn);
    if (input) denyPolicies.set(`${input.name}|${input.arn ?? ''}`, input);
  }
  const stuck: string[] = [];
  for (const policy of denyPolicies.values()) {
    const removable =
      policy.kind === 'inline'
        ? certainOn(set, 'iam:PutRolePolicy', self.target, self.mode) ||
          certainOn(set, 'iam:DeleteRolePolicy', self.target, self.mode)
        : certainOn(set, 'iam:DetachRolePolicy', self.target, self.mode) ||
          (policy.kind === 'managed' &&
            policy.arn !== undefined &&
            certainOn(set, 'iam:CreatePolicyVersion', policy.arn, 'some'));
    if (!removable) stuck.push(policy.name);
  }
  if (stuck.length > 0) {
    caveats.push(
      `Can grant itself permissions (${ways.join('; ')}), but the Deny statements of ${policyLabel(stuck)} would still apply.`,
    );
    return { adminEquivalent: false, caveats };
  }

  if (set.boundary !== undefined) {
    const boundaryName = set.boundaryRef?.name ?? 'boundary';
    const escapable =
      certainOn(set, 'iam:DeleteRolePermissionsBoundary', self.target, self.mode) ||
      certainOn(set, 'iam:PutRolePermissionsBoundary', self.target, self.mode);
    if (!escapable) {
      caveats.push(
        `Can grant itself permissions (${ways.join('; ')}), but only within its permissions boundary ${boundaryName}.`,
      );
      return { adminEquivalent: false, caveats };
    }
    return {
      adminEquivalent: true,
      reason: `Can remove its permissions boundary ${boundaryName} and grant itself any permission (${ways.join('; ')}).`,
      caveats,
    };
  }
  if (set.boundaryRef !== undefined) {
    caveats.push(`Its permissions boundary ${set.boundaryRef.name} could not be read and may limit what it can grant itself.`);
  }
  return {
    adminEquivalent: true,
    reason: `Can grant itself any permission (${ways.join('; ')}).`,
    caveats,
  };
}

/** The Allow statements behind rule 1, for its reason: Action "*" or a NotAction. */
export function blanketStatements(set: PolicySet): string[] {
  return set.identity
    .filter((s) => s.effect === 'Allow' && (s.actions.negated || s.actions.patterns.some((p) => /^[*]+$/.test(p))))
    .map((s) => `${s.policy.name} ${s.sid ? `(${s.sid})` : `statement ${s.index + 1}`}`);
}
