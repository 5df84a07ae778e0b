import path from 'node:path';
import type { Config } from '../config/config.js';
import { MANIFEST_NAME, type Manifest } from '../model/artifact.js';
import { verifyManifest } from '../deliver/manifest.js';
import { readLocalFile } from '../deliver/local-folder.js';
import { UsageError } from './exit.js';
import type { RunRetention } from '../deliver/archive-retention.js';

/**
 * Re-hashes every artifact a run's manifest lists, from a local run folder or an S3 run prefix; for an S3
 * run on a bucket with Object Lock, also checks that each object stays locked as long as configured.
 */
export async function verifyCommand(target: string, loadConfig: () => Promise<Config>): Promise<{ ok: boolean; report: string }> {
  let read: (name: string) => Promise<Uint8Array | undefined>;
  let retention: ((manifest: Manifest) => Promise<RunRetention>) | undefined;
  const s3Match = /^s3:\/\/([^/]+)\/(.+?)\/?$/.exec(target);
  if (s3Match) {
    const [, bucket, prefix] = s3Match as unknown as [string, string, string];
    // The SDK is loaded only for an archived run: verifying a local folder needs neither it nor the config.
    const [config, { createClientFactory }, { getObjectBytes }, { checkRunRetention }] = await Promise.all([
      loadConfig(),
      import('../collect/clients.js'),
      import('../deliver/s3-archive.js'),
      import('../deliver/archive-retention.js'),
    ]);
    const s3 = createClientFactory(config.aws).s3();
    read = (name) => getObjectBytes(s3, bucket, `${prefix}/${name}`);
    retention = (manifest) =>
      checkRunRetention(s3, bucket, prefix, [...manifest.artifacts.map((a) => a.name), MANIFEST_NAME], new Date(manifest.createdAt), config.archive.objectLock);
  } else {
    read = (name) => readLocalFile(path.resolve(target), name);
  }
  const manifestBytes = await read(MANIFEST_NAME);
  if (!manifestBytes) throw new UsageError(`no ${MANIFEST_NAME} at ${target}`);
  const manifest = JSON.parse(new TextDecoder().decode(manifestBytes)) as Manifest;
  const results = await verifyManifest(manifest, read);
  const hashesOk = results.every((r) => r.ok);
  const lines = results.map((r) => `${r.ok ? 'ok      ' : 'FAILED  '}${r.name}${r.problem ? `: ${r.problem}` : ''}`);
  const locked = retention ? await retention(manifest) : undefined;
  const MARK = { ok: 'ok      ', failed: 'FAILED  ', unchecked: 'UNCHECKED ', unlocked: 'UNLOCKED ' } as const;
  if (locked) lines.push(locked.summary, ...locked.lines.map((l) => `${MARK[l.status]}${l.name}: ${l.detail}`));
  const shortLocks = locked?.lines.filter((l) => l.status === 'failed').length ?? 0;
  const unchecked = locked?.lines.filter((l) => l.status === 'unchecked').length ?? 0;
  const ok = hashesOk && shortLocks === 0;
  lines.push(
    hashesOk ? `All ${results.length} artifact(s) of run ${manifest.runId} match the manifest.` : `Run ${manifest.runId}: verification FAILED.`,
  );
  if (shortLocks > 0) lines.push(`Run ${manifest.runId}: ${shortLocks} object(s) locked for less than configured: retention verification FAILED.`);
  if (unchecked > 0) lines.push(`Retention of ${unchecked} object(s) could not be checked (see above).`);
  const unlocked = locked?.lines.filter((l) => l.status === 'unlocked').length ?? 0;
  if (unlocked > 0) {
    lines.push(`${unlocked} object(s) have no retention: set a default retention on the bucket, or archive.objectLock, so later runs are locked.`);
  }
  return { ok, report: `${lines.join('\n')}\n` };
}
