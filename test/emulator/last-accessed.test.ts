import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  GenerateServiceLastAccessedDetailsCommand,
  GetServiceLastAccessedDetailsCommand,
  type GetServiceLastAccessedDetailsCommandOutput,
  type ServiceLastAccessed,
} from '@aws-sdk/client-iam';
import { startEmulator, type RunningEmulator, type SyntheticAccount, type SyntheticRole } from '../../src/emulator/index.js';
import { allowedByPolicies } from '../../src/emulator/last-accessed.js';
import { assumeInto, clients, FIXED_NOW, rejection, type Creds } from './helpers.js';

let emu: RunningEmulator;
let member: SyntheticAccount;
let creds: Creds;

beforeAll(async () => {
  emu = await startEmulator({ seed: 42, now: FIXED_NOW });
  const m = emu.org.accounts.find((a) => a.name === 'shared-services');
  if (!m) throw new Error('no shared-services account');
  member = m;
  creds = await assumeInto(emu, member.id);
});
afterAll(async () => {
  await emu.close();
});

function usedRole(): SyntheticRole {
  const role = member.roles.find((r) => (r.serviceAccess ?? []).filter((s) => s.lastAuthenticated).length >= 2);
  if (!role) throw new Error('no role with two used services');
  return role;
}

async function report(role: SyntheticRole, maxItems?: number): Promise<{ polls: number; pages: GetServiceLastAccessedDetailsCommandOutput[] }> {
  const iam = clients.iam(emu, { credentials: creds });
  const { JobId } = await iam.send(new GenerateServiceLastAccessedDetailsCommand({ Arn: role.arn, Granularity: 'ACTION_LEVEL' }));
  expect(JobId).toMatch(/^[0-9a-f-]{36}$/);
  let polls = 0;
  let first: GetServiceLastAccessedDetailsCommandOutput;
  do {
    polls += 1;
    first = await iam.send(new GetServiceLastAccessedDetailsCommand({ JobId, ...(maxItems ? { MaxItems: maxItems } : {}) }));
    if (polls > 10) throw new Error('job never completed');
  } while (first.JobStatus === 'IN_PROGRESS');
  const pages = [first];
  while (pages[pages.length - 1]?.IsTruncated) {
    pages.push(await iam.send(new GetServiceLastAccessedDetailsCommand({ JobId, MaxItems: maxItems, Marker: pages[pages.length - 1]?.Marker })));
  }
  return { polls, pages };
}

describe('Access Advisor jobs', () => {
  it('is IN_PROGRESS on the first poll, then COMPLETED with the role\'s services, in pages', async () => {
    const role = usedRole();
    const { polls, pages } = await report(role, 2);
    expect(polls).toBe(2);
    expect(pages[0]?.JobStatus).toBe('COMPLETED');
    expect(pages[0]?.JobType).toBe('ACTION_LEVEL');
    expect(pages[0]?.JobCompletionDate).toBeInstanceOf(Date);
    const services: ServiceLastAccessed[] = pages.flatMap((p) => p.ServicesLastAccessed ?? []);
    expect(pages.length).toBe(Math.ceil((role.serviceAccess ?? []).length / 2));
    expect(services.map((s) => s.ServiceNamespace)).toEqual((role.serviceAccess ?? []).map((s) => s.namespace));
    for (const [i, s] of services.entries()) {
      const truth = role.serviceAccess?.[i];
      expect(s.LastAuthenticated?.toISOString().replace('.000Z', 'Z')).toBe(truth?.lastAuthenticated);
      expect(s.TotalAuthenticatedEntities).toBe(truth?.lastAuthenticated ? 1 : 0);
      if (truth?.lastAuthenticated) expect(s.LastAuthenticatedEntity).toBe(role.arn);
      expect((s.TrackedActionsLastAccessed ?? []).map((a) => a.ActionName)).toEqual((truth?.trackedActions ?? []).map((a) => a.action));
    }
  });

  it('ends FAILED with an error for roles the faults name, and rejects unknown roles and jobs', async () => {
    const role = usedRole();
    emu.setFaults({ lastAccessedJobs: { fail: [role.name], pollsUntilDone: 0 } });
    try {
      const { pages } = await report(role);
      expect(pages[0]?.JobStatus).toBe('FAILED');
      expect(pages[0]?.Error?.Code).toBe('ServiceFailure');
      expect(pages[0]?.ServicesLastAccessed).toEqual([]);
    } finally {
      emu.setFaults({});
    }
    const iam = clients.iam(emu, { credentials: creds });
    const missing = await rejection(iam.send(new GenerateServiceLastAccessedDetailsCommand({ Arn: `arn:aws:iam::${member.id}:role/no-such-role` })));
    expect(missing.name).toBe('NoSuchEntityException');
    const job = await rejection(iam.send(new GetServiceLastAccessedDetailsCommand({ JobId: '00000000-0000-4000-8000-000000000000' })));
    expect(job.name).toBe('NoSuchEntityException');
  });
});

describe('the synthetic org\'s last-accessed data', () => {
  it('agrees with RoleLastUsed, the event history and the role permissions', () => {
    let usedRoles = 0;
    for (const account of emu.org.accounts) {
      const managed = new Map(account.managedPolicies.map((p) => [p.arn, p]));
      const assumed = new Map<string, Set<string>>();
      for (const e of account.events) {
        if (!e.truth.roleArn || !e.truth.success || e.truth.copy === 'caller') continue;
        const set = assumed.get(e.truth.roleArn) ?? new Set<string>();
        set.add(e.eventTime);
        assumed.set(e.truth.roleArn, set);
      }
      for (const role of account.roles) {
        const access = role.serviceAccess ?? [];
        const allowed = new Set([...allowedByPolicies(role, managed).keys()].map((s) => s.namespace));
        expect(access.map((s) => s.namespace).sort()).toEqual([...allowed].sort());
        const times = access.flatMap((s) => [s.lastAuthenticated, ...(s.trackedActions ?? []).map((a) => a.lastAccessed)]).filter((t): t is string => t !== undefined);
        if (!role.lastUsed) {
          expect(times).toEqual([]);
          continue;
        }
        if (times.length === 0) continue;
        usedRoles += 1;
        expect(times.sort().at(-1)).toBe(role.lastUsed.date);
        for (const t of times) expect(t === role.lastUsed.date || assumed.get(role.arn)?.has(t)).toBe(true);
        for (const s of access) {
          const actionTimes = (s.trackedActions ?? []).map((a) => a.lastAccessed).filter((t): t is string => t !== undefined);
          for (const t of actionTimes) expect(t <= (s.lastAuthenticated ?? '')).toBe(true);
        }
      }
    }
    expect(usedRoles).toBeGreaterThan(20);
  });
});
