#!/usr/bin/env node
// Analysis benchmark: how the pure analysis stage (trust parsing, permissions against the full action
// catalogue, reach graph, usage join, rules, scoring) scales with the organization. The snapshot is
// collected once from the emulator with its CloudTrail rate limit off, then analyzed and timed.
// Usage: npm run build && node scripts/bench-analyze.mjs [--accounts 40 --roles 60 --events 400]
// Prints figures, then one JSON object on the last line.
import './on-supported-node.mjs';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { startEmulator } from '../dist/emulator/index.js';
import { createClientFactory } from '../dist/collect/clients.js';
import { collectSnapshot } from '../dist/collect/index.js';
import { resolveConfig } from '../dist/config/load-config.js';
import { analyze } from '../dist/analyze/index.js';
import { loadActionCatalog } from '../dist/catalog/load-action-catalog.js';
import { loadVendors } from '../dist/config/vendors.js';

const { values } = parseArgs({
  options: {
    accounts: { type: 'string', default: '40' },
    roles: { type: 'string', default: '60' },
    events: { type: 'string', default: '400' },
    seed: { type: 'string', default: '42' },
  },
});
const now = new Date();
const emu = await startEmulator({
  seed: Number(values.seed),
  now,
  lookupEventsPerSecond: 0,
  org: { memberAccounts: Number(values.accounts), rolesPerAccount: Number(values.roles), eventsPerAccount: Number(values.events) },
});
try {
  const config = resolveConfig(
    { scope: { mode: 'organization', concurrency: 16 }, aws: { endpoint: emu.endpoint, s3ForcePathStyle: true }, regions: emu.org.regions },
    {},
  );
  const clients = createClientFactory(config.aws, emu.credentials);
  const t0 = performance.now();
  const snapshot = await collectSnapshot(config, { clients, now, runId: 'bench', tool: { name: 'access-review', version: 'bench' } });
  const collectMs = performance.now() - t0;
  const t1 = performance.now();
  const catalog = await loadActionCatalog();
  const catalogMs = performance.now() - t1;
  const options = {
    now,
    settings: { unusedAfterDays: 90, extraVendors: [], suppressions: [] },
    catalog,
    vendors: loadVendors([]),
  };
  const runs = [];
  let review;
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    review = analyze(snapshot, options);
    runs.push(performance.now() - t);
  }
  const roles = snapshot.accounts.reduce((s, a) => s + a.roles.length, 0);
  const heap = process.memoryUsage().heapUsed;
  const best = Math.min(...runs);
  console.log(`accounts            ${snapshot.accounts.length}`);
  console.log(`roles               ${roles}`);
  console.log(`trust grants        ${review.summary.trustGrants}`);
  console.log(`findings            ${review.findings.length}`);
  console.log(`reach paths         ${review.reach?.length ?? 0}`);
  console.log(`collect (no limit)  ${(collectMs / 1000).toFixed(2)} s`);
  console.log(`catalogue load      ${catalogMs.toFixed(0)} ms`);
  console.log(`analyze             ${runs.map((r) => `${r.toFixed(0)} ms`).join(', ')} (best ${best.toFixed(0)} ms, ${(best / roles).toFixed(2)} ms/role)`);
  console.log(`heap after          ${(heap / 2 ** 20).toFixed(0)} MiB`);
  console.log(
    JSON.stringify({
      accounts: snapshot.accounts.length,
      roles,
      grants: review.summary.trustGrants,
      findings: review.findings.length,
      collectMs: Math.round(collectMs),
      catalogMs: Math.round(catalogMs),
      analyzeMs: runs.map(Math.round),
      msPerRole: Number((best / roles).toFixed(3)),
      heapMiB: Math.round(heap / 2 ** 20),
    }),
  );
} finally {
  await emu.close();
}
