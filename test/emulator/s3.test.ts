import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  paginateListObjectsV2,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { assumeInto, clients, FIXED_NOW, rejection } from './helpers.js';

let emu: RunningEmulator;
const bucket = () => emu.org.archiveBucket;

beforeAll(async () => {
  emu = await startEmulator({ seed: 42, now: FIXED_NOW });
});
afterAll(async () => {
  await emu.close();
});

describe('S3 with the SDK defaults (CRC32 checksums, WHEN_SUPPORTED)', () => {
  it('has the archive bucket in the management account', async () => {
    const s3 = clients.s3(emu);
    const out = await s3.send(new ListBucketsCommand({}));
    expect(out.Buckets?.map((b) => b.Name)).toEqual(['access-review-archive']);
    const head = await s3.send(new HeadBucketCommand({ Bucket: bucket() }));
    expect(head.BucketRegion).toBe('us-east-1');
  });

  it('puts, gets and heads an object with content type and metadata', async () => {
    const s3 = clients.s3(emu);
    const body = JSON.stringify({ hello: 'world', markup: '<b>&</b>' });
    const put = await s3.send(
      new PutObjectCommand({ Bucket: bucket(), Key: 'runs/2026-11-25/review.json', Body: body, ContentType: 'application/json', Metadata: { 'sha-256': 'abc123', run: 'r1' } }),
    );
    expect(put.ETag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(put.ChecksumCRC32).toMatch(/^[A-Za-z0-9+/]{6}==$/);
    const get = await s3.send(new GetObjectCommand({ Bucket: bucket(), Key: 'runs/2026-11-25/review.json' }));
    expect(await get.Body?.transformToString()).toBe(body);
    expect(get.ContentType).toBe('application/json');
    expect(get.Metadata).toEqual({ 'sha-256': 'abc123', run: 'r1' });
    expect(get.ETag).toBe(put.ETag);
    expect(get.ServerSideEncryption).toBe('AES256');
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket(), Key: 'runs/2026-11-25/review.json' }));
    expect(head.ContentLength).toBe(Buffer.byteLength(body));
    expect(head.LastModified).toBeInstanceOf(Date);
  });

  it('decodes aws-chunked streaming uploads with a trailing checksum', async () => {
    const s3 = clients.s3(emu);
    const data = Buffer.alloc(200_000, 'x');
    await s3.send(new PutObjectCommand({ Bucket: bucket(), Key: 'runs/stream.bin', Body: Readable.from([data.subarray(0, 70_000), data.subarray(70_000)]), ContentLength: data.length }));
    const get = await s3.send(new GetObjectCommand({ Bucket: bucket(), Key: 'runs/stream.bin' }));
    expect(Buffer.from((await get.Body?.transformToByteArray()) ?? []).equals(data)).toBe(true);
  });

  it('refuses to overwrite with If-None-Match: * (412 PreconditionFailed)', async () => {
    const s3 = clients.s3(emu);
    await s3.send(new PutObjectCommand({ Bucket: bucket(), Key: 'runs/once.txt', Body: 'first', IfNoneMatch: '*' }));
    const err = await rejection(s3.send(new PutObjectCommand({ Bucket: bucket(), Key: 'runs/once.txt', Body: 'second', IfNoneMatch: '*' })));
    expect(err.name).toBe('PreconditionFailed');
    expect(err.$metadata?.httpStatusCode).toBe(412);
    const get = await s3.send(new GetObjectCommand({ Bucket: bucket(), Key: 'runs/once.txt' }));
    expect(await get.Body?.transformToString()).toBe('first');
  });

  it('lists with prefix, delimiter, max-keys and continuation tokens', async () => {
    const s3 = clients.s3(emu);
    const keys = Array.from({ length: 23 }, (_, i) => `list/${i < 10 ? 'a' : 'b'}/item-${String(i).padStart(2, '0')}.json`);
    for (const Key of keys) await s3.send(new PutObjectCommand({ Bucket: bucket(), Key, Body: Key }));
    const seen: string[] = [];
    let pages = 0;
    for await (const page of paginateListObjectsV2({ client: s3, pageSize: 5 }, { Bucket: bucket(), Prefix: 'list/' })) {
      pages++;
      expect(page.KeyCount).toBe(page.Contents?.length);
      seen.push(...(page.Contents ?? []).map((c) => c.Key ?? ''));
    }
    expect(pages).toBe(5);
    expect(seen).toEqual([...keys].sort());
    const grouped = await s3.send(new ListObjectsV2Command({ Bucket: bucket(), Prefix: 'list/', Delimiter: '/' }));
    expect(grouped.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['list/a/', 'list/b/']);
    expect(grouped.Contents ?? []).toEqual([]);
    const one = await s3.send(new ListObjectsV2Command({ Bucket: bucket(), Prefix: 'list/a/item-00' }));
    expect(one.Contents?.[0]).toMatchObject({ Key: 'list/a/item-00.json', Size: 'list/a/item-00.json'.length, StorageClass: 'STANDARD', ChecksumAlgorithm: ['CRC32'] });
  });

  it('answers NoSuchKey, NotFound for HEAD, and NoSuchBucket as S3 does', async () => {
    const s3 = clients.s3(emu);
    const missing = await rejection(s3.send(new GetObjectCommand({ Bucket: bucket(), Key: 'nope' })));
    expect(missing.name).toBe('NoSuchKey');
    expect(missing.$metadata?.httpStatusCode).toBe(404);
    const head = await rejection(s3.send(new HeadObjectCommand({ Bucket: bucket(), Key: 'nope' })));
    expect(head.name).toBe('NotFound');
    const nb = await rejection(s3.send(new GetObjectCommand({ Bucket: 'no-such-bucket-here', Key: 'k' })));
    expect(nb.name).toBe('NoSuchBucket');
    const res = await fetch(`${emu.endpoint}/${bucket()}/nope`);
    expect(res.status).toBe(403);
    expect(await res.text()).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<Error><Code>AccessDenied<\/Code><Message>Access Denied<\/Message><RequestId>/);
  });

  it('creates buckets and refuses to create one twice', async () => {
    const s3 = clients.s3(emu);
    await s3.send(new CreateBucketCommand({ Bucket: 'review-scratch' }));
    await s3.send(new PutObjectCommand({ Bucket: 'review-scratch', Key: 'a', Body: 'a' }));
    expect((await rejection(s3.send(new CreateBucketCommand({ Bucket: 'review-scratch' })))).name).toBe('BucketAlreadyOwnedByYou');
    expect((await rejection(s3.send(new CreateBucketCommand({ Bucket: 'Bad_Name' })))).name).toBe('InvalidBucketName');
    await s3.send(new DeleteObjectCommand({ Bucket: 'review-scratch', Key: 'a' }));
    expect((await rejection(s3.send(new HeadObjectCommand({ Bucket: 'review-scratch', Key: 'a' })))).name).toBe('NotFound');
  });

  it('keeps Object Lock retention and SSE-KMS settings, and requires a lock-enabled bucket for them', async () => {
    const s3 = clients.s3(emu);
    const until = new Date('2033-11-25T00:00:00Z');
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket(),
        Key: 'locked/report.pdf',
        Body: '%PDF-1.7',
        ObjectLockMode: 'COMPLIANCE',
        ObjectLockRetainUntilDate: until,
        ServerSideEncryption: 'aws:kms',
        SSEKMSKeyId: 'alias/access-review',
      }),
    );
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket(), Key: 'locked/report.pdf' }));
    expect(head.ObjectLockMode).toBe('COMPLIANCE');
    expect(head.ObjectLockRetainUntilDate).toEqual(until);
    expect(head.ServerSideEncryption).toBe('aws:kms');
    expect(head.SSEKMSKeyId).toBe('alias/access-review');
    expect((await rejection(s3.send(new DeleteObjectCommand({ Bucket: bucket(), Key: 'locked/report.pdf' })))).name).toBe('AccessDenied');
    await s3.send(new CreateBucketCommand({ Bucket: 'no-lock-bucket' }));
    const err = await rejection(s3.send(new PutObjectCommand({ Bucket: 'no-lock-bucket', Key: 'x', Body: 'x', ObjectLockMode: 'GOVERNANCE', ObjectLockRetainUntilDate: until })));
    expect(err.name).toBe('InvalidRequest');
  });

  it('rejects a body that does not match its checksum', async () => {
    const err = await rejection(clients.s3(emu).send(new PutObjectCommand({ Bucket: bucket(), Key: 'bad', Body: 'data', ChecksumCRC32: 'AAAAAA==' })));
    expect(err.name).toBe('BadDigest');
  });

  it('keeps buckets to their account: a member session gets AccessDenied', async () => {
    const member = emu.org.accounts[1];
    const creds = await assumeInto(emu, member?.id ?? '');
    const err = await rejection(clients.s3(emu, { credentials: creds }).send(new GetObjectCommand({ Bucket: bucket(), Key: 'runs/once.txt' })));
    expect(err.name).toBe('AccessDenied');
    expect(err.$metadata?.httpStatusCode).toBe(403);
  });
});

describe('S3 with requestChecksumCalculation WHEN_REQUIRED', () => {
  it('round-trips without checksums and serves byte ranges', async () => {
    const s3 = clients.s3(emu, { whenRequired: true });
    const put = await s3.send(new PutObjectCommand({ Bucket: bucket(), Key: 'plain/notes.txt', Body: '0123456789', ContentType: 'text/plain' }));
    expect(put.ChecksumCRC32).toBeUndefined();
    const part = await s3.send(new GetObjectCommand({ Bucket: bucket(), Key: 'plain/notes.txt', Range: 'bytes=2-5' }));
    expect(await part.Body?.transformToString()).toBe('2345');
    expect(part.ContentRange).toBe('bytes 2-5/10');
    const list = await s3.send(new ListObjectsV2Command({ Bucket: bucket(), Prefix: 'plain/' }));
    expect(list.Contents?.map((c) => c.Key)).toEqual(['plain/notes.txt']);
    expect(list.Contents?.[0]?.ChecksumAlgorithm).toBeUndefined();
  });
});
