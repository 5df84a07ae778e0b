/**
 * Chromium profiles in the temporary folder. Each run removes its own on close, on abort and at exit, but a
 * process killed outright (SIGKILL, the OOM killer, a node drain past its grace period) runs no hook: its
 * profile stays behind, and a long-lived host or a volume reused by many runs fills up. The profile's name
 * carries the pid of the process that made it, so a later run can tell a dead run's profile from a live one.
 */
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

export const PROFILE_PREFIX = 'access-review-chromium-';

/** Profiles made before names carried a pid are removed only once surely abandoned: a run lasts hours, not days. */
const LEGACY_AGE_MS = 24 * 3_600_000;

export function profilePrefix(pid: number = process.pid): string {
  return `${PROFILE_PREFIX}${pid}-`;
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, under another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes the profiles under `parent` whose process is gone; returns their names. Never throws. */
export async function removeStaleProfiles(parent: string, now: number = Date.now(), alive: (pid: number) => boolean = processAlive): Promise<string[]> {
  let names: string[];
  try {
    names = (await readdir(parent)).filter((name) => name.startsWith(PROFILE_PREFIX));
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const match = /^(\d+)-/.exec(name.slice(PROFILE_PREFIX.length));
    let stale: boolean;
    if (match) {
      const pid = Number(match[1]);
      stale = pid !== process.pid && !alive(pid);
    } else {
      const info = await stat(join(parent, name)).catch(() => undefined);
      stale = info !== undefined && now - info.mtimeMs > LEGACY_AGE_MS;
    }
    if (!stale) continue;
    try {
      await rm(join(parent, name), { recursive: true, force: true });
      removed.push(name);
    } catch {
      // Another run may be removing it at the same moment, or it is not ours to remove.
    }
  }
  return removed;
}
