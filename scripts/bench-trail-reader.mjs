#!/usr/bin/env node
// The embedded trail reader on its own, in its own process so its peak RSS is its own: reads every
// account's log files for the window, as a run does (UsageAccumulator per account and region), and prints
// one JSON object. Started by scripts/bench-trail.mjs.
import { parseArgs } from 'node:util';
import { S3Client } from '@aws-sdk/client-s3';
import { scanTrailAssumeEvents } from '../dist/collect/organization-trail.js';
import { UsageAccumulator, planScan } from '../dist/collect/usage-ledger.js';
import { reviewWindow } from '../dist/collect/index.js';
import { mapBounded } from '../dist/collect/bounded.js';

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
  },
});
const s3 = new S3Client({
  region: 'us-east-1',
  endpoint: values.endpoint,
  forcePathStyle: true,
  credentials: { accessKeyId: process.env.BENCH_AK, secretAccessKey: process.env.BENCH_SK },
  requestChecksumCalculation: 'WHEN_REQUIRED',
  responseChecksumValidation: 'WHEN_REQUIRED',
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
let duplicates = 0;
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
  aggregates += usage.finish(values.region, names).assumptions.length;
});
const ms = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
s3.destroy();
console.log(JSON.stringify({ ms, eventsRead, assumptions, objects, failures, aggregates, calls, cpuMs: (cpu.user + cpu.system) / 1000, duplicates, maxRssMB: process.resourceUsage().maxRSS / 1024 }));
