import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { analyzeAndDeliver } from '../../src/cli/pipeline.js';
import { resolveConfig } from '../../src/config/load-config.js';
import { tinySnapshot } from './pipeline-fixture.js';

describe('analyzeAndDeliver', () => {
  it('still delivers HTML, JSON, CSV and the snapshot when the PDF cannot be printed, and says so', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ar-pipe-'));
    const config = resolveConfig({ output: { dir }, chromiumPath: '/nonexistent/chromium' }, {});
    const result = await analyzeAndDeliver(tinySnapshot(), config, { now: new Date('2026-11-20T12:00:00Z'), log: () => undefined });
    expect(result.deliveryErrors).toEqual([expect.stringContaining('report.pdf could not be printed')]);
    expect((await readdir(result.local!.runDir)).sort()).toEqual(['findings.csv', 'findings.ocsf.json', 'manifest.json', 'report.html', 'review.json', 'snapshot.json', 'trust-grants.csv']);
    expect(result.review.findings.map((f) => f.ruleId)).toContain('trust-unknown-external-account');
  });

  it('prints a tagged PDF by default and an untagged one with output.pdfAccessible false', async () => {
    const tagged = async (pdfAccessible: boolean): Promise<string> => {
      const dir = await mkdtemp(path.join(tmpdir(), 'ar-pipe-'));
      const config = resolveConfig({ output: { dir, formats: ['pdf'], pdfAccessible } }, {});
      const result = await analyzeAndDeliver(tinySnapshot(), config, { now: new Date('2026-11-20T12:00:00Z'), log: () => undefined });
      expect(result.deliveryErrors).toEqual([]);
      return /Tagged:\s+(\w+)/.exec(execFileSync('pdfinfo', [path.join(result.local!.runDir, 'report.pdf')], { encoding: 'utf8' }))?.[1] ?? '';
    };
    expect(await tagged(true)).toBe('yes');
    expect(await tagged(false)).toBe('no');
  });
});
