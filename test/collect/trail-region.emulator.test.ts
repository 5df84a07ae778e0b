/**
 * An organization trail delivering to a log-archive bucket in another region than the run's: the emulator's
 * S3 refuses requests signed for the wrong region as S3 does (400 AuthorizationHeaderMalformed naming the
 * bucket's region), the product says which region the bucket is in and what to set, and with
 * cloudtrail.organizationTrail.region (and cloudtrail.athena.region) both routes read the trail.
 */
import { Agent } from 'node:http';
import type { LookupFunction } from 'node:net';
import { GetBucketLocationCommand, HeadBucketCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { AthenaClient, StartQueryExecutionCommand } from '@aws-sdk/client-athena';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bucketRegionOf } from '../../src/collect/bucket-region.js';
import { createClientFactory } from '../../src/collect/clients.js';
import { describeError } from '../../src/collect/errors.js';
import { preflightAws } from '../../src/collect/preflight.js';
import type { Config } from '../../src/config/config.js';
import { usageSourceLabel } from '../../src/config/digest.js';
import { resolveConfig } from '../../src/config/load-config.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { collect, configFor, NOW, trailSettings, usageOf } from './usage-routes.js';
import { createBucketIn } from '../emulator-bucket.js';

const TRAIL_REGION = 'eu-west-1';
const ATHENA_SAME_REGION =
  'The S3 location provided to save your query results is invalid. Please check your S3 location is correct and is in the same region and try again. If you continue to see the issue, contact customer support for further assistance.';
const RESULTS = 'athena-results-eu';
let emu: RunningEmulator;

const cloudtrailItems = (s: Awaited<ReturnType<typeof collect>>) => s.accounts.flatMap((a) => a.coverage.filter((c) => c.source === 'cloudtrail'));
/** Collects with `config` and returns its CloudTrail coverage, having checked every account and region failed with `errorCode`. */
async function failedEverywhere(config: Config, errorCode: string) {
  const snap = await collect(emu, config);
  const gaps = cloudtrailItems(snap);
  expect(gaps.length).toBe(snap.accounts.length * emu.org.regions.length);
  for (const g of gaps) {
    expect(g.status).toBe('failed');
    expect(g.errorCode).toBe(errorCode);
  }
  return gaps;
}
const checks = async (config: Config, check: string) =>
  (await preflightAws(config, createClientFactory(config.aws, emu.credentials))).filter((i) => i.check === check);

beforeAll(async () => {
  emu = await startEmulator({
    seed: 8,
    now: NOW,
    lookupEventsPerSecond: 0,
    org: { memberAccounts: 2, rolesPerAccount: 6, eventsPerAccount: 200 },
    organizationTrail: { region: TRAIL_REGION },
    regionalEndpoints: ['us-east-1', TRAIL_REGION],
  });
  await createBucketIn(emu, RESULTS, TRAIL_REGION);
}, 120_000);
afterAll(async () => emu?.close());

