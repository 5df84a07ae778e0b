import { describe, expect, it, vi } from 'vitest';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { resolveConfig } from '../../src/config/load-config.js';
import { tinySnapshot } from './pipeline-fixture.js';

// An analysis bug must not throw away what was collected.
vi.mock('../../src/analyze/index.js', () => ({
  analyze: () => {
    throw new Error('rule exploded');
  },
}));

describe('analyzeAndDeliver when the analysis fails', () => {
  it('saves the snapshot, then fails with where it is and how to re-run it', async () => {
    const { analyzeAndDeliver } = await import('../../src/cli/pipeline.js');
    const dir = await mkdtemp(path.join(tmpdir(), 'ar-pipe-fail-'));
    const config = resolveConfig({ output: { dir } }, {});
    const snapshot = tinySnapshot();
    await expect(analyzeAndDeliver(snapshot, config, { now: new Date(), log: () => undefined })).rejects.toThrow(
      /analysis failed: rule exploded\. The collected snapshot was saved to .*runs\/20261120T120000Z-abcdef; re-run it with "access-review analyze --snapshot"/,
    );
    const saved = JSON.parse(await readFile(path.join(dir, 'runs', snapshot.runId, 'snapshot.json'), 'utf8'));
    expect(saved).toEqual(snapshot);
  });
});
