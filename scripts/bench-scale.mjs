#!/usr/bin/env node
// Scale benchmark: collection against AWS's own floor, incremental reads, collector memory against event
// volume, analysis and rendering at organization size. The emulator runs in its own process (started per
// measurement with the organization it needs); each measurement runs in another (bench-scale-worker.mjs),
// so peak RSS and CPU are the tool's alone. The render prints scripts/synthetic-review.mjs's review at a
// chosen flagged share, without the emulator.
//   npm run bench:scale [-- --quick] [-- --only collect,incremental,memory,analyze,render]
//   [-- --accounts N --roles R --events E] (one collection size) [-- --concurrency N|auto] [-- --workers N|auto]
//   [-- --collector-heap-mb M] (the collector's V8 old space capped, as the CronJob's NODE_OPTIONS does)
//   [-- --node-flags "FLAGS"] (V8 flags of every measured process; default the Dockerfile's, "" for none)
//   [-- --cpu-prof DIR] (a V8 CPU profile of each collection, for scripts/profile-summary.mjs)
//   [-- --memory-factors 1,4,16] [-- --memory-roles R] [-- --memory-repeats N] (the memory series: each factor's
//   peak is the median of N interleaved runs, every run printed) [-- --memory-paced | --memory-unpaced] (at AWS's
//   pace, the full run's default, or as fast as the emulator answers, --quick's)
// Prints one JSON line per measurement, the last line the summary.
//
// AWS's floor: LookupEvents allows 2 requests/second per account and region, so with every account read at
// once the run can finish no sooner than its slowest account-region: max over account-regions of
// pages / 2 s, where pages = sum over the event names read of max(1, ceil(events / 50)), counted from the
// emulator's ground truth (--truth), not from the calls the tool made.
import './on-supported-node.mjs';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { shardOf } from '../dist/collect/shards.js';
import { containerNodeFlags } from './container-node-flags.mjs';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    'collector-heap-mb': { type: 'string' },
    // The V8 flags every measured process starts with: by default the container's (the Dockerfile's
    // ENTRYPOINT), so the figures are those of the process the deployments run; "" measures a bare node.
    'node-flags': { type: 'string' },
    // The memory series' event factors (default 1,4,16), e.g. 1,16 to compare the ends alone.
    'memory-factors': { type: 'string' },
    // How many times the memory series runs, its factors interleaved: unpaced, a process's peak RSS moves by
    // several percent from run to run with the garbage collector's timing (3 by default, each factor's figure
    // the median of its runs, every run reported beside it); paced, x16/x1 stayed within 0.965-1.005 in seven series (1 by default).
    'memory-repeats': { type: 'string' },
    // Roles per account in the memory series (default 500): few roles let the ledger's rows (role, caller,
    // day) saturate, so the series compares events alone with the rows held nearly fixed.
    'memory-roles': { type: 'string' },
    // The memory series at AWS's pace: the emulator allows 2 LookupEvents a second per account and region,
    // as AWS does, and the collector keeps its default pacing — the collector as deployed (×16 takes ~20
    // minutes). The full run's default; --quick cannot afford it and reads unpaced unless told.
    'memory-paced': { type: 'boolean' },
    // The memory series unpaced: the collector's pacing lifted and the emulator's limit off, so two accounts'
    // pages come as fast as it answers (over 90x the 8 pages a second AWS allows them) — a stress figure, not a deployment's.
    'memory-unpaced': { type: 'boolean' },
    // Collect without Access Advisor (lastAccessed.enabled false), to see what its data and phase cost.
    'no-last-accessed': { type: 'boolean', default: false },
    only: { type: 'string' },
    concurrency: { type: 'string' },
    // scope.workers for the collect measurements: a number (0, the default: the main thread) or auto.
    workers: { type: 'string' },
    // Also collect each size as N shards of a Kubernetes Indexed Job, one after another, each against
    // its own floor (what N pods would do side by side).
    shards: { type: 'string' },
    // Writes a V8 CPU profile of each collect measurement into this directory (summarize it with
    // scripts/profile-summary.mjs).
    'cpu-prof': { type: 'string' },
    // One collection size instead of the series (bench-collect.mjs uses these).
    accounts: { type: 'string' },
    roles: { type: 'string' },
    events: { type: 'string' },
  },
});
const QUICK = values.quick;
if (values['memory-paced'] && values['memory-unpaced']) throw new Error('--memory-paced and --memory-unpaced contradict each other');
const NODE_FLAGS = values['node-flags'] !== undefined ? values['node-flags'].split(' ').filter(Boolean) : containerNodeFlags();
const ONLY = values.only ? new Set(values.only.split(',')) : undefined;
const root = fileURLToPath(new URL('..', import.meta.url));
const NOW = '2026-12-06T06:00:00.000Z';
const EVENT_NAMES = ['AssumeRole', 'AssumeRoleWithSAML', 'AssumeRoleWithWebIdentity'];
const work = mkdtempSync(join(tmpdir(), 'bench-scale-'));
// Interrupted, it still ends the emulator and workers it started (their 'exit' hooks run on process.exit).
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => process.exit(130));

