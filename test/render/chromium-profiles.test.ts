/**
 * Profiles a killed run left behind are removed by the next one; a live run's, ours, and anything else in
 * the folder stay.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { processAlive, profilePrefix, removeStaleProfiles } from '../../src/render/chromium-profiles.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('stale Chromium profiles', () => {
  it('removes the profile of a process that is gone and a legacy one older than a day, nothing else', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'profiles-test-'));
    dirs.push(parent);
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    expect(processAlive(dead)).toBe(false);
    const live = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      const livePid = live.pid ?? 0;
      const names = {
        dead: `${profilePrefix(dead)}aaaaaa`,
        live: `${profilePrefix(livePid)}bbbbbb`,
        ours: `${profilePrefix()}cccccc`,
        legacyOld: 'access-review-chromium-dddddd',
        legacyNew: 'access-review-chromium-eeeeee',
        other: 'something-else',
      };
      for (const name of Object.values(names)) mkdirSync(join(parent, name, 'Default'), { recursive: true });
      const now = Date.now();
      const twoDaysAgo = (now - 48 * 3_600_000) / 1000;
      utimesSync(join(parent, names.legacyOld), twoDaysAgo, twoDaysAgo);

      const removed = await removeStaleProfiles(parent, now);

      expect(removed.sort()).toEqual([names.legacyOld, names.dead].sort());
      expect(readdirSync(parent).sort()).toEqual([names.legacyNew, names.live, names.ours, names.other].sort());
    } finally {
      live.kill('SIGKILL');
    }
  });

  it('a folder that cannot be read removes nothing and does not throw', async () => {
    await expect(removeStaleProfiles(join(tmpdir(), 'no-such-folder-for-profiles'))).resolves.toEqual([]);
  });
});
