/**
 * `check` for owners against the emulator: accounts and OUs the owners name must exist in the organization
 * (reported by config path), and in the SES sandbox every owner address must be a verified identity.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkOwners } from '../../src/cli/check-owners.js';
import { createClientFactory } from '../../src/collect/clients.js';
import { resolveConfig } from '../../src/config/load-config.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';

let emu: RunningEmulator;

beforeAll(async () => {
  emu = await startEmulator({ seed: 7, org: { memberAccounts: 2, rolesPerAccount: 4, eventsPerAccount: 10 }, sesSandbox: true });
}, 60_000);
afterAll(async () => emu?.close());

function run(owners: unknown, extra: Record<string, unknown> = {}) {
  const config = resolveConfig(
    {
      scope: { mode: 'organization' },
      aws: { endpoint: emu.endpoint, s3ForcePathStyle: true },
      email: { from: 'access-review@acme.example', to: ['security@acme.example'] },
      owners,
      ...extra,
    },
    {},
  );
  return checkOwners(config, createClientFactory(config.aws, emu.credentials));
}

describe('check: owners', () => {
  it('passes when the accounts and OUs exist and the addresses are verified', async () => {
    const member = emu.org.accounts.find((a) => !a.isManagement)?.id ?? '';
    const ou = emu.org.organization.organizationalUnits[0]?.id ?? '';
    const items = await run({ list: [{ name: 'Payments', emails: ['payments@acme.example'], accounts: [member], organizationalUnits: [ou] }] });
    expect(items.map((i) => [i.check, i.status])).toEqual([
      ['owners', 'ok'],
      ['owner-emails', 'ok'],
    ]);
    expect(items[1]?.detail).toBe('SES in us-east-1 is in the sandbox and all 1 owner address(es) are verified identities.');
  });

  it('fails by config path on an unknown account or OU, and names an unverified owner address', async () => {
    const items = await run({
      list: [
        { name: 'Payments', emails: ['payments@acme.example'], accounts: ['123456789012'] },
        { name: 'Web', emails: ['web@elsewhere.example'], organizationalUnits: ['ou-zzzz-nosuchou'] },
      ],
    });
    const owners = items.find((i) => i.check === 'owners');
    expect(owners?.status).toBe('fail');
    expect(owners?.detail).toContain(`owners.list[0].accounts[0]: Payments: account 123456789012 is not in organization ${emu.org.organization.id}.`);
    expect(owners?.detail).toContain(`owners.list[1].organizationalUnits[0]: Web: ou-zzzz-nosuchou is not an organizational unit of organization ${emu.org.organization.id}.`);
    const emails = items.find((i) => i.check === 'owner-emails');
    expect(emails?.status).toBe('fail');
    expect(emails?.detail).toContain('not verified identities: web@elsewhere.example (Web)');
  });

  it('warns when owners have addresses but no email is configured, and says nothing without owners', async () => {
    const config = resolveConfig({ aws: { endpoint: emu.endpoint }, owners: { list: [{ name: 'Web', emails: ['web@acme.example'] }] } }, {});
    const items = await checkOwners(config, createClientFactory(config.aws, emu.credentials));
    expect(items.find((i) => i.check === 'owner-emails')).toMatchObject({ status: 'warn' });
    expect(await run({ list: [] })).toEqual([]);
  });
});
