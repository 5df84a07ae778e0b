/**
 * What to change when S3 refused a request because its bucket lives in another region: the setting that
 * picks the region for that bucket's requests. The SDK derives the endpoint from the region, so one setting
 * fixes both the signature (400 AuthorizationHeaderMalformed) and the endpoint (301 PermanentRedirect) —
 * unless aws.endpoint pins one endpoint for every region, which then must serve the bucket's region too.
 */
import { describeError, type DescribedError } from './errors.js';

/** After a refusal for the endpoint (not only the signature): what else must hold. */
function endpointNote(d: DescribedError): string {
  return d.redirected && d.bucketRegion ? ` S3 requests must also reach ${d.bucketRegion}'s endpoint: the SDK picks it from the region unless aws.endpoint names one.` : '';
}

function hint(d: DescribedError, setting: string, env: string): string {
  if (!d.bucketRegion) return '';
  return ` Set ${setting} to ${d.bucketRegion} (${env}).${endpointNote(d)}`;
}

/** The organization trail's bucket. */
export function trailRegionHint(d: DescribedError): string {
  return hint(d, 'cloudtrail.organizationTrail.region', 'ACCESS_REVIEW_TRAIL_REGION');
}

/** The archive bucket: it is read and written in the home region, which other calls use too. */
export function archiveRegionHint(d: DescribedError, homeRegion: string): string {
  if (!d.bucketRegion) return '';
  return ` The archive is read and written in aws.region (${homeRegion}): choose an archive bucket in ${homeRegion}, or set aws.region (AWS_REGION) to ${d.bucketRegion}.${endpointNote(d)}`;
}

/**
 * S3's refusal of an archive request because the bucket is in another region, as its detail and what to
 * change; undefined for any other failure (the caller keeps its own wording for those).
 */
export function archiveRegionRefusal(e: unknown, action: string, homeRegion: string): string | undefined {
  const d = describeError(e, action);
  return d.bucketRegion ? `${d.detail}${archiveRegionHint(d, homeRegion)}` : undefined;
}

/** Athena's query result bucket: Athena writes results only to a bucket in its own region. */
export function athenaResultRegionHint(p: { output: string; bucketRegion?: string; athenaRegion: string; configured: boolean; workGroup: string }): string {
  const location = p.configured ? 'cloudtrail.athena.outputLocation' : `workgroup ${p.workGroup}'s query result location`;
  if (!p.bucketRegion) return ` Athena (${p.athenaRegion}) writes query results only to a bucket in its own region: ${p.output} must be in ${p.athenaRegion}, or set cloudtrail.athena.region (ACCESS_REVIEW_ATHENA_REGION) to its bucket's region.`;
  return (
    ` Athena runs in ${p.athenaRegion} and writes query results only to a bucket in its own region, but ${p.output} is in ${p.bucketRegion}:` +
    ` set cloudtrail.athena.region to ${p.bucketRegion} (ACCESS_REVIEW_ATHENA_REGION; the workgroup and database must exist there too), or ${location} to a bucket in ${p.athenaRegion}.`
  );
}
