import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { childPath, UnsafePathError } from '../../src/deliver/safe-path.js';
import { writeLocalRun } from '../../src/deliver/local-folder.js';
import { runPrefix } from '../../src/deliver/layout.js';
import { analyzeSnapshotFile, UsageError } from '../../src/cli/commands.js';
import { resolveConfig } from '../../src/config/load-config.js';
import { tinySnapshot } from '../cli/pipeline-fixture.js';

const TOOL = { name: 'access-review', version: 'test' };

describe('paths built from data stay inside their root', () => {
  it('childPath refuses anything but one plain name', () => {
    expect(childPath('/out/runs', '20261120T120000Z-abcdef')).toBe('/out/runs/20261120T120000Z-abcdef');
    for (const bad of ['..', '.', '', '../x', 'a/b', 'a\\b', 'x\0y', '../../elsewhere/x']) expect(() => childPath('/out/runs', bad)).toThrow(UnsafePathError);
  });

  it('the local folder and the archive keys refuse a run id that climbs out', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'ar-safe-'));
    const dir = path.join(root, 'out');
    await expect(writeLocalRun(dir, { runId: '../../elsewhere/x', scopeId: 'account-111111111111', at: new Date(), tool: TOOL, artifacts: [] })).rejects.toThrow(UnsafePathError);
    expect(await readdir(root)).toEqual(['out']);
    expect(() => runPrefix('p', 'account-1', '../../x', new Date())).toThrow(UnsafePathError);
    expect(() => runPrefix('p', '../scope', 'run', new Date())).toThrow(UnsafePathError);
  });

  it('analyze --snapshot with a runId that is a path is refused by the schema, naming the field, and writes nothing', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'ar-safe-'));
    const file = path.join(root, 'snapshot.json');
    await writeFile(file, JSON.stringify({ ...tinySnapshot(), runId: '../../elsewhere/x' }));
    const config = resolveConfig({ output: { dir: path.join(root, 'out'), formats: ['json'] } }, {});
    const attempt = analyzeSnapshotFile({ snapshotFile: file, config, log: () => undefined });
    await expect(attempt).rejects.toThrow(UsageError);
    await expect(attempt).rejects.toThrow(/\/runId: must match pattern/);
    expect((await readdir(root)).sort()).toEqual(['snapshot.json']);
  });
});
