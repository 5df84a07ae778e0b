import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { verifyCommand } from '../../src/cli/verify.js';
import { main } from '../../src/cli/main.js';
import { writeLocalRun } from '../../src/deliver/local-folder.js';
import { resolveConfig } from '../../src/config/load-config.js';

const config = resolveConfig(undefined, {});

async function runFolder(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ar-verify-'));
  const run = await writeLocalRun(dir, {
    runId: '20261120T120000Z-abcdef',
    scopeId: 'account-111111111111',
    at: new Date('2026-11-20T12:00:00Z'),
    tool: { name: 'access-review', version: 'test' },
    artifacts: [{ name: 'review.json', contentType: 'application/json', body: new TextEncoder().encode('{}\n') }],
  });
  return run.runDir;
}

describe('verify', () => {
  it('passes a run folder as written', async () => {
    const dir = await runFolder();
    expect(await verifyCommand(dir, async () => config)).toEqual({ ok: true, report: 'ok      review.json\nAll 1 artifact(s) of run 20261120T120000Z-abcdef match the manifest.\n' });
  });

  it('fails a run folder holding a file its manifest does not list', async () => {
    const dir = await runFolder();
    await writeFile(path.join(dir, 'report.pdf'), 'added later');
    const { ok, report } = await verifyCommand(dir, async () => config);
    expect(ok).toBe(false);
    expect(report).toContain('FAILED  report.pdf: not listed in the manifest (added after the run)');
  });

  it('fails (exit 1, not a usage error) when the manifest is missing', async () => {
    const dir = await runFolder();
    await rm(path.join(dir, 'manifest.json'));
    const { ok, report } = await verifyCommand(dir, async () => config);
    expect(ok).toBe(false);
    expect(report).toMatch(/FAILED {2}manifest\.json: missing at .* the run did not finish archiving/);
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      expect(await main(['verify', dir], {})).toBe(1);
    } finally {
      out.mockRestore();
    }
  });
});
