/**
 * The reach graph: who can assume what, across accounts. Edges are trust grants plus, where a grant
 * delegates to a whole account (or is public), the caller's own sts:AssumeRole permission on the target;
 * a same-account grant naming the caller needs no such permission, but its explicit Deny or its
 * boundary still stops the hop (policy/assume.ts).
 * Conditions on grants count as far as the analysis can decide them for the caller (a grant whose condition
 * cannot hold at review time, or pins another principal's ARN, is no edge; Deny statements and org pinning
 * apply); a hop whose condition depends on the request (an external id, MFA, a session tag) is drawn but
 * marked conditional, so a path says "nothing in the policies stops this", or "only if a condition holds".
 *
 * Paths also start at the organization's own front doors (its SAML providers, its EKS clusters' OIDC
 * issuers), because who can sign in where is part of the picture, and at every reviewed role and every
 * inside IAM user a trust names, where they reach an admin-equivalent role (assuming a more privileged role
 * is escalation, inside one account too). `fromOutside` tells all of these apart from paths that start with a
 * party outside the organization, so the rules and the report can single those out.
 */
import type { ActionCatalog } from '../model/action-catalog.js';
import type { PrincipalClass, ReachPath, TrustGrant } from '../model/review.js';
import type { AccessVerdict, PermissionQuestions, PermissionsEngine, PolicyInput, TrustAdmission } from './engine.js';
import { ASSUME_ROLE } from './policy/actions.js';
import { roleNameFromArn } from './policy/arn.js';
import { trustAdmission, trustConditionFor, type CallerFacts } from './policy/assume.js';
import { foreignSourceGuards, isExposedOutside, isPinnedOutside, isUnrestrictedPublic, serviceSourceParty } from './trust/exposure.js';

export interface ReachNode {
  arn: string;
  accountId: string;
  grants: readonly TrustGrant[];
  policies: readonly PolicyInput[];
  boundary?: PolicyInput;
  adminEquivalent: boolean;
  /**
   * Equal for nodes with the same policies and boundary: the engine's answer to "may it call AssumeRole
   * on X" is then the same for all of them, and is asked once for the group.
   */
  policyKey?: string;
}

export interface ReachResult {
  paths: ReachPath[];
  truncated: number;
}

/** Where paths start: parties whose own side of the trust this review cannot see. */
const START_CLASSES: readonly PrincipalClass[] = ['public', 'external', 'known-vendor', 'federated-oidc', 'federated-saml'];

export const REACH_PATH_LIMIT = 2000;

interface Start {
  from: string;
  fromClass: PrincipalClass;
  fromLabel: string;
  /** Outside the organization, drawn where the rules draw it (isExposedOutside), not one of its own IdPs. */
  outside: boolean;
  /** A role inside the review: only paths to admin-equivalent roles are escalation, the rest is noise. */
  adminOnly?: boolean;
  /** The first hops, sorted by target, each with whether it rests on a condition. */
  first: readonly Edge[];
}

/** A start while the grants are read: each target with whether its hop is conditional. */
type PendingStart = Omit<Start, 'first'> & { targets: Map<string, boolean> };

interface Edge {
  to: string;
  conditional: boolean;
}

export function buildReach(
  nodes: readonly ReachNode[],
  engine: PermissionsEngine,
  catalog: ActionCatalog,
  limit = REACH_PATH_LIMIT,
  now?: Date,
  organizationId?: string,
): ReachResult {
  const byArn = new Map(nodes.map((node) => [node.arn, node]));
  const facts: CallerFacts = { ...(now ? { now } : {}), ...(organizationId ? { organizationId } : {}) };
  const starts = startPoints(nodes, facts);
  const edges = roleEdges(nodes, assumeChecker(engine, catalog, now), facts);
  const paths: ReachPath[] = [];
  const walkFrom = walkCache(edges);
  for (const start of [...starts, ...roleStarts(nodes, edges)]) {
    const walked = walkFrom(start.first);
    for (const [to, conditional] of walked.reached) {
      // From a role the review's own principal, only what it gains matters: admin it does not already hold.
      if (start.adminOnly && !byArn.get(to)?.adminEquivalent) continue;
      const path: ReachPath = {
        from: start.from,
        fromClass: start.fromClass,
        fromLabel: start.fromLabel,
        to,
        hops: walked.hopsTo(to),
        targetAdminEquivalent: byArn.get(to)?.adminEquivalent ?? false,
        fromOutside: start.outside,
      };
      if (conditional) path.conditional = true;
      paths.push(path);
    }
  }
  // Admin targets first, then paths from outside the organization: if the list must be truncated, what a
  // reviewer acts on survives and the organization's own sign-in paths to ordinary roles go first.
  paths.sort(
    (a, b) =>
      Number(b.targetAdminEquivalent) - Number(a.targetAdminEquivalent) ||
      Number(b.fromOutside) - Number(a.fromOutside) ||
      a.hops.length - b.hops.length ||
      compare(a.from, b.from) ||
      compare(a.to, b.to),
  );
  return { paths: paths.slice(0, limit), truncated: Math.max(0, paths.length - limit) };
}

