/**
 * What the archive holds: every run folder under a prefix, by scope and date, and whether it is complete
 * (its manifest, written last, is there). Auditors look for a period's runs months later; an incomplete
 * folder (a run killed mid-archive) must show as such, not be mistaken for a report.
 */
import { paginateListObjectsV2, type S3Client } from '@aws-sdk/client-s3';
import { MANIFEST_NAME } from '../model/artifact.js';
import { joinKey } from './layout.js';

export interface ArchivedRunEntry {
  scope: string;
  /** yyyy-mm-dd from the key layout. */
  day: string;
  runId: string;
  /** s3://bucket/prefix/scope/yyyy/mm/dd/runId/ */
  uri: string;
  complete: boolean;
  files: number;
  bytes: number;
  /** Owners with a scoped report in the run (owners/<id>/…), sorted. */
  owners: string[];
}

// The artifact part may hold slashes: policy drafts sit below policies/<account>/ in the run.
const RUN_KEY = /^(?:(.*)\/)?([a-z]+-[A-Za-z0-9-]+)\/(\d{4})\/(\d{2})\/(\d{2})\/(\d{8}T\d{6}Z-[0-9a-f]+)\/(.+)$/;

const OWNER_KEY = /^owners\/([^/]+)\//;

/** Pure: groups object keys into run folders; keys that are not run artifacts (shard parts, others) are ignored. */
export function indexRuns(bucket: string, prefix: string, objects: readonly { key: string; size: number }[]): ArchivedRunEntry[] {
  const base = joinKey(prefix);
  const runs = new Map<string, ArchivedRunEntry>();
  for (const o of objects) {
    const m = RUN_KEY.exec(o.key);
    if (!m) continue;
    const [, keyPrefix = '', scope = '', yyyy, mm, dd, runId = '', name] = m;
    if (keyPrefix !== base) continue;
    const folder = joinKey(keyPrefix, scope, `${yyyy}`, `${mm}`, `${dd}`, runId);
    let run = runs.get(folder);
    if (!run) {
      run = { scope, day: `${yyyy}-${mm}-${dd}`, runId, uri: `s3://${bucket}/${folder}/`, complete: false, files: 0, bytes: 0, owners: [] };
      runs.set(folder, run);
    }
    run.files += 1;
    run.bytes += o.size;
    if (name === MANIFEST_NAME) run.complete = true;
    const owner = OWNER_KEY.exec(name ?? '')?.[1];
    if (owner && !run.owners.includes(owner)) run.owners.push(owner);
  }
  for (const run of runs.values()) run.owners.sort();
  return [...runs.values()].sort((a, b) => a.scope.localeCompare(b.scope) || a.runId.localeCompare(b.runId));
}

export async function listArchivedRuns(s3: S3Client, bucket: string, prefix: string): Promise<ArchivedRunEntry[]> {
  const objects: { key: string; size: number }[] = [];
  const base = joinKey(prefix);
  for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: bucket, ...(base ? { Prefix: `${base}/` } : {}) })) {
    for (const o of page.Contents ?? []) objects.push({ key: o.Key ?? '', size: o.Size ?? 0 });
  }
  return indexRuns(bucket, prefix, objects);
}
