/**
 * Escalation judged against the real target. The permission summary flags a method when its actions are
 * allowed on some resource of the right kind; when those resources are concrete and in the snapshot (the
 * role that would be passed, the role or managed policy that would be changed), what that target can do
 * decides: passing a harmless role, or changing a policy no role the principal can use carries, is no
 * escalation. A wildcard, or a target outside the snapshot (functions, stacks, instances are not collected),
 * leaves the method flagged as the summary found it.
 *
 * Runs after every role's summary, per role, so the shared summaries (shared-permissions.ts) stay keyed on
 * policies alone: the verdict here depends on other roles, and is written onto each role's own copy.
 */
import type { PermissionSummary, TrustGrant } from '../model/review.js';
import { ESCALATION_METHODS, type EscalationMethod } from './permissions/escalation-methods.js';
import { resourceMatch } from './permissions/glob.js';
import type { AccessVerdict, TrustAdmission } from './engine.js';
import { mayAssumeRole, type CallerFacts } from './policy/assume.js';

export interface TargetRole {
  arn: string;
  accountId: string;
  permissions: PermissionSummary;
  grants: readonly TrustGrant[];
  /** Managed policy ARNs attached to the role. */
  attached: readonly string[];
}

/**
 * The policy engine's answer to "may `role` assume `target`, admitted by its trust as `admission` says";
 * undefined when that cannot be told (then there is no hop).
 */
export type CanAssume = (role: TargetRole, target: string, admission: TrustAdmission) => AccessVerdict | undefined;

type Escalation = PermissionSummary['privilegeEscalation'][number];
/** `conditional`: harmful only through a role it reaches when some Condition holds (or a conditional Deny does not apply). */
type Verdict = { harmful: boolean; text: string; conditional?: boolean };
type Judged = { harmful: string[]; harmless: string[]; conditional?: boolean };
const ONLY_IF = ' (only if the conditions on the way there hold)';

const METHODS: ReadonlyMap<string, EscalationMethod> = new Map(ESCALATION_METHODS.map((m) => [m.id, m]));
/** Role changes that pay off only through a principal that uses the changed role. */
const ROLE_CHANGES = new Set(['iam:attachrolepolicy', 'iam:putrolepolicy']);
const POLICY_CHANGES = new Set(['iam:createpolicyversion', 'iam:setdefaultpolicyversion']);
const TRUST_CHANGE = 'iam:updateassumerolepolicy';
const MAX_HOPS = 5;

const concrete = (pattern: string): boolean => !/[*?]/.test(pattern) && !pattern.includes('${');

/**
 * What a target offers: being admin-equivalent, or able to escalate itself (as the summary found it,
 * before this judgement, so a chain is never under-stated). Undefined when it offers neither.
 */
function privilege(role: TargetRole): string | undefined {
  if (role.permissions.adminEquivalent) return 'admin-equivalent';
  const methods = role.permissions.privilegeEscalation.map((m) => m.method);
  return methods.length > 0 ? `can itself escalate (${methods.slice(0, 3).join(', ')}${methods.length > 3 ? ', …' : ''})` : undefined;
}

export interface TargetJudgement {
  /** Escalations kept, with targets named; methods judged harmless are gone. */
  privilegeEscalation: Escalation[];
  /** One sentence per method taken away, for the summary's caveats. */
  cleared: string[];
}

export function judgeEscalationTargets(
  roles: readonly TargetRole[],
  canAssume: CanAssume,
  inventoried: ReadonlySet<string> = new Set(),
  facts: CallerFacts = {},
): Map<string, TargetJudgement> {
  const byArn = new Map(roles.map((r) => [r.arn, r]));
  const attachedTo = new Map<string, TargetRole[]>();
  for (const role of roles) for (const arn of role.attached) (attachedTo.get(arn) ?? attachedTo.set(arn, []).get(arn))?.push(role);
  const reachable = reachability(roles, byArn, canAssume, facts);

  const out = new Map<string, TargetJudgement>();
  for (const role of roles) {
    const kept: Escalation[] = [];
    const cleared: string[] = [];
    const lookup: Lookup = { byArn, inventoried, attachedTo, reachable: reachable(role) };
    for (const escalation of role.permissions.privilegeEscalation) {
      const verdict = judgeOne(role, escalation, lookup);
      if (verdict === undefined) kept.push(escalation);
      else if (verdict.harmful.length > 0) kept.push({ ...escalation, targets: verdict.harmful, ...(verdict.conditional ? { conditional: true } : {}) });
      else cleared.push(`${escalation.method} is not an escalation here: ${verdict.harmless.join('; ')}.`);
    }
    out.set(role.arn, { privilegeEscalation: kept, cleared });
  }
  return out;
}

