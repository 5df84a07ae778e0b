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

export interface PublicAccessBlock {
  BlockPublicAcls: boolean;
  IgnorePublicAcls: boolean;
  BlockPublicPolicy: boolean;
  RestrictPublicBuckets: boolean;
}

export interface Bucket {
  name: string;
  ownerAccountId: string;
  region: string;
  createdAt: Date;
  objectLockEnabled: boolean;
  /** Object Lock's default retention, applied to objects written without their own. */
  defaultRetention?: { mode: 'GOVERNANCE' | 'COMPLIANCE'; days?: number; years?: number };
  /** Never set is absent; once set it can only be suspended (S3 never returns to unversioned). */
  versioning?: 'Enabled' | 'Suspended';
  publicAccessBlock?: PublicAccessBlock;
  /** Default encryption: every bucket has one since January 2023 (SSE-S3 unless changed). */
  encryption: { algorithm: 'AES256' | 'aws:kms' | 'aws:kms:dsse'; kmsKeyId?: string; bucketKeyEnabled?: boolean };
  /** The bucket policy as the owner put it (JSON text). */
  policy?: string;
  objects: Map<string, StoredObject>;
}

export class S3Store {
  readonly buckets = new Map<string, Bucket>();

  create(name: string, ownerAccountId: string, region: string, objectLockEnabled: boolean, createdAt: Date): Bucket {
    const b: Bucket = {
      name,
      ownerAccountId,
      region,
      createdAt,
      objectLockEnabled,
      // Object Lock turns versioning on for good.
      ...(objectLockEnabled ? { versioning: 'Enabled' as const } : {}),
      encryption: { algorithm: 'AES256' },
      objects: new Map(),
    };
    this.buckets.set(name, b);
    return b;
  }
}
