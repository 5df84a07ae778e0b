/**
 * Shares permission summaries across roles with the same policies. In a large organization thousands of
 * roles attach the same few managed policies, and each summary walks the whole action catalogue; the
 * summary is computed once per distinct policy set and handed to every role that has it.
 *
 * A summary can depend on the role's own ARN (can it grant itself? see permissions/admin-equivalence.ts),
 * so two roles share one only when every Resource and NotResource pattern of their policies matches both
 * ARNs alike and they are in the same partition. Policies that name the principal some other way (policy
 * variables, principal condition keys) are never shared: their summary is computed per role.
 */
import type { ActionCatalog } from '../model/action-catalog.js';
import type { PermissionSummary } from '../model/review.js';
import type { RoleRecord } from '../model/snapshot.js';
import type { PermissionsEngine, PolicyInput } from './engine.js';
import { globMatch } from './permissions/glob.js';
import { summarizeRolePermissions, type RolePolicies } from './role-permissions.js';

interface DocumentFacts {
  id: number;
  /** Resource and NotResource patterns, as written. */
  resources: string[];
  /** The document names the principal in a way pattern matching does not capture. */
  principalSpecific: boolean;
}

const PRINCIPAL_SPECIFIC = /\$\{|aws:principal|aws:userid|aws:username|aws:sourceidentity|aws:rolesessionname/i;

function resourcePatterns(document: unknown): string[] {
  const out: string[] = [];
  const statements = (document as { Statement?: unknown } | null)?.Statement;
  for (const s of Array.isArray(statements) ? statements : [statements]) {
    if (typeof s !== 'object' || s === null) continue;
    for (const field of ['Resource', 'NotResource'] as const) {
      const v = (s as Record<string, unknown>)[field];
      for (const p of Array.isArray(v) ? v : [v]) if (typeof p === 'string') out.push(p);
    }
  }
  return out;
}

export interface SharedPermissions {
  summarize(role: Pick<RoleRecord, 'arn'>, resolved: RolePolicies): PermissionSummary;
  /** Summaries computed, against roles summarized: how much was shared. */
  stats(): { computed: number; roles: number };
}

export function sharedPermissions(catalog: ActionCatalog, engine: PermissionsEngine): SharedPermissions {
  // Documents are keyed by content; the same object (a managed policy every role attaches) is read once.
  const byObject = new WeakMap<object, DocumentFacts>();
  const byText = new Map<string, DocumentFacts>();
  const summaries = new Map<string, PermissionSummary>();
  let computed = 0;
  let roles = 0;

  const facts = (input: PolicyInput): DocumentFacts => {
    const field = input.policy as object;
    const known = byObject.get(field);
    if (known) return known;
    const text = JSON.stringify(input.policy);
    let f = byText.get(text);
    if (!f) {
      const document = input.policy.ok ? input.policy.document : undefined;
      f = { id: byText.size, resources: resourcePatterns(document), principalSpecific: PRINCIPAL_SPECIFIC.test(text) };
      byText.set(text, f);
    }
    byObject.set(field, f);
    return f;
  };

  return {
    summarize(role, resolved) {
      roles += 1;
      const inputs = resolved.boundary ? [...resolved.policies, resolved.boundary] : resolved.policies;
      const docs = inputs.map(facts);
      let key: string;
      if (docs.some((d) => d.principalSpecific)) key = `role:${role.arn}`;
      else {
        // Which patterns match this role's ARN: roles alike on every pattern get the same answers.
        const patterns = [...new Set(docs.flatMap((d) => d.resources))].sort();
        const matches = patterns.map((p) => (globMatch(p, role.arn) ? '1' : '0')).join('');
        const partition = /^arn:([^:]+):/.exec(role.arn)?.[1] ?? 'aws';
        key = [
          partition,
          matches,
          resolved.boundary ? `b${facts(resolved.boundary).id}` : '',
          ...resolved.policies.map((p, i) => `${p.kind}\u0001${p.name}\u0001${p.arn ?? ''}\u0001${docs[i]?.id}`),
        ].join('\u0000');
      }
      let summary = summaries.get(key);
      if (!summary) {
        computed += 1;
        // The role-specific gaps (missing attached policies) are added below, so the shared part has none.
        summary = summarizeRolePermissions(role, { policies: resolved.policies, ...(resolved.boundary ? { boundary: resolved.boundary } : {}), gaps: [] }, catalog, engine);
        summaries.set(key, summary);
      }
      // A fresh top level per role, so nothing downstream can change another role's summary by accident.
      return { ...summary, gaps: [...summary.gaps, ...resolved.gaps] };
    },
    stats: () => ({ computed, roles }),
  };
}
