/**
 * What the usage-source tests share (the organization trail read directly, and through Athena): a config
 * for the emulator's organization, the trail's settings, one collection, and the usage a route produced.
 */
import type { RunningEmulator } from '../../src/emulator/index.js';
import { createClientFactory } from '../../src/collect/clients.js';
import { collectSnapshot, type CollectProgress } from '../../src/collect/index.js';
import { resolveConfig } from '../../src/config/load-config.js';
import type { Config } from '../../src/config/config.js';
import type { Snapshot, UsageLedger } from '../../src/model/snapshot.js';

export const NOW = new Date('2026-11-20T12:00:00.000Z');
export const WEEK = 7 * 86_400_000;
const TOOL = { name: 'access-review', version: 'test' };

export function configFor(emu: RunningEmulator, cloudtrail: Record<string, unknown>, extra: Record<string, unknown> = {}): Config {
  return resolveConfig(
    {
      scope: { mode: 'organization', concurrency: 4 },
      aws: { region: 'us-east-1', endpoint: emu.endpoint, s3ForcePathStyle: true, maxAttempts: 4 },
      regions: emu.org.regions,
      accessAnalyzer: { enabled: false },
      ...extra,
      cloudtrail,
    },
    {},
  );
}

export function trailSettings(emu: RunningEmulator): Record<string, unknown> {
  const t = emu.trail!;
  return { bucket: t.bucket, ...(t.prefix ? { prefix: t.prefix } : {}), ...(t.organizationId ? { organizationId: t.organizationId } : {}) };
}

export async function collect(
  emu: RunningEmulator,
  config: Config,
  now = NOW,
  previous?: Snapshot,
  hooks: { log?: (event: string, fields: Record<string, unknown>) => void; progress?: CollectProgress } = {},
): Promise<Snapshot> {
  const clients = createClientFactory(config.aws, emu.credentials);
  const ledgers = new Map(previous?.accounts.map((a) => [a.accountId, a.usage.ledger ?? []]) ?? []);
  return collectSnapshot(config, {
    clients,
    now,
    runId: 'test-run',
    tool: TOOL,
    ...(hooks.log ? { log: hooks.log } : {}),
    ...(previous ? { previousLedgers: async () => ledgers as ReadonlyMap<string, UsageLedger[]> } : {}),
    ...(hooks.progress ? { progress: hooks.progress } : {}),
  });
}

/** Everything the usage model holds per account, and the CloudTrail coverage without its wording. */
export const usageOf = (s: Snapshot) =>
  s.accounts.map((a) => ({
    accountId: a.accountId,
    window: a.usage.window,
    regions: a.usage.regions,
    eventsRead: a.usage.eventsRead,
    assumptions: a.usage.assumptions,
    ledger: a.usage.ledger,
    coverage: a.coverage.filter((c) => c.source === 'cloudtrail').map((c) => [c.region, c.status]),
  }));
