import { describe, expect, it } from 'vitest';
import { indexRuns } from '../../src/deliver/archive-index.js';

const run = 'reviews/organization-o-abc123def4/2026/11/29/20261129T060000Z-3fa9c1';

describe('indexRuns', () => {
  it('groups a run folder\'s files, marks it complete only with its manifest, and ignores parts and strays', () => {
    const runs = indexRuns('archive', 'reviews', [
      { key: `${run}/report.pdf`, size: 3_000_000 },
      { key: `${run}/review.json`, size: 1_000_000 },
      { key: `${run}/manifest.json`, size: 1_500 },
      { key: 'reviews/account-111111111111/2026/11/22/20261122T060000Z-aa11bb/report.html', size: 600_000 },
      { key: 'reviews/parts/nightly-1/part-0-of-3.json', size: 400_000 },
      { key: 'other/organization-o-abc123def4/2026/11/29/20261129T060000Z-3fa9c1/report.pdf', size: 1 },
      { key: 'reviews/notes.txt', size: 10 },
    ]);
    expect(runs).toEqual([
      { scope: 'account-111111111111', day: '2026-11-22', runId: '20261122T060000Z-aa11bb', uri: 's3://archive/reviews/account-111111111111/2026/11/22/20261122T060000Z-aa11bb/', complete: false, files: 1, bytes: 600_000, owners: [] },
      { scope: 'organization-o-abc123def4', day: '2026-11-29', runId: '20261129T060000Z-3fa9c1', uri: `s3://archive/${run}/`, complete: true, files: 3, bytes: 4_001_500, owners: [] },
    ]);
  });

  it('counts policy drafts below policies/ with their run, and only a top-level manifest completes it', () => {
    const runs = indexRuns('archive', 'reviews', [
      { key: `${run}/review.json`, size: 100 },
      { key: `${run}/policies/111122223333/vendor-readonly.json`, size: 20 },
      { key: `${run}/policies/111122223333/manifest.json`, size: 5 },
    ]);
    expect(runs.map((r) => [r.runId, r.files, r.bytes, r.complete])).toEqual([['20261129T060000Z-3fa9c1', 3, 125, false]]);
  });

  it('reads a prefix with several levels, and the bucket root', () => {
    expect(indexRuns('b', 'team/reviews', [{ key: 'team/reviews/account-111111111111/2026/01/02/20260102T000000Z-abcdef/manifest.json', size: 1 }])).toHaveLength(1);
    expect(indexRuns('b', '', [{ key: 'account-111111111111/2026/01/02/20260102T000000Z-abcdef/manifest.json', size: 1 }])[0]?.uri).toBe(
      's3://b/account-111111111111/2026/01/02/20260102T000000Z-abcdef/',
    );
  });

  it('names the owners with a scoped report in the run', () => {
    const runs = indexRuns('archive', 'reviews', [
      { key: `${run}/report.pdf`, size: 10 },
      { key: `${run}/owners/platform/report.pdf`, size: 5 },
      { key: `${run}/owners/platform/report.json`, size: 5 },
      { key: `${run}/owners/data/report.pdf`, size: 5 },
      { key: `${run}/manifest.json`, size: 1 },
    ]);
    expect(runs.map((r) => [r.files, r.owners])).toEqual([[5, ['data', 'platform']]]);
  });
});
