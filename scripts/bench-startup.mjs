#!/usr/bin/env node
// Start-up benchmark: the CPU time of `access-review --help`, `rules`, `verify <local run folder>` and a
// first `loadActionCatalog()`, each against a bare `node -e 0` measured in the same rounds, so the ratio
// holds when the machine's speed drifts. CPU time (user + system of the finished child, from
// /proc/self/stat's cutime and cstime) rather than wall time: a loaded machine delays a process but
// hardly changes the work it does.
// Usage: npm run build && node scripts/bench-startup.mjs [--rounds 20]
// Prints figures, then one JSON object on the last line.
import './on-supported-node.mjs';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildManifest, encodeJson } from '../dist/deliver/manifest.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '20' } } });
const rounds = Number(values.rounds);
const root = path.resolve(import.meta.dirname, '..');
const bin = path.join(root, 'bin/access-review.js');
const TICK_MS = 1000 / 100; // USER_HZ is 100 on Linux

function childrenCpuMs() {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields after the command name start at 3 (state); cutime and cstime are fields 16 and 17.
  return (Number(fields[16 - 3]) + Number(fields[17 - 3])) * TICK_MS;
}

const work = mkdtempSync(path.join(tmpdir(), 'ar-bench-startup-'));
const runDir = path.join(work, 'run');
mkdirSync(runDir);
const body = encodeJson({ bench: true });
writeFileSync(path.join(runDir, 'review.json'), body);
writeFileSync(
  path.join(runDir, 'manifest.json'),
  encodeJson(buildManifest({ runId: 'bench', scopeId: 'account-111122223333', createdAt: new Date(0).toISOString(), tool: { name: 'access-review', version: 'bench' }, artifacts: [{ name: 'review.json', contentType: 'application/json', body }] })),
);

const commands = {
  node: ['-e', '0'],
  help: [bin, '--help'],
  rules: [bin, 'rules'],
  verify: [bin, 'verify', runDir],
  catalogue: ['--input-type=module', '-e', `await (await import(${JSON.stringify(path.join(root, 'dist/catalog/load-action-catalog.js'))})).loadActionCatalog()`],
};
const samples = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
try {
  for (let round = 0; round <= rounds; round++) {
    for (const [name, args] of Object.entries(commands)) {
      const before = childrenCpuMs();
      const r = spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' } });
      if (r.status !== 0) throw new Error(`${name} exited ${r.status}: ${r.stderr}`);
      if (round > 0) samples[name].push(childrenCpuMs() - before); // round 0 warms the file cache
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const result = { rounds, cpuMs: {}, overBareNode: {} };
const bare = median(samples.node);
for (const name of Object.keys(commands)) {
  const m = median(samples[name]);
  result.cpuMs[name] = m;
  if (name !== 'node') result.overBareNode[name] = Math.round((m / bare) * 100) / 100;
  console.log(`${name.padEnd(10)} median CPU ${m.toFixed(0).padStart(5)} ms${name === 'node' ? '' : `  = ${result.overBareNode[name]}x a bare node start`}`);
}
console.log(JSON.stringify(result));