describe('a trail bucket in another region', () => {
  it('the emulator answers a request signed for the wrong region as S3 does', async () => {
    const wrong = new S3Client({ region: 'us-east-1', endpoint: emu.endpoint, forcePathStyle: true, credentials: emu.credentials, maxAttempts: 1 });
    const e = (await wrong.send(new ListObjectsV2Command({ Bucket: emu.trail!.bucket, MaxKeys: 1 })).catch((x: unknown) => x)) as Record<string, unknown> & {
      $metadata: { httpStatusCode: number };
      $response?: { headers: Record<string, string> };
    };
    expect(e.name).toBe('AuthorizationHeaderMalformed');
    expect(e.message).toBe("The authorization header is malformed; the region 'us-east-1' is wrong; expecting 'eu-west-1'");
    expect(e.Region).toBe(TRAIL_REGION);
    expect(e.$metadata.httpStatusCode).toBe(400);
    expect(e.$response?.headers['x-amz-bucket-region']).toBe(TRAIL_REGION);
    // A HEAD has no body: the status and the header say it.
    const head = (await wrong.send(new HeadBucketCommand({ Bucket: emu.trail!.bucket })).catch((x: unknown) => x)) as { $metadata: { httpStatusCode: number }; $response?: { headers: Record<string, string> } };
    expect(head.$metadata.httpStatusCode).toBe(400);
    expect(head.$response?.headers['x-amz-bucket-region']).toBe(TRAIL_REGION);
    wrong.destroy();
    const right = new S3Client({ region: TRAIL_REGION, endpoint: emu.endpoint, forcePathStyle: true, credentials: emu.credentials });
    expect((await right.send(new ListObjectsV2Command({ Bucket: emu.trail!.bucket, MaxKeys: 1 }))).KeyCount).toBe(1);
    right.destroy();
  });

  it('a regional endpoint answers a bucket of another region with 301 PermanentRedirect, as S3 does', async () => {
    type S3Error = Record<string, unknown> & { $metadata: { httpStatusCode: number }; $response?: { headers: Record<string, string> } };
    const east = new S3Client({ region: 'us-east-1', endpoint: emu.regionalEndpoints['us-east-1'], forcePathStyle: true, credentials: emu.credentials, maxAttempts: 1 });
    const e = (await east.send(new ListObjectsV2Command({ Bucket: emu.trail!.bucket, MaxKeys: 1 })).catch((x: unknown) => x)) as S3Error;
    expect(e.name).toBe('PermanentRedirect');
    expect(e.message).toBe('The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.');
    expect(e.$metadata.httpStatusCode).toBe(301);
    expect(e.Endpoint).toBe(new URL(emu.regionalEndpoints[TRAIL_REGION]!).host);
    expect(e.Bucket).toBe(emu.trail!.bucket);
    expect(e.$response?.headers['x-amz-bucket-region']).toBe(TRAIL_REGION);
    // HeadBucket: the status and the header, no body.
    const head = (await east.send(new HeadBucketCommand({ Bucket: emu.trail!.bucket })).catch((x: unknown) => x)) as S3Error;
    expect(head.$metadata.httpStatusCode).toBe(301);
    expect(head.$response?.headers['x-amz-bucket-region']).toBe(TRAIL_REGION);
    // The product reads the region from a HEAD's refusal as from the body of any other.
    expect(describeError(head, 's3:HeadBucket')).toMatchObject({ bucketRegion: TRAIL_REGION, redirected: true, httpStatus: 301 });
    expect(await bucketRegionOf(east, emu.trail!.bucket)).toBe(TRAIL_REGION);
    // GetBucketLocation answers anywhere: it is how a client finds the region.
    expect((await east.send(new GetBucketLocationCommand({ Bucket: emu.trail!.bucket }))).LocationConstraint).toBe(TRAIL_REGION);

    // A region launched after 20 March 2019 answers with a 400 of its own instead of the redirect.
    await createBucketIn(emu, 'logs-cape-town', 'af-south-1');
    const optIn = (await east.send(new ListObjectsV2Command({ Bucket: 'logs-cape-town' })).catch((x: unknown) => x)) as S3Error;
    expect([optIn.name, optIn.message, optIn.$metadata.httpStatusCode]).toEqual([
      'IllegalLocationConstraintException',
      'The af-south-1 location constraint is incompatible for the region specific endpoint this request was sent to.',
      400,
    ]);
    expect(optIn.$response?.headers['x-amz-bucket-region']).toBe('af-south-1');
    expect(describeError(optIn, 's3:ListBucket')).toMatchObject({ bucketRegion: 'af-south-1', redirected: true });
    east.destroy();

    // At the bucket's own endpoint: signed for it, the request is served; signed for another, 400 as before.
    const west = new S3Client({ region: TRAIL_REGION, endpoint: emu.regionalEndpoints[TRAIL_REGION], forcePathStyle: true, credentials: emu.credentials, maxAttempts: 1 });
    expect((await west.send(new ListObjectsV2Command({ Bucket: emu.trail!.bucket, MaxKeys: 1 }))).KeyCount).toBe(1);
    expect(await bucketRegionOf(west, emu.trail!.bucket)).toBe(TRAIL_REGION);
    west.destroy();
    const westWrongSig = new S3Client({ region: 'us-east-1', endpoint: emu.regionalEndpoints[TRAIL_REGION], forcePathStyle: true, credentials: emu.credentials, maxAttempts: 1 });
    const sig = (await westWrongSig.send(new ListObjectsV2Command({ Bucket: emu.trail!.bucket, MaxKeys: 1 })).catch((x: unknown) => x)) as S3Error;
    expect([sig.name, sig.$metadata.httpStatusCode]).toEqual(['AuthorizationHeaderMalformed', 400]);
    westWrongSig.destroy();

    // A Host naming a region's endpoint (s3.<region>.…) is that region's endpoint, whichever port it reached.
    const toLoopback: LookupFunction = (_host, opts, cb) => {
      if (opts.all) (cb as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address: '127.0.0.1', family: 4 }]);
      else cb(null, '127.0.0.1', 4);
    };
    const byHost = new S3Client({
      region: 'eu-central-1',
      endpoint: `http://s3.eu-central-1.localhost:${new URL(emu.endpoint).port}`,
      forcePathStyle: true,
      credentials: emu.credentials,
      maxAttempts: 1,
      requestHandler: new NodeHttpHandler({ httpAgent: new Agent({ lookup: toLoopback }) }),
    });
    const hosted = (await byHost.send(new ListObjectsV2Command({ Bucket: emu.trail!.bucket, MaxKeys: 1 })).catch((x: unknown) => x)) as S3Error;
    expect([hosted.name, hosted.$metadata.httpStatusCode, hosted.Endpoint]).toEqual(['PermanentRedirect', 301, new URL(emu.regionalEndpoints[TRAIL_REGION]!).host]);
    byHost.destroy();
  });

  it('at a regional endpoint of another region, check and the run name the bucket\'s region, the endpoint S3 gave and the setting', async () => {
    const config = configFor(emu, { source: 'organization-trail', organizationTrail: trailSettings(emu) });
    config.aws.endpoint = emu.regionalEndpoints['us-east-1'];
    const westHost = new URL(emu.regionalEndpoints[TRAIL_REGION]!).host;
    const said = `failed (PermanentRedirect): the bucket is in region ${TRAIL_REGION}, and S3 answers for it only at its own region's endpoint (it named ${westHost}).`;
    const setting = `Set cloudtrail.organizationTrail.region to ${TRAIL_REGION} (ACCESS_REVIEW_TRAIL_REGION). S3 requests must also reach ${TRAIL_REGION}'s endpoint`;
    const items = await checks(config, 'organization-trail');
    expect(items).toHaveLength(1);
    expect(items[0]!.status).toBe('fail');
    expect(items[0]!.detail).toContain(said);
    expect(items[0]!.detail).toContain(setting);

    // The run: a failed gap for every account and region, saying the same; never an empty (unused) trail.
    for (const g of await failedEverywhere(config, 'PermanentRedirect')) {
      expect(g.httpStatus).toBe(301);
      expect(g.detail).toContain(said);
      expect(g.detail).toContain(setting);
    }

    // auto falls back to event history and says why.
    const autoConfig = configFor(emu, { source: 'auto', organizationTrail: trailSettings(emu) });
    autoConfig.aws.endpoint = emu.regionalEndpoints['us-east-1'];
    const auto = await collect(emu, autoConfig);
    expect(cloudtrailItems(auto)[0]!.detail).toContain(said);
    expect(cloudtrailItems(auto)[0]!.detail).toContain(setting);

    // The archive in another region: check names its region and what to change.
    const archiveBucket = 'archive-eu';
    await createBucketIn(emu, archiveBucket, TRAIL_REGION);
    const archived = configFor(emu, { source: 'event-history' }, { archive: { bucket: archiveBucket } });
    archived.aws.endpoint = emu.regionalEndpoints['us-east-1'];
    const archiveItems = await checks(archived, 'archive');
    expect(archiveItems.map((i) => i.status)).toEqual(['fail']);
    expect(archiveItems[0]!.detail).toContain(`s3:ListBucket on ${archiveBucket} failed (PermanentRedirect): the bucket is in region ${TRAIL_REGION}`);
    expect(archiveItems[0]!.detail).toContain(`The archive is read and written in aws.region (us-east-1): choose an archive bucket in us-east-1, or set aws.region (AWS_REGION) to ${TRAIL_REGION}.`);
  }, 300_000);

  it('without cloudtrail.organizationTrail.region, check and the run name the bucket\'s region and the setting', async () => {
    const config = configFor(emu, { source: 'organization-trail', organizationTrail: trailSettings(emu) });
    expect(config.cloudtrail.organizationTrail?.region).toBe('us-east-1');
    const items = await checks(config, 'organization-trail');
    expect(items).toHaveLength(1);
    expect(items[0]!.status).toBe('fail');
    expect(items[0]!.detail).toContain(`failed (AuthorizationHeaderMalformed): the bucket is in region ${TRAIL_REGION}, and S3 answers only requests signed for its own region.`);
    expect(items[0]!.detail).toContain(`Set cloudtrail.organizationTrail.region to ${TRAIL_REGION} (ACCESS_REVIEW_TRAIL_REGION).`);

    // The run: every account and region is a gap naming the region, never an empty (unused) trail.
    const snap = await collect(emu, config);
    const gaps = cloudtrailItems(snap);
    expect(gaps.length).toBeGreaterThan(0);
    for (const g of gaps) {
      expect(g.status).toBe('failed');
      expect(g.detail).toContain(`the bucket is in region ${TRAIL_REGION}`);
    }

    // auto falls back to event history and says why.
    const auto = await collect(emu, configFor(emu, { source: 'auto', organizationTrail: trailSettings(emu) }));
    expect(cloudtrailItems(auto)[0]!.detail).toContain(`the bucket is in region ${TRAIL_REGION}`);
    expect(cloudtrailItems(auto)[0]!.detail).toContain(`Set cloudtrail.organizationTrail.region to ${TRAIL_REGION}`);
  }, 300_000);

  it('with the region set, the direct reader and Athena in that region read the trail and agree', async () => {
    const trail = { ...trailSettings(emu), region: TRAIL_REGION };
    const direct = configFor(emu, { source: 'organization-trail', organizationTrail: trail });
    const items = await checks(direct, 'organization-trail');
    expect(items.map((i) => i.status)).toEqual(items.map(() => 'ok'));
    expect(items[0]!.detail).toMatch(/listable in eu-west-1\.$/);
    const read = await collect(emu, direct);
    expect(cloudtrailItems(read).map((c) => c.status)).toEqual(cloudtrailItems(read).map(() => 'ok'));
    expect(read.accounts.reduce((n, a) => n + a.usage.eventsRead, 0)).toBeGreaterThan(0);

    const athenaConfig = configFor(emu, { source: 'athena', organizationTrail: trail, athena: { region: TRAIL_REGION, outputLocation: `s3://${RESULTS}/q/` } }, { lastAccessed: { enabled: false } });
    const athenaChecks = await checks(athenaConfig, 'athena');
    expect(athenaChecks.map((i) => [i.status, i.detail]).slice(0, 2)).toEqual([
      ['ok', `Workgroup primary in ${TRAIL_REGION} enabled (Athena engine version 3).`],
      ['ok', `Query results go to s3://${RESULTS}/q/ (bucket listable; writes are not tried).`],
    ]);
    emu.resetCalls();
    const viaAthena = await collect(emu, athenaConfig);
    expect(usageOf(viaAthena)).toEqual(usageOf(read));
    expect(emu.calls()['athena:StartQueryExecution']).toBe(2);
    expect(usageSourceLabel(athenaConfig.cloudtrail)).toBe(
      `Amazon Athena (${TRAIL_REGION}, workgroup primary, a table created over the organization trail s3://${emu.trail!.bucket}/ (${emu.org.organization.id}, bucket in ${TRAIL_REGION}) in default)`,
    );
  }, 300_000);

  it('Athena refuses a result bucket in another region, and check and the run name the bucket, its region and the settings', async () => {
    const output = `s3://${RESULTS}/q/`;
    // Over the wire: Athena in us-east-1 will not write results to a bucket in eu-west-1.
    const athena = new AthenaClient({ region: 'us-east-1', endpoint: emu.endpoint, credentials: emu.credentials, maxAttempts: 1 });
    const e = (await athena.send(new StartQueryExecutionCommand({ QueryString: 'SELECT 1', ResultConfiguration: { OutputLocation: output } })).catch((x: unknown) => x)) as Error & { $metadata: { httpStatusCode: number } };
    expect(e.name).toBe('InvalidRequestException');
    expect(e.message).toBe(ATHENA_SAME_REGION);
    expect(e.$metadata.httpStatusCode).toBe(400);
    athena.destroy();

    const trail = { ...trailSettings(emu), region: TRAIL_REGION };
    const config = configFor(emu, { source: 'athena', organizationTrail: trail, athena: { outputLocation: output } }, { lastAccessed: { enabled: false } });
    expect(config.cloudtrail.athena?.region).toBe('us-east-1');
    const hint = `Athena runs in us-east-1 and writes query results only to a bucket in its own region, but ${output} is in ${TRAIL_REGION}: set cloudtrail.athena.region to ${TRAIL_REGION} (ACCESS_REVIEW_ATHENA_REGION; the workgroup and database must exist there too), or cloudtrail.athena.outputLocation to a bucket in us-east-1.`;
    const items = await checks(config, 'athena');
    const results = items.find((i) => i.detail.includes(output))!;
    expect(results.status).toBe('fail');
    expect(results.detail).toContain(`s3:ListBucket on ${output} failed (AuthorizationHeaderMalformed): the bucket is in region ${TRAIL_REGION}`);
    expect(results.detail).toContain(hint);

    // The run: every account and region is a failed gap with Athena's reason, the bucket's region and the settings.
    for (const g of await failedEverywhere(config, 'InvalidRequestException')) {
      expect(g.detail).toContain(`athena:StartQueryExecution failed (InvalidRequestException): ${ATHENA_SAME_REGION}`);
      expect(g.detail).toContain(hint);
      expect(g.detail).toContain('Usage unknown for this account and region, not unused');
    }

    // Under auto, such a result bucket rules Athena out up front: the run reads the trail directly and says why.
    const auto = await collect(emu, configFor(emu, { source: 'auto', organizationTrail: trail, athena: { outputLocation: output } }, { lastAccessed: { enabled: false } }));
    const items0 = cloudtrailItems(auto);
    expect(items0.map((i) => i.status)).toEqual(items0.map(() => 'ok'));
    expect(items0[0]!.detail).toContain(`Usage source: the organization trail (auto; Athena could not be used: its query result location is in another region. ${hint.trim()})`);
  }, 300_000);

  it('config: both regions default to aws.region, take the environment, and must be regions', () => {
    const base = { aws: { region: 'eu-central-1' }, cloudtrail: { source: 'athena', organizationTrail: { bucket: 'log-archive' }, athena: {} } };
    const resolved = resolveConfig(base, {});
    expect(resolved.cloudtrail.organizationTrail?.region).toBe('eu-central-1');
    expect(resolved.cloudtrail.athena?.region).toBe('eu-central-1');
    const fromEnv = resolveConfig(base, { ACCESS_REVIEW_TRAIL_BUCKET: 'log-archive', ACCESS_REVIEW_TRAIL_REGION: 'eu-west-1', ACCESS_REVIEW_ATHENA_REGION: 'us-west-2' });
    expect(fromEnv.cloudtrail.organizationTrail?.region).toBe('eu-west-1');
    expect(fromEnv.cloudtrail.athena?.region).toBe('us-west-2');
    expect(() => resolveConfig({ ...base, cloudtrail: { ...base.cloudtrail, organizationTrail: { bucket: 'log-archive', region: 'Europe' } } }, {})).toThrow(/organizationTrail\/region/);
  });
});
