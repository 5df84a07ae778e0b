/**
 * `check` on the trail route and log files that cannot be decrypted, against the emulator's trail
 * (SSE-KMS encrypted log files, kms:Decrypt refused on demand).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClientFactory } from '../../src/collect/clients.js';
import { collectSnapshot } from '../../src/collect/index.js';
import { preflightAws } from '../../src/collect/preflight.js';
import { resolveConfig } from '../../src/config/load-config.js';
import type { Config } from '../../src/config/config.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';

const NOW = new Date('2026-11-20T12:00:00.000Z');
const KEY = 'arn:aws:kms:us-east-1:111122223333:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
let emu: RunningEmulator;

function configFor(source: string, trail: Record<string, unknown>): Config {
  return resolveConfig(
    {
      scope: { mode: 'organization', concurrency: 4 },
      aws: { endpoint: emu.endpoint, s3ForcePathStyle: true, maxAttempts: 3 },
      regions: emu.org.regions,
      accessAnalyzer: { enabled: false },
      cloudtrail: { source, organizationTrail: trail },
    },
    {},
  );
}

beforeAll(async () => {
  emu = await startEmulator({ seed: 21, now: NOW, lookupEventsPerSecond: 0, org: { memberAccounts: 2, rolesPerAccount: 6, eventsPerAccount: 120 }, organizationTrail: { kmsKeyId: KEY } });
}, 120_000);
afterAll(async () => emu?.close());

describe('check on the trail route', () => {
  it('lists the prefix, reads and decrypts one log file, finds files for every account and region, and skips event history', async () => {
    const config = configFor('organization-trail', { bucket: emu.trail!.bucket, organizationId: emu.org.organization.id, kmsKeyId: KEY });
    emu.resetCalls();
    const items = (await preflightAws(config, createClientFactory(config.aws, emu.credentials))).filter((i) => i.check === 'organization-trail');
    const active = emu.org.accounts.filter((a) => a.status === 'ACTIVE').length;
    expect(items.map((i) => i.status)).toEqual(Array(2 + active * emu.org.regions.length).fill('ok'));
    expect(items[0]!.detail).toBe(`s3://${emu.trail!.bucket}/AWSLogs/${emu.org.organization.id}/ listable in us-east-1.`);
    expect(items[1]!.detail).toMatch(new RegExp(`^Read s3://${emu.trail!.bucket}/AWSLogs/.*\\.json\\.gz: \\d+ record\\(s\\) \\(SSE-KMS with ${KEY}: decrypted\\)\\.$`));
    expect(emu.calls()['cloudtrail:LookupEvents']).toBeUndefined();
    expect(emu.calls()['s3:GetObject']).toBe(1);
  }, 120_000);

  it('fails when the key refuses kms:Decrypt, and only warns under auto', async () => {
    emu.setFaults({ denyKmsDecrypt: [KEY] });
    try {
      const trail = { bucket: emu.trail!.bucket, organizationId: emu.org.organization.id, kmsKeyId: KEY };
      const strict = (await preflightAws(configFor('organization-trail', trail), createClientFactory(configFor('organization-trail', trail).aws, emu.credentials))).filter((i) => i.check === 'organization-trail');
      expect(strict[1]!.status).toBe('fail');
      expect(strict[1]!.detail).toContain('kms:Decrypt');
      expect(strict[1]!.detail).toContain(`Reading SSE-KMS log files also needs kms:Decrypt on ${KEY}.`);
      const auto = (await preflightAws(configFor('auto', trail), createClientFactory(configFor('auto', trail).aws, emu.credentials))).filter((i) => i.check === 'organization-trail');
      expect(auto[1]!.status).toBe('warn');
      expect(auto[1]!.detail).toContain('Under "auto" the run falls back to event history');
    } finally {
      emu.setFaults({});
    }
  }, 120_000);

  it('an organization id the trail does not use fails for every account and region', async () => {
    const config = configFor('organization-trail', { bucket: emu.trail!.bucket, organizationId: 'o-notthisorg1' });
    const items = (await preflightAws(config, createClientFactory(config.aws, emu.credentials))).filter((i) => i.check === 'organization-trail');
    expect(items[0]!.status).toBe('fail');
    expect(items[0]!.detail).toContain('holds no log file: check the bucket, prefix and organization id');
  }, 120_000);
});

describe('log files that cannot be decrypted', () => {
  it('are named in the coverage item with the reason, and usage is incomplete rather than zero', async () => {
    const config = configFor('organization-trail', { bucket: emu.trail!.bucket, organizationId: emu.org.organization.id, kmsKeyId: KEY });
    emu.setFaults({ denyKmsDecrypt: [KEY] });
    try {
      const snap = await collectSnapshot(config, { clients: createClientFactory(config.aws, emu.credentials), now: NOW, runId: 'kms', tool: { name: 'access-review', version: 'test' } });
      for (const a of snap.accounts) {
        for (const item of a.coverage.filter((c) => c.source === 'cloudtrail')) {
          expect(item.status).toBe('failed');
          expect(item.errorCode).toBe('AccessDenied');
          expect(item.detail).toMatch(
            /\d+ log files cannot be decrypted \(AccessDenied, HTTP 403: User: arn:aws:iam::\d{12}:user\/[\w-]+ is not authorized to perform: kms:Decrypt on resource: arn:aws:kms:[^)]*\): s3:\/\/org-cloudtrail-logs\/AWSLogs\/[^ ]*\.json\.gz, /,
          );
        }
        expect(a.usage.regions).toEqual([]);
        expect(a.usage.ledger).toBeUndefined();
      }
    } finally {
      emu.setFaults({});
    }
  }, 300_000);
});
