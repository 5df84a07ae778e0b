// The Athena route of bench:trail: the product's Athena usage (dist/collect/athena-usage.js, the table it
// creates and its one usage query) against the emulator's Athena over the same trail files the embedded
// reader read. Run twice: the first query includes the emulator loading every log file into its engine
// (emulator work that Athena does not charge as wall time on a warm table), the second is the query alone.
// Wall times are the emulator's DuckDB on this machine, not Athena's: they show the route works at this
// size and what it costs in calls, not how fast AWS would answer.
import { AthenaClient } from '@aws-sdk/client-athena';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { AthenaUsage } from '../dist/collect/athena-usage.js';
import { UsageAccumulator, planScan } from '../dist/collect/usage-ledger.js';
import { reviewWindow } from '../dist/collect/index.js';
import { ATHENA_DEFAULTS } from '../dist/config/config.js';

const RESULTS = 'bench-athena-results';
const NAMES = ['AssumeRole', 'AssumeRoleWithSAML', 'AssumeRoleWithWebIdentity'];

/** One Athena run over every account: wall time, Athena calls, bytes scanned, events read. */
async function once(client, emu, opts) {
  const window = reviewWindow(opts.now, 90);
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
  emu.resetCalls();
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
  const calls = Object.fromEntries(Object.entries(emu.calls()).filter(([k]) => k.startsWith('athena:')));
  const query = logged.find((l) => l.event === 'collect.athena.query')?.fields ?? {};
  return { s: Math.round(ms / 100) / 10, eventsRead, failed, calls, scannedMB: Math.round(((query.scannedBytes ?? 0) / 1048576) * 10) / 10, rows: query.rows ?? 0, ...(detail ? { detail } : {}) };
}

export async function benchAthena(emu, opts) {
  const s3 = new S3Client({ region: 'us-east-1', endpoint: emu.endpoint, forcePathStyle: true, credentials: emu.credentials, requestChecksumCalculation: 'WHEN_REQUIRED' });
  await s3.send(new CreateBucketCommand({ Bucket: RESULTS })).catch(() => undefined);
  s3.destroy();
  const client = new AthenaClient({ region: 'us-east-1', endpoint: emu.endpoint, credentials: emu.credentials, maxAttempts: 5 });
  try {
    const first = await once(client, emu, opts);
    const warm = await once(client, emu, opts);
    return { firstS: first.s, warmS: warm.s, calls: first.calls, warmCalls: warm.calls, scannedMB: first.scannedMB, resultRows: first.rows, eventsRead: first.eventsRead, failedPairs: first.failed + warm.failed, ...(first.detail ? { detail: first.detail } : {}) };
  } finally {
    client.destroy();
  }
}
