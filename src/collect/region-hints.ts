/**
 * What to change when S3 refused a request because its bucket lives in another region: the setting that
 * picks the region for that bucket's requests. The SDK derives the endpoint from the region, so one setting
 * fixes both the signature (400 AuthorizationHeaderMalformed) and the endpoint (301 PermanentRedirect) —
 * unless aws.endpoint pins one endpoint for every region, which then must serve the bucket's region too.
 */
import type { DescribedError } from './errors.js';

function hint(d: DescribedError, setting: string, env: string): string {
  if (!d.bucketRegion) return '';
  const endpoint = d.redirected ? ` S3 requests must also reach ${d.bucketRegion}'s endpoint: the SDK picks it from the region unless aws.endpoint names one.` : '';
  return ` Set ${setting} to ${d.bucketRegion} (${env}).${endpoint}`;
}

/** The organization trail's bucket. */
export function trailRegionHint(d: DescribedError): string {
  return hint(d, 'cloudtrail.organizationTrail.region', 'ACCESS_REVIEW_TRAIL_REGION');
}

/** The archive bucket: it is read and written in the home region, which other calls use too. */
export function archiveRegionHint(d: DescribedError, homeRegion: string): string {
  if (!d.bucketRegion) return '';
  return ` The archive is read and written in aws.region (${homeRegion}): choose an archive bucket in ${homeRegion}, or set aws.region (AWS_REGION) to ${d.bucketRegion}.`;
}
