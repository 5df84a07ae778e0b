import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeAndDeliver } from '../../src/cli/pipeline.js';
import { resolveConfig } from '../../src/config/load-config.js';
import { buildReportView } from '../../src/render/view/index.js';
import { tinySnapshot } from './pipeline-fixture.js';

describe('one count of coverage gaps', () => {
  it('the summary counts a failure repeated in several regions once, as the report lists it', async () => {
    const snapshot = tinySnapshot();
    const account = snapshot.accounts[0]!;
    const denied = { source: 'cloudtrail' as const, status: 'failed' as const, detail: 'AccessDenied on LookupEvents', errorCode: 'AccessDeniedException' };
    account.coverage.push({ ...denied, region: 'us-east-1' }, { ...denied, region: 'eu-west-1' }, { ...denied, region: 'ap-south-1' });
    account.coverage.push({ source: 'access-analyzer', status: 'failed', region: 'us-east-1', detail: 'throttled', errorCode: 'ThrottlingException' });
    const dir = await mkdtemp(path.join(tmpdir(), 'ar-gaps-'));
    const result = await analyzeAndDeliver(snapshot, resolveConfig({ output: { dir, formats: ['json'] } }, {}), { now: new Date('2026-11-20T12:00:00Z'), log: () => undefined });
    const view = buildReportView(result.review);
    expect(view.gaps).toHaveLength(2);
    expect(result.review.summary.coverageGaps).toBe(2);
  });
});
