import path from 'node:path';
import type { Config } from '../config/config.js';
import { MANIFEST_NAME, type Manifest } from '../model/artifact.js';
import { verifyManifest } from '../deliver/manifest.js';
import { readLocalFile } from '../deliver/local-folder.js';
import { UsageError } from './exit.js';
import type { RetentionReport } from '../deliver/archive-retention.js';

/**
 * Re-hashes every artifact a run's manifest lists, from a local run folder or an S3 run prefix; for an S3
 * run on a bucket with Object Lock, also checks that each object stays locked as long as configured.
 */
export async function verifyCommand(target: string, loadConfig: () => Promise<Config>): Promise<{ ok: boolean; report: string }> {
  let read: (name: string) => Promise<Uint8Array | undefined>;
  let retention: ((manifest: Manifest) => Promise<RetentionReport>) | undefined;
  const s3Match = /^s3:\/\/([^/]+)\/(.+?)\/?$/.exec(target);
  if (s3Match) {
    const [, bucket, prefix] = s3Match as unknown as [string, string, string];
    // The SDK is loaded only for an archived run: verifying a local folder needs neither it nor the config.
    const [config, { createClientFactory }, { getObjectBytes }, { checkRunRetention, retentionReport }] = await Promise.all([
      loadConfig(),
      import('../collect/clients.js'),
      import('../deliver/s3-archive.js'),
      import('../deliver/archive-retention.js'),
    ]);
    const s3 = createClientFactory(config.aws).s3();
    read = (name) => getObjectBytes(s3, bucket, `${prefix}/${name}`);
    // Where the bucket has Object Lock: each object's retention against the configured period.
    retention = async (manifest) =>
      retentionReport(
        await checkRunRetention(s3, bucket, prefix, [...manifest.artifacts.map((a) => a.name), MANIFEST_NAME], new Date(manifest.createdAt), config.archive.objectLock),
        manifest.runId,
      );
  } else {
    read = (name) => readLocalFile(path.resolve(target), name);
  }
  const manifestBytes = await read(MANIFEST_NAME);
  if (!manifestBytes) throw new UsageError(`no ${MANIFEST_NAME} at ${target}`);
  const manifest = JSON.parse(new TextDecoder().decode(manifestBytes)) as Manifest;
  const results = await verifyManifest(manifest, read);
  const lines = results.map((r) => `${r.ok ? 'ok      ' : 'FAILED  '}${r.name}${r.problem ? `: ${r.problem}` : ''}`);
  const locked = retention ? await retention(manifest) : undefined;
  if (locked) lines.push(...locked.lines);
  const hashesOk = results.every((r) => r.ok);
  const ok = hashesOk && !locked?.failed;
  lines.push(hashesOk ? `All ${results.length} artifact(s) of run ${manifest.runId} match the manifest.` : `Run ${manifest.runId}: verification FAILED.`);
  if (locked) lines.push(...locked.closing);
  return { ok, report: `${lines.join('\n')}\n` };
}
