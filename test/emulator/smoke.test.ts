import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { GetAccountAuthorizationDetailsCommand } from '@aws-sdk/client-iam';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { assumeInto, clients } from './helpers.js';

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator({ seed: 42 });
});
afterAll(async () => {
  await emu.close();
});

describe('smoke', () => {
  it('works', async () => {
    const id = await clients.sts(emu).send(new GetCallerIdentityCommand({}));
    console.log(id);
    const member = emu.org.accounts[1]!.id;
    const creds = await assumeInto(emu, member);
    const id2 = await clients.sts(emu, { credentials: creds }).send(new GetCallerIdentityCommand({}));
    console.log(id2);
    const d = await clients.iam(emu, { credentials: creds }).send(new GetAccountAuthorizationDetailsCommand({ MaxItems: 5 }));
    console.log(JSON.stringify(d.RoleDetailList?.[0], null, 1).slice(0, 2000), d.IsTruncated, d.Marker);
    expect(id.Account).toBe(emu.org.organization.managementAccountId);
  });
});
