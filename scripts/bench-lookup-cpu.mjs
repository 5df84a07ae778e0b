#!/usr/bin/env node
// CPU per LookupEvents page: the collector's CloudTrail scan alone (no IAM, Access Analyzer or Access
// Advisor), unpaced against an emulator in its own process with its limit off, so the figure is the
// collector's CPU (process.cpuUsage), not wall time, and holds up on a loaded machine.
//   node scripts/bench-lookup-cpu.mjs [--accounts 5 --roles 2000 --events 20000] [--endpoint URL --key K --secret S]
// Without --endpoint it starts the emulator itself (and ends it). Prints one JSON object on its last line:
// pages, events, cpuSeconds, cpuMsPerPage, and a digest of every account-region's aggregates, so two
// builds can be compared for identical output on the same organization.
import './on-supported-node.mjs';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createClientFactory } from '../dist/collect/clients.js';
import { collectOrganization } from '../dist/collect/organizations.js';
import { scanAssumeEvents } from '../dist/collect/cloudtrail.js';
import { RateLimiter } from '../dist/collect/rate-limiter.js';
import { UsageAccumulator, planScan } from '../dist/collect/usage-ledger.js';
import { reviewWindow } from '../dist/collect/index.js';

const { values } = parseArgs({
  options: {
    accounts: { type: 'string', default: '5' },
    roles: { type: 'string', default: '2000' },
    events: { type: 'string', default: '20000' },
    endpoint: { type: 'string' },
    key: { type: 'string' },
    secret: { type: 'string' },
    repeat: { type: 'string', default: '1' },
  },
});
const NOW = '2026-12-06T06:00:00.000Z';
const EVENT_NAMES = ['AssumeRole', 'AssumeRoleWithSAML', 'AssumeRoleWithWebIdentity'];
const REGIONS = ['us-east-1', 'eu-west-1'];

async function startEmulator() {
  const main = fileURLToPath(new URL('../dist/emulator/main.js', import.meta.url));
  const args = ['--max-old-space-size=16384', main, '--members', String(Number(values.accounts) - 1), '--roles', values.roles, '--events', values.events, '--now', NOW, '--lookup-rate', '0'];
  const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', 'pipe', 'inherit'] });
  const kill = () => {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // gone already
    }
  };
  process.once('exit', kill);
  for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => process.exit(130));
  const line = await new Promise((resolve, reject) => {
    let buf = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d) => {
      buf += d;
      const i = buf.indexOf('\n');
      if (i >= 0) resolve(buf.slice(0, i));
    });
    child.once('exit', () => reject(new Error('emulator exited')));
  });
  return { info: JSON.parse(line), stop: kill };
}

const emu = values.endpoint ? undefined : await startEmulator();
const endpoint = values.endpoint ?? emu.info.endpoint;
const base = createClientFactory({ region: 'us-east-1', endpoint, s3ForcePathStyle: true, maxAttempts: 8 }, { accessKeyId: values.key ?? emu.info.accessKeyId, secretAccessKey: values.secret ?? emu.info.secretAccessKey });
const org = await collectOrganization(base.organizations());
const window = reviewWindow(new Date(NOW), 90);
const management = org.accounts.find((a) => a.id === org.masterAccountId)?.id;
const targets = org.accounts.filter((a) => a.status === 'ACTIVE');
const factories = targets.map((a) => (a.id === management ? base : base.assume(`arn:aws:iam::${a.id}:role/AccessReviewReadOnly`)));

const runs = [];
for (let r = 0; r < Number(values.repeat); r++) {
  const limiter = new RateLimiter(1e6);
  const digest = createHash('sha256');
  let pages = 0;
  let events = 0;
  // Credentials first, so the scan's CPU is the scan's.
  for (const f of factories) await f.cloudtrail('us-east-1').config.credentials();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const results = await Promise.all(
    targets.flatMap((a, i) =>
      REGIONS.map(async (region) => {
        const usage = new UsageAccumulator(a.id, planScan(undefined, window, EVENT_NAMES), window);
        const scan = await scanAssumeEvents(factories[i].cloudtrail(region), { accountId: a.id, region, ranges: [{ ...window, endExclusive: false }], eventNames: EVENT_NAMES, limiter, onEvent: (e) => usage.add(e) });
        return { account: a.id, region, scan, done: usage.finish(region, EVENT_NAMES) };
      }),
    ),
  );
  const cpu = process.cpuUsage(cpu0);
  const wall = (performance.now() - t0) / 1000;
  for (const { account, region, scan, done } of results) {
    pages += scan.coverage.apiCalls ?? 0;
    events += scan.eventsRead;
    digest.update(JSON.stringify([account, region, scan.coverage.status, done.assumptions, done.ledger]));
  }
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const systemShare = cpu.system / (cpu.user + cpu.system);
  runs.push({ pages, events, cpuSeconds: Math.round(cpuSeconds * 100) / 100, cpuMsPerPage: Math.round((cpuSeconds * 1e5) / pages) / 100, wallSeconds: Math.round(wall * 100) / 100, systemShare: Math.round(systemShare * 100) / 100, digest: digest.digest('hex').slice(0, 16) });
  console.log(JSON.stringify({ run: r, ...runs[r] }));
}
emu?.stop();
const best = runs.reduce((a, b) => (b.cpuMsPerPage < a.cpuMsPerPage ? b : a));
console.log(JSON.stringify({ accounts: targets.length, regions: REGIONS.length, ...best, runs: runs.length }));
process.exit(0);
