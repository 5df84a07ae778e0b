/** The S3 buckets and objects the emulator holds in memory, across all accounts (bucket names are global). */
export interface StoredObject {
  body: Buffer;
  contentType: string;
  contentEncoding?: string;
  metadata: Record<string, string>;
  etag: string;
  lastModified: Date;
  /** Base64 CRC32 of the body, as S3 reports it in x-amz-checksum-crc32. */
  crc32: string;
  /** Whether the client sent a checksum (S3 then echoes it, and lists ChecksumAlgorithm). */
  checksumAlgorithm?: 'CRC32';
  serverSideEncryption: string;
  kmsKeyId?: string;
  objectLockMode?: string;
  objectLockRetainUntil?: string;
  versionId?: string;
}

export interface Bucket {
  name: string;
  ownerAccountId: string;
  region: string;
  createdAt: Date;
  objectLockEnabled: boolean;
  objects: Map<string, StoredObject>;
}

export class S3Store {
  readonly buckets = new Map<string, Bucket>();

  create(name: string, ownerAccountId: string, region: string, objectLockEnabled: boolean, createdAt: Date): Bucket {
    const b: Bucket = { name, ownerAccountId, region, createdAt, objectLockEnabled, objects: new Map() };
    this.buckets.set(name, b);
    return b;
  }
}
