import { createHash } from 'node:crypto';
import { MANIFEST_KIND, type Artifact, type Manifest, type ManifestEntry } from '../model/artifact.js';

export function sha256Hex(body: Uint8Array): string {
  return createHash('sha256').update(body).digest('hex');
}

export function manifestEntry(a: Artifact): ManifestEntry {
  return { name: a.name, contentType: a.contentType, bytes: a.body.byteLength, sha256: sha256Hex(a.body) };
}

export function buildManifest(input: { runId: string; scopeId: string; createdAt: string; tool: Manifest['tool']; artifacts: Artifact[]; configSha256?: string }): Manifest {
  const manifest: Manifest = {
    kind: MANIFEST_KIND,
    schemaVersion: '1.0',
    runId: input.runId,
    scopeId: input.scopeId,
    createdAt: input.createdAt,
    tool: input.tool,
    artifacts: input.artifacts.map(manifestEntry).sort((a, b) => a.name.localeCompare(b.name)),
  };
  if (input.configSha256 !== undefined) manifest.configSha256 = input.configSha256;
  return manifest;
}

export interface VerifyResult {
  name: string;
  ok: boolean;
  problem?: string;
}

/** Checks each artifact the manifest lists against the bytes found; `read` returns undefined when missing. */
export async function verifyManifest(manifest: Manifest, read: (name: string) => Promise<Uint8Array | undefined>): Promise<VerifyResult[]> {
  const results: VerifyResult[] = [];
  for (const entry of manifest.artifacts) {
    const body = await read(entry.name);
    if (!body) results.push({ name: entry.name, ok: false, problem: 'missing' });
    else if (sha256Hex(body) !== entry.sha256) results.push({ name: entry.name, ok: false, problem: `sha256 mismatch (expected ${entry.sha256}, got ${sha256Hex(body)})` });
    else if (body.byteLength !== entry.bytes) results.push({ name: entry.name, ok: false, problem: 'size mismatch' });
    else results.push({ name: entry.name, ok: true });
  }
  return results;
}

export function encodeJson(value: unknown): Uint8Array {
  return new TextEncoder().encode(`${JSON.stringify(value, null, 2)}\n`);
}

/** For bulk data read by programs (snapshots, shard parts): indentation would double or triple their size. */
export function encodeCompactJson(value: unknown): Uint8Array {
  return new TextEncoder().encode(`${JSON.stringify(value)}\n`);
}
