/** One output file of a run, as delivered to the archive, the local folder and email. */
export type Artifact = BytesArtifact | FileArtifact;

/** An artifact held in memory. */
export interface BytesArtifact {
  name: string;
  contentType: string;
  body: Uint8Array;
  file?: undefined;
}

/**
 * An artifact on disk, streamed by each delivery target: a document whose size follows the organization's
 * (the joined evidence PDF) is never held whole in memory. The file does not change until delivery ends.
 */
export interface FileArtifact {
  name: string;
  contentType: string;
  file: string;
  bytes: number;
  body?: undefined;
}

export const MANIFEST_KIND = 'access-review/manifest';
export const MANIFEST_NAME = 'manifest.json';

export interface ManifestEntry {
  name: string;
  contentType: string;
  bytes: number;
  sha256: string;
}

/** Written last: its presence marks a complete run, its hashes let an auditor prove nothing changed. */
export interface Manifest {
  kind: typeof MANIFEST_KIND;
  schemaVersion: '1.0';
  runId: string;
  scopeId: string;
  createdAt: string;
  tool: { name: string; version: string };
  artifacts: ManifestEntry[];
  /** SHA-256 of the effective configuration the run was made with (secrets redacted), as in review.json. */
  configSha256?: string;
}
