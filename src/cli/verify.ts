import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config/config.js';
import { MANIFEST_NAME, type Manifest } from '../model/artifact.js';
import { verifyManifest } from '../deliver/manifest.js';
import { readLocalFile } from '../deliver/local-folder.js';
import type { RetentionReport } from '../deliver/archive-retention.js';

interface RunFolder {
  read(name: string): Promise<Uint8Array | undefined>;
  /** Every file directly in the folder. */
  names(): Promise<string[]>;
  /** Where the bucket has Object Lock: each object's retention against the configured period. */
  retention?(manifest: Manifest): Promise<RetentionReport>;
}

/** The SDK is loaded only for an archived run: verifying a local folder needs neither it nor the config. */
async function s3Folder(loadConfig: () => Promise<Config>, bucket: string, prefix: string): Promise<RunFolder> {
  const [config, { createClientFactory }, { getObjectBytes }, { paginateListObjectsV2 }, { checkRunRetention, retentionReport }, { archiveElsewhere }] = await Promise.all([
    loadConfig(),
    import('../collect/clients.js'),
    import('../deliver/s3-archive.js'),
    import('@aws-sdk/client-s3'),
    import('../deliver/archive-retention.js'),
    import('./archive-elsewhere.js'),
  ]);
  const s3 = createClientFactory(config.aws).s3();
  const refused = (operation: string) => (e: unknown): never => {
    throw archiveElsewhere(e, bucket, config.aws.region, operation) ?? e;
  };
  return {
    read: (name) => getObjectBytes(s3, bucket, `${prefix}/${name}`).catch(refused('s3:GetObject')),
    async names() {
      const out: string[] = [];
      // No delimiter: policy drafts are keys below policies/ in the run.
      try {
        for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: bucket, Prefix: `${prefix}/` })) {
          for (const o of page.Contents ?? []) out.push((o.Key ?? '').slice(prefix.length + 1));
        }
      } catch (e) {
        refused('s3:ListObjectsV2')(e);
      }
      return out;
    },
    retention: async (manifest) =>
      retentionReport(
        await checkRunRetention(s3, bucket, prefix, [...manifest.artifacts.map((a) => a.name), MANIFEST_NAME], new Date(manifest.createdAt), config.archive.objectLock),
        manifest.runId,
      ),
  };
}

function localFolder(dir: string): RunFolder {
  return {
    read: (name) => readLocalFile(dir, name),
    // Recursive: policy drafts sit in policies/<account>/, and a file added there is as much a change.
    names: async () =>
      (await readdir(dir, { withFileTypes: true, recursive: true }))
        .filter((e) => e.isFile())
        .map((e) => path.relative(dir, path.join(e.parentPath ?? e.path, e.name)).split(path.sep).join('/')),
  };
}

/**
 * Re-hashes every artifact a run's manifest lists, from a local run folder or an S3 run prefix, and names
 * files the manifest does not list: an added file is as much a change to the run as an edited one. A folder
 * without a manifest fails verification (exit 1), as an incomplete run should. For an S3 run on a bucket
 * with Object Lock, also checks that each object stays locked as long as configured.
 */
export async function verifyCommand(target: string, loadConfig: () => Promise<Config>): Promise<{ ok: boolean; report: string }> {
  const s3Match = /^s3:\/\/([^/]+)\/(.+?)\/?$/.exec(target);
  const folder = s3Match ? await s3Folder(loadConfig, s3Match[1] as string, s3Match[2] as string) : localFolder(path.resolve(target));
  const manifestBytes = await folder.read(MANIFEST_NAME);
  if (!manifestBytes) {
    return { ok: false, report: `FAILED  ${MANIFEST_NAME}: missing at ${target} — the run did not finish archiving (or this is not a run folder); nothing can be verified.\n` };
  }
  let manifest: Manifest;
  try {
    manifest = JSON.parse(new TextDecoder().decode(manifestBytes)) as Manifest;
    if (!Array.isArray(manifest.artifacts)) throw new Error('it has no artifact list');
  } catch (e) {
    return { ok: false, report: `FAILED  ${MANIFEST_NAME}: not a readable manifest (${(e as Error).message}).\n` };
  }
  const results = await verifyManifest(manifest, (name) => folder.read(name));
  const listed = new Set([MANIFEST_NAME, ...manifest.artifacts.map((a) => a.name)]);
  const extra = (await folder.names()).filter((n) => !listed.has(n)).sort();
  const locked = folder.retention ? await folder.retention(manifest) : undefined;
  const hashesOk = results.every((r) => r.ok) && extra.length === 0;
  const ok = hashesOk && !locked?.failed;
  const lines = results.map((r) => `${r.ok ? 'ok      ' : 'FAILED  '}${r.name}${r.problem ? `: ${r.problem}` : ''}`);
  for (const name of extra) lines.push(`FAILED  ${name}: not listed in the manifest (added after the run)`);
  if (locked) lines.push(...locked.lines);
  lines.push(hashesOk ? `All ${results.length} artifact(s) of run ${manifest.runId} match the manifest.` : `Run ${manifest.runId}: verification FAILED.`);
  if (locked) lines.push(...locked.closing);
  return { ok, report: `${lines.join('\n')}\n` };
}
