import { createHash } from 'node:crypto';
import { MANIFEST_KIND, type Artifact, type Manifest, type ManifestEntry } from '../model/artifact.js';
import type { Measured } from './artifact-io.js';

export function sha256Hex(body: Uint8Array): string {
  return createHash('sha256').update(body).digest('hex');
}

/**
 * An artifact in memory is hashed here; one streamed from a file (FileArtifact) must come with what the
 * target measured while receiving it, so the entry is of exactly the bytes delivered.
 */
export function manifestEntry(a: Artifact, measured?: Measured): ManifestEntry {
  if (a.body !== undefined) return { name: a.name, contentType: a.contentType, bytes: a.body.byteLength, sha256: sha256Hex(a.body) };
  if (measured === undefined) throw new Error(`access-review: ${a.name} was streamed from a file, and its manifest entry needs the hash taken while it was delivered`);
  return { name: a.name, contentType: a.contentType, bytes: measured.bytes, sha256: measured.sha256 };
}

export function buildManifest(input: {
  runId: string;
  scopeId: string;
  createdAt: string;
  tool: Manifest['tool'];
  artifacts: Artifact[];
  configSha256?: string;
  /** Size and hash of each file artifact as delivered, by name. */
  measured?: ReadonlyMap<string, Measured>;
}): Manifest {
  const manifest: Manifest = {
    kind: MANIFEST_KIND,
    schemaVersion: '1.0',
    runId: input.runId,
    scopeId: input.scopeId,
    createdAt: input.createdAt,
    tool: input.tool,
    artifacts: input.artifacts.map((a) => manifestEntry(a, input.measured?.get(a.name))).sort((a, b) => a.name.localeCompare(b.name)),
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