interface Lookup {
  byArn: ReadonlyMap<string, TargetRole>;
  /** Accounts whose roles were all collected: a managed policy of theirs that no role carries is carried by none. */
  inventoried: ReadonlySet<string>;
  attachedTo: ReadonlyMap<string, TargetRole[]>;
  /** Roles the principal can become: itself and every role it reaches by assuming roles. */
  reachable: Reach;
}

/** Undefined: no step has a concrete target in the snapshot, so the summary's verdict stands. */
function judgeOne(role: TargetRole, escalation: Escalation, lookup: Lookup): Judged | undefined {
  const method = METHODS.get(escalation.method);
  if (!method || !escalation.steps) return undefined;
  const actions = method.requires.map((s) => s.action.toLowerCase());
  const trustStep = actions.indexOf(TRUST_CHANGE);
  const changeStep = actions.findIndex((a) => ROLE_CHANGES.has(a) || POLICY_CHANGES.has(a));
  if (trustStep >= 0 && changeStep >= 0) return judgeCombined(role, escalation.steps, changeStep, trustStep, actions[changeStep] ?? '', lookup);
  const harmful: string[] = [];
  const harmless: string[] = [];
  let judged = false;
  let conditional = false;
  for (const [i, step] of method.requires.entries()) {
    const allowed = escalation.steps[i];
    if (!allowed || allowed.resources.length === 0 || !allowed.resources.every(concrete)) continue;
    const action = step.action.toLowerCase();
    const service = step.context?.['iam:passedtoservice'];
    // The passed role must trust the principal that runs as it, which is not always the PassedToService value.
    const runners = step.assumedBy ?? (step.contexts ?? [step.context]).map((c) => c?.['iam:passedtoservice']).filter((v): v is string => v !== undefined);
    let verdicts: Verdict[] | undefined;
    if (action === 'iam:passrole' && service) verdicts = judgeEach(allowed.resources, lookup.byArn, (t) => passed(role, t, service, runners));
    else if (ROLE_CHANGES.has(action)) verdicts = judgeEach(allowed.resources, lookup.byArn, (t) => changedRole(role, t, lookup.reachable));
    else if (action === TRUST_CHANGE) verdicts = judgeEach(allowed.resources, lookup.byArn, (t) => retrusted(role, t));
    else if (POLICY_CHANGES.has(action)) verdicts = judgePolicies(allowed.resources, lookup);
    if (verdicts === undefined) continue;
    judged = true;
    // Every step is needed: one step whose every target is harmless defeats the method.
    const bad = verdicts.filter((v) => v.harmful);
    if (bad.length === 0) return { harmful: [], harmless: verdicts.map((v) => v.text) };
    harmful.push(...bad.map((v) => v.text));
    harmless.push(...verdicts.filter((v) => !v.harmful).map((v) => v.text));
    conditional ||= bad.every((v) => v.conditional === true);
  }
  return judged ? { harmful, harmless, ...(conditional ? { conditional } : {}) } : undefined;
}

/**
 * A role's permissions written and its trust rewritten together (pathfinding.cloud iam-019..021) need
 * neither a privileged nor a reachable role: the method makes one role both. So the question is whether
 * some role is open to both steps. When the change step's targets are concrete and in the snapshot, the
 * roles it would make privileged are known (the roles named, or the roles carrying the policies named) and
 * each stands if the principal may rewrite its trust or already reaches it; when instead the trust step's
 * targets are concrete, each rewritten role stands if the change step reaches it (its ARN, or a customer
 * policy it carries) or it is privileged already. Wildcards on both sides leave the method flagged.
 */
