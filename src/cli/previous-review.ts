/**
 * The previous review a run compares itself with. It is read back from the archive (or given with
 * --previous), so it is untrusted input: it must match its manifest's SHA-256 and the review schema before
 * the diff touches it. One that fails is ignored with a warning and the reason travels on the review
 * (`changesUnavailableReason`), so the report says "changes could not be computed" rather than claiming
 * a first review or failing the run.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { MANIFEST_NAME, type Manifest } from '../model/artifact.js';
import { REVIEW_KIND, type Review } from '../model/review.js';
import { sha256Hex } from '../deliver/manifest.js';
import { REVIEW_NAME } from '../deliver/previous-run.js';
import { getObjectBytes } from '../deliver/s3-archive.js';
import { validateAgainst } from '../config/validate.js';
import type { Logger } from './log.js';
import { archiveRegionRefusal } from '../collect/region-hints.js';

/** Either a usable previous review, or why there is none to compare with (undefined: there is none at all). */
export type PreviousReview = { review: Review; unavailable?: undefined } | { review?: undefined; unavailable: string } | undefined;

/** Checks the bytes of a review.json: manifest hash (when a manifest is known), JSON, kind, schema. */
export function checkPreviousReview(bytes: Uint8Array, where: string, manifest?: Manifest): { review: Review } | { unavailable: string } {
  if (manifest) {
    const entry = manifest.artifacts.find((a) => a.name === REVIEW_NAME);
    if (!entry) return { unavailable: `${where} is not listed in its run's manifest` };
    if (sha256Hex(bytes) !== entry.sha256) return { unavailable: `${where} does not match its manifest's SHA-256 (changed since it was archived)` };
  }
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    return { unavailable: `${where} is not valid JSON (${(e as Error).message})` };
  }
  const kind = (value as { kind?: unknown } | null)?.kind;
  if (kind !== REVIEW_KIND) return { unavailable: `${where} is not an access-review review (kind is ${JSON.stringify(kind)})` };
  const errors = validateAgainst('review.schema.json', value);
  if (errors.length > 0) {
    const more = errors.length > 3 ? ` and ${errors.length - 3} more` : '';
    return { unavailable: `${where} does not match the review schema: ${errors.slice(0, 3).join('; ')}${more}` };
  }
  return { review: value as Review };
}

function parseManifest(bytes: Uint8Array, where: string): Manifest | string {
  try {
    const m = JSON.parse(new TextDecoder().decode(bytes)) as Manifest;
    if (!Array.isArray(m?.artifacts)) return `${where} has no artifact list`;
    return m;
  } catch (e) {
    return `${where} is not valid JSON (${(e as Error).message})`;
  }
}

function report(result: { review: Review } | { unavailable: string }, log: Logger, source: string): PreviousReview {
  if ('review' in result) {
    log('previous.review', { source, runId: result.review.runId });
    return { review: result.review };
  }
  log('previous.review.unusable', { source, reason: result.unavailable }, 'warn');
  return { unavailable: result.unavailable };
}

/** The previous review from the archive: the newest complete run of the scope that has a review.json. */
export async function loadArchivedPreviousReview(s3: S3Client, bucket: string, folderOf: () => Promise<string | undefined>, log: Logger): Promise<PreviousReview> {
  let folder: string | undefined;
  try {
    folder = await folderOf();
    if (!folder) return undefined;
    const uri = `s3://${bucket}/${folder}/`;
    const [manifestBytes, body] = await Promise.all([getObjectBytes(s3, bucket, `${folder}/${MANIFEST_NAME}`), getObjectBytes(s3, bucket, `${folder}/${REVIEW_NAME}`)]);
    if (!manifestBytes || !body) return report({ unavailable: `the previous run at ${uri} lost its ${manifestBytes ? REVIEW_NAME : MANIFEST_NAME} while being read` }, log, uri);
    const manifest = parseManifest(manifestBytes, `${uri}${MANIFEST_NAME}`);
    if (typeof manifest === 'string') return report({ unavailable: manifest }, log, uri);
    return report(checkPreviousReview(body, `${uri}${REVIEW_NAME}`, manifest), log, uri);
  } catch (e) {
    const what = folder ? `the previous review at s3://${bucket}/${folder}/ could not be read` : `the archive's history in s3://${bucket} could not be listed`;
    // An archive bucket in another region: name its region and what to change, not only S3's refusal.
    const why = archiveRegionRefusal(e, 's3:GetObject/ListBucket', await s3.config.region()) ?? (e as Error).message;
    return report({ unavailable: `${what}: ${why}` }, log, `s3://${bucket}`);
  }
}

/**
 * The previous review given with --previous. A manifest.json beside it (a run folder) is checked too. A
 * file that cannot be read at all is the caller's typo, not a bad review: that stays a usage error.
 */
export async function loadPreviousReviewFile(file: string, log: Logger, onUnreadable: (message: string) => Error): Promise<PreviousReview> {
  let body: Uint8Array;
  try {
    body = await readFile(file);
  } catch (e) {
    throw onUnreadable(`cannot read previous review ${file}: ${(e as Error).message}`);
  }
  let manifest: Manifest | undefined;
  const manifestFile = path.join(path.dirname(file), MANIFEST_NAME);
  if (path.basename(file) === REVIEW_NAME) {
    const bytes = await readFile(manifestFile).catch(() => undefined);
    if (bytes) {
      const parsed = parseManifest(bytes, manifestFile);
      if (typeof parsed === 'string') return report({ unavailable: parsed }, log, file);
      manifest = parsed;
    }
  }
  return report(checkPreviousReview(body, file, manifest), log, file);
}
