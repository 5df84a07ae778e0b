#!/usr/bin/env node
// Organization-trail benchmark: N trail events across 50 accounts written as gzipped CloudTrail log files
// into the emulator's S3, then read by the embedded reader in a child process
// (scripts/bench-trail-reader.mjs) for its CPU, wall time and memory, next to the LookupEvents floor for the
// same AssumeRole* events (2 pages of 50 a second per account and region, every account at once). One
// emulator per size, so sizes do not share memory.
//
// What it holds fixed, so the sizes differ only in the events:
// - events per log file (--per-file, default 200): CloudTrail delivers one file per account and region about
//   every 5 minutes holding that slot's events — a busy account's hold hundreds, a quiet one's a handful.
//   Each file here is one 5-minute slot of --per-file events; more events mean more files, not larger ones.
// - the ledger's rows (--rows fixed, the default): each account's AssumeRole* records cycle through
//   --pairs (role, event name, caller) combinations and its files through --days days of the 85, so the
//   distinct (day, role, event name, caller) rows the accumulator holds are the same at every size
//   (accounts × days × pairs) as soon as each account-day sees its pairs. --rows random draws 40 roles and
//   15 callers a role at random over the 85 days instead: rows then grow with the events.
// The Athena route (scripts/bench-trail-athena.mjs) then queries the same files through the emulator's
// Athena, at sizes up to --athena-max-events (its engine loads every file: 4M events take long on a
// shared machine; 0 skips it).
// --variants '[{"name":"before","dist":"/tmp/dist-before"},{"name":"after"}]' reads the same files with
// each variant in turn (its own dist/ folder, reader arguments or environment), so a change is measured
// side by side under the same load.
// --athena-variants '[{"name":"before","dist":"/tmp/dist-before"},{"name":"after"}]' does the same for the
// product's side of the Athena route (--athena-repeat warm runs of each, alternated); --repeat 0 skips the
// direct reader.
// Usage: npm run bench:trail [-- --sizes 250000,1000000,4000000 --accounts 50 --per-file 200 --assume-share 0.05]
// Prints figures, then one JSON object on the last line.
import './on-supported-node.mjs';
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startEmulator, trailLogKey } from '../dist/emulator/index.js';
import { mapBounded } from '../dist/collect/bounded.js';
import { shardOf } from '../dist/collect/shards.js';
import { benchAthena } from './bench-trail-athena.mjs';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '250000,1000000,4000000' },
    accounts: { type: 'string', default: '50' },
    'per-file': { type: 'string', default: '200' },
    concurrency: { type: 'string', default: '16' },
    // The share of AssumeRole* records among all. A real trail is mostly other calls (a few per cent role
    // assumptions); the reader skips those without parsing them, so the share changes what it costs.
    'assume-share': { type: 'string', default: '0.05' },
    'account-concurrency': { type: 'string', default: '8' },
    // e.g. 160: the reader's V8 old space capped (MB). A run that finishes under a cap that does not grow
    // with the events shows the memory is bounded, not merely that the garbage collector was lazy.
    'reader-heap-mb': { type: 'string' },
    'athena-max-events': { type: 'string', default: '1000000' },
    // e.g. 10,25: also read each size as N shards of a Kubernetes Indexed Job (the accounts that hash to each
    // index, as the product's sharded collection splits them), one shard after another on this machine; the
    // organization's read then takes as long as its slowest shard, each shard on a machine of its own.
    shards: { type: 'string', default: '' },
    'athena-variants': { type: 'string', default: '[]' },
    'athena-repeat': { type: 'string', default: '1' },
    rows: { type: 'string', default: 'fixed' },
    pairs: { type: 'string', default: '6' },
    days: { type: 'string', default: '20' },
    variants: { type: 'string', default: '[{"name":"reader"}]' },
    // Reader passes per variant, alternated (a, b, a, b) so a load change hits both alike.
    repeat: { type: 'string', default: '1' },
    // A folder: the reader writes a V8 CPU profile there (where its time goes).
    'reader-cpu-prof': { type: 'string' },
  },
});
const sizes = values.sizes.split(',').map(Number);
const ACCOUNTS = Number(values.accounts);
const PER_FILE = Number(values['per-file']);
const ASSUME_SHARE = Number(values['assume-share']);
const FIXED_ROWS = values.rows === 'fixed';
const PAIRS = Number(values.pairs);
const DAYS_USED = Number(values.days);
const VARIANTS = JSON.parse(values.variants);
const REPEAT = Number(values.repeat);
const load = () => loadavg().map((x) => Math.round(x * 100) / 100);
const NOW = new Date('2026-11-20T12:00:00.000Z');
const ORG = 'o-benchmark01';
const BUCKET = 'bench-org-trail';
const REGION = 'us-east-1';
const DAY = 86_400_000;
const SPAN_MS = 85 * DAY;
const NAMES = ['AssumeRole', 'AssumeRole', 'AssumeRole', 'AssumeRoleWithWebIdentity', 'AssumeRoleWithSAML'];

