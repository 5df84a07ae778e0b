#!/usr/bin/env node
// Access Advisor benchmark: calls and wall time of the last-accessed jobs for the roles assumable from
// outside their account (about 2,000 with the defaults), under a per-account IAM rate limit, and the time
// that leaves inside one scheduled run (the CronJob's activeDeadlineSeconds, 6 h).
// IAM publishes no rate for these calls: --iam-rps sets the emulator's limit (default 10 a second per
// account, both calls together), and the collector rides it out with the SDK's adaptive retry.
// Usage: npm run bench:last-accessed [-- --accounts 20 --roles 460 --iam-rps 10 --concurrency 8 --all-roles]
// Prints figures, then one JSON object on the last line.
import './on-supported-node.mjs';
import { parseArgs } from 'node:util';
import { startEmulator } from '../dist/emulator/index.js';
import { createClientFactory } from '../dist/collect/clients.js';
import { collectSnapshot } from '../dist/collect/index.js';
import { resolveConfig } from '../dist/config/load-config.js';
import { assumableFromOutsideAccount } from '../dist/analyze/least-privilege/outside-account.js';

const { values } = parseArgs({
  options: {
    accounts: { type: 'string', default: '20' },
    roles: { type: 'string', default: '460' },
    'iam-rps': { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '8' },
    'account-concurrency': { type: 'string', default: '8' },
    seed: { type: 'string', default: '42' },
    // Every role instead of the outside-trusted ones: the worst case of 2,000 jobs in one account.
    'all-roles': { type: 'boolean', default: false },
  },
});
const SCHEDULED_RUN_S = 21_600; // k8s/base/cronjob.yaml activeDeadlineSeconds
const rps = Number(values['iam-rps']);
const now = new Date();
const t0 = performance.now();
const emu = await startEmulator({
  seed: Number(values.seed),
  now,
  lookupEventsPerSecond: 0,
  org: { memberAccounts: Number(values.accounts) - 1, rolesPerAccount: Number(values.roles), eventsPerAccount: 40 },
  faults: { lastAccessedJobs: { requestsPerSecond: rps } },
});
const generateMs = performance.now() - t0;
try {
  const config = resolveConfig(
    {
      scope: { mode: 'organization', concurrency: Number(values['account-concurrency']) },
      aws: { endpoint: emu.endpoint, s3ForcePathStyle: true, maxAttempts: 20 },
      regions: emu.org.regions,
      cloudtrail: { enabled: false },
      accessAnalyzer: { enabled: false },
      lastAccessed: { concurrency: Number(values.concurrency), roles: values['all-roles'] ? 'all' : 'outside-account' },
    },
    {},
  );
  const clients = createClientFactory(config.aws, emu.credentials);
  const started = performance.now();
  const snapshot = await collectSnapshot(config, { clients, now, runId: 'bench', tool: { name: 'access-review', version: 'bench' }, assumableFromOutside: assumableFromOutsideAccount });
  const wallMs = performance.now() - started;
  const calls = emu.calls();
  const jobs = snapshot.accounts.flatMap((a) => a.lastAccessed?.roles ?? []);
  const byStatus = Object.fromEntries(['completed', 'failed', 'timed-out', 'error'].map((s) => [s, jobs.filter((j) => j.status === s).length]));
  const generate = calls['iam:GenerateServiceLastAccessedDetails'] ?? 0;
  const get = calls['iam:GetServiceLastAccessedDetails'] ?? 0;
  // Accepted calls: one Generate, one IN_PROGRESS poll and one COMPLETED page per job (the emulator's
  // jobs finish after one poll); the rest were refused with Throttling and retried.
  const accepted = 3 * jobs.length;
  const perAccount = snapshot.accounts.map((a) => (a.lastAccessed?.roles.length ?? 0) * 3);
  // Floor: each account's accepted calls at the rate, accounts spread over the account workers.
  const workers = new Array(Number(values['account-concurrency'])).fill(0);
  for (const n of perAccount) {
    const i = workers.indexOf(Math.min(...workers));
    workers[i] += (n / rps) * 1000;
  }
  const floorMs = Math.max(...workers);
  const leftS = SCHEDULED_RUN_S - wallMs / 1000;

  console.log(`accounts                  ${snapshot.accounts.length}`);
  console.log(`roles                     ${snapshot.accounts.reduce((s, a) => s + a.roles.length, 0)}`);
  console.log(`${values['all-roles'] ? 'roles asked about (all)  ' : 'outside-trusted roles    '} ${jobs.length} (jobs: ${JSON.stringify(byStatus)})`);
  console.log(`IAM limit (emulated)      ${rps} req/s per account, Access Advisor calls together`);
  console.log(`Generate / Get calls      ${generate} / ${get}  (${generate + get - accepted} throttled and retried)`);
  console.log(`wall time                 ${(wallMs / 1000).toFixed(1)} s  (inventory included; org generation ${(generateMs / 1000).toFixed(1)} s not)`);
  console.log(`rate-limit floor          ${(floorMs / 1000).toFixed(1)} s`);
  console.log(`left in a 6 h run         ${(leftS / 3600).toFixed(2)} h (${Math.round((100 * leftS) / SCHEDULED_RUN_S)} %)`);
  console.log(
    JSON.stringify({
      accounts: snapshot.accounts.length,
      selection: values['all-roles'] ? 'all' : 'outside-account',
      jobsStarted: jobs.length,
      jobs: byStatus,
      iamRequestsPerSecond: rps,
      generateCalls: generate,
      getCalls: get,
      throttledCalls: generate + get - accepted,
      wallMs: Math.round(wallMs),
      floorMs: Math.round(floorMs),
      scheduledRunSeconds: SCHEDULED_RUN_S,
      secondsLeft: Math.round(leftS),
    }),
  );
} finally {
  await emu.close();
}
