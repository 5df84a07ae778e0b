#!/usr/bin/env node
// What the Athena route holds per usage-query result row once every page is counted: V8 heap retained after
// a full GC, for synthetic rows shaped like bench:trail's (--rows random: 50 accounts, 40 roles, 5 callers,
// one assumption row per role, caller and hour), each page's strings fresh as JSON parsing gives them.
// A build without UsageRowReader (one from before pages were counted as they came) is measured the way it
// worked: every row kept, then read into usage at once. Runs each --dist in its own child, alternated
// (--repeat). Usage: node scripts/bench-athena-rows.mjs [--rows 200000] [--dist a,b] [--repeat 2]
// Prints one line a run, then one JSON object on the last line.
import './on-supported-node.mjs';
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const PAGE = 1000;

async function child({ dist, rows: n }) {
  const m = await import(pathToFileURL(`${dist.replace(/\/+$/, '')}/collect/athena-usage.js`).href);
  let seed = 7;
  const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const page = (start, count) => {
    const out = [];
    for (let i = start; i < start + count; i++) {
      const acct = String(210000000000 + (i % 50) * 7919);
      const day = String(1 + Math.floor(rand() * 28)).padStart(2, '0');
      const t = `2026-10-${day}T${String(Math.floor(rand() * 24)).padStart(2, '0')}:00:00.000Z`;
      const row = { acct, folder: 'us-east-1', kind: 'assumption', aws_region: 'us-east-1', day: t.slice(0, 10), settled: 'true', role_arn: `arn:aws:iam::${acct}:role/role-${Math.floor(rand() * 40)}`, event_name: 'AssumeRole', caller_account: acct, caller_arn: `arn:aws:sts::${acct}:assumed-role/deployer-${Math.floor(rand() * 5)}/ci`, caller_type: 'AssumedRole', events: '1', mfa: '0', external_id: '0', first_seen: t, last_seen: t };
      out.push(m.USAGE_COLUMNS.map((c) => row[c]));
    }
    return JSON.parse(JSON.stringify(out));
  };
  globalThis.gc();
  const base = process.memoryUsage().heapUsed;
  let held;
  if (m.UsageRowReader) {
    const reader = new m.UsageRowReader(m.USAGE_COLUMNS);
    for (let s = 0; s < n; s += PAGE) reader.add(page(s, Math.min(PAGE, n - s)));
    held = reader.pairs;
  } else {
    const rows = [];
    for (let s = 0; s < n; s += PAGE) rows.push(...page(s, Math.min(PAGE, n - s)));
    held = [rows, m.readUsageRows(m.USAGE_COLUMNS, rows)];
  }
  globalThis.gc();
  const retained = process.memoryUsage().heapUsed - base;
  return { rows: n, pairs: (held instanceof Map ? held : held[1]).size, retainedMB: Math.round((retained / 1048576) * 10) / 10, bytesPerRow: Math.round(retained / n), streamed: Boolean(m.UsageRowReader) };
}

if (process.env.BENCH_ATHENA_ROWS_CHILD) {
  console.log(JSON.stringify(await child(JSON.parse(process.env.BENCH_ATHENA_ROWS_CHILD))));
} else {
  const { values } = parseArgs({ options: { rows: { type: 'string', default: '200000' }, dist: { type: 'string', default: fileURLToPath(new URL('../dist', import.meta.url)) }, repeat: { type: 'string', default: '1' } } });
  const runs = [];
  for (let rep = 0; rep < Number(values.repeat); rep++) {
    for (const dist of values.dist.split(',')) {
      const load1 = Math.round(loadavg()[0] * 100) / 100;
      const r = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url)], { env: { ...process.env, BENCH_ATHENA_ROWS_CHILD: JSON.stringify({ dist, rows: Number(values.rows) }) }, encoding: 'utf8', timeout: 600_000, killSignal: 'SIGKILL' });
      if (r.status !== 0) throw new Error(`child for ${dist} exited ${r.status}: ${r.stderr}`);
      const out = { dist, load1, ...JSON.parse(r.stdout.trim().split('\n').at(-1)) };
      runs.push(out);
      console.log(`${dist}: ${out.rows} rows (${out.streamed ? 'counted page by page' : 'every row kept, then counted'}): ${out.retainedMB} MB retained after GC, ${out.bytesPerRow} B a row  (load ${load1})`);
    }
  }
  console.log(JSON.stringify({ bench: 'athena-rows', runs }));
}
