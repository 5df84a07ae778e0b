import { mkdir, writeFile, copyFile, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { MANIFEST_NAME, type Artifact, type Manifest } from '../model/artifact.js';
import { buildManifest, encodeJson } from './manifest.js';
import { copyFileArtifact, type Measured } from './artifact-io.js';
import { childPath } from './safe-path.js';

/** Folders of the run whose newest copy replaces the previous one whole: policy drafts, owner reports. */
const REPLACED_DIRS = ['policies', 'owners'];

/** An artifact's path below root: "a/b/c.json" as nested plain names, each checked like a single one. */
function artifactPath(root: string, name: string): string {
  return name.split('/').reduce((at, segment) => childPath(at, segment), root);
}

export interface LocalRun {
  runDir: string;
  latestDir: string;
  files: string[];
}

/**
 * Writes the run into {dir}/runs/{runId}/ with exclusive creates (an existing report is never replaced),
 * then refreshes the convenience copies at {dir}/ so the newest report is always at the same path.
 */
export async function writeLocalRun(dir: string, run: { runId: string; scopeId: string; at: Date; tool: Manifest['tool']; artifacts: Artifact[]; configSha256?: string }): Promise<LocalRun> {
  const runDir = await claimRunDir(path.join(dir, 'runs'), run.runId);
  const measured = new Map<string, Measured>();
  for (const a of run.artifacts) {
    const target = artifactPath(runDir, a.name);
    // Per-role policy drafts live in sub-folders (policies/<account>/<role>.json).
    if (a.name.includes('/')) await mkdir(path.dirname(target), { recursive: true });
    // A file artifact (the joined PDF) is streamed across and hashed as it is written.
    if (a.body !== undefined) await writeFile(target, a.body, { flag: 'wx' });
    else measured.set(a.name, await copyFileArtifact(a, target));
  }
  const manifest = buildManifest({ runId: run.runId, scopeId: run.scopeId, createdAt: run.at.toISOString(), tool: run.tool, artifacts: run.artifacts, measured, ...(run.configSha256 !== undefined ? { configSha256: run.configSha256 } : {}) });
  await writeFile(artifactPath(runDir, MANIFEST_NAME), encodeJson(manifest), { flag: 'wx' });
  const all = [...run.artifacts, { name: MANIFEST_NAME }];
  // The newest run's drafts and owner reports replace the previous ones whole, so a role that lost its draft,
  // or an owner who no longer owns anything, loses the file.
  for (const sub of REPLACED_DIRS) await rm(childPath(dir, sub), { recursive: true, force: true });
  const files: string[] = [];
  for (const a of all) {
    const target = artifactPath(dir, a.name);
    if (a.name.includes('/')) await mkdir(path.dirname(target), { recursive: true });
    await copyFile(artifactPath(runDir, a.name), target);
    files.push(target);
  }
  return { runDir, latestDir: dir, files };
}

/**
 * Creates a fresh folder for the run. Re-rendering the same snapshot into the same place gets
 * "{runId}.2", "{runId}.3", ...: the earlier output stays as it was.
 */
async function claimRunDir(parent: string, runId: string): Promise<string> {
  await mkdir(parent, { recursive: true });
  for (let n = 1; ; n++) {
    const candidate = childPath(parent, n === 1 ? runId : `${runId}.${n}`);
    try {
      await mkdir(candidate);
      return candidate;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}

export async function readLocalFile(dir: string, name: string): Promise<Uint8Array | undefined> {
  try {
    return await readFile(path.join(dir, name));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}
