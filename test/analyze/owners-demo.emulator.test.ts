/**
 * The demo's organization and owners, collected through the real SDK from the emulator and resolved: every
 * way of finding an owner shows up, the management account (no tags, at the root) is unassigned and listed,
 * and the demo's owners config matches the organization (no problems).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { createClientFactory } from '../../src/collect/clients.js';
import { collectSnapshot } from '../../src/collect/index.js';
import { resolveConfig } from '../../src/config/load-config.js';
import { resolveOwnership } from '../../src/analyze/owners.js';
import { demoOwners } from '../../src/cli/demo-owners.js';
import { OWNERS_DEFAULTS, type Ownership } from '../../src/model/ownership.js';
import type { Snapshot } from '../../src/model/snapshot.js';

const NOW = new Date('2026-11-20T12:00:00.000Z');

describe('owners of the demo organization', () => {
  let emu: RunningEmulator;
  let ownership: Ownership;
  let snapshot: Snapshot;

  const collect = async (): Promise<Snapshot> => {
    const config = resolveConfig(
      { scope: { mode: 'organization' }, aws: { region: 'us-east-1', endpoint: emu.endpoint, s3ForcePathStyle: true, maxAttempts: 2 }, regions: emu.org.regions, cloudtrail: { enabled: false }, lastAccessed: { enabled: false } },
      {},
    );
    return collectSnapshot(config, { clients: createClientFactory(config.aws, emu.credentials), now: NOW, runId: 'demo-owners', tool: { name: 'access-review', version: 'test' } });
  };
  const owners = () => ({ ...OWNERS_DEFAULTS, list: demoOwners({ domain: 'acme.example', organizationalUnits: emu.org.organization.organizationalUnits }) });

  beforeAll(async () => {
    emu = await startEmulator({ seed: 42, now: NOW, org: { rolesPerAccount: 12, eventsPerAccount: 40 } });
    snapshot = await collect();
    ownership = resolveOwnership(snapshot, owners());
  }, 120_000);
  afterAll(async () => emu?.close());

  const accountId = (name: string): string => emu.org.accounts.find((a) => a.name === name)?.id ?? '';

  it('finds owners through account tags, the OU and config account tags, and leaves the management account unassigned', () => {
    expect(ownership.accounts[accountId('shared-services')]).toMatchObject({ id: 'platform', name: 'Platform', source: 'account-tag', detail: 'account tag owner=platform' });
    expect(ownership.accounts[accountId('prod-payments')]).toMatchObject({ id: 'payments', source: 'account-tag', detail: 'account tag team=Payments' });
    expect(ownership.accounts[accountId('prod-web')]).toMatchObject({ id: 'web', source: 'organizational-unit' });
    expect(ownership.accounts[accountId('prod-web')]?.detail).toMatch(/^OU Production \(ou-[a-z0-9]{4}-[a-z0-9]{8}\)$/);
    expect(ownership.accounts[accountId('data-platform')]).toMatchObject({ id: 'data', source: 'config-account-tag' });
    expect(ownership.unassigned.accountIds).toEqual([emu.org.organization.managementAccountId]);
  });

  it('finds owners through role tags, before the account', () => {
    const mgmt = emu.org.organization.managementAccountId;
    expect(ownership.roles[`arn:aws:iam::${mgmt}:role/AccessReviewReadOnly`]).toMatchObject({ id: 'security-engineering', name: 'Security Engineering', source: 'role-tag' });
    expect(ownership.roles[`arn:aws:iam::${accountId('prod-payments')}:role/ci-deployer`]).toMatchObject({ id: 'platform', source: 'role-tag', detail: 'role tag team=platform' });
    expect(ownership.unassigned.roleArns.length).toBeGreaterThan(0);
    expect(ownership.unassigned.roleArns.every((arn) => arn.split(':')[4] === mgmt)).toBe(true);
  });

  it('gives every demo owner something and an address the emulated SES has verified, with no config problems', () => {
    for (const name of ['Security Engineering', 'Platform', 'Payments', 'Web', 'Data']) {
      const owner = ownership.owners.find((o) => o.name === name);
      expect(owner?.roleArns.length, name).toBeGreaterThan(0);
      expect(owner?.emails[0]).toMatch(/@acme\.example$/);
    }
    expect(ownership.problems).toBeUndefined();
  });

  it('with account tags denied, names the gap and says why owners are missing or might differ', async () => {
    const mgmt = emu.org.organization.managementAccountId;
    emu.setFaults({ denyOperations: { [mgmt]: ['organizations:ListTagsForResource'] } });
    let denied: Snapshot;
    try {
      denied = await collect();
    } finally {
      emu.setFaults({});
    }
    expect(denied.organization?.coverage?.find((c) => c.source === 'organizations-tags')).toMatchObject({ status: 'failed', errorCode: 'AccessDeniedException' });
    const o = resolveOwnership(denied, owners());
    // shared-services was Platform's by its tag; its OU (Infrastructure) has no owner.
    expect(o.accounts[accountId('shared-services')]).toMatchObject({ source: 'unassigned' });
    expect(o.accounts[accountId('shared-services')]?.detail).toContain('account tags were not read (AccessDeniedException)');
    // prod-payments was Payments' by its tag; without it the Production OU gives Web, and says it might not be the answer.
    expect(o.accounts[accountId('prod-payments')]).toMatchObject({ id: 'web', source: 'organizational-unit' });
    expect(o.accounts[accountId('prod-payments')]?.detail).toContain('account tags could not be read and might name another owner first');
    // Role tags do not depend on Organizations.
    expect(o.roles[`arn:aws:iam::${accountId('shared-services')}:role/ci-deployer`]).toMatchObject({ id: 'platform', source: 'role-tag' });
  }, 120_000);
});