function judgeCombined(
  role: TargetRole,
  steps: NonNullable<Escalation['steps']>,
  changeStep: number,
  trustStep: number,
  changeAction: string,
  lookup: Lookup,
): Judged | undefined {
  const changeOn = steps[changeStep]?.resources ?? [];
  const trustOn = steps[trustStep]?.resources ?? [];
  if (changeOn.length === 0 || trustOn.length === 0) return undefined;
  const byPolicy = POLICY_CHANGES.has(changeAction);
  const retrustable = (arn: string): boolean => !arn.includes(':role/aws-service-role/') && trustOn.some((p) => resourceMatch(p, arn));
  const verdicts: Verdict[] = [];

  if (changeOn.every(concrete)) {
    for (const target of changeOn) {
      let carriers: readonly TargetRole[];
      if (byPolicy) {
        const known = lookup.attachedTo.get(target);
        if (known) carriers = known;
        else if (lookup.inventoried.has(target.split(':')[4] ?? '')) {
          verdicts.push({ harmful: false, text: `the policy it may change, ${target}, is attached to no role in the snapshot, so no role whose trust it rewrites gains from it (users and groups are not reviewed)` });
          continue;
        } else return undefined;
      } else {
        const known = lookup.byArn.get(target);
        if (!known) return undefined;
        carriers = [known];
      }
      const what = byPolicy ? `changes ${target}, attached to` : 'changes the policies of';
      for (const carrier of carriers) {
        if (retrustable(carrier.arn)) verdicts.push({ harmful: true, text: `${what} ${carrier.arn}, and may rewrite that role's trust to admit itself` });
        else if (lookup.reachable.has(carrier.arn)) {
          const onlyIf = lookup.reachable.onlyIf(carrier.arn);
          verdicts.push({ harmful: true, text: `${what} ${carrier.arn}, which it is or can assume${onlyIf ? ONLY_IF : ''}`, conditional: onlyIf });
        }
        else verdicts.push({ harmful: false, text: `${byPolicy ? `the policy it may change, ${target}, is attached to` : 'the role it may change,'} ${carrier.arn}, whose trust it may not rewrite and which it cannot assume` });
      }
    }
    return judgedOf(verdicts);
  }

  if (!trustOn.every(concrete)) return undefined;
  for (const arn of trustOn) {
    const target = lookup.byArn.get(arn);
    if (!target) return undefined;
    const offers = target.arn === role.arn ? undefined : privilege(target);
    const changeable = byPolicy
      ? target.attached.filter((policy) => policy.split(':')[4] !== 'aws' && changeOn.some((p) => resourceMatch(p, policy)))
      : changeOn.some((p) => resourceMatch(p, arn))
        ? [arn]
        : [];
    if (changeable.length > 0) {
      verdicts.push({ harmful: true, text: byPolicy ? `may rewrite the trust of ${arn} and change ${changeable.join(', ')}, attached to it` : `may rewrite the trust of ${arn} and change its policies` });
    } else if (offers) {
      verdicts.push({ harmful: true, text: `rewrites the trust of ${arn} (${offers})` });
    } else {
      verdicts.push({ harmful: false, text: `the role whose trust it may rewrite, ${arn}, is neither privileged nor one whose ${byPolicy ? 'customer managed policies' : 'policies'} it may change` });
    }
  }
  return { harmful: verdicts.filter((v) => v.harmful).map((v) => v.text), harmless: verdicts.filter((v) => !v.harmful).map((v) => v.text) };
}

function judgedOf(verdicts: readonly Verdict[]): Judged {
  const bad = verdicts.filter((v) => v.harmful);
  return {
    harmful: bad.map((v) => v.text),
    harmless: verdicts.filter((v) => !v.harmful).map((v) => v.text),
    ...(bad.length > 0 && bad.every((v) => v.conditional === true) ? { conditional: true } : {}),
  };
}

/** Undefined when some target is not in the snapshot: then nothing is known about what it could do. */
function judgeEach(
  arns: readonly string[],
  byArn: ReadonlyMap<string, TargetRole>,
  judge: (target: TargetRole) => Verdict,
): Verdict[] | undefined {
  const targets = arns.map((arn) => byArn.get(arn));
  if (targets.some((t) => t === undefined)) return undefined;
  return (targets as TargetRole[]).map(judge);
}

function passed(role: TargetRole, target: TargetRole, passedTo: string, runners: readonly string[]): Verdict {
  if (target.accountId !== role.accountId) return { harmful: false, text: `${target.arn} is in another account, and a role can be passed only within its own` };
  const wanted = new Set(runners.map((r) => r.toLowerCase()));
  const trusted = target.grants.find((g) => !g.negatedBy && g.principal.type === 'Service' && wanted.has(g.principal.raw.toLowerCase()));
  const service = trusted?.principal.raw ?? runners.join(' or ');
  if (!trusted) return { harmful: false, text: `the role it may pass, ${target.arn}, does not trust ${service}, so the service cannot run as it` };
  const offers = privilege(target);
  return offers
    ? { harmful: true, text: service.toLowerCase() === passedTo.toLowerCase() ? `passes ${target.arn} (${offers}) to ${service}` : `passes ${target.arn} (${offers}) to ${passedTo}, run as it by ${service}` }
    : { harmful: false, text: `the role it may pass, ${target.arn}, is neither admin-equivalent nor able to escalate` };
}

function changedRole(role: TargetRole, target: TargetRole, reachable: Reach): Verdict {
  const onlyIf = reachable.onlyIf(target.arn);
  return reachable.has(target.arn)
    ? { harmful: true, text: target.arn === role.arn ? `changes the policies of its own role ${target.arn}` : `changes the policies of ${target.arn}, which it can assume${onlyIf ? ONLY_IF : ''}`, conditional: onlyIf }
    : { harmful: false, text: `the role it may change, ${target.arn}, is not one it is or can assume in the snapshot` };
}

