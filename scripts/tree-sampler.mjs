#!/usr/bin/env node
// Samples a process tree's proportional set size and CPU time from /proc, in a process of its own:
//   node scripts/tree-sampler.mjs <root pid> [intervalMs=200]
// Reading smaps_rollup makes the kernel walk every mapping of every process, which cost the render
// benchmark ~10 CPU-seconds when Node did it itself every 200 ms — charged to Node, as if the render had
// spent it. Here the cost is this process's, and it leaves itself out of the tree it measures.
// On SIGTERM (or when its stdin closes) it prints one JSON object: peakTreePssKiB, peakRootPssKiB (the root
// process alone) and cpuTicks (user + system, 1/100 s, each process as last seen, so a process that ended
// between two samples misses at most one interval).
import { readFileSync, readdirSync } from 'node:fs';

const root = Number(process.argv[2]);
const interval = Number(process.argv[3] ?? 200);
const cpuTicks = new Map();
let peakTree = 0;
let peakRoot = 0;

const pssOf = (pid) => Number(/^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? 0);

function sample() {
  let total = 0;
  const seen = new Set([process.pid]);
  const walk = (pid) => {
    if (seen.has(pid)) return;
    seen.add(pid);
    try {
      const pss = pssOf(pid);
      total += pss;
      if (pid === root) peakRoot = Math.max(peakRoot, pss);
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      cpuTicks.set(pid, Number(stat[11]) + Number(stat[12]));
      for (const t of readdirSync(`/proc/${pid}/task`)) {
        const kids = readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8').trim();
        for (const k of kids ? kids.split(/\s+/) : []) walk(Number(k));
      }
    } catch {
      // A process that ended between listing and reading.
    }
  };
  walk(root);
  peakTree = Math.max(peakTree, total);
}

const timer = setInterval(sample, interval);
sample();
let done = false;
const finish = () => {
  if (done) return;
  done = true;
  clearInterval(timer);
  sample();
  const ticks = [...cpuTicks.values()].reduce((a, b) => a + b, 0);
  process.stdout.write(`${JSON.stringify({ peakTreePssKiB: peakTree, peakRootPssKiB: peakRoot, cpuTicks: ticks })}\n`, () => process.exit(0));
};
process.on('SIGTERM', finish);
process.stdin.on('end', finish);
process.stdin.resume();
