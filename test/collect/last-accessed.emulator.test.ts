/**
 * Access Advisor collection through the real IAM client against the emulator: which roles are asked about,
 * how many calls that takes, and how failed, throttled and unfinished jobs end up in the snapshot.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { createClientFactory } from '../../src/collect/clients.js';
import { collectSnapshot } from '../../src/collect/index.js';
import { collectLastAccessed } from '../../src/collect/last-accessed.js';
import { resolveConfig } from '../../src/config/load-config.js';
import { validateAgainst } from '../../src/config/validate.js';
import { assumableFromOutsideAccount } from '../../src/analyze/least-privilege/outside-account.js';
import type { Config } from '../../src/config/config.js';
import type { Snapshot } from '../../src/model/snapshot.js';

const NOW = new Date('2026-11-20T12:00:00.000Z');
const TOOL = { name: 'access-review', version: 'test' };
const noSleep = async (): Promise<void> => undefined;

let emu: RunningEmulator;

beforeAll(async () => {
  emu = await startEmulator({ seed: 11, now: NOW, org: { memberAccounts: 2, rolesPerAccount: 16, eventsPerAccount: 200 } });
});
afterAll(async () => {
  await emu.close();
});

function configFor(overrides: Record<string, unknown> = {}): Config {
  return resolveConfig(
    {
      scope: { mode: 'organization', concurrency: 3 },
      aws: { region: 'us-east-1', endpoint: emu.endpoint, s3ForcePathStyle: true, maxAttempts: 10 },
      regions: emu.org.regions,
      cloudtrail: { enabled: false },
      accessAnalyzer: { enabled: false },
      ...overrides,
    },
    {},
  );
}

async function collect(config: Config): Promise<Snapshot> {
  const clients = createClientFactory(config.aws, emu.credentials);
  return collectSnapshot(config, { clients, now: NOW, runId: 'test-run', tool: TOOL, assumableFromOutside: assumableFromOutsideAccount, sleep: noSleep });
}

describe('last-accessed collection', () => {
  it('asks about exactly the roles assumable from outside their account, one job each, and stores what IAM reports', async () => {
    emu.resetCalls();
    const snapshot = await collect(configFor());
    expect(validateAgainst('snapshot.schema.json', snapshot)).toEqual([]);
    let roles = 0;
    for (const account of snapshot.accounts) {
      const truth = emu.org.accounts.find((a) => a.id === account.accountId);
      const expected = account.roles.filter((r) => assumableFromOutsideAccount(r, account.accountId)).map((r) => r.arn).sort();
      expect(expected.length).toBeGreaterThan(0);
      expect(expected.length).toBeLessThan(account.roles.length);
      expect(account.lastAccessed?.selection).toBe('outside-account');
      expect(account.lastAccessed?.roles.map((r) => r.roleArn).sort()).toEqual(expected);
      for (const record of account.lastAccessed?.roles ?? []) {
        roles += 1;
        expect(record.status).toBe('completed');
        expect(record.jobCompletedAt).toBeDefined();
        const role = truth?.roles.find((r) => r.arn === record.roleArn);
        expect(record.services.map((s) => s.namespace)).toEqual((role?.serviceAccess ?? []).map((s) => s.namespace));
        for (const [i, s] of record.services.entries()) {
          const t = role?.serviceAccess?.[i];
          expect(s.lastAuthenticated?.replace('.000Z', 'Z')).toBe(t?.lastAuthenticated);
          expect((s.trackedActions ?? []).map((a) => a.action)).toEqual((t?.trackedActions ?? []).map((a) => `${t?.namespace}:${a.action}`));
        }
      }
      expect(account.coverage.find((c) => c.source === 'iam-last-accessed')?.status).toBe('ok');
    }
    const calls = emu.calls();
    // One job per role; each polled once while IN_PROGRESS and once to read its single page.
    expect(calls['iam:GenerateServiceLastAccessedDetails']).toBe(roles);
    expect(calls['iam:GetServiceLastAccessedDetails']).toBe(2 * roles);
  });

  it('keeps failed jobs as gaps for their roles, and rides out throttling', async () => {
    const account = emu.org.accounts.find((a) => !a.isManagement && a.status === 'ACTIVE');
    const target = account?.roles.find((r) => r.trustGrants.some((g) => g.class === 'known-vendor'));
    if (!target) throw new Error('no vendor role');
    emu.setFaults({ lastAccessedJobs: { fail: [target.arn] }, throttle: { 'iam:GenerateServiceLastAccessedDetails': 0.3 } });
    try {
      const snapshot = await collect(configFor());
      const snap = snapshot.accounts.find((a) => a.accountId === account?.id);
      const failed = snap?.lastAccessed?.roles.find((r) => r.roleArn === target.arn);
      expect(failed?.status).toBe('failed');
      expect(failed?.services).toEqual([]);
      expect(failed?.error).toContain('ServiceFailure');
      const others = snap?.lastAccessed?.roles.filter((r) => r.roleArn !== target.arn) ?? [];
      expect(others.length).toBeGreaterThan(0);
      expect(others.every((r) => r.status === 'completed')).toBe(true);
      const item = snap?.coverage.find((c) => c.source === 'iam-last-accessed');
      expect(item?.status).toBe('partial');
      expect(item?.detail).toContain(target.arn);
    } finally {
      emu.setFaults({});
    }
  });

  it('pauses once before the first poll (IAM takes seconds to finish a job), then backs off', async () => {
    const account = emu.org.accounts.find((a) => !a.isManagement && a.status === 'ACTIVE');
    const arns = (account?.roles ?? []).slice(0, 3).map((r) => r.arn);
    const { assumeInto } = await import('../emulator/helpers.js');
    const creds = await assumeInto(emu, account?.id ?? '');
    const iam = createClientFactory({ region: 'us-east-1', endpoint: emu.endpoint, s3ForcePathStyle: true, maxAttempts: 3 }, creds).iam();
    emu.resetCalls();
    const pauses: { ms: number; generated: number; polled: number }[] = [];
    const result = await collectLastAccessed(iam, {
      roleArns: arns,
      concurrency: 2,
      maxWaitMs: 60_000,
      pollMs: 2_000,
      sleep: async (ms) => {
        const calls = emu.calls();
        pauses.push({ ms, generated: calls['iam:GenerateServiceLastAccessedDetails'] ?? 0, polled: calls['iam:GetServiceLastAccessedDetails'] ?? 0 });
      },
    });
    expect(result.roles.map((r) => r.status)).toEqual(['completed', 'completed', 'completed']);
    // The emulator answers IN_PROGRESS to each job's first poll whenever it comes: one round, then the pages.
    expect(pauses).toEqual([
      { ms: 2_000, generated: 3, polled: 0 },
      { ms: 4_000, generated: 3, polled: 3 },
    ]);
  });

  it('stops waiting at the bound: unfinished jobs are timed out, not empty', async () => {
    const account = emu.org.accounts.find((a) => !a.isManagement && a.status === 'ACTIVE');
    const arns = (account?.roles ?? []).slice(0, 3).map((r) => r.arn);
    emu.setFaults({ lastAccessedJobs: { pollsUntilDone: Number.POSITIVE_INFINITY } });
    const { assumeInto } = await import('../emulator/helpers.js');
    const creds = await assumeInto(emu, account?.id ?? '');
    let t = 0;
    try {
      const iam = createClientFactory({ region: 'us-east-1', endpoint: emu.endpoint, s3ForcePathStyle: true, maxAttempts: 3 }, creds).iam();
      const result = await collectLastAccessed(iam, {
        roleArns: arns,
        concurrency: 2,
        maxWaitMs: 60_000,
        pollMs: 1_000,
        sleep: async (ms) => {
          t += ms;
        },
        clock: () => t,
      });
      expect(result.roles.map((r) => r.status)).toEqual(['timed-out', 'timed-out', 'timed-out']);
      expect(result.roles.every((r) => r.services.length === 0)).toBe(true);
      expect(result.coverage.status).toBe('failed');
      // Backoff 1, 2, 4, 8, 10, 10... s: a handful of polls per job, not one per millisecond.
      expect(result.apiCalls).toBeLessThan(3 + 3 * 12);
    } finally {
      emu.setFaults({});
    }
  });
});
