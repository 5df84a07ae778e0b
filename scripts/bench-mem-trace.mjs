// Bench-only memory trace (BENCH_MEM_TRACE=1 in bench-scale-worker.mjs): samples process.memoryUsage()
// every ~50 ms and tags each sample with the phase the collection is in, read from the AWS calls in
// flight (every SDK client's send is wrapped here, never in the product). Reports, per phase, the
// largest RSS, heapUsed, external and arrayBuffers seen and when the overall peak happened.
// BENCH_MEM_TRACE=series adds every sample ([ms, phase, VmHWM, rss, heapUsed, heapTotal, external, arrayBuffers]
// in MiB); BENCH_MEM_TRACE_MS sets the interval; BENCH_MEM_TRACE_HWM=1 reads the kernel's peak (VmHWM) at each
// sample, which shows when a peak shorter than the interval happened (0 without it).
import { IAMClient } from '@aws-sdk/client-iam';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { AccessAnalyzerClient } from '@aws-sdk/client-accessanalyzer';
import { STSClient } from '@aws-sdk/client-sts';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import { peakRssKiB } from './peak-rss.mjs';

const PHASE_OF = {
  GetAccountAuthorizationDetailsCommand: 'iam',
  GenerateServiceLastAccessedDetailsCommand: 'access-advisor',
  GetServiceLastAccessedDetailsCommand: 'access-advisor',
  LookupEventsCommand: 'cloudtrail',
};
const inFlight = new Map();
let marked;

function phaseOf(command, client) {
  const name = command?.constructor?.name ?? '';
  if (PHASE_OF[name]) return PHASE_OF[name];
  const c = client?.constructor?.name ?? '';
  if (c.startsWith('AccessAnalyzer')) return 'access-analyzer';
  if (c.startsWith('Organizations')) return 'organizations';
  if (c.startsWith('STS')) return 'sts';
  return c.replace(/Client$/, '').toLowerCase() || 'other';
}

export function startMemTrace({ intervalMs = Number(process.env.BENCH_MEM_TRACE_MS ?? 50) } = {}) {
  const bases = new Set([IAMClient, CloudTrailClient, AccessAnalyzerClient, STSClient, OrganizationsClient].map((C) => Object.getPrototypeOf(C.prototype)));
  for (const base of bases) {
    const send = base.send;
    base.send = function (command, ...rest) {
      const phase = phaseOf(command, this);
      inFlight.set(phase, (inFlight.get(phase) ?? 0) + 1);
      const done = () => inFlight.set(phase, inFlight.get(phase) - 1);
      const p = send.call(this, command, ...rest);
      if (p && typeof p.then === 'function') p.then(done, done);
      else done();
      return p;
    };
  }
  const t0 = performance.now();
  const samples = [];
  // BENCH_HEAP_SNAPSHOT_MB=N: one V8 heap snapshot the first time heapUsed passes N MiB (what the peak holds).
  let snapshotAt = Number(process.env.BENCH_HEAP_SNAPSHOT_MB ?? 0);
  const sample = () => {
    const m = process.memoryUsage();
    if (snapshotAt > 0 && m.heapUsed > snapshotAt * 2 ** 20) {
      snapshotAt = 0;
      process.stderr.write(`heap snapshot: ${v8.writeHeapSnapshot(process.env.BENCH_HEAP_SNAPSHOT_FILE)}\n`);
    }
    const active = [...inFlight].filter(([, n]) => n > 0).map(([p]) => p).sort();
    const phase = marked ?? (active.length > 0 ? active.join('+') : 'between-calls');
    const hwm = process.env.BENCH_MEM_TRACE_HWM ? peakRssKiB() * 1024 : 0;
    samples.push({ t: Math.round(performance.now() - t0), phase, hwm, rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers });
  };
  const timer = setInterval(sample, intervalMs);
  timer.unref();
  return {
    /** A phase the calls in flight cannot show (after collection: snapshot build, serialization). */
    mark(phase) {
      sample();
      marked = phase;
      sample();
    },
    stop() {
      clearInterval(timer);
      sample();
      const mib = (b) => Math.round((b / 2 ** 20) * 10) / 10;
      const byPhase = {};
      for (const s of samples) {
        const p = (byPhase[s.phase] ??= { samples: 0, rssMiB: 0, heapUsedMiB: 0, heapTotalMiB: 0, externalMiB: 0, arrayBuffersMiB: 0 });
        p.samples += 1;
        p.rssMiB = Math.max(p.rssMiB, mib(s.rss));
        p.heapUsedMiB = Math.max(p.heapUsedMiB, mib(s.heapUsed));
        p.heapTotalMiB = Math.max(p.heapTotalMiB, mib(s.heapTotal));
        p.externalMiB = Math.max(p.externalMiB, mib(s.external));
        p.arrayBuffersMiB = Math.max(p.arrayBuffersMiB, mib(s.arrayBuffers));
      }
      const peak = samples.reduce((a, b) => (b.rss > a.rss ? b : a), samples[0]);
      return {
        samples: samples.length,
        peak: { atMs: peak.t, ofMs: samples[samples.length - 1].t, phase: peak.phase, rssMiB: mib(peak.rss), heapUsedMiB: mib(peak.heapUsed), heapTotalMiB: mib(peak.heapTotal), externalMiB: mib(peak.external), arrayBuffersMiB: mib(peak.arrayBuffers) },
        byPhase,
        series: process.env.BENCH_MEM_TRACE === 'series' ? samples.map((s) => [s.t, s.phase, mib(s.hwm), mib(s.rss), mib(s.heapUsed), mib(s.heapTotal), mib(s.external), mib(s.arrayBuffers)]) : undefined,
      };
    },
  };
}
