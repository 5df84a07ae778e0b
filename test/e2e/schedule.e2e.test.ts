/**
 * `schedule` as a long-running container runs it: a preflight at start, runs on the cron, and a SIGTERM in
 * the middle of a run (a Deployment rollout, a node drain) lets that run finish its archive before exiting.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { BIN, cliEnv, ROOT, spawnTracked } from './cli-process.js';

describe('access-review schedule', () => {
  let emu: RunningEmulator;
  let events: { event: string; runId?: string; failed?: number; accountsTotal?: number; accountsDone?: number }[] = [];
  let code: number | null = null;

  beforeAll(async () => {
    emu = await startEmulator({ seed: 3, org: { memberAccounts: 1, rolesPerAccount: 8, eventsPerAccount: 400 } });
    const work = await mkdtemp(path.join(tmpdir(), 'ar-schedule-'));
    const cfg = path.join(work, 'config.json');
    await writeFile(
      cfg,
      JSON.stringify({
        scope: { mode: 'account' },
        aws: { s3ForcePathStyle: true },
        regions: emu.org.regions,
        archive: { bucket: emu.org.archiveBucket, prefix: 'scheduled' },
        output: { formats: ['json'] },
        schedule: { cron: '*/2 * * * * *', timezone: 'UTC' },
      }),
    );
    const child = spawnTracked(process.execPath, [BIN, 'schedule', '--config', cfg], { cwd: ROOT, env: cliEnv({ ...emu.env(), ACCESS_REVIEW_HEARTBEAT_SECONDS: '0.5' }), stdio: ['ignore', 'ignore', 'pipe'] });
    let buffer = '';
    let signalled = false;
    child.stderr?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (!line.startsWith('{')) continue;
        const e = JSON.parse(line) as { event: string; runId?: string; failed?: number; accountsTotal?: number; accountsDone?: number };
        events.push(e);
        // Stop it mid-run: after the run started, before it finished.
        if (e.event === 'run.start' && !signalled) {
          signalled = true;
          child.kill('SIGTERM');
        }
      }
    });
    code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  }, 300_000);
  afterAll(async () => emu?.close());

  it('checks its permissions at start and logs the outcome', () => {
    const preflight = events.find((e) => e.event === 'schedule.preflight');
    expect(preflight?.failed).toBe(0);
  });

  it('on SIGTERM mid-run stops scheduling, finishes the run with its manifest, then exits 0', async () => {
    const names = events.map((e) => e.event);
    const stopping = names.indexOf('schedule.stopping');
    const done = names.indexOf('schedule.run.done');
    expect(stopping).toBeGreaterThan(names.indexOf('run.start'));
    expect(done).toBeGreaterThan(stopping);
    expect(names.filter((n) => n === 'run.start')).toHaveLength(1);
    expect(code).toBe(0);
    const s3 = new S3Client({ endpoint: emu.endpoint, region: emu.region, credentials: emu.credentials, forcePathStyle: true });
    const keys = ((await s3.send(new ListObjectsV2Command({ Bucket: emu.org.archiveBucket, Prefix: 'scheduled/' }))).Contents ?? []).map((c) => c.Key ?? '');
    const runId = events.find((e) => e.event === 'schedule.run.done')?.runId;
    expect(keys.some((k) => k.endsWith(`/${runId}/manifest.json`))).toBe(true);
  });

  it('logs the scheduled run\'s progress, ending with every account done', () => {
    const last = events.filter((e) => e.event === 'progress').at(-1);
    expect(last).toMatchObject({ accountsTotal: 1, accountsDone: 1 });
  });
});
