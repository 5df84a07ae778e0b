import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { main } from '../../src/cli/main.js';

describe('list on a bucket that does not exist', () => {
  let emu: RunningEmulator;
  const saved = { ...process.env };
  beforeAll(async () => {
    emu = await startEmulator({ seed: 4, org: { memberAccounts: 1, rolesPerAccount: 2, eventsPerAccount: 5 } });
    Object.assign(process.env, emu.env());
  }, 60_000);
  afterAll(async () => {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    await emu?.close();
  });

  it('says so in one line and exits 2, with no stack trace', async () => {
    const written: string[] = [];
    const capture = (c: unknown): boolean => (written.push(String(c)), true);
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(capture);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(capture);
    let code: number;
    try {
      code = await main(['list'], { ...emu.env(), ACCESS_REVIEW_BUCKET: 'no-such-archive', ACCESS_REVIEW_S3_FORCE_PATH_STYLE: 'yes' });
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
    expect(code).toBe(2);
    const text = written.join('');
    expect(text).toContain('access-review: the archive bucket no-such-archive does not exist (or is in another partition); check archive.bucket / ACCESS_REVIEW_BUCKET\n');
    expect(text).not.toMatch(/\n\s+at |"stack"|run\.failed/);
  });
});
