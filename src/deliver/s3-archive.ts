import { GetObjectCommand, PutObjectCommand, paginateListObjectsV2, type PutObjectCommandInput, type S3Client } from '@aws-sdk/client-s3';
import { MANIFEST_NAME, type Artifact, type Manifest } from '../model/artifact.js';
import type { Readable } from 'node:stream';
import { buildManifest, encodeJson } from './manifest.js';
import { hashedFileStream, type Measured } from './artifact-io.js';
import { runFolderOfKey, runPrefix, scopePrefix } from './layout.js';

export interface ArchiveSettings {
  bucket: string;
  prefix: string;
  kmsKeyId?: string;
  objectLock?: { mode: 'GOVERNANCE' | 'COMPLIANCE'; days: number };
}

/** S3's limit for one PutObject (5 GiB); the full evidence PDF of 10,000 roles is a few hundred MB. */
const MAX_PUT_BYTES = 5 * 1024 ** 3;

export interface ArchivedRun {
  bucket: string;
  prefix: string;
  manifestKey: string;
  manifest: Manifest;
}

export class ArchiveConflictError extends Error {
  constructor(key: string) {
    super(`s3 object ${key} already exists; the archive never overwrites a report`);
    this.name = 'ArchiveConflictError';
  }
}

function isPreconditionFailed(e: unknown): boolean {
  const err = e as { name?: string; $metadata?: { httpStatusCode?: number } };
  return err?.name === 'PreconditionFailed' || err?.$metadata?.httpStatusCode === 412;
}

/**
 * A conditional create (If-None-Match: *) with the archive's encryption: an existing key is never replaced,
 * even by a concurrent writer; the loser gets ArchiveConflictError.
 */
export async function putObjectOnce(
  s3: S3Client,
  settings: ArchiveSettings,
  key: string,
  body: Uint8Array | { stream: Readable; bytes: number },
  contentType: string,
  extra: Partial<PutObjectCommandInput> = {},
): Promise<void> {
  try {
    await s3.send(
      new PutObjectCommand({
        ...extra,
        Bucket: settings.bucket,
        Key: key,
        // A stream goes with its length: the SDK then sends it as it is read, never holding it whole.
        ...(body instanceof Uint8Array ? { Body: body } : { Body: body.stream, ContentLength: body.bytes }),
        ContentType: contentType,
        IfNoneMatch: '*',
        ...(settings.kmsKeyId ? { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: settings.kmsKeyId, BucketKeyEnabled: true } : {}),
      }),
    );
  } catch (e) {
    if (isPreconditionFailed(e)) throw new ArchiveConflictError(key);
    throw e;
  }
}

/**
 * Writes every artifact, then the manifest. Each write is conditional (If-None-Match: *), so a key that
 * already exists is never replaced, even by a concurrent run with a colliding id.
 */
export async function archiveRun(
  s3: S3Client,
  settings: ArchiveSettings,
  run: { runId: string; scopeId: string; at: Date; tool: Manifest['tool']; artifacts: Artifact[]; configSha256?: string },
): Promise<ArchivedRun> {
  const prefix = runPrefix(settings.prefix, run.scopeId, run.runId, run.at);
  const retainUntil = settings.objectLock ? new Date(run.at.getTime() + settings.objectLock.days * 86_400_000) : undefined;
  const put = (name: string, body: Uint8Array | { stream: Readable; bytes: number }, contentType: string): Promise<void> =>
    putObjectOnce(s3, settings, `${prefix}/${name}`, body, contentType, {
      Metadata: { 'access-review-run-id': run.runId },
      ...(settings.objectLock && retainUntil ? { ObjectLockMode: settings.objectLock.mode, ObjectLockRetainUntilDate: retainUntil } : {}),
    });
  const measured = new Map<string, Measured>();
  for (const a of run.artifacts) {
    if (a.body !== undefined) {
      await put(a.name, a.body, a.contentType);
      continue;
    }
    if (a.bytes > MAX_PUT_BYTES) throw new Error(`${a.name} is ${a.bytes} bytes, over S3's ${MAX_PUT_BYTES}-byte limit for one PutObject`);
    // Hashed as it is read for the upload: the manifest's entry is of the bytes S3 was sent.
    const { stream, measured: taken } = hashedFileStream(a);
    await put(a.name, { stream, bytes: a.bytes }, a.contentType);
    measured.set(a.name, taken());
  }
  const manifest = buildManifest({ runId: run.runId, scopeId: run.scopeId, createdAt: run.at.toISOString(), tool: run.tool, artifacts: run.artifacts, measured, ...(run.configSha256 !== undefined ? { configSha256: run.configSha256 } : {}) });
  await put(MANIFEST_NAME, encodeJson(manifest), 'application/json');
  return { bucket: settings.bucket, prefix, manifestKey: `${prefix}/${MANIFEST_NAME}`, manifest };
}

export async function getObjectBytes(s3: S3Client, bucket: string, key: string): Promise<Uint8Array | undefined> {
  try {
    const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return out.Body ? await out.Body.transformToByteArray() : new Uint8Array();
  } catch (e) {
    const err = e as { name?: string; $metadata?: { httpStatusCode?: number } };
    if (err?.name === 'NoSuchKey' || err?.$metadata?.httpStatusCode === 404) return undefined;
    throw e;
  }
}

/** A run folder of the archive whose manifest exists, with the names of the objects it holds. */
export interface ArchivedFolder {
  folder: string;
  runId: string;
  names: Set<string>;
}

/**
 * Every complete run (one with a manifest) of a scope, oldest first, with what each holds: one listing
 * serves every question a run asks about its history (the ledger's snapshot, the previous review).
 */
export async function listCompleteRuns(s3: S3Client, settings: ArchiveSettings, scopeId: string): Promise<ArchivedFolder[]> {
  const folders = new Map<string, Set<string>>();
  for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: settings.bucket, Prefix: scopePrefix(settings.prefix, scopeId) })) {
    for (const o of page.Contents ?? []) {
      const key = o.Key ?? '';
      const folder = runFolderOfKey(key);
      let names = folders.get(folder);
      if (!names) folders.set(folder, (names = new Set()));
      names.add(key.slice(folder.length + 1));
    }
  }
  return [...folders.entries()]
    .filter(([, names]) => names.has(MANIFEST_NAME))
    .map(([folder, names]) => ({ folder, runId: folder.slice(folder.lastIndexOf('/') + 1), names }))
    .sort((a, b) => (a.runId < b.runId ? -1 : a.runId > b.runId ? 1 : 0));
}

/**
 * The newest complete run before `beforeRunId` that holds `needs`: a folder the rescue path wrote after a
 * failed analysis (manifest and snapshot only) serves the usage ledger but is no previous review. Run ids
 * sort by time, so the last match wins.
 */
export function newestRunHolding(runs: readonly ArchivedFolder[], beforeRunId: string, needs: string): string | undefined {
  let best: ArchivedFolder | undefined;
  for (const run of runs) if (run.runId < beforeRunId && run.names.has(needs) && (!best || run.runId > best.runId)) best = run;
  return best?.folder;
}
