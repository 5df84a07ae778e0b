/**
 * Shares permission summaries across roles with the same policies. In a large organization thousands of
 * roles attach the same few managed policies, and each summary walks the whole action catalogue; the
 * summary is computed once per distinct policy set and handed to every role that has it. An inline
 * policy counts by its content: roles that differ only in what they named the same inline policy share a
 * summary computed under a placeholder name, and each gets its own name back in the evidence.
 *
 * A summary can depend on the role's own ARN (can it grant itself? see permissions/admin-equivalence.ts),
 * so two roles share one only when every Resource and NotResource pattern of their policies matches both
 * ARNs alike and they are in the same partition. Policies that name the principal some other way (policy
 * variables, principal condition keys) are never shared: their summary is computed per role.
 */
import type { ActionCatalog } from '../model/action-catalog.js';
import type { PermissionSummary } from '../model/review.js';
import type { RoleRecord } from '../model/snapshot.js';
import type { AccessVerdict, PermissionQuestions, PermissionsEngine, PolicyInput } from './engine.js';
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

// IAM policy names are [\w+=,.@-]+, so a name with braces can never be a real one.
const PLACEHOLDER_MARK = '{inline-policy#';
const placeholder = (i: number): string => `${PLACEHOLDER_MARK}${i}}`;
const PLACEHOLDERS = /\{inline-policy#\d+\}/g;

/** A deep copy with the placeholder names replaced by the role's own. */
function rename<T>(value: T, names: ReadonlyMap<string, string>): T {
  if (typeof value === 'string') return (value.includes(PLACEHOLDER_MARK) ? value.replace(PLACEHOLDERS, (t) => names.get(t) ?? t) : value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => rename(v, names)) as T;
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rename(v, names)])) as T;
  }
  return value;
}

export interface SharedPermissions {
  summarize(role: Pick<RoleRecord, 'arn'>, resolved: RolePolicies): PermissionSummary;
  /**
   * The engine with one evaluator per distinct policy set, its answers remembered: the reach graph asks
   * "may this caller assume that role?" for every caller an account-wide grant admits, and callers with
   * the same policies get the same answer. (An evaluator is built without the caller's ARN, so nothing
   * principal-specific is lost.)
   */
  engine(): PermissionsEngine;
  /** Names the policy set: equal keys, equal documents (by content), names, kinds and boundary. */
  keyOf(policies: readonly PolicyInput[], boundary?: PolicyInput): string;
  /** Summaries computed, against roles summarized: how much was shared. */
  stats(): { computed: number; roles: number };
}

/** `now` is the review's instant: time conditions (aws:CurrentTime) are judged against it, the same for every role. */
export function sharedPermissions(catalog: ActionCatalog, engine: PermissionsEngine, now?: Date): SharedPermissions {
  // Documents are keyed by content; the same object (a managed policy every role attaches) is read once.
  const byObject = new WeakMap<object, DocumentFacts>();
  const byText = new Map<string, DocumentFacts>();
  const summaries = new Map<string, { summary: PermissionSummary; named: boolean }>();
  // Only an engine that says names are mere labels gets inline policies under placeholder names.
  const byContent = engine.namesAreLabels === true;
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

  // Inline policies are keyed by content alone: most roles carry their own copy of a common inline policy
  // under a name of their own, and the name only labels evidence (see summarize below).
  const setKey = (policies: readonly PolicyInput[], boundary: PolicyInput | undefined): string =>
    [
      boundary ? `b${facts(boundary).id}` : '',
      ...policies.map((p) => (p.kind === 'inline' && byContent ? `inline\u0001${facts(p).id}` : `${p.kind}\u0001${p.name}\u0001${p.arn ?? ''}\u0001${facts(p).id}`)),
    ].join('\u0000');

  let wrapped: PermissionsEngine | undefined;
  const sharedEngine = (): PermissionsEngine => {
    if (wrapped) return wrapped;
    const create = engine.createPermissionEvaluator?.bind(engine);
    if (!create) return (wrapped = engine);
    const evaluators = new Map<string, PermissionQuestions>();
    wrapped = {
      ...engine,
      createPermissionEvaluator(policies, catalogue, boundary) {
        const key = setKey(policies, boundary);
        let shared = evaluators.get(key);
        if (!shared) {
          const inner = create(policies, catalogue, boundary);
          const answers = new Map<string, AccessVerdict>();
          shared = {
            isAllowed(action, resourceArn) {
              const k = `${action}\u0000${resourceArn}`;
              let verdict = answers.get(k);
              if (!verdict) answers.set(k, (verdict = inner.isAllowed(action, resourceArn)));
              return verdict;
            },
            canAssume(roleArn, admission) {
              const k = `\u0001${admission}\u0000${roleArn}`;
              let verdict = answers.get(k);
              if (!verdict) answers.set(k, (verdict = inner.canAssume(roleArn, admission)));
              return verdict;
            },
          };
          evaluators.set(key, shared);
        }
        return shared;
      },
    };
    return wrapped;
  };

  return {
    engine: sharedEngine,
    keyOf: setKey,
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
        key = `${partition}\u0000${matches}\u0000${setKey(resolved.policies, resolved.boundary)}`;
      }
      let shared = summaries.get(key);
      if (!shared) {
        computed += 1;
        // Inline policies go in under placeholder names, put back per role below. The role-specific gaps
        // (missing attached policies) are added below too, so the shared part has none.
        const policies = byContent ? resolved.policies.map((p, i) => (p.kind === 'inline' ? { ...p, name: placeholder(i) } : p)) : resolved.policies;
        const summary = summarizeRolePermissions(role, { policies, ...(resolved.boundary ? { boundary: resolved.boundary } : {}), gaps: [] }, catalog, engine, now);
        shared = { summary, named: JSON.stringify(summary).includes(PLACEHOLDER_MARK) };
        summaries.set(key, shared);
      }
      const names = new Map(resolved.policies.flatMap((p, i) => (p.kind === 'inline' ? [[placeholder(i), p.name] as const] : [])));
      // A copy per role (deep where names go back in), so nothing downstream can change another role's summary.
      const own = shared.named ? rename(shared.summary, names) : { ...shared.summary };
      return { ...own, gaps: [...own.gaps, ...resolved.gaps] };
    },
    stats: () => ({ computed, roles }),
  };
}
