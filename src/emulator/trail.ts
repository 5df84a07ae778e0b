/**
 * Schedules the event history: how often each role is assumed, by whom, when and in which region, within
 * the window before `now`. Busy roles get most events, rare ones a handful, dormant and never-used ones none;
 * every caller a role lists shows up at least once, so the history agrees with the trust policies.
 */
import { assumeRoleEvents, samlEvent, serviceAssumeEvent, webIdentityEvent, type RoleRef } from './cloudtrail-records.js';
import { noiseEvent } from './noise-events.js';
import type { SyntheticEvent } from './org-types.js';
import type { Rng } from './prng.js';
import { IPS, UA } from './role-helpers.js';
import type { AwsIdentity, CallerSpec, RoleSpec } from './role-spec.js';

export interface TrailRole {
  ref: RoleRef;
  spec: RoleSpec;
}

export interface TrailInput {
  rng: Rng;
  now: Date;
  days: number;
  regions: string[];
  orgAccounts: ReadonlySet<string>;
  accounts: string[];
  roles: TrailRole[];
  eventsPerAccount: number;
  /** Who makes the non-STS noise calls in an account. */
  noiseIdentity: (accountId: string) => AwsIdentity;
}

export interface TrailOutput {
  /** Per account, newest first. */
  events: Map<string, SyntheticEvent[]>;
  /** Per role ARN, the newest successful assumption. */
  lastUsed: Map<string, { date: string; region: string }>;
}

const NOISE_SHARE = 0.05;
const WEIGHT = { hot: 40, regular: 8 } as const;

function eventTime(rng: Rng, now: Date, days: number): Date {
  // Keep clear of both window edges so a reader using its own clock sees the same events.
  const newest = now.getTime() - 60_000;
  const oldest = now.getTime() - days * 86_400_000 + 3_600_000;
  const t = oldest + rng.next() * (newest - oldest);
  return new Date(Math.floor(t / 1000) * 1000);
}

function region(rng: Rng, regions: string[]): string {
  const [primary, ...rest] = regions;
  if (primary === undefined) throw new Error('no regions');
  return rest.length === 0 || rng.chance(0.85) ? primary : rng.pick(rest);
}

/** Splits n events over callers: one each first (so every caller is seen), the rest by weight. */
function assignCallers(rng: Rng, callers: CallerSpec[], n: number): CallerSpec[] {
  const out: CallerSpec[] = [];
  for (const c of callers) if (out.length < n) out.push(c);
  const weighted = callers.map((c) => [c, c.weight] as const);
  while (out.length < n) out.push(rng.weighted(weighted));
  return out;
}

function eventsFor(input: TrailInput, role: TrailRole, caller: CallerSpec, denied: boolean): { owner: SyntheticEvent; copy?: { accountId: string; event: SyntheticEvent } } {
  const { rng } = input;
  const time = eventTime(rng, input.now, input.days);
  const reg = region(rng, input.regions);
  switch (caller.kind) {
    case 'aws': {
      const id = caller.identity;
      const callerSession = id.type === 'AssumedRole' ? rng.pick(id.sessionNames) : '';
      const sessionName = id.type === 'IAMUser' ? `${id.name}-${Math.floor(time.getTime() / 1000)}` : callerSession;
      const r = assumeRoleEvents({
        rng,
        role: role.ref,
        time,
        region: reg,
        sessionName,
        caller: id,
        callerSession,
        mfa: caller.mfa ?? false,
        denied,
        unexpected: caller.unexpected ?? false,
        orgAccounts: input.orgAccounts,
        ...(caller.externalId !== undefined ? { externalId: caller.externalId } : {}),
      });
      return { owner: r.owner, ...(r.callerCopy ? { copy: r.callerCopy } : {}) };
    }
    case 'service':
      return { owner: serviceAssumeEvent(rng, role.ref, caller.service, time, reg) };
    case 'web-identity':
      return {
        owner: webIdentityEvent({
          rng,
          role: role.ref,
          time,
          region: reg,
          providerArn: caller.providerArn,
          subject: rng.pick(caller.subjects),
          audience: caller.audience,
          userAgent: caller.userAgent,
          sourceIp: rng.pick(caller.sourceIps),
          unexpected: caller.unexpected ?? false,
        }),
      };
    case 'saml':
      return {
        owner: samlEvent({
          rng,
          role: role.ref,
          time,
          region: input.regions[0] ?? reg,
          providerArn: caller.providerArn,
          issuer: caller.issuer,
          user: rng.pick(caller.users),
          sourceIp: rng.pick(IPS.corporate),
          userAgent: UA.browser,
        }),
      };
  }
}

