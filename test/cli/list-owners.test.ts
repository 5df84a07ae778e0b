import { describe, expect, it } from 'vitest';
import { formatRuns } from '../../src/cli/list.js';
import { indexRuns } from '../../src/deliver/archive-index.js';

describe('list', () => {
  it('names the owners with a report in each run', () => {
    const run = 'reviews/organization-o-abc123def4/2026/11/29/20261129T060000Z-3fa9c1';
    const runs = indexRuns('archive', 'reviews', [
      { key: `${run}/report.pdf`, size: 1000 },
      { key: `${run}/owners/payments/report.pdf`, size: 500 },
      { key: `${run}/owners/data/report.pdf`, size: 500 },
      { key: `${run}/manifest.json`, size: 100 },
    ]);
    expect(formatRuns(runs).split('\n')[0]).toMatch(/ 20261129T060000Z-3fa9c1 +4 files +2 KB {2}reports for data, payments {2}complete$/);
  });
});
