#!/usr/bin/env node
// One measurement of bench-scale.mjs, in its own process so its peak RSS is its own: the emulator runs in
// another process and this one only collects, analyzes or renders.
//   node scripts/bench-scale-worker.mjs <collect|incremental|analyze|render> '<json options>'
// The emulator is reached through BENCH_ENDPOINT, BENCH_ACCESS_KEY_ID, BENCH_SECRET_ACCESS_KEY.
// Prints one JSON object on its last line.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import v8 from 'node:v8';
import { performance } from 'node:perf_hooks';
import { createClientFactory } from '../dist/collect/clients.js';
import { collectSnapshot } from '../dist/collect/index.js';
import { resolveConfig } from '../dist/config/load-config.js';
import { assumableFromOutsideAccount } from '../dist/analyze/least-privilege/outside-account.js';

import { peakRssKiB } from './peak-rss.mjs';

const COLLECT_WORKER = new URL('../dist/cli/collect-worker.js', import.meta.url);
const [mode, raw] = process.argv.slice(2);
const opts = JSON.parse(raw ?? '{}');
const tool = { name: 'access-review', version: 'bench' };
const mib = (bytes) => Math.round(bytes / 2 ** 20);
const peakRssMiB = () => Math.round(peakRssKiB() / 1024);

/**
 * The heap still live once everything unreachable is collected. (Not process.memoryUsage().arrayBuffers
 * here: V8 frees array buffers' memory on its own schedule after a collection, so right after gc() it still
 * counts buffers a heap snapshot no longer holds — 6.7 MiB against 0.2 MiB once at x16.)
 * BENCH_HEAP_SNAPSHOT_END=FILE writes what is live then, for a look at who holds it.
 */
function liveAfterGc() {
  globalThis.gc();
  if (process.env.BENCH_HEAP_SNAPSHOT_END) v8.writeHeapSnapshot(process.env.BENCH_HEAP_SNAPSHOT_END);
  return { liveHeapMiB: Math.round(process.memoryUsage().heapUsed / 1048576) };
}

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
  const heapAtEndMiB = heapSpaces();
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
    ...(typeof globalThis.gc === 'function' ? liveAfterGc() : {}),
    heapAtEndMiB,
    gaps,
    ...(memTrace ? { memTrace } : {}),
  };
}

/**
 * What V8 has committed when the collection returns, garbage included: where peak RSS above the live heap
 * sits (the young generation's semi-spaces, old space not yet collected, buffers outside the heap).
 */
function heapSpaces() {
  const spaces = Object.fromEntries(v8.getHeapSpaceStatistics().map((s) => [s.space_name, s.space_size]));
  const { external, arrayBuffers } = process.memoryUsage();
  const young = (spaces.new_space ?? 0) + (spaces.new_large_object_space ?? 0);
  const old = (spaces.old_space ?? 0) + (spaces.large_object_space ?? 0);
  const total = Object.values(spaces).reduce((a, b) => a + b, 0);
  const r = (b) => Math.round((b / 2 ** 20) * 10) / 10;
  return { young: r(young), old: r(old), other: r(total - young - old), external: r(external), arrayBuffers: r(arrayBuffers) };
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

/**
 * Starts scripts/tree-sampler.mjs on this process's tree: peak PSS of Node and every Chromium process
 * (/proc/<pid>/smaps_rollup, shared pages counted once) and the tree's CPU time. It samples from a process
 * of its own, so reading /proc costs the measurement nothing (it did: ~10 CPU-seconds of a 10,000-role
 * render were Node reading smaps_rollup every 200 ms).
 */
function startTreeSampler(intervalMs = 200) {
  const child = spawn(process.execPath, [fileURLToPath(new URL('./tree-sampler.mjs', import.meta.url)), String(process.pid), String(intervalMs)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return {
    async stop() {
      child.stdin.end();
      await exited;
      return JSON.parse(out.trim().split('\n').pop());
    },
  };
}

async function render() {
  const { renderReportPdfToFile } = await import('../dist/render/index.js');
  const { buildSyntheticReview, flaggedShareOf } = await import('./synthetic-review.mjs');
  // A review file (any review) or the synthetic one at a chosen flagged share.
  const review = opts.reviewFile ? JSON.parse(readFileSync(opts.reviewFile, 'utf8')) : buildSyntheticReview({ roles: opts.roles, flaggedShare: opts.flaggedShare });
  const roles = review.accounts.reduce((n, a) => n + a.roles.length, 0);
  const dir = mkdtempSync(join(os.tmpdir(), 'bench-render-'));
  const sampler = startTreeSampler();
  // Node's heap and buffers, to tell live data from garbage V8 has not collected yet.
  const peakMem = { heapUsed: 0, arrayBuffers: 0 };
  const memTimer = setInterval(() => {
    const m = process.memoryUsage();
    peakMem.heapUsed = Math.max(peakMem.heapUsed, m.heapUsed);
    peakMem.arrayBuffers = Math.max(peakMem.arrayBuffers, m.arrayBuffers);
  }, 500);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let printed;
  let sampled;
  try {
    // The pipeline's own path: page references, parts when the report is large, the joined PDF streamed to a file.
    printed = await renderReportPdfToFile(review, join(dir, 'report.pdf'), {
      html: { roleDetail: opts.pdfRoles },
      pdf: { accessible: opts.accessible ?? true, timeoutMs: 3_600_000, ...(opts.printsPerPage ? { printsPerPage: opts.printsPerPage } : {}) },
      ...(opts.cardsPerPart ? { cardsPerPart: opts.cardsPerPart } : {}),
    });
  } finally {
    clearInterval(memTimer);
    sampled = await sampler.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const seconds = (performance.now() - t0) / 1000;
  const nodeCpu = process.cpuUsage(cpu0);
  return {
    roles,
    flaggedShare: flaggedShareOf(review),
    pdfRoles: opts.pdfRoles,
    seconds: Math.round(seconds * 10) / 10,
    pages: printed.pages,
    pdfMiB: Math.round((printed.bytes / 2 ** 20) * 10) / 10,
    peakTreePssMiB: Math.round(sampled.peakTreePssKiB / 1024),
    // Node and every Chromium process (a Chromium process's last interval may be missed). On a machine of its
    // own with two cores the wall time would approach cpuSeconds / 2; the load average says whose it was not.
    cpuSeconds: Math.round(sampled.cpuTicks) / 100,
    cpuSecondsPerPage: Math.round((sampled.cpuTicks / 100 / Math.max(1, printed.pages)) * 1000) / 1000,
    // Node's own CPU while rendering, exactly (view, HTML, join; not the synthetic review's building).
    nodeCpuSeconds: Math.round((nodeCpu.user + nodeCpu.system) / 1e4) / 100,
    loadAverage: Math.round(os.loadavg()[0] * 10) / 10,
    // Node's own: with the joined PDF streamed to a file it no longer grows with the document.
    peakNodePssMiB: Math.round(sampled.peakRootPssKiB / 1024),
    peakNodeHeapUsedMiB: mib(peakMem.heapUsed),
    peakNodeArrayBuffersMiB: mib(peakMem.arrayBuffers),
  };
}

const run = { collect, incremental, analyze: analyzeOnly, render }[mode];
if (!run) throw new Error(`unknown mode ${mode}`);
const result = await run();
console.log(JSON.stringify(result));
process.exit(0);
