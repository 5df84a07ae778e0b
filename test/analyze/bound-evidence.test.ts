/**
 * One trust statement with many principals and a long condition list is evidence for every grant and
 * finding it makes: the review must grow linearly with it, not quadratically.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeAndDeliver } from '../../src/cli/pipeline.js';
import { resolveConfig } from '../../src/config/load-config.js';
import { MAX_CONDITION_VALUES } from '../../src/analyze/bound-evidence.js';
import type { Artifact } from '../../src/model/artifact.js';
import { artifactSize } from '../../src/deliver/artifact-io.js';
import { tinySnapshot } from '../cli/pipeline-fixture.js';

async function reviewOf(n: number): Promise<{ sizes: Record<string, number>; result: Awaited<ReturnType<typeof analyzeAndDeliver>> }> {
  const snapshot = tinySnapshot();
  const role = snapshot.accounts[0]!.roles[0]!;
  const principals = Array.from({ length: n }, (_, i) => `arn:aws:iam::${900000000000 + i}:root`);
  const externalIds = Array.from({ length: n }, (_, i) => `external-id-${i}`);
  role.trustPolicy = {
    ok: true,
    document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: principals }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': externalIds } } }] },
  };
  const dir = await mkdtemp(path.join(tmpdir(), 'ar-bound-'));
  const result = await analyzeAndDeliver(snapshot, resolveConfig({ output: { dir, formats: ['html', 'json', 'csv'] } }, {}), { now: new Date('2026-11-20T12:00:00Z'), log: () => undefined });
  const sizes = Object.fromEntries(result.artifacts.map((a: Artifact) => [a.name, artifactSize(a)]));
  return { sizes, result };
}

describe('evidence repeated per finding is bounded', () => {
  it('doubling a statement doubles the review, it does not quadruple it', async () => {
    const small = await reviewOf(400);
    const large = await reviewOf(800);
    for (const name of ['review.json', 'report.html', 'findings.csv', 'trust-grants.csv']) {
      const growth = large.sizes[name]! / small.sizes[name]!;
      expect(growth, name).toBeLessThan(2.4);
    }
  }, 120_000);

  it('says what it left out, and judged every value first', async () => {
    const { result } = await reviewOf(100);
    const grant = result.review.accounts[0]!.roles[0]!.trustGrants[0]!;
    expect(grant.conditions.StringEquals!['sts:ExternalId']).toHaveLength(MAX_CONDITION_VALUES);
    expect(grant.conditionValuesOmitted).toBe(100 - MAX_CONDITION_VALUES);
    const guard = grant.guards.find((g) => g.key === 'sts:ExternalId')!;
    expect(guard.values).toHaveLength(MAX_CONDITION_VALUES);
    expect(guard.valuesOmitted).toBe(75);
    const finding = result.review.findings.find((f) => f.ruleId === 'trust-unknown-external-account')!;
    const conditions = finding.evidence.find((e) => e.label === 'Conditions')!.value;
    expect(conditions).toMatch(/… \([\d,]+ more characters; the policy in full is in snapshot\.json\)$/);
    expect(result.review.findings.filter((f) => f.ruleId === 'trust-unknown-external-account')).toHaveLength(100);
  }, 60_000);
});