// Sizes: accounts counts the management account; the emulator's --members is one less.
const PLAN = QUICK
  ? {
      collect: [
        { accounts: 5, roles: 400, eventsPerAccount: 4000 },
        { accounts: 20, roles: 400, eventsPerAccount: 4000 },
      ],
      incremental: { accounts: 3, roles: 200, eventsPerAccount: 60000 },
      memory: { accounts: 2, roles: 300, eventsPerAccount: 4000 },
      analyze: { accounts: 5, roles: 2000, eventsPerAccount: 500 },
      render: [{ roles: 1000, flaggedShare: 0.1, pdfRoles: ['flagged'] }],
    }
  : {
      collect: [
        { accounts: 5, roles: 2000, eventsPerAccount: 20000 },
        { accounts: 20, roles: 2000, eventsPerAccount: 20000 },
        { accounts: 50, roles: 2000, eventsPerAccount: 20000 },
      ],
      incremental: { accounts: 5, roles: 500, eventsPerAccount: 150000 },
      memory: { accounts: 2, roles: 500, eventsPerAccount: 8000 },
      analyze: { accounts: 5, roles: 2000, eventsPerAccount: 500 },
      // The synthetic review of scripts/synthetic-review.mjs at a real organization's flagged share (5-15 %):
      // the emulator's organization flags ~57 % of its roles, which no manager's PDF would see.
      // The full evidence PDF at 2,000 and 10,000 roles: Chromium's memory follows the largest part, Node's the
      // roles and not the pages' bytes (the joined PDF is streamed to a file); the time is reported, with
      // CPU-seconds a page.
      render: [
        { roles: 10000, flaggedShare: 0.1, pdfRoles: ['flagged'] },
        { roles: 2000, flaggedShare: 0.1, pdfRoles: ['all'] },
        { roles: 10000, flaggedShare: 0.1, pdfRoles: ['all'] },
      ],
    };

if (values.accounts !== undefined) {
  PLAN.collect = [{ accounts: Number(values.accounts), roles: Number(values.roles ?? 25), eventsPerAccount: Number(values.events ?? 1500) }];
}

function emit(obj) {
  console.log(JSON.stringify(obj));
}

/** AWS's LookupEvents limit, requests a second per account and region: the floor's rate and the paced emulator's. */
const AWS_LOOKUP_RATE = 2;
/** A collector rate no emulator limit reaches: the unpaced measurements' (a configuration may set at most 2). */
const UNPACED = 1000;

/** Starts the emulator in its own process group; resolves with its startup line. */
function startEmulator(size, lookupRate) {
  const args = [
    join(root, 'dist/emulator/main.js'),
    '--members', String(size.accounts - 1),
    '--roles', String(size.roles),
    '--events', String(size.eventsPerAccount),
    '--now', NOW,
    '--lookup-rate', String(lookupRate),
    '--truth',
    // The collector's window: from the first UTC midnight inside 90 days (see reviewWindow).
    '--truth-since', new Date(Math.ceil((Date.parse(NOW) - 90 * 86_400_000) / 86_400_000) * 86_400_000).toISOString(),
  ];
  const child = spawn(process.execPath, ['--max-old-space-size=16384', ...args], { detached: true, stdio: ['ignore', 'pipe', 'inherit'] });
  let buffer = '';
  const lines = [];
  const waiters = [];
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (d) => {
    buffer += d;
    let i;
    while ((i = buffer.indexOf('\n')) >= 0) {
      lines.push(buffer.slice(0, i));
      buffer = buffer.slice(i + 1);
      waiters.shift()?.();
    }
  });
  const nextLine = () =>
    new Promise((resolve, reject) => {
      if (lines.length > 0) return resolve(lines.shift());
      const onExit = () => reject(new Error('emulator exited'));
      child.once('exit', onExit);
      waiters.push(() => {
        child.off('exit', onExit);
        resolve(lines.shift());
      });
    });
  const kill = () => {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  process.once('exit', kill);
  return nextLine().then((line) => ({
    info: JSON.parse(line),
    /** Stops it and returns the calls it served. */
    async stop() {
      const last = nextLine();
      child.kill('SIGTERM');
      const timer = setTimeout(kill, 30_000);
      try {
        return JSON.parse(await last).calls;
      } finally {
        clearTimeout(timer);
        kill();
      }
    },
  }));
}