const accountIds = Array.from({ length: ACCOUNTS }, (_, i) => String(210000000000 + i * 7919));

let seed = 12345;
const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
const pick = (list) => list[Math.floor(rand() * list.length)];

/** A record shaped like CloudTrail's for the call, unique ids and all, so it compresses like a real one. */
/**
 * The (role, event name, caller) of an account's k-th AssumeRole* record with --rows fixed: the records
 * cycle through PAIRS combinations, so an account-day with PAIRS records or more holds all of them.
 */
function fixedPair(k) {
  const p = k % PAIRS;
  const roleIndex = Math.floor(p / 2);
  const eventName = p % 2 === 0 ? 'AssumeRole' : roleIndex % 2 === 0 ? 'AssumeRoleWithWebIdentity' : 'AssumeRoleWithSAML';
  return { roleIndex, eventName, caller: accountIds[(roleIndex * 7) % accountIds.length], deployer: 0 };
}

function randomPair() {
  const roleIndex = Math.floor(rand() * 40);
  // A role has a few callers, as real ones do.
  return { roleIndex, eventName: pick(NAMES), caller: accountIds[(roleIndex * 7 + Math.floor(rand() * 3)) % accountIds.length], deployer: Math.floor(rand() * 5) };
}

function record(accountId, t, counter) {
  const eventTime = new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
  if (rand() >= ASSUME_SHARE) {
    return {
      eventVersion: '1.10',
      userIdentity: { type: 'AssumedRole', principalId: `AROA${accountId}:ops`, arn: `arn:aws:sts::${accountId}:assumed-role/ops/ops`, accountId },
      eventTime,
      eventSource: 'ec2.amazonaws.com',
      eventName: pick(['DescribeInstances', 'DescribeVolumes', 'GetBucketAcl']),
      awsRegion: REGION,
      sourceIPAddress: '198.51.100.7',
      userAgent: 'aws-cli/2.17.0 md/awscrt#0.20.11 ua/2.0 os/linux',
      requestParameters: null,
      responseElements: null,
      requestID: randomUUID(),
      eventID: randomUUID(),
      readOnly: true,
      eventType: 'AwsApiCall',
      managementEvent: true,
      recipientAccountId: accountId,
      eventCategory: 'Management',
    };
  }
  const { roleIndex, eventName, caller, deployer } = FIXED_ROWS ? fixedPair(counter.assume++) : randomPair();
  const role = `arn:aws:iam::${accountId}:role/role-${roleIndex}`;
  const session = `s-${Math.floor(rand() * 1e6)}`;
  const identity =
    eventName === 'AssumeRole'
      ? { type: 'AssumedRole', principalId: `AROA${caller}:ci`, arn: `arn:aws:sts::${caller}:assumed-role/deployer-${deployer}/ci`, accountId: caller, sessionContext: { attributes: { mfaAuthenticated: rand() < 0.2 ? 'true' : 'false', creationDate: eventTime } } }
      : eventName === 'AssumeRoleWithSAML'
        ? { type: 'SAMLUser', principalId: `x:${session}`, userName: session, identityProvider: 'Hk8o3eXBmF5yYrv4dSWb3WYB1kE=' }
        : { type: 'WebIdentityUser', principalId: `token.actions.githubusercontent.com:sts.amazonaws.com:${session}`, userName: session, identityProvider: 'token.actions.githubusercontent.com' };
  return {
    eventVersion: '1.10',
    userIdentity: identity,
    eventTime,
    eventSource: 'sts.amazonaws.com',
    eventName,
    awsRegion: REGION,
    sourceIPAddress: `203.0.113.${Math.floor(rand() * 250)}`,
    userAgent: 'aws-sdk-go-v2/1.30.3 os/linux lang/go#1.22.5 md/GOOS#linux api/sts#1.30.3',
    requestParameters: {
      roleArn: role,
      roleSessionName: session,
      durationSeconds: 3600,
      ...(eventName === 'AssumeRole' && rand() < 0.3 ? { externalId: 'vendor-ext-id' } : {}),
      ...(eventName === 'AssumeRoleWithSAML' ? { principalArn: `arn:aws:iam::${accountId}:saml-provider/Okta`, SAMLAssertionID: `_${randomUUID()}` } : {}),
    },
    responseElements: {
      credentials: { accessKeyId: `ASIA${randomUUID().replace(/-/g, '').slice(0, 16).toUpperCase()}`, sessionToken: randomUUID() + randomUUID(), expiration: new Date(t + 3_600_000).toUTCString() },
      assumedRoleUser: { assumedRoleId: `AROA${accountId}:${session}`, arn: `arn:aws:sts::${accountId}:assumed-role/${role.split('/')[1]}/${session}` },
    },
    requestID: randomUUID(),
    eventID: randomUUID(),
    readOnly: true,
    resources: [{ accountId, type: 'AWS::IAM::Role', ARN: role }],
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: accountId,
    eventCategory: 'Management',
    tlsDetails: { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: `sts.${REGION}.amazonaws.com` },
  };
}

