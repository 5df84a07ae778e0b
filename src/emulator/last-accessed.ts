/**
 * The synthetic org's Access Advisor data: per role, the services its permission policies allow (from the
 * emulator's service list) and which of them it used. Use agrees with the rest of the org: only roles IAM
 * reports as used (RoleLastUsed) used anything, the newest service use is the role's last use, and every
 * other use falls on one of the role's own successful assumptions in the event history.
 */
import { ADVISOR_SERVICES, isTrackedAction, type AdvisorService } from './access-advisor-services.js';
import type { Json, ServiceAccessTruth, SyntheticManagedPolicy, SyntheticRole } from './org-types.js';
import { hash32, Rng } from './prng.js';

interface Statement {
  effect: 'Allow' | 'Deny';
  actions: string[];
  negated: boolean;
  /** A Deny narrowed by Resource or Condition does not remove the whole service. */
  unconditional: boolean;
}

const list = (v: Json | undefined): string[] =>
  typeof v === 'string' ? [v] : Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];

function statements(doc: Json): Statement[] {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return [];
  const raw = doc['Statement'];
  const all = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  const out: Statement[] = [];
  for (const s of all) {
    if (typeof s !== 'object' || s === null || Array.isArray(s)) continue;
    const effect = s['Effect'] === 'Deny' ? 'Deny' : 'Allow';
    const negated = s['NotAction'] !== undefined;
    const resources = list(s['Resource']);
    out.push({
      effect,
      actions: list(negated ? s['NotAction'] : s['Action']).map((a) => a.toLowerCase()),
      negated,
      unconditional: s['Condition'] === undefined && resources.includes('*'),
    });
  }
  return out;
}

const compiled = new Map<string, RegExp>();

function glob(pattern: string, value: string): boolean {
  if (!pattern.includes('*') && !pattern.includes('?')) return pattern === value;
  let re = compiled.get(pattern);
  if (!re) {
    re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
    compiled.set(pattern, re);
  }
  return re.test(value);
}

function names(s: Statement, action: string): boolean {
  const hit = s.actions.some((p) => glob(p, action));
  return s.negated ? !hit : hit;
}

/** The emulator's services and actions the role's permission policies allow (resources aside, as IAM does). */
export function allowedByPolicies(role: SyntheticRole, managed: ReadonlyMap<string, SyntheticManagedPolicy>): Map<AdvisorService, string[]> {
  const docs: Json[] = role.inlinePolicies.map((p) => p.document);
  for (const arn of role.attachedPolicyArns) {
    const p = managed.get(arn);
    const v = p?.versions.find((x) => x.isDefault);
    if (v) docs.push(v.document);
  }
  const all = docs.flatMap(statements);
  const allows = all.filter((s) => s.effect === 'Allow');
  const denies = all.filter((s) => s.effect === 'Deny' && s.unconditional);
  const out = new Map<AdvisorService, string[]>();
  for (const service of ADVISOR_SERVICES) {
    const actions = service.actions.filter((a) => {
      const key = `${service.namespace}:${a}`.toLowerCase();
      return allows.some((s) => names(s, key)) && !denies.some((s) => names(s, key));
    });
    if (actions.length > 0) out.set(service, actions);
  }
  return out;
}

export interface AccessInput {
  role: SyntheticRole;
  managed: ReadonlyMap<string, SyntheticManagedPolicy>;
  /** The role's successful assumptions in the event history (ISO times, any order). */
  assumptions: readonly { time: string; region: string }[];
  seed: number;
}

/** How many of its granted services a role of each usage profile touches. */
const SERVICES_USED = { hot: [2, 5], regular: [1, 4], rare: [1, 2], dormant: [1, 1], never: [0, 0] } as const;

export function serviceAccess(input: AccessInput): ServiceAccessTruth[] {
  const { role } = input;
  const rng = new Rng(hash32(`${input.seed}:access-advisor:${role.arn}`));
  const allowed = allowedByPolicies(role, input.managed);
  const last = role.lastUsed;
  const usedServices = new Set<AdvisorService>();
  if (last) {
    const [min, max] = SERVICES_USED[role.usage];
    const candidates = rng.shuffle([...allowed.keys()]);
    const n = Math.min(candidates.length, Math.max(1, rng.int(min, max)));
    for (const s of candidates.slice(0, n)) usedServices.add(s);
  }
  // Times a use can fall on: the role's own assumptions, newest being its RoleLastUsed.
  const times = [...input.assumptions].filter((a) => !last || a.time <= last.date).sort((a, b) => (a.time < b.time ? 1 : -1));
  const newest = last ? { time: last.date, region: last.region } : undefined;
  let first = true;
  const useAt = (): { time: string; region: string } | undefined => {
    if (!newest) return undefined;
    if (first) {
      first = false;
      return newest;
    }
    return times.length > 0 ? rng.pick(times) : newest;
  };

  const out: ServiceAccessTruth[] = [];
  for (const [service, actions] of [...allowed.entries()].sort(([a], [b]) => a.namespace.localeCompare(b.namespace))) {
    const entry: ServiceAccessTruth = { namespace: service.namespace, name: service.name };
    const tracked = actions.filter((a) => isTrackedAction(service, a));
    if (usedServices.has(service)) {
      const at = useAt();
      if (at) {
        entry.lastAuthenticated = at.time;
        entry.lastAuthenticatedRegion = at.region;
        // The service's newest use is one of its tracked actions (when it has any) at that instant.
        const usedActions = new Set(rng.shuffle(tracked).slice(0, Math.min(tracked.length, rng.int(1, 3))));
        let newestGiven = false;
        if (service.tracked) {
          entry.trackedActions = tracked.map((action) => {
            if (!usedActions.has(action)) return { action };
            const when = newestGiven ? (times.filter((t) => t.time <= at.time)[0] ?? at) : at;
            newestGiven = true;
            return { action, lastAccessed: when.time, region: when.region };
          });
        }
      }
    } else if (service.tracked) {
      entry.trackedActions = tracked.map((action) => ({ action }));
    }
    out.push(entry);
  }
  return out;
}
