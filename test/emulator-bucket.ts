import { CreateBucketCommand, S3Client, type BucketLocationConstraint } from '@aws-sdk/client-s3';
import type { RunningEmulator } from '../src/emulator/index.js';

/** Creates a bucket in `region` through the emulator's S3, as a client of that region does (LocationConstraint). */
export async function createBucketIn(emu: RunningEmulator, bucket: string, region: BucketLocationConstraint): Promise<void> {
  const s3 = new S3Client({ region, endpoint: emu.endpoint, forcePathStyle: true, credentials: emu.credentials });
  try {
    await s3.send(new CreateBucketCommand({ Bucket: bucket, CreateBucketConfiguration: { LocationConstraint: region } }));
  } finally {
    s3.destroy();
  }
}