function retrusted(role: TargetRole, target: TargetRole): Verdict {
  // Its own escalation methods are no privilege it lacks (they include this one): a circle, not a gain.
  if (target.arn === role.arn) return { harmful: false, text: `the only role whose trust it may rewrite is its own, ${target.arn}, which gives it nothing it lacks` };
  const offers = privilege(target);
  return offers
    ? { harmful: true, text: `rewrites the trust of ${target.arn} (${offers})` }
    : { harmful: false, text: `the role whose trust it may rewrite, ${target.arn}, is neither admin-equivalent nor able to escalate` };
}

/**
 * A managed policy pays off through the roles that carry it. Users and groups are not collected, so a
 * policy in the snapshot is judged by its roles and the evidence says so, as is one of a wholly inventoried
 * account that no role carries; any other stays flagged.
 */
function judgePolicies(arns: readonly string[], lookup: Lookup): Verdict[] | undefined {
  const verdicts: Verdict[] = [];
  for (const arn of arns) {
    const carriers = lookup.attachedTo.get(arn);
    if (!carriers) {
      // A policy no role carries is out of the snapshot; in a wholly inventoried account it is carried by none.
      if (!lookup.inventoried.has(arn.split(':')[4] ?? '')) return undefined;
      verdicts.push({ harmful: false, text: `the policy it may change, ${arn}, is attached to no role in the snapshot (users and groups are not reviewed)` });
      continue;
    }
    const usable = carriers.filter((r) => lookup.reachable.has(r.arn));
    const onlyIf = usable.every((r) => lookup.reachable.onlyIf(r.arn));
    verdicts.push(
      usable.length > 0
        ? { harmful: true, text: `changes ${arn}, attached to ${usable.map((r) => r.arn).join(', ')}, which it is or can assume${onlyIf ? ONLY_IF : ''}`, conditional: onlyIf }
        : { harmful: false, text: `the policy it may change, ${arn}, is attached in the snapshot only to ${carriers.map((r) => r.arn).join(', ')}, none of which it is or can assume (users and groups are not reviewed)` },
    );
  }
  return verdicts;
}

/** Which roles a principal can become within MAX_HOPS; walked only when a method asks. */
interface Reach {
  has(arn: string): boolean;
  /** Reached only over some conditional hop: no unconditional path of at most MAX_HOPS exists. */
  onlyIf(arn: string): boolean;
}

function reachability(roles: readonly TargetRole[], byArn: ReadonlyMap<string, TargetRole>, canAssume: CanAssume, facts: CallerFacts): (role: TargetRole) => Reach {
  const direct = new Map<string, { to: string; conditional: boolean }[]>();
  const next = (from: TargetRole): { to: string; conditional: boolean }[] => {
    let list = direct.get(from.arn);
    if (list) return list;
    list = [];
    for (const target of roles) {
      if (target.arn === from.arn) continue;
      const verdict = mayAssumeRole(target.grants, from, target.accountId, (admission) => canAssume(from, target.arn, admission), facts);
      if (verdict.allowed) list.push({ to: target.arn, conditional: verdict.conditional });
    }
    direct.set(from.arn, list);
    return list;
  };
  const walk = (role: TargetRole, certainOnly: boolean): { seen: Set<string>; conditional: boolean } => {
    const seen = new Set([role.arn]);
    let conditional = false;
    let frontier = [role];
    for (let hop = 0; hop < MAX_HOPS && frontier.length > 0; hop++) {
      const following: TargetRole[] = [];
      for (const from of frontier) {
        for (const edge of next(from)) {
          const to = byArn.get(edge.to);
          if (!to || seen.has(edge.to) || (certainOnly && edge.conditional)) continue;
          conditional ||= edge.conditional;
          seen.add(edge.to);
          following.push(to);
        }
      }
      frontier = following;
    }
    return { seen, conditional };
  };
  return (role) => {
    // Most roles carry no method that asks, and a walk can cover thousands of roles: walk on first use.
    let all: { seen: Set<string>; conditional: boolean } | undefined;
    let certain: Set<string> | undefined;
    const full = (): { seen: Set<string>; conditional: boolean } => (all ??= walk(role, false));
    return {
      has: (arn) => full().seen.has(arn),
      onlyIf: (arn) => {
        const reached = full();
        if (!reached.conditional || !reached.seen.has(arn)) return false;
        certain ??= walk(role, true).seen;
        return !certain.has(arn);
      },
    };
  };
}