interface Walk {
  /** Every role reached, with whether some hop on its shortest path is conditional. */
  reached: [string, boolean][];
  /** The hops of the shortest path to a reached role, built when a start keeps it. */
  hopsTo(arn: string): string[];
}

/** Breadth-first from the first hops, so the path recorded for each role is a shortest one. */
function walk(first: readonly Edge[], edges: ReadonlyMap<string, Edge[]>): Walk {
  // Parent links rather than a copy of the hops at every role: most roles reached are never reported.
  const seen = new Map<string, { parent: string | undefined; conditional: boolean; hops?: string[] }>();
  let frontier = first.map((edge) => edge.to);
  for (const edge of first) seen.set(edge.to, { parent: undefined, conditional: edge.conditional });
  while (frontier.length > 0) {
    const next: string[] = [];
    for (const arn of frontier) {
      const conditional = seen.get(arn)?.conditional ?? false;
      for (const edge of edges.get(arn) ?? []) {
        if (seen.has(edge.to)) continue;
        seen.set(edge.to, { parent: arn, conditional: conditional || edge.conditional });
        next.push(edge.to);
      }
    }
    frontier = next;
  }
  const hopsTo = (arn: string): string[] => {
    const entry = seen.get(arn);
    if (!entry) return [];
    if (!entry.hops) entry.hops = entry.parent === undefined ? [arn] : [...hopsTo(entry.parent), arn];
    return entry.hops;
  };
  return { reached: [...seen].map(([to, { conditional }]): [string, boolean] => [to, conditional]), hopsTo };
}

/**
 * Walks kept by their first hops: two starts with the same first hops (and the same conditions on them)
 * reach the same roles the same way, and roles with the same policies mostly have the same first hops.
 */
function walkCache(edges: ReadonlyMap<string, Edge[]>): (first: readonly Edge[]) => Walk {
  const buckets = new Map<string, { first: readonly Edge[]; walk: Walk }[]>();
  const same = (a: readonly Edge[], b: readonly Edge[]): boolean => a === b || (a.length === b.length && a.every((edge, i) => edge.to === b[i]?.to && edge.conditional === b[i]?.conditional));
  return (first) => {
    // A cheap key narrows the candidates; the full comparison makes a hit certain.
    const key = `${first.length}\n${first[0]?.to ?? ''}\n${first.at(-1)?.to ?? ''}`;
    let bucket = buckets.get(key);
    if (!bucket) buckets.set(key, (bucket = []));
    const hit = bucket.find((entry) => same(entry.first, first));
    if (hit) return hit.walk;
    const walked = walk(first, edges);
    bucket.push({ first, walk: walked });
    return walked;
  };
}

function startPoints(nodes: readonly ReachNode[], facts: CallerFacts): Start[] {
  const starts = new Map<string, PendingStart>();
  for (const node of nodes) {
    for (const grant of node.grants) {
      if (grant.negatedBy) continue;
      const source = serviceSourceParty(grant);
      if (source === 'outside' || source === 'vendor') {
        // A service acting for a foreign account's resource is that account's way in.
        const accounts = foreignSourceGuards(grant).flatMap((guard) => guard.values);
        const from = accounts.join(', ');
        const start = starts.get(from) ?? {
          from,
          fromClass: source === 'vendor' ? 'known-vendor' : 'external',
          fromLabel: `Resources of ${accounts.join(', ')} through ${grant.principal.raw}`,
          outside: true,
          targets: new Map<string, boolean>(),
        };
        start.targets.set(node.arn, false);
        starts.set(from, start);
        continue;
      }
      if (isInsideUser(grant)) {
        // IAM users are not collected, so their own permissions are unknown: only what they gain is shown.
        const from = grant.principal.raw;
        const condition = trustConditionFor(grant, { arn: from, accountId: grant.principal.accountId ?? '' }, node.accountId, { ...facts, kind: 'user' });
        if (condition === 'false') continue;
        const start = starts.get(from) ?? {
          from,
          fromClass: grant.principal.class,
          fromLabel: grant.principal.label,
          outside: false,
          targets: new Map<string, boolean>(),
          adminOnly: true,
        };
        // Through two grants, the hop is conditional only if both are.
        start.targets.set(node.arn, (start.targets.get(node.arn) ?? true) && condition === 'unknown');
        starts.set(from, start);
        continue;
      }
      if (!START_CLASSES.includes(grant.principal.class)) continue;
      const pinned = isPinnedOutside(grant);
      if (grant.principal.class === 'public' && !isUnrestrictedPublic(grant) && !pinned) continue;
      const { from, fromLabel } = pinned ? pinnedStart(grant) : { from: startId(grant), fromLabel: grant.principal.label };
      const start = starts.get(from) ?? { from, fromClass: grant.principal.class, fromLabel, outside: false, targets: new Map<string, boolean>() };
      start.outside ||= isExposedOutside(grant);
      start.targets.set(node.arn, false);
      starts.set(from, start);
    }
  }
  return [...starts.values()]
    .sort((a, b) => compare(a.from, b.from))
    .map(({ targets, ...start }) => ({ ...start, first: [...targets].sort(([a], [b]) => compare(a, b)).map(([to, conditional]) => ({ to, conditional })) }));
}