/** The process and all its descendants (Chromium starts in a process group of its own), deepest first. */
function processTree(pid) {
  const out = [];
  const walk = (p) => {
    try {
      for (const t of readdirSync(`/proc/${p}/task`)) {
        const kids = readFileSync(`/proc/${p}/task/${t}/children`, 'utf8').trim();
        for (const k of kids ? kids.split(/\s+/) : []) walk(Number(k));
      }
    } catch {
      // gone already
    }
    out.push(p);
  };
  walk(pid);
  return out;
}

function killTree(pid) {
  for (const p of processTree(pid)) {
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      // gone already
    }
  }
}

/** Runs one worker measurement; kills it and everything it started if it outlives `timeoutMs`. */
function worker(mode, opts, emu, { nodeArgs = [], timeoutMs = 3_600_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...NODE_FLAGS, ...nodeArgs, join(root, 'scripts/bench-scale-worker.mjs'), mode, JSON.stringify(opts)], {
      detached: true,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: {
        ...process.env,
        ...(emu
          ? { BENCH_ENDPOINT: emu.info.endpoint, BENCH_ACCESS_KEY_ID: emu.info.accessKeyId, BENCH_SECRET_ACCESS_KEY: emu.info.secretAccessKey }
          : {}),
      },
    });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d) => (out += d));
    const timer = setTimeout(() => killTree(child.pid), timeoutMs);
    const onExit = () => killTree(child.pid);
    process.once('exit', onExit);
    child.on('exit', (code) => {
      clearTimeout(timer);
      process.off('exit', onExit);
      const lines = out.trim().split('\n');
      if (code !== 0) return reject(new Error(`worker ${mode} exited ${code}: ${lines.slice(-3).join(' | ')}`));
      resolve({ result: JSON.parse(lines[lines.length - 1]), lines });
    });
  });
}

/** Ideal calls and AWS's floor from the emulator's ground truth, for the accounts a run reviews. */
function floorOf(info, only = () => true) {
  let ideal = 0;
  let slowest = 0;
  for (const [accountId, perRegion] of Object.entries(info.events)) {
    if (!only(accountId)) continue;
    for (const region of info.regions) {
      const pages = EVENT_NAMES.reduce((s, n) => s + Math.max(1, Math.ceil((perRegion[region]?.[n] ?? 0) / 50)), 0);
      ideal += pages;
      slowest = Math.max(slowest, pages);
    }
  }
  return { idealLookupCalls: ideal, awsFloorSeconds: slowest / AWS_LOOKUP_RATE };
}

const round = (x, d = 2) => Math.round(x * 10 ** d) / 10 ** d;
/** The middle value (the mean of the two middle ones for an even count). */
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
};
// The Node that ran the measurements (npm run bench:* runs on a supported Node, as the container does).
const summary = { quick: QUICK, node: process.versions.node, nodeFlags: NODE_FLAGS, collect: [], incremental: undefined, memory: undefined, render: [], analyze: undefined };
const wanted = (part) => !ONLY || ONLY.has(part);
const regions = ['us-east-1', 'eu-west-1'];

