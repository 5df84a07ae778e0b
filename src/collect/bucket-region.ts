/**
 * A bucket's region as S3 tells it: HeadBucket answers with x-amz-bucket-region, and so does its refusal
 * when the bucket is in another region than the client's (400 or 301, no body).
 */
import { HeadBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { describeError } from './errors.js';

export async function bucketRegionOf(s3: S3Client, bucket: string): Promise<string | undefined> {
  try {
    return (await s3.send(new HeadBucketCommand({ Bucket: bucket }))).BucketRegion;
  } catch (e) {
    return describeError(e, 's3:HeadBucket').bucketRegion;
  }
}
