/** The preflight's Access Advisor probe: both IAM calls on one role, failing by name when denied. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { createClientFactory } from '../../src/collect/clients.js';
import { preflightAws } from '../../src/collect/preflight.js';
import { resolveConfig } from '../../src/config/load-config.js';

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator({ seed: 3, org: { memberAccounts: 1, rolesPerAccount: 6, eventsPerAccount: 20 } });
});
afterAll(async () => emu.close());

function config(lastAccessed: boolean) {
  return resolveConfig({ scope: { mode: 'account' }, aws: { endpoint: emu.endpoint, s3ForcePathStyle: true }, cloudtrail: { enabled: false }, accessAnalyzer: { enabled: false }, lastAccessed: { enabled: lastAccessed } }, {});
}

describe('check: Access Advisor', () => {
  it('probes GenerateServiceLastAccessedDetails and GetServiceLastAccessedDetails once each', async () => {
    emu.resetCalls();
    const items = await preflightAws(config(true), createClientFactory(config(true).aws, emu.credentials));
    const probe = items.find((i) => i.check === 'last-accessed');
    expect(probe).toMatchObject({ status: 'ok', detail: 'Service last-accessed data (Access Advisor) readable.' });
    expect(emu.calls()['iam:GenerateServiceLastAccessedDetails']).toBe(1);
    expect(emu.calls()['iam:GetServiceLastAccessedDetails']).toBe(1);
  });

  it('names the permission when it is denied, and skips the probe when disabled', async () => {
    const self = emu.org.organization.managementAccountId;
    emu.setFaults({ denyOperations: { [self]: ['iam:GenerateServiceLastAccessedDetails'] } });
    try {
      const items = await preflightAws(config(true), createClientFactory(config(true).aws, emu.credentials));
      const probe = items.find((i) => i.check === 'last-accessed');
      expect(probe?.status).toBe('fail');
      expect(probe?.detail).toMatch(/^iam:GenerateServiceLastAccessedDetails and iam:GetServiceLastAccessedDetails was denied \(AccessDenied[,)]/);
      const off = await preflightAws(config(false), createClientFactory(config(false).aws, emu.credentials));
      expect(off.find((i) => i.check === 'last-accessed')).toBeUndefined();
    } finally {
      emu.setFaults({});
    }
  });
});
