import { archiveRegionRefusal } from '../collect/region-hints.js';
import { UsageError } from './exit.js';

/**
 * A command's S3 refusal because the archive bucket lives in another region than aws.region, as one line
 * naming the bucket's region and what to change (exit 2); undefined for any other failure.
 */
export function archiveElsewhere(e: unknown, bucket: string, homeRegion: string, operation: string): UsageError | undefined {
  const why = archiveRegionRefusal(e, operation, homeRegion);
  return why === undefined ? undefined : new UsageError(`cannot read the archive s3://${bucket}: ${why}`);
}
