#!/usr/bin/env node
// The embedded trail reader on its own, in its own process so its peak RSS is its own: reads every
// account's log files for the window, as a run does (UsageAccumulator per account and region), and prints
// one JSON object. Started by scripts/bench-trail.mjs.
// Memory is sampled while it reads (process.memoryUsage() and the proportional set size from
// /proc/self/smaps_rollup) so a growth can be placed: V8's heap, buffers outside it, or neither (the
// allocator's own slack); the samples are printed against the share of log files read.
import './on-supported-node.mjs';
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { S3Client } from '@aws-sdk/client-s3';
import { peakRssKiB } from './peak-rss.mjs';

const { values } = parseArgs({
  options: {
    endpoint: { type: 'string' },
    bucket: { type: 'string' },
    org: { type: 'string' },
    accounts: { type: 'string' },
    region: { type: 'string', default: 'us-east-1' },
    now: { type: 'string' },
    days: { type: 'string', default: '90' },
    'account-concurrency': { type: 'string', default: '8' },
    concurrency: { type: 'string', default: '16' },
    // WHEN_SUPPORTED is the SDK's default against AWS (the product's client uses it there): GetObject asks
    // for the object's checksum and validates the body against it. WHEN_REQUIRED is what it uses with an
    // endpoint set (an emulator or S3-compatible store).
    'response-checksums': { type: 'string', default: 'WHEN_REQUIRED' },
    // The product's S3 client uses adaptive retry (a client-side rate limiter on every request).
    'retry-mode': { type: 'string', default: 'adaptive' },
    'sample-ms': { type: 'string', default: '250' },
    // The SDK's cacheMiddleware client option: the middleware stack resolved once per command class
    // instead of on every send (the product's clients do not set it today: src/collect/clients.ts).
    'cache-middleware': { type: 'boolean', default: false },
    // Another build of the product (a copy of dist/ from before a change), to compare side by side.
    dist: { type: 'string' },
  },
});
const dist = values.dist ? pathToFileURL(`${values.dist.replace(/\/+$/, '')}/`).href : new URL('../dist/', import.meta.url).href;
const { scanTrailAssumeEvents } = await import(`${dist}collect/organization-trail.js`);
const { UsageAccumulator, planScan } = await import(`${dist}collect/usage-ledger.js`);
const { reviewWindow } = await import(`${dist}collect/index.js`);
const { mapBounded } = await import(`${dist}collect/bounded.js`);
const s3 = new S3Client({
  region: 'us-east-1',
  endpoint: values.endpoint,
  forcePathStyle: true,
  credentials: { accessKeyId: process.env.BENCH_AK, secretAccessKey: process.env.BENCH_SK },
  requestChecksumCalculation: 'WHEN_REQUIRED',
  responseChecksumValidation: values['response-checksums'],
  retryMode: values['retry-mode'],
  cacheMiddleware: values['cache-middleware'],
  maxAttempts: 5,
});
const names = ['AssumeRole', 'AssumeRoleWithSAML', 'AssumeRoleWithWebIdentity'];
const window = reviewWindow(new Date(values.now), Number(values.days));
const accounts = values.accounts.split(',');
let calls = 0;
let eventsRead = 0;
let assumptions = 0;
let objects = 0;
let failures = 0;
let aggregates = 0;
let ledgerRows = 0;
let duplicates = 0;

/** Proportional set size and private anonymous memory (kB) from /proc/self/smaps_rollup (Linux). */
const smaps = () => {
  try {
    const text = readFileSync('/proc/self/smaps_rollup', 'utf8');
    const kB = (field) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN);
    return { pss: kB('Pss'), anon: kB('Anonymous') };
  } catch {
    return { pss: NaN, anon: NaN };
  }
};
const MB = (b) => Math.round((b / 1048576) * 10) / 10;
const samples = [];
// RSS also counts the pages of the node binary and shared libraries this process has touched (the
// optimizing compiler's code, for one, once a long run gets to it); anonymous memory is what it allocated.
const peak = { rss: 0, pss: 0, anon: 0, heapTotal: 0, heapUsed: 0, external: 0, arrayBuffers: 0 };
const sample = () => {
  const m = process.memoryUsage();
  const sm = smaps();
  const s = { calls, rss: m.rss, pss: sm.pss * 1024, anon: sm.anon * 1024, heapTotal: m.heapTotal, heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers };
  for (const k of Object.keys(peak)) peak[k] = Math.max(peak[k], s[k]);
  samples.push(s);
};
const sampler = setInterval(sample, Number(values['sample-ms']));

