import { describe, expect, it } from 'vitest';
import { athenaResultRegionHint, trailRegionHint } from '../../src/collect/region-hints.js';

describe('what to change when a bucket is in another region', () => {
  it('names the trail setting, and the endpoint too when S3 redirected', () => {
    const base = { code: 'AuthorizationHeaderMalformed', detail: '', accessDenied: false, bucketRegion: 'eu-west-1' };
    expect(trailRegionHint(base)).toBe(' Set cloudtrail.organizationTrail.region to eu-west-1 (ACCESS_REVIEW_TRAIL_REGION).');
    expect(trailRegionHint({ ...base, code: 'PermanentRedirect', redirected: true })).toBe(
      " Set cloudtrail.organizationTrail.region to eu-west-1 (ACCESS_REVIEW_TRAIL_REGION). S3 requests must also reach eu-west-1's endpoint: the SDK picks it from the region unless aws.endpoint names one.",
    );
    expect(trailRegionHint({ code: 'AccessDenied', detail: '', accessDenied: true })).toBe('');
  });

  it("names the workgroup's result location when that is where results go, and says less when the bucket's region is unknown", () => {
    expect(athenaResultRegionHint({ output: 's3://results-eu/', bucketRegion: 'eu-west-1', athenaRegion: 'us-east-1', configured: false, workGroup: 'audit' })).toBe(
      " Athena runs in us-east-1 and writes query results only to a bucket in its own region, but s3://results-eu/ is in eu-west-1: set cloudtrail.athena.region to eu-west-1 (ACCESS_REVIEW_ATHENA_REGION; the workgroup and database must exist there too), or workgroup audit's query result location to a bucket in us-east-1.",
    );
    expect(athenaResultRegionHint({ output: 's3://results-eu/', athenaRegion: 'us-east-1', configured: true, workGroup: 'primary' })).toBe(
      " Athena (us-east-1) writes query results only to a bucket in its own region: s3://results-eu/ must be in us-east-1, or set cloudtrail.athena.region (ACCESS_REVIEW_ATHENA_REGION) to its bucket's region.",
    );
  });
});
