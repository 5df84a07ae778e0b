/**
 * Reading the previous run of a scope back from the archive, checked against its manifest: what a run
 * reuses (the usage ledger) must be exactly what was archived, not something edited since.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { MANIFEST_NAME, type Manifest } from '../model/artifact.js';
import type { Snapshot, UsageLedger } from '../model/snapshot.js';
import { sha256Hex } from './manifest.js';
import { getObjectBytes, listCompleteRuns, newestRunHolding, type ArchivedFolder, type ArchiveSettings } from './s3-archive.js';

export const SNAPSHOT_NAME = 'snapshot.json';
export const REVIEW_NAME = 'review.json';

/** Finds the previous run of a scope holding a given artifact ("snapshot.json", "review.json"). */
export type FindPrevious = (scopeId: string, needs: string) => Promise<string | undefined>;

/**
 * Lists a scope's history once per process and run: a run asks twice (its collection for the usage ledger,
 * its analysis for the diff), and each answer would otherwise be a listing of the scope's whole history.
 */
export function previousRunFinder(s3: S3Client, settings: ArchiveSettings, beforeRunId: string): FindPrevious {
  const listed = new Map<string, Promise<ArchivedFolder[]>>();
  return async (scopeId, needs) => {
    let runs = listed.get(scopeId);
    if (runs === undefined) {
      runs = listCompleteRuns(s3, settings, scopeId);
      runs.catch(() => listed.delete(scopeId));
      listed.set(scopeId, runs);
    }
    return newestRunHolding(await runs, beforeRunId, needs);
  };
}

/** The previous run's snapshot, or undefined when there is none; throws when it does not match its manifest. */
export async function loadPreviousSnapshot(
  s3: S3Client,
  settings: ArchiveSettings,
  folderOf: Promise<string | undefined>,
): Promise<{ folder: string; snapshot: Snapshot } | undefined> {
  const folder = await folderOf;
  if (!folder) return undefined;
  const [manifestBytes, body] = await Promise.all([
    getObjectBytes(s3, settings.bucket, `${folder}/${MANIFEST_NAME}`),
    getObjectBytes(s3, settings.bucket, `${folder}/${SNAPSHOT_NAME}`),
  ]);
  if (!manifestBytes || !body) return undefined;
  const manifest = JSON.parse(new TextDecoder().decode(manifestBytes)) as Manifest;
  const entry = manifest.artifacts.find((a) => a.name === SNAPSHOT_NAME);
  if (!entry) return undefined;
  if (sha256Hex(body) !== entry.sha256) {
    throw new Error(`s3://${settings.bucket}/${folder}/${SNAPSHOT_NAME} does not match its manifest's SHA-256; not reusing it`);
  }
  return { folder, snapshot: JSON.parse(new TextDecoder().decode(body)) as Snapshot };
}

export function ledgersOf(snapshot: Snapshot): Map<string, UsageLedger[]> {
  const out = new Map<string, UsageLedger[]>();
  for (const account of snapshot.accounts) if (account.usage.ledger) out.set(account.accountId, account.usage.ledger);
  return out;
}