/**
 * With --rows fixed, file f of an account is a 5-minute slot on one of DAYS_USED days spread over the 85:
 * the days cycle, then the slots of a day fill from 00:10 on (276 of them, delivered the same day).
 */
function fixedSlot(f) {
  const firstDay = Math.floor((NOW.getTime() - SPAN_MS) / DAY) * DAY + DAY;
  const day = firstDay + Math.floor(((f % DAYS_USED) * 85) / DAYS_USED) * DAY;
  return day + 600_000 + (Math.floor(f / DAYS_USED) % 276) * 300_000;
}

function runReader(emu, endpoint, variant, accounts = accountIds) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        ...(values['reader-heap-mb'] ? [`--max-old-space-size=${values['reader-heap-mb']}`] : []),
        ...(values['reader-cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${values['reader-cpu-prof']}/${variant.name}`] : []),
        ...(variant.node ?? []),
        new URL('./bench-trail-reader.mjs', import.meta.url).pathname,
        '--endpoint', endpoint, '--bucket', BUCKET, '--org', ORG, '--accounts', accounts.join(','), '--now', NOW.toISOString(),
        '--concurrency', values.concurrency, '--account-concurrency', values['account-concurrency'],
        ...(variant.dist ? ['--dist', variant.dist] : []),
        ...(variant.args ?? []),
      ],
      { env: { ...process.env, ...(variant.env ?? {}), BENCH_AK: emu.credentials.accessKeyId, BENCH_SK: emu.credentials.secretAccessKey }, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30 * 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`reader exited ${code}`));
      resolve(JSON.parse(out.trim().split('\n').at(-1)));
    });
  });
}

