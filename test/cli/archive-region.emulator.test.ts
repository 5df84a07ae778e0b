/**
 * An archive bucket in another region than aws.region: the delivery problem names the bucket's region and
 * what to change, whether S3 refused the request for its endpoint (301 PermanentRedirect at a regional
 * endpoint) or for its signature (400 AuthorizationHeaderMalformed where the bucket lives). The local
 * folder still has the run.
 */
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeAndDeliver } from '../../src/cli/pipeline.js';
import { loadArchivedPreviousReview } from '../../src/cli/previous-review.js';
import { resolveConfig } from '../../src/config/load-config.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { createBucketIn } from '../emulator-bucket.js';
import { tinySnapshot } from './pipeline-fixture.js';

const BUCKET = 'archive-in-frankfurt';
const REGION = 'eu-central-1';
let emu: RunningEmulator;

beforeAll(async () => {
  emu = await startEmulator({ seed: 3, org: { memberAccounts: 1, rolesPerAccount: 2, eventsPerAccount: 10 }, regionalEndpoints: ['us-east-1', REGION] });
  await createBucketIn(emu, BUCKET, REGION);
}, 120_000);
afterAll(async () => emu?.close());

describe('an archive bucket in another region', () => {
  const deliver = async (endpoint: string) => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ar-archive-region-'));
    const config = resolveConfig({ output: { dir, formats: ['json'] }, archive: { bucket: BUCKET } }, {});
    const s3 = new S3Client({ region: 'us-east-1', endpoint, forcePathStyle: true, credentials: emu.credentials, maxAttempts: 1 });
    try {
      const result = await analyzeAndDeliver(tinySnapshot(), config, { now: new Date('2026-11-20T12:00:00Z'), log: () => undefined, s3 });
      expect(result.archive).toBeUndefined();
      expect((await readdir(result.local!.runDir)).length).toBeGreaterThan(0);
      return result.deliveryErrors;
    } finally {
      s3.destroy();
    }
  };
  const change = `The archive is read and written in aws.region (us-east-1): choose an archive bucket in us-east-1, or set aws.region (AWS_REGION) to ${REGION}.`;

  it('at us-east-1\'s own endpoint: 301, the endpoint S3 named, and what to change', async () => {
    const errors = await deliver(emu.regionalEndpoints['us-east-1']!);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(`archive to s3://${BUCKET} failed: s3:PutObject failed (PermanentRedirect): the bucket is in region ${REGION}, and S3 answers for it only at its own region's endpoint (it named ${new URL(emu.regionalEndpoints[REGION]!).host}).`);
    expect(errors[0]).toContain(change);
  }, 120_000);

  it('the previous review from such an archive is unavailable, and says why and what to change', async () => {
    const s3 = new S3Client({ region: 'us-east-1', endpoint: emu.regionalEndpoints['us-east-1'], forcePathStyle: true, credentials: emu.credentials, maxAttempts: 1 });
    const previous = await loadArchivedPreviousReview(s3, BUCKET, async () => 'reviews/scope/2026/11/13/run-1', () => undefined);
    s3.destroy();
    expect(previous && 'unavailable' in previous ? previous.unavailable : '').toBe(
      `the previous review at s3://${BUCKET}/reviews/scope/2026/11/13/run-1/ could not be read: s3:GetObject/ListBucket failed (PermanentRedirect): the bucket is in region ${REGION}, and S3 answers for it only at its own region's endpoint (it named ${new URL(emu.regionalEndpoints[REGION]!).host}). The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint. ${change} S3 requests must also reach ${REGION}'s endpoint: the SDK picks it from the region unless aws.endpoint names one.`,
    );
  });

  it('where the bucket lives, signed for us-east-1: 400, and the same change', async () => {
    const errors = await deliver(emu.endpoint);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(`archive to s3://${BUCKET} failed: s3:PutObject failed (AuthorizationHeaderMalformed): the bucket is in region ${REGION}, and S3 answers only requests signed for its own region.`);
    expect(errors[0]).toContain(change);
  }, 120_000);
});
