/**
 * The collectors through the real SDK clients against the local emulator: serialization, pagination,
 * retries and errors all real; the emulator's generator is the ground truth.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator, type SyntheticAccount } from '../../src/emulator/index.js';
import { createClientFactory } from '../../src/collect/clients.js';
import { collectSnapshot } from '../../src/collect/index.js';
import { resolveConfig } from '../../src/config/load-config.js';
import { validateAgainst } from '../../src/config/validate.js';
import { accountOfArn } from '../../src/collect/assume-events.js';
import type { Config } from '../../src/config/config.js';
import type { Snapshot } from '../../src/model/snapshot.js';

const NOW = new Date('2026-11-20T12:00:00.000Z');
const TOOL = { name: 'access-review', version: 'test' };

function configFor(emu: RunningEmulator, overrides: Record<string, unknown> = {}): Config {
  return resolveConfig(
    {
      scope: { mode: 'organization', concurrency: 3 },
      aws: { region: 'us-east-1', endpoint: emu.endpoint, s3ForcePathStyle: true, maxAttempts: 10 },
      regions: emu.org.regions,
      ...overrides,
    },
    {},
  );
}

async function collect(emu: RunningEmulator, config: Config): Promise<Snapshot> {
  const clients = createClientFactory(config.aws, emu.credentials);
  return collectSnapshot(config, { clients, now: NOW, runId: 'test-run', tool: TOOL });
}

/** Successful AssumeRole* events on the account's own roles inside the window: what the collector must count. */
function expectedAssumptions(acct: SyntheticAccount, snapshot: Snapshot): number {
  const start = snapshot.scope.window.start;
  return acct.events.filter(
    (e) =>
      e.truth.success &&
      e.truth.roleArn !== undefined &&
      accountOfArn(e.truth.roleArn) === acct.id &&
      ['AssumeRole', 'AssumeRoleWithSAML', 'AssumeRoleWithWebIdentity'].includes(e.eventName) &&
      new Date(e.eventTime).toISOString() >= start &&
      new Date(e.eventTime).toISOString() <= snapshot.scope.window.end,
  ).length;
}

