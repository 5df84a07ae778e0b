/**
 * The right-sized policy draft: only the actions a role was seen to use (plus the untracked actions of
 * services it used), listed explicitly from the catalogue rather than as "service:*", each under the
 * Resource/NotResource and Condition of the statement that grants it today, and the Deny statements that
 * still bear on what it keeps. A proposal for a human to review, labelled with the window it rests on.
 */
import type { AccessLevel } from '../../model/action-catalog.js';
import type { DraftStatement, PolicyDraft } from '../../model/least-privilege.js';
import type { GrantedActionInfo, PolicyInput } from '../engine.js';
import { wildcardMatch } from '../wildcard.js';

/** IAM's size limits (characters, whitespace excluded): inline role policies and managed policies. */
export const INLINE_POLICY_LIMIT = 10_240;
export const MANAGED_POLICY_LIMIT = 6_144;

export interface DraftInput {
  accountId: string;
  roleName: string;
  kept: readonly GrantedActionInfo[];
  policies: readonly PolicyInput[];
  window: { start: string; end: string; days: number };
  notTracked: readonly string[];
  hasBoundary: boolean;
}

type JsonStatement = Record<string, unknown>;

function statementsOf(input: PolicyInput): JsonStatement[] {
  if (!input.policy.ok) return [];
  const doc = input.policy.document as { Statement?: unknown } | null;
  const raw = doc?.Statement;
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return list.map((s) => (typeof s === 'object' && s !== null && !Array.isArray(s) ? (s as JsonStatement) : {}));
}

const strings = (v: unknown): string[] => (typeof v === 'string' ? [v] : Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/**
 * The draft's path in the run. IAM role names use only [A-Za-z0-9+=,.@_-], but a snapshot from elsewhere
 * is untrusted input: anything else (a slash above all) becomes "_", so the path stays inside policies/.
 */
export function draftFile(accountId: string, roleName: string): string {
  const safe = (s: string): string => s.replace(/[^A-Za-z0-9+=,.@_-]/g, '_').replace(/^\.+$/, '_');
  return `policies/${safe(accountId)}/${safe(roleName)}.json`;
}

function sidOf(n: number, prefix: string): string {
  return `${prefix}${n}`;
}

export function buildDraft(input: DraftInput): PolicyDraft {
  const byStatement = new Map<string, { policy: PolicyInput; index: number; actions: Set<string> }>();
  for (const a of input.kept) {
    for (const ref of a.allowedBy) {
      const policy = input.policies.find((p) => p.name === ref.policy && (ref.policyArn === undefined || p.arn === ref.policyArn));
      if (!policy) continue;
      const key = `${policy.arn ?? policy.name}#${ref.statement}`;
      const entry = byStatement.get(key) ?? { policy, index: ref.statement, actions: new Set<string>() };
      entry.actions.add(a.action);
      byStatement.set(key, entry);
    }
  }

  const unplaced = input.kept.filter((a) => a.allowedBy.length === 0).map((a) => a.action);
  const statements: DraftStatement[] = [];
  let n = 0;
  for (const { policy, index, actions } of byStatement.values()) {
    const source = statementsOf(policy)[index] ?? {};
    const s: DraftStatement = { Sid: sidOf(++n, 'ObservedUse'), Effect: 'Allow', Action: [...actions].sort() };
    if (source['NotResource'] !== undefined) s.NotResource = source['NotResource'];
    else s.Resource = source['Resource'] ?? '*';
    if (source['Condition'] !== undefined) s.Condition = source['Condition'];
    statements.push(s);
  }
  // A Deny that names a kept action still applies to it; copying it keeps the draft no wider than today.
  const keptLower = input.kept.map((a) => a.action.toLowerCase());
  let d = 0;
  for (const policy of input.policies) {
    for (const source of statementsOf(policy)) {
      if (source['Effect'] !== 'Deny') continue;
      const negated = source['NotAction'] !== undefined;
      const patterns = strings(negated ? source['NotAction'] : source['Action']).map((p) => p.toLowerCase());
      const touches = keptLower.some((k) => patterns.some((p) => wildcardMatch(p, k, { questionMark: true })) !== negated);
      if (!touches) continue;
      const s: DraftStatement = { Sid: sidOf(++d, 'KeptDeny'), Effect: 'Deny' };
      if (negated) s.NotAction = strings(source['NotAction']);
      else s.Action = strings(source['Action']);
      if (source['NotResource'] !== undefined) s.NotResource = source['NotResource'];
      else s.Resource = source['Resource'] ?? '*';
      if (source['Condition'] !== undefined) s.Condition = source['Condition'];
      statements.push(s);
    }
  }

  const kept = new Map<string, { namespace: string; actions: number; levels: Partial<Record<AccessLevel, number>> }>();
  for (const a of input.kept) {
    const k = kept.get(a.service) ?? { namespace: a.service, actions: 0, levels: {} };
    k.actions += 1;
    k.levels[a.accessLevel] = (k.levels[a.accessLevel] ?? 0) + 1;
    kept.set(a.service, k);
  }

  const document: PolicyDraft['document'] = { Version: '2012-10-17', Statement: statements };
  const notes: string[] = [];
  if (statements.length === 0) {
    notes.push('The role used none of its permissions in the window: the draft allows nothing. Consider deleting the role or its outside trust instead.');
  }
  const size = JSON.stringify(document).length;
  if (size > INLINE_POLICY_LIMIT) {
    notes.push(`At ${size} characters the draft exceeds IAM's inline role policy limit (${INLINE_POLICY_LIMIT}) and managed policy limit (${MANAGED_POLICY_LIMIT}): split it, or use wildcards for the services it keeps whole.`);
  } else if (size > MANAGED_POLICY_LIMIT) {
    notes.push(`At ${size} characters the draft fits an inline role policy but exceeds the managed policy limit (${MANAGED_POLICY_LIMIT}).`);
  }
  if (input.notTracked.length > 0) {
    notes.push(
      `Access Advisor reports nothing for ${input.notTracked.length} granted service(s) (${input.notTracked.slice(0, 8).join(', ')}${input.notTracked.length > 8 ? ', …' : ''}); the draft leaves them out without evidence either way — add back any the role needs.`,
    );
  }
  if (unplaced.length > 0) {
    notes.push(`No current statement could be traced for ${unplaced.length} used action(s) (${unplaced.slice(0, 5).join(', ')}); they are not in the draft: add them with the resources they need.`);
  }
  if (input.hasBoundary) notes.push('The role has a permissions boundary; keep it: the draft is the identity policy only.');
  return {
    label: `Draft computed from observed use between ${input.window.start.slice(0, 10)} and ${input.window.end.slice(0, 10)} (${input.window.days} days, IAM Access Advisor); review before applying.`,
    window: { start: input.window.start, end: input.window.end },
    file: draftFile(input.accountId, input.roleName),
    document,
    kept: [...kept.values()].sort((a, b) => a.namespace.localeCompare(b.namespace)),
    notes,
  };
}
