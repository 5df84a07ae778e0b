/**
 * The public corpus through the real path: the emulator's IAM serves the corpus roles, the built CLI runs
 * against it, and every case's verdict is read back from review.json, then again from `analyze --snapshot`
 * on the archived snapshot. The table of verdicts is printed; each case is asserted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmulator } from '../../src/emulator/index.js';
import type { Review } from '../../src/model/review.js';
import { ROOT } from '../e2e/cli-process.js';
import { judgeCorpus, loadCorpusCases, runCorpus, verdictCounts, verdictTable, type Corpus, type VerdictRow } from './corpus-run.mjs';

describe('public corpus of trust and escalation cases, through collect -> analyze -> review.json', () => {
  let corpus: Corpus;
  let work: string;
  let review: Review;
  let rows: VerdictRow[];
  let snapshotRows: VerdictRow[];

  beforeAll(async () => {
    corpus = await loadCorpusCases();
    work = await mkdtemp(path.join(tmpdir(), 'ar-corpus-'));
    const result = await runCorpus({ startEmulator, bin: path.join(ROOT, 'bin/access-review.js'), work, corpus, timeoutMs: 240_000 });
    review = result.review;
    rows = judgeCorpus(corpus, result.review, result.managementAccountId);
    snapshotRows = judgeCorpus(corpus, result.reanalyzed, result.managementAccountId);
    process.stdout.write(`\nCorpus verdicts (run):\n${verdictTable(rows)}\n${JSON.stringify(verdictCounts(rows))}\n`);
  }, 300_000);

  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('holds cases of every class, each with a source and a reason', () => {
    expect(corpus.cases.length).toBeGreaterThanOrEqual(74);
    const classes = new Set(corpus.cases.map((c) => c.class));
    for (const cls of ['1-source-guards', '2-non-guards', '3-operators', '4-same-account-chains', '6-invalid-principals', '7-unknown-external', 'iam-vulnerable']) {
      expect(classes).toContain(cls);
    }
    for (const c of corpus.cases) {
      expect(c.source).toMatch(/^https:\/\//);
      expect(c.reason.length).toBeGreaterThan(10);
    }
    expect(new Set(corpus.cases.map((c) => c.role.name)).size).toBe(corpus.cases.length);
  });

  it('reviews every corpus role it served', () => {
    const names = new Set(review.accounts.flatMap((a) => a.roles.map((r) => r.name)));
    for (const c of corpus.cases) expect(names).toContain(c.role.name);
  });

  it('gives every case its expected verdict through `run`', () => {
    expect(rows.filter((r) => !r.ok).map((r) => `${r.id}: ${r.actual}`)).toEqual([]);
  });

  it('gives the same verdicts through `analyze --snapshot`', () => {
    expect(snapshotRows.map((r) => [r.id, r.ok, r.actual])).toEqual(rows.map((r) => [r.id, r.ok, r.actual]));
  });
});