describe('collectSnapshot against the emulator (organization mode)', () => {
  let emu: RunningEmulator;
  let snapshot: Snapshot;
  let denied: string;
  let noTrail: string;

  beforeAll(async () => {
    emu = await startEmulator({ seed: 7, now: NOW, org: { memberAccounts: 3, rolesPerAccount: 14, eventsPerAccount: 250 } });
    const members = emu.org.accounts.filter((a) => !a.isManagement && a.status === 'ACTIVE');
    denied = members[0]!.id;
    noTrail = members[1]!.id;
    emu.setFaults({
      denyAccounts: [denied],
      denyOperations: { [noTrail]: ['cloudtrail:LookupEvents'] },
      // Half of the inventory calls are throttled: adaptive retry must still get every page.
      throttle: { 'iam:GetAccountAuthorizationDetails': 0.5 },
    });
    snapshot = await collect(emu, configFor(emu));
  });
  afterAll(async () => emu?.close());

  it('produces a snapshot that satisfies the published JSON Schema', () => {
    expect(validateAgainst('snapshot.schema.json', JSON.parse(JSON.stringify(snapshot)))).toEqual([]);
    expect(snapshot.organization?.id).toBe(emu.org.organization.id);
    // 90 days back is 2026-08-22T12:00; the window starts at the next UTC midnight (whole ledger days).
    expect(snapshot.scope.window).toEqual({ start: '2026-08-23T00:00:00.000Z', end: '2026-11-20T12:00:00.000Z' });
  });

  it('covers every active account, and no suspended one', () => {
    const active = emu.org.accounts.filter((a) => a.status === 'ACTIVE').map((a) => a.id).sort();
    expect(snapshot.accounts.map((a) => a.accountId)).toEqual(active);
  });

  it('collects every role exactly once with its decoded trust policy, despite throttling', () => {
    for (const acct of emu.org.accounts.filter((a) => a.status === 'ACTIVE' && a.id !== denied)) {
      const got = snapshot.accounts.find((a) => a.accountId === acct.id)!;
      expect(got.roles.map((r) => r.arn).sort()).toEqual(acct.roles.map((r) => r.arn).sort());
      for (const truth of acct.roles) {
        const role = got.roles.find((r) => r.arn === truth.arn)!;
        expect(role.trustPolicy).toEqual({ ok: true, document: truth.trustPolicy.document });
        expect(role.attachedPolicies.map((p) => p.arn).sort()).toEqual([...truth.attachedPolicyArns].sort());
        expect(role.inlinePolicies.map((p) => p.name).sort()).toEqual(truth.inlinePolicies.map((p) => p.name).sort());
      }
      // Every attached managed policy and permissions boundary is in the snapshot with its document.
      const attached = new Set(acct.roles.flatMap((r) => [...r.attachedPolicyArns, ...(r.permissionsBoundaryArn ? [r.permissionsBoundaryArn] : [])]));
      expect(new Set(got.managedPolicies.map((p) => p.arn))).toEqual(attached);
      expect(got.managedPolicies.every((p) => p.policy.ok)).toBe(true);
    }
    expect(emu.calls()['iam:GetAccountAuthorizationDetails']).toBeGreaterThan(snapshot.accounts.length - 1);
  });

  it('records the account whose role cannot be assumed as a failed STS coverage item and goes on', () => {
    const acct = snapshot.accounts.find((a) => a.accountId === denied)!;
    expect(acct.roles).toEqual([]);
    expect(acct.coverage).toEqual([
      expect.objectContaining({ source: 'sts', status: 'failed', errorCode: 'AccessDenied', detail: expect.stringContaining(`arn:aws:iam::${denied}:role/AccessReviewReadOnly`) }),
    ]);
  });

  it('keeps the inventory but marks usage missing where CloudTrail is denied', () => {
    const acct = snapshot.accounts.find((a) => a.accountId === noTrail)!;
    expect(acct.roles.length).toBeGreaterThan(0);
    const trail = acct.coverage.filter((c) => c.source === 'cloudtrail');
    expect(trail.map((c) => [c.region, c.status])).toEqual(emu.org.regions.map((r) => [r, 'failed']).sort());
    expect(trail[0]!.detail).toContain('cloudtrail:LookupEvents was denied');
    expect(acct.usage.assumptions).toEqual([]);
  });

  it('aggregates exactly the successful role assumptions the account recorded', () => {
    for (const acct of emu.org.accounts.filter((a) => a.status === 'ACTIVE' && a.id !== denied && a.id !== noTrail)) {
      const got = snapshot.accounts.find((a) => a.accountId === acct.id)!;
      const counted = got.usage.assumptions.reduce((n, a) => n + a.count, 0);
      expect(counted).toBe(expectedAssumptions(acct, snapshot));
      expect(counted).toBeGreaterThan(0);
      expect(got.coverage.filter((c) => c.source === 'cloudtrail').every((c) => c.status === 'ok')).toBe(true);
    }
  });

  it('collects Access Analyzer analyzers and active role findings with their details', () => {
    for (const acct of emu.org.accounts.filter((a) => a.status === 'ACTIVE' && a.id !== denied)) {
      const got = snapshot.accounts.find((a) => a.accountId === acct.id)!;
      expect(got.accessAnalyzer.analyzers.map((a) => a.arn).sort()).toEqual(acct.analyzers.map((a) => a.arn).sort());
      const active = acct.findings.filter((f) => f.status === 'ACTIVE');
      expect(got.accessAnalyzer.findings.map((f) => f.id).sort()).toEqual(active.map((f) => f.id).sort());
      for (const f of got.accessAnalyzer.findings) expect(f.details.length).toBeGreaterThan(0);
    }
  });

  it('reads external-access findings from ListFindings pages, and fetches details only for unused-access findings', () => {
    const reviewed = emu.org.accounts.filter((a) => a.status === 'ACTIVE' && a.id !== denied);
    for (const acct of reviewed) {
      const got = snapshot.accounts.find((a) => a.accountId === acct.id)!;
      for (const truth of acct.findings.filter((f) => f.status === 'ACTIVE' && f.findingType === 'ExternalAccess')) {
        const d = truth.details[0];
        if (!d || !('externalAccessDetails' in d)) throw new Error('fixture');
        const { principal, action, condition, isPublic } = d.externalAccessDetails;
        expect(got.accessAnalyzer.findings.find((f) => f.id === truth.id)?.details).toEqual([{ kind: 'externalAccess', principal, action, condition, isPublic }]);
      }
    }
    const unused = reviewed.flatMap((a) => a.findings.filter((f) => f.status === 'ACTIVE' && f.findingType !== 'ExternalAccess'));
    expect(unused.length).toBeGreaterThan(0);
    expect(emu.calls()['access-analyzer:GetFindingV2']).toBe(unused.length);
  });
});

describe('collectSnapshot in account mode', () => {
  it('reviews only the caller account and needs no Organizations access', async () => {
    const emu = await startEmulator({ seed: 3, now: NOW, org: { memberAccounts: 1, rolesPerAccount: 8, eventsPerAccount: 40 } });
    try {
      emu.setFaults({ denyOperations: { [emu.org.organization.managementAccountId]: ['organizations:*'] } });
      const snap = await collect(emu, configFor(emu, { scope: { mode: 'account' }, cloudtrail: { eventNames: ['AssumeRole'] } }));
      expect(snap.accounts.map((a) => a.accountId)).toEqual([emu.org.organization.managementAccountId]);
      expect(snap.organization).toBeUndefined();
      expect(emu.calls()['organizations:ListAccounts'] ?? 0).toBe(0);
    } finally {
      await emu.close();
    }
  });

  it('falls back to the caller account with a marked gap when the organization cannot be listed', async () => {
    const emu = await startEmulator({ seed: 3, now: NOW, org: { memberAccounts: 1, rolesPerAccount: 8, eventsPerAccount: 40 } });
    try {
      emu.setFaults({ denyOperations: { [emu.org.organization.managementAccountId]: ['organizations:*'] } });
      const snap = await collect(emu, configFor(emu, { cloudtrail: { enabled: false } }));
      expect(snap.accounts).toHaveLength(1);
      expect(snap.accounts[0]!.coverage[0]).toMatchObject({ source: 'organizations', status: 'failed', errorCode: expect.stringMatching(/AccessDenied/) });
      expect(snap.accounts[0]!.coverage.find((c) => c.source === 'cloudtrail')).toMatchObject({ status: 'skipped' });
    } finally {
      await emu.close();
    }
  });
});