const results = [];
const shardedResults = [];
const SHARD_COUNTS = values.shards ? values.shards.split(',').map(Number) : [];
const athenaResults = [];
for (const size of sizes) {
  const emu = await startEmulator({ seed: 1, now: NOW, org: { memberAccounts: 1, rolesPerAccount: 4, eventsPerAccount: 10 } });
  const s3 = new S3Client({ region: 'us-east-1', endpoint: emu.endpoint, forcePathStyle: true, credentials: emu.credentials, requestChecksumCalculation: 'WHEN_REQUIRED' });
  try {
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    const perAccount = Math.ceil(size / ACCOUNTS);
    const filesPerAccount = Math.ceil(perAccount / PER_FILE);
    // The LookupEvents floor: per account, one scan per event name, pages of 50, 2 pages a second.
    let floorMs = 0;
    let assumeEvents = 0;
    let written = 0;
    let bytes = 0;
    let rawBytes = 0;
    const writeStarted = performance.now();
    await mapBounded(accountIds, 4, async (accountId) => {
      const perName = new Map();
      const counter = { assume: 0 };
      const files = [];
      for (let f = 0; f < filesPerAccount; f++) files.push(f);
      await mapBounded(files, 4, async (f) => {
        const n = Math.min(PER_FILE, perAccount - f * PER_FILE);
        if (n <= 0) return;
        const slotStart = FIXED_ROWS ? fixedSlot(f) : NOW.getTime() - SPAN_MS + Math.floor((f / filesPerAccount) * SPAN_MS);
        const records = [];
        for (let i = 0; i < n; i++) {
          const r = record(accountId, slotStart + Math.floor((i / n) * 300_000), counter);
          if (r.eventSource === 'sts.amazonaws.com') perName.set(r.eventName, (perName.get(r.eventName) ?? 0) + 1);
          records.push(r);
        }
        const raw = Buffer.from(JSON.stringify({ Records: records }));
        rawBytes += raw.length;
        const body = gzipSync(raw, { level: 6 });
        bytes += body.length;
        written += n;
        const key = trailLogKey({ organizationId: ORG, accountId, region: REGION, deliveredMs: slotStart + 300_000 + 120_000, unique: String(f).padStart(16, '0') });
        // With a checksum, as S3 stores one for every new object: a reader validating responses has one to check.
        await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body, ChecksumAlgorithm: 'CRC32' }));
      });
      let pages = 0;
      for (const c of perName.values()) {
        pages += Math.ceil(c / 50);
        assumeEvents += c;
      }
      floorMs = Math.max(floorMs, (pages / 2) * 1000);
    });
    const writeMs = performance.now() - writeStarted;
    const runs = [];
    for (let rep = 0; rep < REPEAT; rep++) {
      for (const variant of VARIANTS) {
        emu.resetCalls();
        const loadBefore = load();
        const emuCpuBefore = process.cpuUsage();
        const r = await runReader(emu, emu.endpoint, variant);
        const emuCpu = process.cpuUsage(emuCpuBefore);
        runs.push({ variant, r, calls: emu.calls(), load: [loadBefore, load()], emuCpuMs: (emuCpu.user + emuCpu.system) / 1000 });
      }
    }
    let r;
    for (const run of runs) {
      r = run.r;
      const calls = run.calls;
      const assumePerSecond = (r.eventsRead / r.ms) * 1000;
      const floorPerSecond = (assumeEvents / floorMs) * 1000;
      const perCpuSecond = r.eventsRead / (r.cpuMs / 1000);
      const row = {
        variant: run.variant.name,
        events: written,
        assumeShare: ASSUME_SHARE,
        assumeEvents,
        objects: r.objects,
        eventsPerFile: Math.round((written / r.objects) * 10) / 10,
        gzMB: Math.round((bytes / 1048576) * 10) / 10,
        writeS: Math.round(writeMs / 100) / 10,
        readS: Math.round(r.ms / 100) / 10,
        recordsPerSecond: Math.round((written / r.ms) * 1000),
        assumeEventsPerSecond: Math.round(assumePerSecond),
        lookupEventsFloorS: Math.round(floorMs / 100) / 10,
        lookupEventsFloorPerSecond: Math.round(floorPerSecond),
        speedupVsFloor: Math.round((assumePerSecond / floorPerSecond) * 10) / 10,
        // The reader's own CPU (the emulator serving S3 runs in the bench's process, on the same cores).
        readerCpuS: Math.round(r.cpuMs / 100) / 10,
        emulatorCpuS: Math.round(run.emuCpuMs / 100) / 10,
        readerCpuUsPerRecord: Math.round(((r.cpuMs * 1000) / written) * 100) / 100,
        readerCpuMsPerFile: Math.round((r.cpuMs / r.objects) * 100) / 100,
        // On a machine shared with other work the wall time follows whoever else has the cores; the reader's
        // own CPU says what one core of it does: AssumeRole* records per CPU second, against the same floor.
        assumeEventsPerReaderCpuSecond: Math.round(perCpuSecond),
        speedupVsFloorPerReaderCore: Math.round((perCpuSecond / floorPerSecond) * 10) / 10,
        peakRssMB: Math.round(r.maxRssMB),
        peakPssMB: Math.round(r.peakMB.pss),
        peakAnonMB: Math.round(r.peakMB.anon),
        peakHeapTotalMB: Math.round(r.peakMB.heapTotal),
        peakHeapUsedMB: Math.round(r.peakMB.heapUsed),
        peakArrayBuffersMB: Math.round(r.peakMB.arrayBuffers),
        ledgerRows: r.ledgerRows,
        bytesPerLedgerRow: r.bytesPerLedgerRow,
        rawMB: Math.round((rawBytes / 1048576) * 10) / 10,
        aggregates: r.aggregates,
        memorySeries: r.series,
        loadAverage: run.load,
        s3Calls: { list: calls['s3:ListObjectsV2'] ?? 0, get: calls['s3:GetObject'] ?? 0 },
        readerFailures: r.failures,
        countedAsAssumeRole: r.eventsRead === assumeEvents,
      };
      results.push(row);
      console.log(
        `[${row.variant}] ${String(written).padStart(8)} events (${Math.round(ASSUME_SHARE * 100)} % AssumeRole*)  ${String(row.objects).padStart(6)} files of ${row.eventsPerFile} events  ${row.gzMB} MB gz (${row.rawMB} MB raw)  ` +
          `reader CPU ${row.readerCpuS}s (${row.readerCpuMsPerFile} ms a file), wall ${row.readS}s, emulator CPU ${row.emulatorCpuS}s  ` +
          `${row.recordsPerSecond} events/s wall, ${row.assumeEventsPerReaderCpuSecond} AssumeRole*/reader CPU s vs LookupEvents floor ${row.lookupEventsFloorPerSecond}/s: ${row.speedupVsFloorPerReaderCore}x a core (${row.speedupVsFloor}x wall)  ` +
          `peak RSS ${row.peakRssMB} MB, PSS ${row.peakPssMB} MB, anonymous ${row.peakAnonMB} MB, heap ${row.peakHeapUsedMB}/${row.peakHeapTotalMB} MB, array buffers ${row.peakArrayBuffersMB} MB  ledger rows ${row.ledgerRows} (${row.bytesPerLedgerRow} B a row)  ` +
          `calls list ${row.s3Calls.list} get ${row.s3Calls.get}  load ${run.load[0].join(' ')} -> ${run.load[1].join(' ')}${row.countedAsAssumeRole ? '' : '  COUNT MISMATCH'}`,
      );
    }
    for (const count of SHARD_COUNTS) {
      const shards = [];
      for (let index = 0; index < count; index++) {
        const mine = accountIds.filter((a) => shardOf(a, count) === index);
        if (mine.length === 0) continue;
        const loadBefore = load();
        const sr = await runReader(emu, emu.endpoint, VARIANTS[0], mine);
        shards.push({ index, accounts: mine.length, readS: Math.round(sr.ms / 100) / 10, readerCpuS: Math.round(sr.cpuMs / 100) / 10, eventsRead: sr.eventsRead, peakPssMB: Math.round(sr.peakMB.pss), load1: loadBefore[0] });
      }
      const slowest = shards.reduce((m, x) => (x.readS > m.readS ? x : m), shards[0]);
      const row = {
        events: written,
        shards: count,
        accountsPerShard: [Math.min(...shards.map((x) => x.accounts)), Math.max(...shards.map((x) => x.accounts))],
        slowestShardS: slowest.readS,
        lookupEventsFloorS: Math.round(floorMs / 100) / 10,
        speedupVsFloor: Math.round((floorMs / 1000 / slowest.readS) * 10) / 10,
        eventsRead: shards.reduce((n, x) => n + x.eventsRead, 0),
        countedAsAssumeRole: shards.reduce((n, x) => n + x.eventsRead, 0) === assumeEvents,
        readerCpuS: Math.round(shards.reduce((n, x) => n + x.readerCpuS, 0) * 10) / 10,
        peakPssMB: Math.max(...shards.map((x) => x.peakPssMB)),
        shardRuns: shards,
      };
      shardedResults.push(row);
      console.log(
        `[${count} shards] ${String(written).padStart(8)} events  ${row.accountsPerShard.join('-')} accounts a shard  slowest shard ${row.slowestShardS}s (shard ${slowest.index}, ${slowest.accounts} accounts)  ` +
          `vs LookupEvents floor ${row.lookupEventsFloorS}s: ${row.speedupVsFloor}x  reader CPU ${row.readerCpuS}s in all  peak PSS a shard ${row.peakPssMB} MB  events read ${row.eventsRead}${row.countedAsAssumeRole ? '' : '  COUNT MISMATCH'}`,
      );
    }
    if (written <= Number(values['athena-max-events'])) {
      const a = await benchAthena(emu, {
        accounts: accountIds,
        region: REGION,
        bucket: BUCKET,
        org: ORG,
        now: NOW,
        variants: JSON.parse(values['athena-variants']),
        repeat: Number(values['athena-repeat']),
      });
      athenaResults.push({ events: written, ...a, ...(r ? { sameAsReader: a.eventsRead === r.eventsRead } : {}), countedAsAssumeRole: a.eventsRead === assumeEvents });
      console.log(
        `${String(written).padStart(8)} events  Athena route: first ${a.firstS}s (emulator loads the files), warm ${a.warmS}s, ` +
          `calls ${JSON.stringify(a.calls)}, ${a.scannedMB} MB scanned, ${a.resultRows} result rows, events read ${a.eventsRead} (written ${assumeEvents}, reader ${r ? r.eventsRead : 'not run'})` +
          (a.detail ? `  (${a.detail})` : ''),
      );
      for (const w of a.warmRuns) {
        console.log(
          `${String(written).padStart(8)} events  Athena warm [${w.variant}] load ${w.load1}: product peak RSS ${w.productPeakRssMB} MB, PSS ${w.productPssMB} MB, heap used ${w.productHeapUsedMB} MB at the end, ` +
            `CPU ${w.productCpuS}s, wall ${w.s}s, ${w.rows} result rows in ${w.getQueryResults} pages, events read ${w.eventsRead}${w.failed ? `, ${w.failed} failed pair(s)` : ''}`,
        );
      }
    }
  } finally {
    s3.destroy();
    await emu.close();
  }
}
console.log(
  'notes: one machine runs the emulator (S3) and the reader side by side; the floor assumes every account read at once, ' +
    'each at 2 LookupEvents pages of 50 per second per event name scan. Athena route: the emulator\'s DuckDB on this machine, ' +
    'so its wall time shows the calls and that the route holds at this size, not how fast AWS answers.',
);
console.log(JSON.stringify({ bench: 'trail', holdsFixed: { eventsPerFile: PER_FILE, ledgerRows: FIXED_ROWS ? `accounts × ${DAYS_USED} days × ${PAIRS} (role, event name, caller) pairs` : 'no (random roles and callers over 85 days)' }, assumeShare: ASSUME_SHARE, readerHeapMB: values['reader-heap-mb'] ? Number(values['reader-heap-mb']) : null, accounts: ACCOUNTS, perFile: PER_FILE, concurrency: Number(values.concurrency), accountConcurrency: Number(values['account-concurrency']), sizes: results, sharded: shardedResults, athena: athenaResults }));
