import path from 'node:path';
import type { Config } from '../config/config.js';
import { MANIFEST_NAME, type Manifest } from '../model/artifact.js';
import { verifyManifest } from '../deliver/manifest.js';
import { readLocalFile } from '../deliver/local-folder.js';
import { UsageError } from './exit.js';

/** Re-hashes every artifact a run's manifest lists, from a local run folder or an S3 run prefix. */
export async function verifyCommand(target: string, loadConfig: () => Promise<Config>): Promise<{ ok: boolean; report: string }> {
  let read: (name: string) => Promise<Uint8Array | undefined>;
  const s3Match = /^s3:\/\/([^/]+)\/(.+?)\/?$/.exec(target);
  if (s3Match) {
    const [, bucket, prefix] = s3Match as unknown as [string, string, string];
    // The SDK is loaded only for an archived run: verifying a local folder needs neither it nor the config.
    const [config, { createClientFactory }, { getObjectBytes }] = await Promise.all([loadConfig(), import('../collect/clients.js'), import('../deliver/s3-archive.js')]);
    const s3 = createClientFactory(config.aws).s3();
    read = (name) => getObjectBytes(s3, bucket, `${prefix}/${name}`);
  } else {
    read = (name) => readLocalFile(path.resolve(target), name);
  }
  const manifestBytes = await read(MANIFEST_NAME);
  if (!manifestBytes) throw new UsageError(`no ${MANIFEST_NAME} at ${target}`);
  const manifest = JSON.parse(new TextDecoder().decode(manifestBytes)) as Manifest;
  const results = await verifyManifest(manifest, read);
  const ok = results.every((r) => r.ok);
  const lines = results.map((r) => `${r.ok ? 'ok      ' : 'FAILED  '}${r.name}${r.problem ? `: ${r.problem}` : ''}`);
  lines.push(ok ? `All ${results.length} artifact(s) of run ${manifest.runId} match the manifest.` : `Run ${manifest.runId}: verification FAILED.`);
  return { ok, report: `${lines.join('\n')}\n` };
}
