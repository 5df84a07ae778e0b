/**
 * `run` under an orchestrator that stops it (ECS stopTimeout, a pod's grace period): a SIGTERM in the middle
 * of a run is logged and the run finishes its archive, manifest last, before exiting 0.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { BIN, buildDist, cliEnv, ROOT, spawnTracked } from './cli-process.js';

describe('access-review run, stopped with SIGTERM mid-run', () => {
  let emu: RunningEmulator;
  const events: { event: string; signal?: string }[] = [];
  let code: number | null = null;

  beforeAll(async () => {
    await buildDist();
    emu = await startEmulator({ seed: 5, org: { memberAccounts: 1, rolesPerAccount: 8, eventsPerAccount: 400 } });
    const work = await mkdtemp(path.join(tmpdir(), 'ar-run-signal-'));
    const cfg = path.join(work, 'config.json');
    await writeFile(
      cfg,
      JSON.stringify({
        scope: { mode: 'account' },
        aws: { s3ForcePathStyle: true },
        regions: emu.org.regions,
        archive: { bucket: emu.org.archiveBucket, prefix: 'stopped' },
        output: { formats: ['json'] },
      }),
    );
    const child = spawnTracked(process.execPath, [BIN, 'run', '--config', cfg], { cwd: ROOT, env: cliEnv(emu.env()), stdio: ['ignore', 'ignore', 'pipe'] });
    let buffer = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (!line.startsWith('{')) continue;
        const e = JSON.parse(line) as { event: string };
        events.push(e);
        if (e.event === 'run.start') child.kill('SIGTERM');
      }
    });
    code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  }, 300_000);
  afterAll(async () => emu?.close());

  it('logs the request, finishes the archive with its manifest, and exits 0', async () => {
    expect(events.find((e) => e.event === 'run.stop.requested')?.signal).toBe('SIGTERM');
    const names = events.map((e) => e.event);
    expect(names.indexOf('archive.done')).toBeGreaterThan(names.indexOf('run.stop.requested'));
    expect(code).toBe(0);
    const s3 = new S3Client({ endpoint: emu.endpoint, region: emu.region, credentials: emu.credentials, forcePathStyle: true });
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: emu.org.archiveBucket, Prefix: 'stopped/' }));
    s3.destroy();
    expect((listed.Contents ?? []).map((o) => path.basename(o.Key ?? ''))).toContain('manifest.json');
  });
});
