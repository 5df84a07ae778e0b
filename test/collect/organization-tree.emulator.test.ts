/**
 * The organization tree and account tags through the real SDK client against the emulator: the walk from
 * the roots, tag pagination (the emulator pages tags two at a time), and AccessDenied on either recorded
 * as a coverage gap while the organization itself is still returned.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { createClientFactory } from '../../src/collect/clients.js';
import { collectOrganization, withTreeAndTags } from '../../src/collect/organizations.js';
import { resolveConfig } from '../../src/config/load-config.js';

const NOW = new Date('2026-11-20T12:00:00.000Z');

describe('organization tree and account tags', () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startEmulator({ seed: 7, now: NOW, org: { memberAccounts: 4, rolesPerAccount: 10, eventsPerAccount: 20 } });
  });
  afterAll(async () => emu?.close());

  const client = () => {
    const config = resolveConfig({ aws: { region: 'us-east-1', endpoint: emu.endpoint, maxAttempts: 3 } }, {});
    return createClientFactory(config.aws, emu.credentials).organizations();
  };

  it('reads every OU with its parent, each account parent and every tag page', async () => {
    emu.setFaults({});
    const org = await withTreeAndTags(client(), await collectOrganization(client()));
    const truth = emu.org.organization;
    expect(org.roots).toEqual([{ id: truth.root.id, name: 'Root' }]);
    expect(org.organizationalUnits).toEqual(
      truth.organizationalUnits.map((u) => ({ id: u.id, name: u.name, parentId: u.parentId })).sort((a, b) => a.id.localeCompare(b.id)),
    );
    const production = truth.organizationalUnits.find((u) => u.name === 'Production');
    const workloads = truth.organizationalUnits.find((u) => u.name === 'Workloads');
    expect(production?.parentId).toBe(workloads?.id);
    for (const a of emu.org.accounts) {
      const got = org.accounts.find((x) => x.id === a.id);
      expect(got?.parentId).toBe(a.parentId);
      if (a.status === 'ACTIVE') expect(got?.tags).toEqual(a.tags.map((t) => ({ key: t.Key, value: t.Value })));
      else expect(got?.tags).toBeUndefined();
    }
    const payments = org.accounts.find((a) => a.name === 'prod-payments');
    expect(payments?.tags).toEqual([
      { key: 'team', value: 'Payments' },
      { key: 'environment', value: 'production' },
      { key: 'data-classification', value: 'pci' },
    ]);
    // Five accounts, one of them with a second page of tags.
    expect(org.coverage?.find((c) => c.source === 'organizations-tags')?.apiCalls).toBe(6);
    expect(payments?.parentId).toBe(production?.id);
    expect(org.coverage?.map((c) => [c.source, c.status])).toEqual([
      ['organizations-tree', 'ok'],
      ['organizations-tags', 'ok'],
    ]);
  });

  it('records denied tree and tag reads as failed coverage, keeping the account list', async () => {
    const mgmt = emu.org.organization.managementAccountId;
    emu.setFaults({ denyOperations: { [mgmt]: ['organizations:ListOrganizationalUnitsForParent', 'organizations:ListTagsForResource'] } });
    try {
      const listed = await collectOrganization(client());
      const org = await withTreeAndTags(client(), listed);
      expect(org.accounts.map((a) => a.id)).toEqual(listed.accounts.map((a) => a.id));
      expect(org.organizationalUnits).toBeUndefined();
      expect(org.accounts.every((a) => a.tags === undefined && a.parentId === undefined)).toBe(true);
      const tree = org.coverage?.find((c) => c.source === 'organizations-tree');
      const tags = org.coverage?.find((c) => c.source === 'organizations-tags');
      expect(tree).toMatchObject({ status: 'failed', errorCode: 'AccessDeniedException' });
      expect(tree?.detail).toContain('no account is owned through its organizational unit');
      expect(tags).toMatchObject({ status: 'failed', errorCode: 'AccessDeniedException' });
      expect(tags?.detail).toContain('could not be read for 5 of 5 account(s)');
      expect(tags?.detail).toContain('organizations:ListTagsForResource');
    } finally {
      emu.setFaults({});
    }
  });
});
