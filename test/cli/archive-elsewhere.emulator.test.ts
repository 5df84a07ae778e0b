/**
 * `list` and `verify` of an archive bucket that lives in another region than aws.region: one line naming
 * the bucket's region and what to change, exit 2, no stack trace — as the run's own archive step says.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { createBucketIn } from '../emulator-bucket.js';

const BUCKET = 'archive-in-frankfurt-cli';
const REGION = 'eu-central-1';

describe('list and verify of an archive bucket in another region', () => {
  let emu: RunningEmulator;
  const saved = { ...process.env };
  beforeAll(async () => {
    emu = await startEmulator({ seed: 5, org: { memberAccounts: 1, rolesPerAccount: 2, eventsPerAccount: 5 } });
    Object.assign(process.env, emu.env());
    await createBucketIn(emu, BUCKET, REGION);
  }, 60_000);
  afterAll(async () => {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    await emu?.close();
  });

  async function run(argv: string[]): Promise<{ code: number; text: string }> {
    const written: string[] = [];
    const capture = (c: unknown): boolean => (written.push(String(c)), true);
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(capture);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(capture);
    try {
      const code = await main(argv, { ...emu.env(), AWS_REGION: 'us-east-1', ACCESS_REVIEW_BUCKET: BUCKET, ACCESS_REVIEW_S3_FORCE_PATH_STYLE: 'yes' });
      return { code, text: written.join('') };
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
  }
  const change = `The archive is read and written in aws.region (us-east-1): choose an archive bucket in us-east-1, or set aws.region (AWS_REGION) to ${REGION}.`;

  it('list: names the region and the setting, exit 2', async () => {
    const { code, text } = await run(['list']);
    expect(code).toBe(2);
    expect(text).toMatch(new RegExp(`^access-review: cannot read the archive s3://${BUCKET}: s3:ListObjectsV2 failed \\(AuthorizationHeaderMalformed\\)`));
    expect(text).toContain(`the bucket is in region ${REGION}`);
    expect(text).toContain(change);
    expect(text).not.toMatch(/\n\s+at |"stack"/);
  }, 60_000);

  it('verify s3://: the same, for the run it was asked to check', async () => {
    const { code, text } = await run(['verify', `s3://${BUCKET}/reviews/scope/2026/11/13/run-1`]);
    expect(code).toBe(2);
    expect(text).toMatch(new RegExp(`^access-review: cannot read the archive s3://${BUCKET}: s3:GetObject failed \\(AuthorizationHeaderMalformed\\)`));
    expect(text).toContain(change);
    expect(text).not.toMatch(/\n\s+at |"stack"/);
  }, 60_000);
});
