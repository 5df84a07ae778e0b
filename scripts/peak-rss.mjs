// The process's own peak resident set, from /proc/self/status VmHWM. Not process.resourceUsage().maxRSS:
// Linux carries a process's high-water mark across execve, so a benchmark child spawned by a large parent
// (one holding an emulator's S3 objects, say) reports the parent's resident size at fork time as its own
// peak — a 39 MB child of a 441 MB parent reads maxRSS 403 MB. VmHWM belongs to the new image alone.
import { readFileSync } from 'node:fs';

/** Peak RSS of this process in KiB (maxRSS where /proc is missing, which only overstates). */
export function peakRssKiB() {
  try {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]);
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS;
}
