/**
 * The production image leaves development dependencies out, DuckDB among them, so `demo --usage athena`
 * cannot run there: the CLI says so in one line, naming the missing engine and how to run it from a
 * checkout, and exits with the usage code instead of crashing. The child runs with module hooks that make
 * @duckdb/node-api unresolvable, as it is after npm ci --omit=dev.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, cliEnv, ROOT, spawnTracked } from './cli-process.js';

const HOOKS = path.join(ROOT, 'test/e2e/without-duckdb/register.mjs');

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawnTracked(process.execPath, ['--import', HOOKS, BIN, ...args], { cwd: ROOT, env: cliEnv({}), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

describe('demo --usage athena where DuckDB is not installed', () => {
  it('says in one line that the engine is missing and how to run it from a checkout, and exits with the usage code', async () => {
    const out = await mkdtemp(path.join(tmpdir(), 'ar-demo-noduck-'));
    const r = await run(['demo', '--usage', 'athena', '--out', out]);
    expect(r.code).toBe(2);
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('access-review:'));
    expect(lines).toEqual([
      "access-review: demo --usage athena cannot run here: DuckDB (@duckdb/node-api), the SQL engine of the emulator's Athena, is not installed: it is a development dependency, which the container image leaves out. Run it from a checkout of access-review: npm ci, then npm run demo -- --usage athena",
    ]);
    // No stack trace, and nothing started: the check comes before the emulator.
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(r.stderr).not.toContain('demo.emulator');
    expect(r.stdout).toBe('');
  });
});