/**
 * Every reviewed role is a start too: inside one account a role that may assume a more privileged one
 * escalates, whoever first got hold of it. Only non-admin roles, and only towards admin-equivalent roles.
 */
function roleStarts(nodes: readonly ReachNode[], edges: ReadonlyMap<string, Edge[]>): Start[] {
  const starts: Start[] = [];
  for (const node of nodes) {
    const next = edges.get(node.arn) ?? [];
    if (node.adminEquivalent || next.length === 0) continue;
    starts.push({
      from: node.arn,
      fromClass: 'same-account',
      fromLabel: `Role ${roleNameFromArn(node.arn) ?? node.arn} (account ${node.accountId})`,
      outside: false,
      adminOnly: true,
      first: next,
    });
  }
  return starts;
}

/** An IAM user of the organization named in a trust policy: a principal too, though not a reviewed one. */
function isInsideUser(grant: TrustGrant): boolean {
  const { kind, class: principalClass } = grant.principal;
  return (kind === 'user' || kind === 'assumed-role') && (principalClass === 'same-account' || principalClass === 'org-account') && (grant.assumeActions ?? []).includes(ASSUME_ROLE);
}

function startId(grant: TrustGrant): string {
  const principal = grant.principal;
  if (principal.kind === 'account' && principal.accountId) return principal.accountId;
  return principal.kind === 'wildcard' ? '*' : principal.raw;
}

/** A public grant pinned by conditions starts from the parties its conditions name, not from anyone. */
function pinnedStart(grant: TrustGrant): { from: string; fromLabel: string } {
  const pins = grant.guards.filter((guard) => guard.effective && guard.party !== undefined && guard.party !== 'inside');
  const values = pins.flatMap((guard) => guard.values);
  return {
    from: values.join(', '),
    fromLabel: `Principals matching ${pins.map((guard) => `${guard.key} ${guard.values.join(', ')}`).join(' and ')}`,
  };
}

