/** `access-review list`: the archived runs, by scope and date, complete or not. */
import type { Config } from '../config/config.js';
import { createClientFactory } from '../collect/clients.js';
import { listArchivedRuns, type ArchivedRunEntry } from '../deliver/archive-index.js';
import { formatBytes } from '../render/format.js';
import { UsageError } from './exit.js';
import { archiveElsewhere } from './archive-elsewhere.js';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export async function listCommand(config: Config, opts: { since?: string; until?: string; json: boolean }): Promise<string> {
  const bucket = config.archive.bucket;
  if (!bucket) throw new UsageError('list needs archive.bucket (or ACCESS_REVIEW_BUCKET)');
  for (const [flag, value] of [['--since', opts.since], ['--until', opts.until]] as const) {
    if (value !== undefined && !DAY.test(value)) throw new UsageError(`${flag} must be a date, YYYY-MM-DD`);
  }
  const runs = (await listArchivedRuns(createClientFactory(config.aws).s3(), bucket, config.archive.prefix).catch((e: unknown) => {
    if (isNoSuchBucket(e)) throw new UsageError(`the archive bucket ${bucket} does not exist (or is in another partition); check archive.bucket / ACCESS_REVIEW_BUCKET`);
    throw archiveElsewhere(e, bucket, config.aws.region, 's3:ListObjectsV2') ?? e;
  })).filter(
    (r) => (opts.since === undefined || r.day >= opts.since) && (opts.until === undefined || r.day <= opts.until),
  );
  return opts.json ? `${JSON.stringify(runs, null, 2)}\n` : formatRuns(runs);
}

function isNoSuchBucket(e: unknown): boolean {
  const err = e as { name?: string; Code?: string } | null;
  return err?.name === 'NoSuchBucket' || err?.Code === 'NoSuchBucket';
}

export function formatRuns(runs: readonly ArchivedRunEntry[]): string {
  if (runs.length === 0) return 'No archived runs in that range.\n';
  const lines = runs.map(
    (r) =>
      `${r.scope.padEnd(34)} ${r.day}  ${r.runId.padEnd(24)} ${String(r.files).padStart(3)} files ${formatBytes(r.bytes).padStart(8)}  ${
        r.owners.length > 0 ? `reports for ${r.owners.join(', ')}  ` : ''
      }${r.complete ? 'complete' : 'INCOMPLETE (no manifest: the run stopped while archiving)'}`,
  );
  const incomplete = runs.filter((r) => !r.complete).length;
  lines.push(`${runs.length} run(s)${incomplete > 0 ? `, ${incomplete} incomplete` : ''}. Check one with: access-review verify ${runs.at(-1)?.uri ?? ''}`);
  return `${lines.join('\n')}\n`;
}