try {
  if (wanted('collect')) {
    for (const size of PLAN.collect) {
      const emu = await startEmulator(size, AWS_LOOKUP_RATE);
      const { idealLookupCalls, awsFloorSeconds } = floorOf(emu.info);
      const concurrency = values.concurrency === undefined ? undefined : values.concurrency === 'auto' ? 'auto' : Number(values.concurrency);
      const workers = values.workers === undefined ? undefined : values.workers === 'auto' ? 'auto' : Number(values.workers);
      const loadBefore = loadavg()[0];
      // --expose-gc: the worker reports the heap still live at the end (after its peak RSS is read).
      const nodeArgs = [
        '--expose-gc',
        ...(values['collector-heap-mb'] ? [`--max-old-space-size=${values['collector-heap-mb']}`] : []),
        ...(values['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${values['cpu-prof']}`] : []),
      ];
      const { result } = await worker('collect', { now: NOW, regions, ...(concurrency !== undefined ? { concurrency } : {}), ...(workers !== undefined ? { workers } : {}), ...(values['no-last-accessed'] ? { config: { lastAccessed: { enabled: false } } } : {}) }, emu, { nodeArgs });
      const shards = [];
      for (let index = 0; index < Number(values.shards ?? 0); index++) {
        const count = Number(values.shards);
        const floor = floorOf(emu.info, (id) => shardOf(id, count) === index);
        const { result: r } = await worker('collect', { now: NOW, regions, shard: { index, count } }, emu);
        const m = {
          measurement: 'collect-shard',
          shard: `${index}/${count}`,
          accounts: r.accounts,
          roles: r.roles,
          wallSeconds: r.wallSeconds,
          awsFloorSeconds: floor.awsFloorSeconds,
          wallOverAwsFloor: round(r.wallSeconds / floor.awsFloorSeconds, 3),
          lookupCalls: r.toolLookupCalls,
          idealLookupCalls: floor.idealLookupCalls,
          cpuSeconds: r.cpuSeconds,
          peakRssMiB: r.peakRssMiB,
        };
        emit(m);
        shards.push(m);
      }
      const calls = await emu.stop();
      const events = Object.values(emu.info.events).reduce((s, r) => s + Object.values(r).reduce((t, n) => t + Object.values(n).reduce((u, k) => u + k, 0), 0), 0);
      const m = {
        measurement: 'collect',
        accounts: result.accounts,
        roles: result.roles,
        events,
        eventsRead: result.eventsRead,
        emulatorStartupSeconds: emu.info.startupSeconds,
        wallSeconds: result.wallSeconds,
        awsFloorSeconds,
        wallOverAwsFloor: round(result.wallSeconds / awsFloorSeconds, 3),
        // The emulator's count (throttled calls and retries included), unless shard runs shared the emulator.
        lookupCalls: shards.length > 0 ? result.toolLookupCalls : (calls['cloudtrail:LookupEvents'] ?? 0),
        idealLookupCalls,
        lookupOverIdeal: round((shards.length > 0 ? result.toolLookupCalls : (calls['cloudtrail:LookupEvents'] ?? 0)) / idealLookupCalls, 3),
        workers: result.workers,
        cpuSeconds: result.cpuSeconds,
        cpuMsPerLookupPage: round((result.cpuSeconds * 1000) / Math.max(1, result.toolLookupCalls), 2),
        // CPU against the floor: below 1 the tool's CPU fits in the floor's time on one core; with workers
        // it spreads over cores. Wall time also depends on the machine's load, reported before and after.
        cpuOverAwsFloor: round(result.cpuSeconds / awsFloorSeconds, 3),
        loadAverage: [round(loadBefore, 1), round(loadavg()[0], 1)],
        peakRssMiB: result.peakRssMiB,
        liveHeapMiB: result.liveHeapMiB,
        collectorHeapCapMiB: values['collector-heap-mb'] ? Number(values['collector-heap-mb']) : null,
        coverageGaps: result.gaps.length,
        ...(result.memTrace ? { memTrace: result.memTrace } : {}),
        ...(shards.length > 0 ? { shards } : {}),
      };
      emit(m);
      summary.collect.push(m);
    }
  }

  if (wanted('incremental')) {
    const emu = await startEmulator(PLAN.incremental, 0);
    const { result } = await worker('incremental', { now: NOW, regions, requestsPerSecond: UNPACED }, emu);
    await emu.stop();
    summary.incremental = { measurement: 'incremental', ...PLAN.incremental, ...result };
    emit(summary.incremental);
  }

  if (wanted('memory')) {
    const factors = (values['memory-factors'] ?? '1,4,16').split(',').map(Number);
    const paced = values['memory-paced'] ?? (values['memory-unpaced'] ? false : !QUICK);
    const repeats = Number(values['memory-repeats'] ?? (paced ? 1 : 3));
    const runs = new Map(factors.map((f) => [f, []]));
    // Interleaved (×1, ×4, ×16, ×1, ...) rather than each factor's runs back to back, so a change in the
    // machine's load during the series falls on every factor alike.
    for (let repeat = 1; repeat <= repeats; repeat++) {
      for (const factor of factors) {
        const size = { ...PLAN.memory, ...(values['memory-roles'] ? { roles: Number(values['memory-roles']) } : {}), eventsPerAccount: PLAN.memory.eventsPerAccount * factor };
        const emu = await startEmulator(size, paced ? AWS_LOOKUP_RATE : 0);
        // --collector-heap-mb caps V8's old space: a run that completes under a cap that does not grow with
        // the events shows the memory it needs is bounded, whatever slack an uncapped collector lets build up.
        const nodeArgs = ['--expose-gc', ...(values['collector-heap-mb'] ? [`--max-old-space-size=${values['collector-heap-mb']}`] : [])];
        const { result } = await worker('collect', { now: NOW, regions, ...(paced ? {} : { requestsPerSecond: UNPACED }) }, emu, { nodeArgs });
        await emu.stop();
        const p = { measurement: 'memory', factor, repeat, accounts: result.accounts, roles: result.roles, eventsRead: result.eventsRead, ledgerRows: result.ledgerRows, peakRssMiB: result.peakRssMiB, liveHeapMiB: result.liveHeapMiB, heapAtEndMiB: result.heapAtEndMiB, wallSeconds: result.wallSeconds, cpuSeconds: result.cpuSeconds, lookupCalls: result.toolLookupCalls, loadAverage: round(loadavg()[0], 1), ...(result.memTrace ? { memTrace: result.memTrace } : {}) };
        emit(p);
        runs.get(factor).push(p);
      }
    }
    const byFactor = (f) => Object.fromEntries(factors.map((factor) => [`x${factor}`, f(runs.get(factor))]));
    const first = factors[0];
    const last = factors[factors.length - 1];
    const peakOf = (points) => points.map((p) => p.peakRssMiB);
    const medianPeak = byFactor((points) => median(peakOf(points)));
    summary.memory = {
      // What the series holds fixed and what it does not: the ledger's rows (role, caller, day) grow with
      // the events at fixed roles, so peak RSS is reported next to them and to the heap still live.
      holdsFixed: { accounts: PLAN.memory.accounts, rolesPerAccount: values['memory-roles'] ? Number(values['memory-roles']) : PLAN.memory.roles },
      varies: 'events per account (×factor); ledger rows follow',
      // At AWS's 2 LookupEvents a second (the full run's default) or unpaced, as fast as the emulator answers.
      paced,
      roles: runs.get(first)[0].roles,
      repeats,
      // The median of each factor's runs; peakRssRunsMiB has every run, in the order they ran.
      peakRssMiB: medianPeak,
      peakRssRunsMiB: byFactor(peakOf),
      eventsRead: byFactor((points) => points[0].eventsRead),
      ledgerRows: byFactor((points) => points[0].ledgerRows),
      liveHeapMiB: byFactor((points) => median(points.map((p) => p.liveHeapMiB))),
      // With BENCH_MEM_TRACE: the phase (AWS calls in flight) at each factor's first run's peak.
      ...(runs.get(first)[0].memTrace ? { peakPhase: byFactor((points) => points[0].memTrace.peak.phase) } : {}),
      collectorHeapCapMiB: values['collector-heap-mb'] ? Number(values['collector-heap-mb']) : null,
      [`x${last}OverX${first}`]: round(medianPeak[`x${last}`] / medianPeak[`x${first}`], 3),
      // Each repeat's ratio (its ×last over its ×first, run minutes apart): the spread a single pair shows.
      [`x${last}OverX${first}Runs`]: runs.get(last).map((p, i) => round(p.peakRssMiB / runs.get(first)[i].peakRssMiB, 3)),
    };
  }

  if (wanted('analyze')) {
    const size = PLAN.analyze;
    const emu = await startEmulator(size, 0);
    const snapshotFile = join(work, `snapshot-${size.accounts}-${size.roles}.json`);
    const reviewFile = join(work, `review-${size.accounts}-${size.roles}.json`);
    await worker('collect', { now: NOW, regions, snapshotFile, requestsPerSecond: UNPACED }, emu);
    await emu.stop();
    const { result, lines } = await worker('analyze', { now: NOW, snapshotFile, reviewFile }, undefined, { nodeArgs: ['--trace-gc'] });
    // --trace-gc lines read "... Mark-Compact 512.3 (530.1) -> 300.2 (520.0) MB": the heap in use before each
    // collection; the largest of them is the peak.
    const peakHeapMiB = Math.round(Math.max(0, ...lines.map((l) => Number(/: [\w-]+(?: \([^)]*\))? ([\d.]+) \([\d.]+\) ->/.exec(l)?.[1] ?? 0))));
    summary.analyze = { measurement: 'analyze', ...result, peakHeapMiB };
    emit(summary.analyze);
  }

  if (wanted('render')) {
    // --quick prints the manager's abridged PDF only; the full run adds the whole evidence PDF.
    for (const size of PLAN.render) {
      for (const pdfRoles of size.pdfRoles) {
        // The full evidence PDF of 10,000 roles is ~6,000 pages: hours on a loaded machine, so a longer leash.
        const { result: r } = await worker('render', { roles: size.roles, flaggedShare: size.flaggedShare, pdfRoles }, undefined, { timeoutMs: 4 * 3_600_000 });
        const m = { measurement: 'render', ...r };
        emit(m);
        summary.render.push(m);
      }
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

emit(summary);