/** Role-to-role edges inside the snapshot: A -> B when B's trust admits A and A may call AssumeRole on B. */
function roleEdges(nodes: readonly ReachNode[], mayAssume: AssumeChecker, facts: CallerFacts): Map<string, Edge[]> {
  const byAccount = new Map<string, ReachNode[]>();
  // Role names are unique within an account whatever their path, and a trust names a role by account and name.
  const byName = new Map<string, ReachNode>();
  for (const node of nodes) {
    const list = byAccount.get(node.accountId);
    if (list) list.push(node);
    else byAccount.set(node.accountId, [node]);
    byName.set(`${node.accountId}/${roleNameFromArn(node.arn) ?? node.arn}`, node);
  }
  const named = (principal: TrustGrant['principal'], accountId: string): ReachNode[] => {
    const name = roleNameFromArn(principal.raw);
    const node = name === undefined ? nodes.find((n) => n.arn === principal.raw) : byName.get(`${accountId}/${name}`);
    return node ? [node] : [];
  };
  // Keyed by target too: an account-wide grant gives a caller thousands of edges, and a scan per edge
  // made building them quadratic.
  const edgeMaps = new Map<string, Map<string, Edge>>();
  const add = (from: ReachNode, to: ReachNode, conditional: boolean): void => {
    let list = edgeMaps.get(from.arn);
    if (!list) edgeMaps.set(from.arn, (list = new Map()));
    const existing = list.get(to.arn);
    if (existing) existing.conditional = existing.conditional && conditional;
    else list.set(to.arn, { to: to.arn, conditional });
  };
  const groups = new Map<string, ReachNode[][]>();
  const groupsOf = (accountId: string): ReachNode[][] => {
    let list = groups.get(accountId);
    if (!list) {
      const byKey = new Map<string, ReachNode[]>();
      for (const node of byAccount.get(accountId) ?? []) {
        const key = node.policyKey ?? node.arn;
        const members = byKey.get(key);
        if (members) members.push(node);
        else byKey.set(key, [node]);
      }
      groups.set(accountId, (list = [...byKey.values()]));
    }
    return list;
  };
  for (const target of nodes) {
    for (const grant of target.grants) {
      if (grant.negatedBy || !(grant.assumeActions ?? []).includes(ASSUME_ROLE)) continue;
      const principal = grant.principal;
      if (principal.kind === 'role' && principal.accountId) {
        for (const caller of named(principal, principal.accountId)) {
          if (caller.arn === target.arn) continue;
          // Naming a role in the same account needs no identity Allow, but a Deny or its boundary can still stop it.
          const admission = trustAdmission(grant, caller, target.accountId);
          if (!admission) continue;
          const condition = trustConditionFor(grant, caller, target.accountId, facts);
          if (condition !== 'false') addIfAllowed(caller, target, admission, condition === 'unknown', mayAssume, add);
        }
      } else if (principal.kind === 'account' && principal.accountId) {
        for (const group of groupsOf(principal.accountId)) addGroupIfAllowed(group, target, grant, facts, mayAssume, add);
      } else if (principal.kind === 'wildcard' && isUnrestrictedPublic(grant)) {
        for (const accountId of byAccount.keys()) for (const group of groupsOf(accountId)) addGroupIfAllowed(group, target, grant, facts, mayAssume, add);
      }
    }
  }
  const edges = new Map<string, Edge[]>();
  for (const [from, list] of edgeMaps) edges.set(from, [...list.values()].sort((a, b) => compare(a.to, b.to)));
  return edges;
}

type AssumeChecker = (caller: ReachNode, target: ReachNode, admission: TrustAdmission) => AccessVerdict | undefined;

/** sts:AssumeRole checks, with each caller's policies parsed once when the engine offers an evaluator. */
function assumeChecker(engine: PermissionsEngine, catalog: ActionCatalog, now?: Date): AssumeChecker {
  const evaluators = new Map<string, PermissionQuestions>();
  return (caller, target, admission) => {
    try {
      if (engine.createPermissionEvaluator) {
        let evaluator = evaluators.get(caller.arn);
        if (!evaluator) {
          evaluator = engine.createPermissionEvaluator([...caller.policies], catalog, caller.boundary, { principalArn: caller.arn, ...(now ? { now } : {}) });
          evaluators.set(caller.arn, evaluator);
        }
        return evaluator.canAssume(target.arn, admission);
      }
      return engine.canAssume([...caller.policies], target.arn, admission, catalog, caller.boundary);
    } catch {
      return undefined; // an evaluation failure shows on the role's permission summary, not guessed here
    }
  };
}

function addIfAllowed(
  caller: ReachNode,
  target: ReachNode,
  admission: TrustAdmission,
  trustConditional: boolean,
  mayAssume: AssumeChecker,
  add: (from: ReachNode, to: ReachNode, conditional: boolean) => void,
): void {
  const verdict = mayAssume(caller, target, admission);
  if (verdict?.allowed) add(caller, target, verdict.conditional || trustConditional);
}

/** One question for callers with the same policies; each of them but the target itself gets the edge. */
function addGroupIfAllowed(
  group: readonly ReachNode[],
  target: ReachNode,
  grant: TrustGrant,
  facts: CallerFacts,
  mayAssume: AssumeChecker,
  add: (from: ReachNode, to: ReachNode, conditional: boolean) => void,
): void {
  const first = group.find((caller) => caller.arn !== target.arn);
  if (!first) return;
  // Same for the whole group: an account-wide or public grant always leaves it to the identity policies.
  const admission = trustAdmission(grant, first, target.accountId);
  if (!admission) return;
  const verdict = mayAssume(first, target, admission);
  if (!verdict?.allowed) return;
  // The grant's own conditions may still tell the callers apart (an aws:PrincipalArn pin).
  for (const caller of group) {
    if (caller.arn === target.arn) continue;
    const condition = trustConditionFor(grant, caller, target.accountId, facts);
    if (condition !== 'false') add(caller, target, verdict.conditional || condition === 'unknown');
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
