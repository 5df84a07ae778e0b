/**
 * Accuracy against the public corpus (test/corpus/iam-evaluation-corpus.json): the emulator serves the
 * corpus roles, the built CLI reviews them (`run`, then `analyze --snapshot` on the archived snapshot),
 * and each case's verdict is judged from review.json. Prints the verdict table and, as its last line, the
 * counts as one JSON object. Run with `npm run bench:accuracy` (builds first).
 */
import './on-supported-node.mjs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmulator } from '../dist/emulator/index.js';
import { judgeCorpus, loadCorpusCases, runCorpus, verdictCounts, verdictTable } from '../test/corpus/corpus-run.mjs';

const root = path.resolve(import.meta.dirname, '..');
const corpus = await loadCorpusCases();
const work = await mkdtemp(path.join(tmpdir(), 'ar-accuracy-'));
try {
  const result = await runCorpus({ startEmulator, bin: path.join(root, 'bin/access-review.js'), work, corpus });
  const rows = judgeCorpus(corpus, result.review, result.managementAccountId);
  const snapshotRows = judgeCorpus(corpus, result.reanalyzed, result.managementAccountId);
  console.log(verdictTable(rows));
  const counts = verdictCounts(rows);
  const snapshot = verdictCounts(snapshotRows);
  console.log(`\n${counts.correct} of ${counts.cases} cases as expected through run; ${snapshot.correct} through analyze --snapshot.`);
  for (const [cls, c] of Object.entries(counts.byClass).sort()) console.log(`  ${cls.padEnd(24)} ${c.correct}/${c.cases}`);
  console.log(
    JSON.stringify({
      cases: counts.cases,
      correct: counts.correct,
      wrong: counts.wrong,
      snapshotCorrect: snapshot.correct,
      snapshotWrong: snapshot.wrong,
      byClass: counts.byClass,
      runMs: result.runMs,
      analyzeMs: result.analyzeMs,
    }),
  );
} finally {
  await rm(work, { recursive: true, force: true });
}
