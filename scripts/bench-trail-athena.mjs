// The Athena route of bench:trail: the product's Athena usage (dist/collect/athena-usage.js, the table it
// creates and its one usage query) against the emulator's Athena over the same trail files the embedded
// reader read. Run twice: the first query includes the emulator loading every log file into its engine
// (gunzip, JSON parse and DuckDB's insert: emulator work that Athena does not charge as wall time on a warm
// table), the second is the query alone.
// The product runs in a child process (this file, with BENCH_ATHENA_CHILD set), so its CPU seconds are its
// own; the CPU seconds of this process over the same run are the emulator's (HTTP, the load, DuckDB's threads).
// Wall times are the emulator's DuckDB on this machine, not Athena's: they show the route works at this
// size and what it costs in calls, not how fast AWS would answer.
// Variants ({ name, dist }: a dist/ folder built from another commit) run the product's side each in turn on
// the same loaded emulator (the cold run is the first variant's; then one warm run per variant, repeated
// --athena-repeat times, alternating), so a change to the product's memory is measured side by side.
import './on-supported-node.mjs';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { AthenaClient } from '@aws-sdk/client-athena';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { pathToFileURL } from 'node:url';
import { peakRssKiB } from './peak-rss.mjs';

const RESULTS = 'bench-athena-results';
const NAMES = ['AssumeRole', 'AssumeRoleWithSAML', 'AssumeRoleWithWebIdentity'];
const CHILD_TIMEOUT_MS = 60 * 60_000;

/** The product's side of one run (in the child): every account through Athena; wall, CPU, what it logged. */
async function productRun(opts) {
  // The variant's build of the product (this checkout's dist/ unless one is named).
  const dist = opts.dist ? pathToFileURL(`${opts.dist.replace(/\/+$/, '')}/`).href : new URL('../dist/', import.meta.url).href;
  const { AthenaUsage } = await import(`${dist}collect/athena-usage.js`);
  const { UsageAccumulator, planScan } = await import(`${dist}collect/usage-ledger.js`);
  const { reviewWindow } = await import(`${dist}collect/index.js`);
  const { ATHENA_DEFAULTS } = await import(`${dist}config/config.js`);
  const client = new AthenaClient({ region: 'us-east-1', endpoint: opts.endpoint, credentials: opts.credentials, maxAttempts: 5 });
  const now = new Date(opts.now);
  const window = reviewWindow(now, 90);
  const targets = opts.accounts.map((accountId) => ({ accountId, region: opts.region, plan: planScan(undefined, window, NAMES) }));
  const logged = [];
  const usage = new AthenaUsage({
    client,
    settings: { ...ATHENA_DEFAULTS, outputLocation: `s3://${RESULTS}/bench/` },
    trail: { bucket: opts.bucket, organizationId: opts.org },
    eventNames: NAMES,
    window,
    log: (event, fields) => logged.push({ event, fields }),
  });
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  usage.start(targets);
  let eventsRead = 0;
  let failed = 0;
  let detail;
  for (const t of targets) {
    const scan = await usage.scan(t.accountId, t.region, t.plan, new UsageAccumulator(t.accountId, t.plan, window));
    eventsRead += scan.eventsRead;
    if (scan.coverage.status !== 'ok') {
      failed += 1;
      detail ??= scan.coverage.detail;
    }
  }
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpu0);
  client.destroy();
  const query = logged.find((l) => l.event === 'collect.athena.query')?.fields ?? {};
  // The product's memory: its peak resident set, and its proportional set size once every row is counted.
  const kb = (file, field) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(file, 'utf8'))?.[1] ?? NaN);
  return {
    ms,
    cpuS: Math.round((cpu.user + cpu.system) / 1e4) / 100,
    peakRssMB: Math.round(peakRssKiB() / 1024),
    pssMB: Math.round(kb('/proc/self/smaps_rollup', 'Pss') / 1024),
    // V8's heap at the same moment: the usage the route still holds for the accounts, plus garbage not yet collected.
    heapUsedMB: Math.round(process.memoryUsage().heapUsed / 1048576),
    eventsRead,
    failed,
    scannedBytes: query.scannedBytes ?? 0,
    rows: query.rows ?? 0,
    ...(detail ? { detail } : {}),
  };
}

