#!/usr/bin/env node
// Collection benchmark against the local emulator: wall time and API calls of one organization-wide
// collection, next to the floor CloudTrail's 2 requests/second per account and region imposes.
// Usage: npm run bench [-- --accounts 4 --roles 25 --events 1500 --concurrency 4]
// Prints figures, then one JSON object on the last line.
import { parseArgs } from 'node:util';
import { startEmulator } from '../dist/emulator/index.js';
import { createClientFactory } from '../dist/collect/clients.js';
import { collectSnapshot } from '../dist/collect/index.js';
import { resolveConfig } from '../dist/config/load-config.js';

const { values } = parseArgs({
  options: {
    accounts: { type: 'string', default: '4' },
    roles: { type: 'string', default: '25' },
    events: { type: 'string', default: '1500' },
    concurrency: { type: 'string', default: '4' },
    seed: { type: 'string', default: '42' },
  },
});
const now = new Date();
const emu = await startEmulator({
  seed: Number(values.seed),
  now,
  org: { memberAccounts: Number(values.accounts), rolesPerAccount: Number(values.roles), eventsPerAccount: Number(values.events) },
});
try {
  const config = resolveConfig(
    {
      scope: { mode: 'organization', concurrency: Number(values.concurrency) },
      aws: { endpoint: emu.endpoint, s3ForcePathStyle: true },
      regions: emu.org.regions,
    },
    {},
  );
  const clients = createClientFactory(config.aws, emu.credentials);
  const started = performance.now();
  const snapshot = await collectSnapshot(config, { clients, now, runId: 'bench', tool: { name: 'access-review', version: 'bench' } });
  const wallMs = performance.now() - started;
  const calls = emu.calls();

  // The floor: LookupEvents pages per account and region, 2 a second, regions in parallel, accounts
  // spread over the worker pool. A real run cannot beat it without CloudTrail Lake.
  const perAccountFloorMs = snapshot.accounts.map((a) => {
    const perRegion = a.coverage.filter((c) => c.source === 'cloudtrail').map((c) => Math.max(0, (c.apiCalls ?? 0) - 1) * 500);
    return Math.max(0, ...perRegion);
  });
  // Accounts start in order as workers free up (what the collector does): simulate that schedule.
  const workers = new Array(Number(values.concurrency)).fill(0);
  for (const f of perAccountFloorMs) {
    const i = workers.indexOf(Math.min(...workers));
    workers[i] += f;
  }
  const floorMs = Math.max(...workers);
  const lookupCalls = calls['cloudtrail:LookupEvents'] ?? 0;
  const eventsRead = snapshot.accounts.reduce((s, a) => s + a.usage.eventsRead, 0);
  const roles = snapshot.accounts.reduce((s, a) => s + a.roles.length, 0);

  console.log(`accounts            ${snapshot.accounts.length}`);
  console.log(`roles               ${roles}`);
  console.log(`events read         ${eventsRead}`);
  console.log(`wall time           ${(wallMs / 1000).toFixed(2)} s`);
  console.log(`rate-limit floor    ${(floorMs / 1000).toFixed(2)} s  (LookupEvents ${lookupCalls} calls at 2/s per account-region)`);
  console.log(`overhead vs floor   ${((wallMs / Math.max(floorMs, 1) - 1) * 100).toFixed(1)} %`);
  for (const [op, n] of Object.entries(calls).sort()) console.log(`  ${op.padEnd(44)} ${n}`);
  console.log(
    JSON.stringify({
      accounts: snapshot.accounts.length,
      roles,
      eventsRead,
      wallMs: Math.round(wallMs),
      floorMs: Math.round(floorMs),
      apiCalls: Object.values(calls).reduce((s, n) => s + n, 0),
      lookupEventsCalls: lookupCalls,
      calls,
    }),
  );
} finally {
  await emu.close();
}
