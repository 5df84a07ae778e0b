/**
 * The Organizations tree and tag operations through the real SDK client: shapes the SDK deserializes, paging
 * by MaxResults and NextToken, the documented not-found errors, and management-account-only access.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  ListParentsCommand,
  ListRootsCommand,
  ListTagsForResourceCommand,
  paginateListOrganizationalUnitsForParent,
} from '@aws-sdk/client-organizations';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { assumeInto, clients, FIXED_NOW, rejection } from './helpers.js';

let emu: RunningEmulator;

beforeAll(async () => {
  emu = await startEmulator({ seed: 42, now: FIXED_NOW, org: { memberAccounts: 10, rolesPerAccount: 4, eventsPerAccount: 10 } });
});
afterAll(async () => emu.close());

describe('Organizations tree and tags', () => {
  it('lists the one root with its policy types', async () => {
    const out = await clients.organizations(emu).send(new ListRootsCommand({}));
    const root = emu.org.organization.root;
    expect(out.Roots).toEqual([{ Id: root.id, Arn: root.arn, Name: 'Root', PolicyTypes: [{ Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' }] }]);
    expect(root.id).toMatch(/^r-[0-9a-z]{4,32}$/);
    expect(out.NextToken).toBeUndefined();
  });

  it('pages the OUs of a parent one at a time and keeps the tree nested', async () => {
    const root = emu.org.organization.root.id;
    const pages: string[][] = [];
    for await (const page of paginateListOrganizationalUnitsForParent({ client: clients.organizations(emu), pageSize: 1 }, { ParentId: root })) {
      pages.push((page.OrganizationalUnits ?? []).map((u) => u.Name ?? ''));
    }
    expect(pages).toEqual([['Workloads'], ['Infrastructure'], ['Security'], ['Suspended']]);
    const workloads = emu.org.organization.organizationalUnits.find((u) => u.name === 'Workloads');
    const under = await clients.organizations(emu).send(new ListOrganizationalUnitsForParentCommand({ ParentId: workloads?.id }));
    expect(under.OrganizationalUnits?.map((u) => u.Name)).toEqual(['Production', 'Non-production']);
    for (const u of emu.org.organization.organizationalUnits) expect(u.id).toMatch(/^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/);
  });

  it('lists the accounts of each parent, and each account has exactly one parent', async () => {
    const org = emu.org.organization;
    const seen: string[] = [];
    for (const parent of [org.root.id, ...org.organizationalUnits.map((u) => u.id)]) {
      const out = await clients.organizations(emu).send(new ListAccountsForParentCommand({ ParentId: parent }));
      for (const a of out.Accounts ?? []) {
        seen.push(a.Id ?? '');
        const parents = await clients.organizations(emu).send(new ListParentsCommand({ ChildId: a.Id }));
        expect(parents.Parents).toEqual([{ Id: parent, Type: parent.startsWith('r-') ? 'ROOT' : 'ORGANIZATIONAL_UNIT' }]);
      }
    }
    expect(seen.sort()).toEqual(emu.org.accounts.map((a) => a.id).sort());
    const mgmt = await clients.organizations(emu).send(new ListParentsCommand({ ChildId: org.managementAccountId }));
    expect(mgmt.Parents?.[0]?.Type).toBe('ROOT');
  });

  it('pages account tags and lists none for an account without', async () => {
    const payments = emu.org.accounts.find((a) => a.name === 'prod-payments');
    const first = await clients.organizations(emu).send(new ListTagsForResourceCommand({ ResourceId: payments?.id }));
    expect(first.Tags).toEqual([
      { Key: 'team', Value: 'Payments' },
      { Key: 'environment', Value: 'production' },
    ]);
    const second = await clients.organizations(emu).send(new ListTagsForResourceCommand({ ResourceId: payments?.id, NextToken: first.NextToken }));
    expect(second).toMatchObject({ Tags: [{ Key: 'data-classification', Value: 'pci' }] });
    expect(second.NextToken).toBeUndefined();
    const none = await clients.organizations(emu).send(new ListTagsForResourceCommand({ ResourceId: emu.org.organization.managementAccountId }));
    expect(none.Tags).toEqual([]);
  });

  it('answers unknown ids with the documented exceptions', async () => {
    const org = clients.organizations(emu);
    expect((await rejection(org.send(new ListAccountsForParentCommand({ ParentId: 'ou-zzzz-nosuchou' })))).name).toBe('ParentNotFoundException');
    expect((await rejection(org.send(new ListParentsCommand({ ChildId: '123456789012' })))).name).toBe('ChildNotFoundException');
    expect((await rejection(org.send(new ListTagsForResourceCommand({ ResourceId: '123456789012' })))).name).toBe('TargetNotFoundException');
    expect((await rejection(org.send(new ListRootsCommand({ NextToken: 'not-a-token' })))).name).toBe('InvalidInputException');
  });

  it('refuses a member account, as without delegated administration', async () => {
    const member = emu.org.accounts.find((a) => !a.isManagement && a.status === 'ACTIVE');
    const creds = await assumeInto(emu, member?.id ?? '');
    const err = await rejection(clients.organizations(emu, { credentials: creds }).send(new ListTagsForResourceCommand({ ResourceId: member?.id })));
    expect(err.name).toBe('AccessDeniedException');
  });
});