/** One run: the product in a child, the emulator here; the child's process group is killed if it hangs. */
async function once(emu, opts, variant = {}) {
  emu.resetCalls();
  const cpu0 = process.cpuUsage();
  const load = loadavg()[0];
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url)], {
    env: { ...process.env, BENCH_ATHENA_CHILD: JSON.stringify({ ...opts, ...(variant.dist ? { dist: variant.dist } : {}), now: opts.now.toISOString(), endpoint: emu.endpoint, credentials: emu.credentials }) },
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true,
  });
  let out = '';
  child.stdout.on('data', (c) => (out += c));
  const timer = setTimeout(() => process.kill(-child.pid, 'SIGKILL'), CHILD_TIMEOUT_MS);
  const code = await new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  }).finally(() => clearTimeout(timer));
  if (code !== 0) throw new Error(`the product's Athena run exited ${code}`);
  const r = JSON.parse(out.trim().split('\n').at(-1));
  const emuCpu = process.cpuUsage(cpu0);
  const calls = Object.fromEntries(Object.entries(emu.calls()).filter(([k]) => k.startsWith('athena:')));
  return {
    s: Math.round(r.ms / 100) / 10,
    productCpuS: r.cpuS,
    productPeakRssMB: r.peakRssMB,
    productPssMB: r.pssMB,
    productHeapUsedMB: r.heapUsedMB,
    emulatorCpuS: Math.round((emuCpu.user + emuCpu.system) / 1e4) / 100,
    load1: Math.round(load * 100) / 100,
    eventsRead: r.eventsRead,
    failed: r.failed,
    calls,
    scannedMB: Math.round((r.scannedBytes / 1048576) * 10) / 10,
    rows: r.rows,
    ...(r.detail ? { detail: r.detail } : {}),
  };
}

export async function benchAthena(emu, opts) {
  const s3 = new S3Client({ region: 'us-east-1', endpoint: emu.endpoint, forcePathStyle: true, credentials: emu.credentials, requestChecksumCalculation: 'WHEN_REQUIRED' });
  await s3.send(new CreateBucketCommand({ Bucket: RESULTS })).catch(() => undefined);
  s3.destroy();
  const variants = opts.variants?.length ? opts.variants : [{ name: 'product' }];
  const first = await once(emu, opts, variants[0]);
  const warmRuns = [];
  for (let rep = 0; rep < (opts.repeat ?? 1); rep++) {
    for (const variant of variants) warmRuns.push({ variant: variant.name, ...(await once(emu, opts, variant)) });
  }
  const warm = warmRuns[0];
  return {
    firstS: first.s,
    warmS: warm.s,
    // The emulator's CPU on the first run less the warm run's: loading the gzipped JSON into DuckDB.
    emulatorCpuS: { first: first.emulatorCpuS, warm: warm.emulatorCpuS, loadApprox: Math.round((first.emulatorCpuS - warm.emulatorCpuS) * 100) / 100 },
    productCpuS: { first: first.productCpuS, warm: warm.productCpuS },
    productPeakRssMB: { first: first.productPeakRssMB, warm: warm.productPeakRssMB },
    productPssMB: { first: first.productPssMB, warm: warm.productPssMB },
    load1: { first: first.load1, warm: warm.load1 },
    calls: first.calls,
    warmCalls: warm.calls,
    scannedMB: first.scannedMB,
    resultRows: first.rows,
    eventsRead: first.eventsRead,
    failedPairs: first.failed + warmRuns.reduce((n, w) => n + w.failed, 0),
    firstVariant: variants[0].name,
    // Every warm run, in the order run: the product's memory per variant under the same load.
    warmRuns: warmRuns.map((w) => ({
      variant: w.variant,
      load1: w.load1,
      s: w.s,
      productCpuS: w.productCpuS,
      productPeakRssMB: w.productPeakRssMB,
      productPssMB: w.productPssMB,
      productHeapUsedMB: w.productHeapUsedMB,
      rows: w.rows,
      eventsRead: w.eventsRead,
      failed: w.failed,
      getQueryResults: w.calls['athena:GetQueryResults'] ?? 0,
    })),
    ...(first.detail ? { detail: first.detail } : {}),
  };
}

if (process.env.BENCH_ATHENA_CHILD) {
  const opts = JSON.parse(process.env.BENCH_ATHENA_CHILD);
  console.log(JSON.stringify(await productRun(opts)));
}
