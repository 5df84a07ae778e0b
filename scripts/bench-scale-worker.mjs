#!/usr/bin/env node
// One measurement of bench-scale.mjs, in its own process so its peak RSS is its own: the emulator runs in
// another process and this one only collects, analyzes or renders.
//   node scripts/bench-scale-worker.mjs <collect|incremental|analyze|render> '<json options>'
// The emulator is reached through BENCH_ENDPOINT, BENCH_ACCESS_KEY_ID, BENCH_SECRET_ACCESS_KEY.
// Prints one JSON object on its last line.
import { readFileSync, writeFileSync } from 'node:fs';
import { readdirSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { createClientFactory } from '../dist/collect/clients.js';
import { collectSnapshot } from '../dist/collect/index.js';
import { resolveConfig } from '../dist/config/load-config.js';
import { assumableFromOutsideAccount } from '../dist/analyze/least-privilege/outside-account.js';

const COLLECT_WORKER = new URL('../dist/cli/collect-worker.js', import.meta.url);
const [mode, raw] = process.argv.slice(2);
const opts = JSON.parse(raw ?? '{}');
const tool = { name: 'access-review', version: 'bench' };
const mib = (bytes) => Math.round(bytes / 2 ** 20);
const peakRssMiB = () => Math.round(process.resourceUsage().maxRSS / 1024);

function clients(config) {
  return createClientFactory(config.aws, { accessKeyId: process.env.BENCH_ACCESS_KEY_ID, secretAccessKey: process.env.BENCH_SECRET_ACCESS_KEY });
}

function config(extra = {}) {
  const cfg = resolveConfig(
    {
      scope: {
        mode: 'organization',
        ...(opts.concurrency !== undefined ? { concurrency: opts.concurrency } : {}),
        ...(opts.workers !== undefined ? { workers: opts.workers } : {}),
        // One shard of an Indexed Job: only the accounts that hash to it (it writes no part here).
        ...(opts.shard ? { shard: opts.shard, runGroup: 'bench' } : {}),
      },
      ...(opts.shard ? { archive: { bucket: 'access-review-archive' } } : {}),
      aws: { endpoint: process.env.BENCH_ENDPOINT, s3ForcePathStyle: true },
      regions: opts.regions,
      // Sources switched off or set otherwise for one measurement, e.g. { lastAccessed: { enabled: false } }.
      ...(opts.config ?? {}),
      ...extra,
    },
    {},
  );
  // Measurements that are not about CloudTrail's floor lift the collector's own pacing (the emulator's limit
  // is off for them too), so they take seconds instead of the floor's minutes. The config schema caps it at
  // AWS's 2 a second, rightly, so it is set past validation here.
  if (opts.requestsPerSecond !== undefined) cfg.cloudtrail.requestsPerSecond = opts.requestsPerSecond;
  return cfg;
}

const cloudtrailCalls = (snapshot) =>
  snapshot.accounts.reduce((s, a) => s + a.coverage.filter((c) => c.source === 'cloudtrail').reduce((n, c) => n + (c.apiCalls ?? 0), 0), 0);

async function collect() {
  // BENCH_MEM_TRACE=1 (or =series): memory sampled every 50 ms, by phase (scripts/bench-mem-trace.mjs).
  const trace = process.env.BENCH_MEM_TRACE ? (await import('./bench-mem-trace.mjs')).startMemTrace() : undefined;
  const cfg = config();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  // Access Advisor is asked about the roles the CLI asks about (assumable from outside their account).
  // Worker threads as the CLI starts them (scope.workers: 0, the main thread, unless the options say otherwise).
  let workers = 0;
  const log = (event, fields) => {
    if (event === 'collect.workers') workers = fields.workers;
  };
  const snapshot = await collectSnapshot(cfg, { clients: clients(cfg), now: new Date(opts.now), runId: 'bench', tool, log, assumableFromOutside: assumableFromOutsideAccount, workers: { entry: COLLECT_WORKER } });
  const wallSeconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  opts.snapshotFile ??= process.env.BENCH_SNAPSHOT_FILE;
  if (opts.snapshotFile || opts.serialize) {
    trace?.mark('snapshot-serialize');
    const text = JSON.stringify(snapshot);
    if (opts.snapshotFile) writeFileSync(opts.snapshotFile, text);
  }
  const memTrace = trace?.stop();
  const gaps = snapshot.accounts.flatMap((a) => a.coverage.filter((c) => c.status !== 'ok' && c.status !== 'skipped').map((c) => `${a.accountId} ${c.source} ${c.region ?? ''} ${c.status}`));
  return {
    accounts: snapshot.accounts.length,
    roles: snapshot.accounts.reduce((s, a) => s + a.roles.length, 0),
    eventsRead: snapshot.accounts.reduce((s, a) => s + a.usage.eventsRead, 0),
    wallSeconds: Math.round(wallSeconds * 100) / 100,
    // Every thread of the process (getrusage RUSAGE_SELF), so worker threads count too.
    cpuSeconds: Math.round((cpu.user + cpu.system) / 1e4) / 100,
    workers,
    toolLookupCalls: cloudtrailCalls(snapshot),
    // What the snapshot keeps for the next run: one row per role, caller and day (bounded by those, not events).
    ledgerRows: snapshot.accounts.reduce((s, a) => s + (a.usage.ledger ?? []).reduce((n, l) => n + l.rows.length, 0), 0),
    peakRssMiB: peakRssMiB(),
    // What the run still holds once the garbage is collected (the snapshot and its ledger): peak RSS above
    // it is the garbage collector's slack, which follows the allocation rate rather than what is kept.
    ...(typeof globalThis.gc === 'function' ? { liveHeapMiB: (globalThis.gc(), Math.round(process.memoryUsage().heapUsed / 1048576)) } : {}),
    gaps,
    ...(memTrace ? { memTrace } : {}),
  };
}

/** A first run a day before the emulator's end, then the next day's run from its ledgers. */
async function incremental() {
  const cfg = config();
  const end = new Date(opts.now);
  const first = await collectSnapshot(cfg, { clients: clients(cfg), now: new Date(end.getTime() - 86_400_000), runId: 'first', tool });
  const ledgers = new Map(first.accounts.map((a) => [a.accountId, a.usage.ledger ?? []]));
  const daily = await collectSnapshot(cfg, { clients: clients(cfg), now: end, runId: 'daily', tool, previousLedgers: async () => ledgers });
  const firstRunLookupCalls = cloudtrailCalls(first);
  const dailyRunLookupCalls = cloudtrailCalls(daily);
  return {
    accounts: first.accounts.length,
    firstRunEvents: first.accounts.reduce((s, a) => s + a.usage.eventsRead, 0),
    dailyRunEvents: daily.accounts.reduce((s, a) => s + a.usage.eventsRead, 0),
    firstRunLookupCalls,
    dailyRunLookupCalls,
    callRatio: Math.round((dailyRunLookupCalls / Math.max(1, firstRunLookupCalls)) * 10000) / 10000,
  };
}

async function analysisInputs() {
  const { loadActionCatalog } = await import('../dist/catalog/load-action-catalog.js');
  const { loadVendors } = await import('../dist/config/vendors.js');
  const catalog = await loadActionCatalog();
  return { settings: { unusedAfterDays: 90, extraVendors: [], suppressions: [] }, catalog, vendors: loadVendors([]) };
}

async function analyzeOnly() {
  const { analyze } = await import('../dist/analyze/index.js');
  const snapshot = JSON.parse(readFileSync(opts.snapshotFile, 'utf8'));
  const inputs = await analysisInputs();
  const heapBefore = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  const review = analyze(snapshot, { now: new Date(opts.now), ...inputs });
  const ms = performance.now() - t0;
  const roles = snapshot.accounts.reduce((s, a) => s + a.roles.length, 0);
  if (opts.reviewFile) writeFileSync(opts.reviewFile, JSON.stringify(review));
  return { roles, seconds: Math.round(ms) / 1000, msPerRole: Math.round((ms / roles) * 1000) / 1000, heapBeforeMiB: mib(heapBefore), findings: review.findings.length };
}

/** CPU ticks (user + system) last seen for each process of the tree, by pid (see treePssKiB). */
const cpuTicks = new Map();

/**
 * Proportional set size of a process and all its descendants, from /proc (shared pages counted once).
 * Also notes each process's CPU time, so processes that are gone by the end (Chromium's renderers) count.
 */
function treePssKiB(pid) {
  let total = 0;
  const seen = new Set();
  const walk = (p) => {
    if (seen.has(p)) return;
    seen.add(p);
    try {
      const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${p}/smaps_rollup`, 'utf8'));
      total += Number(m?.[1] ?? 0);
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1].split(' ');
      cpuTicks.set(p, Number(stat[11]) + Number(stat[12]));
      for (const t of readdirSync(`/proc/${p}/task`)) {
        const kids = readFileSync(`/proc/${p}/task/${t}/children`, 'utf8').trim();
        for (const k of kids ? kids.split(/\s+/) : []) walk(Number(k));
      }
    } catch {
      // A process that ended between listing and reading.
    }
  };
  walk(pid);
  return total;
}

async function render() {
  const { renderReportPdf, pageCount } = await import('../dist/render/index.js');
  const { buildSyntheticReview, flaggedShareOf } = await import('./synthetic-review.mjs');
  // A review file (any review) or the synthetic one at a chosen flagged share.
  const review = opts.reviewFile ? JSON.parse(readFileSync(opts.reviewFile, 'utf8')) : buildSyntheticReview({ roles: opts.roles, flaggedShare: opts.flaggedShare });
  const roles = review.accounts.reduce((n, a) => n + a.roles.length, 0);
  let peak = 0;
  let peakNode = 0;
  const sample = () => {
    peak = Math.max(peak, treePssKiB(process.pid));
    peakNode = Math.max(peakNode, Number(/^Pss:\s+(\d+) kB/m.exec(readFileSync('/proc/self/smaps_rollup', 'utf8'))?.[1] ?? 0));
  };
  const timer = setInterval(sample, 200);
  const t0 = performance.now();
  let pdf;
  try {
    // The pipeline's own path: page references, and parts when the report is large.
    pdf = await renderReportPdf(review, {
      html: { roleDetail: opts.pdfRoles },
      pdf: { accessible: opts.accessible ?? true, timeoutMs: 3_600_000 },
      ...(opts.cardsPerPart ? { cardsPerPart: opts.cardsPerPart } : {}),
    });
  } finally {
    clearInterval(timer);
  }
  sample();
  const seconds = (performance.now() - t0) / 1000;
  // CPU of Node and of every Chromium process, as last sampled (a process's last 200 ms may be missed).
  const ticks = [...cpuTicks.values()].reduce((a, b) => a + b, 0);
  return {
    roles,
    flaggedShare: flaggedShareOf(review),
    pdfRoles: opts.pdfRoles,
    seconds: Math.round(seconds * 10) / 10,
    pages: pageCount(pdf),
    pdfMiB: Math.round((pdf.byteLength / 2 ** 20) * 10) / 10,
    peakTreePssMiB: Math.round(peak / 1024),
    // On a machine of its own with two cores the wall time would approach cpuSeconds / 2 (load was not ours).
    cpuSeconds: Math.round(ticks) / 100,
    loadAverage: Math.round(os.loadavg()[0] * 10) / 10,
    // Node's own share: the joined PDF is built in its memory, the part of the peak that grows with the document.
    peakNodePssMiB: Math.round(peakNode / 1024),
  };
}

const run = { collect, incremental, analyze: analyzeOnly, render }[mode];
if (!run) throw new Error(`unknown mode ${mode}`);
const result = await run();
console.log(JSON.stringify(result));
process.exit(0);
