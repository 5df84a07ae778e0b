#!/usr/bin/env node
// Where a V8 CPU profile (node --cpu-prof, or bench-scale's --cpu-prof DIR) spent its time: self time by
// package or source file, by function, and time including callees for the functions whose location
// matches a pattern (default: the product's own dist/ code). Async continuations start new stacks, so
// "including callees" undercounts work that awaits; the self figures are exact to the sampling.
//   node scripts/profile-summary.mjs <file.cpuprofile> [--match REGEX] [--top N]
// Prints the tables, then one JSON object on its last line (seconds by package, top functions).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { match: { type: 'string' }, top: { type: 'string' } } });
if (!positionals[0]) throw new Error('usage: profile-summary.mjs <file.cpuprofile> [--match REGEX] [--top N]');
const profile = JSON.parse(readFileSync(positionals[0], 'utf8'));
const top = Number(values.top ?? 30);
const match = new RegExp(values.match ?? '(^|/)dist/');

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const sampled = new Map();
profile.samples.forEach((id, i) => sampled.set(id, (sampled.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));

const where = (url) => url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/(dist|scripts)\//, '$1/');
const packageOf = (url) => {
  if (!url) return '(V8 and native: GC, idle, syscalls)';
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  return m ? m[1] : url.startsWith('node:') ? 'node: (core modules)' : where(url);
};
const add = (m, k, v) => m.set(k, (m.get(k) ?? 0) + v);
const self = new Map();
const pkg = new Map();
const incl = new Map();
let total = 0;
for (const [id, us] of sampled) {
  total += us;
  const { callFrame: f } = byId.get(id);
  add(self, `${f.functionName || '(anonymous)'} ${where(f.url)}:${f.lineNumber + 1}`, us);
  add(pkg, packageOf(f.url), us);
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const c = byId.get(cur).callFrame;
    const k = `${c.functionName || '(anonymous)'} ${where(c.url)}`;
    if (!seen.has(k) && match.test(c.url)) add(incl, k, us);
    seen.add(k);
  }
}
const rows = (m, n) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n);
const print = (title, m, n) => {
  console.log(`--- ${title}`);
  for (const [k, us] of rows(m, n)) console.log(`${(us / 1e6).toFixed(2).padStart(8)} s ${((100 * us) / total).toFixed(1).padStart(5)} %  ${k}`);
};
console.log(`sampled ${(total / 1e6).toFixed(2)} s`);
print('self time by package or file', pkg, top);
print('self time by function', self, top);
print(`including callees, functions matching ${match}`, incl, top);
const seconds = (m, n) => Object.fromEntries(rows(m, n).map(([k, us]) => [k, Math.round(us / 1e4) / 100]));
console.log(JSON.stringify({ sampledSeconds: Math.round(total / 1e4) / 100, byPackage: seconds(pkg, top), topFunctions: seconds(self, 10) }));