export function generateTrail(input: TrailInput): TrailOutput {
  const { rng } = input;
  const events = new Map<string, SyntheticEvent[]>(input.accounts.map((a) => [a, []]));
  const lastUsed = new Map<string, { date: string; region: string }>();
  const push = (accountId: string, ev: SyntheticEvent): void => {
    events.get(accountId)?.push(ev);
  };

  for (const account of input.accounts) {
    const roles = input.roles.filter((r) => r.ref.accountId === account);
    const budget = Math.round(input.eventsPerAccount * (1 - NOISE_SHARE));
    const plan = new Map<TrailRole, number>();
    let fixed = 0;
    for (const r of roles) {
      const callable = r.spec.callers.some((c) => !(c.kind === 'aws' && c.denied));
      if (!callable) continue;
      if (r.spec.usage === 'rare') {
        const n = Math.max(rng.int(1, 4), 1);
        plan.set(r, n);
        fixed += n;
      }
    }
    const busy = roles.filter((r) => (r.spec.usage === 'hot' || r.spec.usage === 'regular') && r.spec.callers.some((c) => !(c.kind === 'aws' && c.denied)));
    const totalWeight = busy.reduce((s, r) => s + WEIGHT[r.spec.usage as 'hot' | 'regular'], 0);
    const spread = Math.max(0, budget - fixed);
    for (const r of busy) {
      const share = WEIGHT[r.spec.usage as 'hot' | 'regular'] / totalWeight;
      plan.set(r, Math.max(r.spec.callers.length, Math.round(spread * share)));
    }

    for (const [role, n] of plan) {
      const allowed = role.spec.callers.filter((c) => !(c.kind === 'aws' && c.denied));
      for (const caller of assignCallers(rng, allowed, n)) {
        const { owner, copy } = eventsFor(input, role, caller, false);
        push(account, owner);
        if (copy) push(copy.accountId, copy.event);
        const prev = lastUsed.get(role.ref.arn);
        if (!prev || prev.date < owner.eventTime) lastUsed.set(role.ref.arn, { date: owner.eventTime, region: owner.region });
      }
    }
    // Refused attempts (e.g. no MFA) are logged too, with errorCode AccessDenied.
    for (const role of roles) {
      for (const caller of role.spec.callers) {
        if (caller.kind !== 'aws' || !caller.denied || role.spec.usage === 'never') continue;
        const n = rng.int(1, 2);
        for (let i = 0; i < n; i++) {
          const { owner, copy } = eventsFor(input, role, caller, true);
          push(account, owner);
          if (copy) push(copy.accountId, copy.event);
        }
      }
    }
    const noise = Math.round(input.eventsPerAccount * NOISE_SHARE);
    for (let i = 0; i < noise; i++) {
      push(account, noiseEvent(rng, account, input.noiseIdentity(account), eventTime(rng, input.now, input.days), region(rng, input.regions)));
    }
  }

  for (const list of events.values()) {
    list.sort((a, b) => (a.eventTime === b.eventTime ? a.eventId.localeCompare(b.eventId) : a.eventTime < b.eventTime ? 1 : -1));
  }
  return { events, lastUsed };
}
