import { mkdir, writeFile, copyFile, readFile } from 'node:fs/promises';
import path from 'node:path';
import { MANIFEST_NAME, type Artifact, type Manifest } from '../model/artifact.js';
import { buildManifest, encodeJson } from './manifest.js';
import { childPath } from './safe-path.js';

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
  const manifest = buildManifest({ runId: run.runId, scopeId: run.scopeId, createdAt: run.at.toISOString(), tool: run.tool, artifacts: run.artifacts, ...(run.configSha256 !== undefined ? { configSha256: run.configSha256 } : {}) });
  const all: Artifact[] = [...run.artifacts, { name: MANIFEST_NAME, contentType: 'application/json', body: encodeJson(manifest) }];
  for (const a of all) await writeFile(childPath(runDir, a.name), a.body, { flag: 'wx' });
  const files: string[] = [];
  for (const a of all) {
    const target = childPath(dir, a.name);
    await copyFile(childPath(runDir, a.name), target);
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
