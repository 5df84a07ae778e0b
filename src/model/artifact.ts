/** One output file of a run, as delivered to the archive, the local folder and email. */
export interface Artifact {
  name: string;
  contentType: string;
  body: Uint8Array;
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