const started = performance.now();
const cpuBefore = process.cpuUsage();
await mapBounded(accounts, Number(values['account-concurrency']), async (accountId) => {
  const plan = planScan(undefined, window, names);
  const usage = new UsageAccumulator(accountId, plan, window);
  const scan = await scanTrailAssumeEvents(
    s3,
    { bucket: values.bucket, organizationId: values.org },
    { accountId, region: values.region, ranges: plan.reads, eventNames: names, concurrency: Number(values.concurrency), onEvent: (e) => usage.add(e), onRequest: () => (calls += 1) },
  );
  eventsRead += scan.eventsRead;
  assumptions += scan.assumptions;
  objects += scan.objectsRead;
  duplicates += scan.duplicates;
  failures += scan.failures.length + (scan.coverage.status === 'ok' ? 0 : 1);
  const finished = usage.finish(values.region, names);
  aggregates += finished.assumptions.length;
  // The ledger's rows: one per day, role, event name and caller — what the accumulator holds per account.
  for (const d of finished.ledger.days) ledgerRows += d.assumptions.length;
});
const ms = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
clearInterval(sampler);
sample();
s3.destroy();

/**
 * What one ledger row costs the accumulator: the heap after counting K (role, event name, caller) keys on
 * every one of D days, less the heap after counting the same keys on one day, over the K × (D - 1) rows
 * added. Measured after the timed read, with the garbage collected before each reading.
 */
function bytesPerLedgerRow() {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc');
  const K = 200;
  const D = 80;
  const fill = (days) => {
    const acc = new UsageAccumulator('111122223333', planScan(undefined, window, names), window);
    const first = Date.parse(window.start) + 2 * 86_400_000;
    for (let d = 0; d < days; d++) {
      for (let k = 0; k < K; k++) {
        const eventTime = new Date(first + d * 86_400_000 + k * 1000).toISOString();
        acc.add({ eventId: '', eventName: 'AssumeRole', eventTime, region: 'us-east-1', roleArn: `arn:aws:iam::111122223333:role/r${k % 20}`, callerAccountId: '444455556666', callerArn: `arn:aws:sts::444455556666:assumed-role/c${k}/s`, mfa: false, externalId: false });
      }
    }
    return acc;
  };
  const heapWith = (days) => {
    gc();
    const before = process.memoryUsage().heapUsed;
    const acc = fill(days);
    gc();
    const after = process.memoryUsage().heapUsed;
    if (acc.counted !== days * K) throw new Error('not counted');
    return after - before;
  };
  heapWith(1);
  const one = heapWith(1);
  const many = heapWith(D);
  return Math.round((many - one) / (K * (D - 1)));
}
const rowBytes = bytesPerLedgerRow();
// The samples at each tenth of the requests made, so growth shows against progress rather than time.
const series = [];
for (let tenth = 1; tenth <= 10; tenth++) {
  const s = samples.find((x) => x.calls >= (calls * tenth) / 10) ?? samples.at(-1);
  series.push({ at: `${tenth * 10}%`, rssMB: MB(s.rss), pssMB: MB(s.pss), anonMB: MB(s.anon), heapTotalMB: MB(s.heapTotal), heapUsedMB: MB(s.heapUsed), externalMB: MB(s.external), arrayBuffersMB: MB(s.arrayBuffers) });
}
console.log(
  JSON.stringify({
    ms,
    eventsRead,
    assumptions,
    objects,
    failures,
    aggregates,
    ledgerRows,
    bytesPerLedgerRow: rowBytes,
    calls,
    cpuMs: (cpu.user + cpu.system) / 1000,
    duplicates,
    maxRssMB: peakRssKiB() / 1024,
    peakMB: Object.fromEntries(Object.entries(peak).map(([k, v]) => [k, MB(v)])),
    series,
  }),
);
