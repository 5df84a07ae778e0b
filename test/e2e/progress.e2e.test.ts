/**
 * A long run in a container (no terminal) says how far it is: JSON `progress` lines with accounts done of
 * total, CloudTrail pages requested and an ETA, at ACCESS_REVIEW_HEARTBEAT_SECONDS, and a last one when
 * collection ends.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { cli } from './cli-process.js';

interface Line {
  event: string;
  accountsTotal?: number;
  accountsDone?: number;
  cloudtrailPages?: number;
  etaSeconds?: number;
}

describe('progress of a run without a terminal', () => {
  let emu: RunningEmulator;
  let lines: Line[] = [];
  let code = -1;

  beforeAll(async () => {
    emu = await startEmulator({ seed: 11, org: { memberAccounts: 3, rolesPerAccount: 6, eventsPerAccount: 300 } });
    const work = await mkdtemp(path.join(tmpdir(), 'ar-progress-'));
    const cfg = path.join(work, 'config.json');
    await writeFile(cfg, JSON.stringify({ scope: { mode: 'organization', concurrency: 2 }, aws: { s3ForcePathStyle: true }, regions: emu.org.regions, output: { formats: ['json'] } }));
    const r = await cli(['run', '--config', cfg, '--out', path.join(work, 'out')], { ...emu.env(), ACCESS_REVIEW_HEARTBEAT_SECONDS: '0.5' });
    code = r.code;
    lines = r.stderr
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Line);
  }, 300_000);
  afterAll(async () => emu?.close());

  it('logs progress heartbeats that end with every account done', () => {
    expect(code).toBe(0);
    const progress = lines.filter((l) => l.event === 'progress');
    expect(progress.length).toBeGreaterThanOrEqual(2);
    const total = lines.find((l) => l.event === 'collect.organization') as { accounts?: number } | undefined;
    const last = progress.at(-1)!;
    expect(last).toMatchObject({ accountsTotal: total?.accounts, accountsDone: total?.accounts, etaSeconds: 0 });
    expect(last.cloudtrailPages).toBeGreaterThan(0);
    // Counts only grow.
    for (let i = 1; i < progress.length; i++) expect(progress[i]!.cloudtrailPages!).toBeGreaterThanOrEqual(progress[i - 1]!.cloudtrailPages!);
    // The last heartbeat comes before delivery starts.
    const names = lines.map((l) => l.event);
    expect(names.lastIndexOf('progress')).toBeLessThan(names.indexOf('analyze.done'));
  });
});
