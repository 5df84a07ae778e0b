/**
 * The previous review is untrusted input read back from the archive (or given with --previous): the newest
 * complete run that has a review.json is used, only if it matches its manifest and the review schema; one
 * that fails is ignored with a note in the report, never fatal.
 */
import { mkdtemp, readFile, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { analyzeSnapshotFile, deliverSnapshot } from '../../src/cli/commands.js';
import { checkPreviousReview } from '../../src/cli/previous-review.js';
import { resolveConfig } from '../../src/config/load-config.js';
import { createClientFactory } from '../../src/collect/clients.js';
import { archiveRun, putObjectOnce } from '../../src/deliver/s3-archive.js';
import { buildManifest, encodeCompactJson, encodeJson } from '../../src/deliver/manifest.js';
import { runPrefix } from '../../src/deliver/layout.js';
import type { Config } from '../../src/config/config.js';
import type { Snapshot } from '../../src/model/snapshot.js';
import { tinySnapshot } from './pipeline-fixture.js';
import { fixtureReview } from '../render/fixture-review.js';
import { validateAgainst } from '../../src/config/validate.js';

const SCOPE = 'account-111111111111';
const TOOL = { name: 'access-review', version: 'test' };

function snapshotAt(day: number, suffix: string): Snapshot {
  const at = `2026-11-${String(day).padStart(2, '0')}T12:00:00.000Z`;
  return { ...tinySnapshot(), runId: `202611${String(day).padStart(2, '0')}T120000Z-${suffix}`, collectedAt: at };
}

describe('the previous review', () => {
  let emu: RunningEmulator;
  let out: string;
  const warnings: { event: string; fields: Record<string, unknown> }[] = [];

  const configFor = (prefix: string): Config =>
    resolveConfig(
      { aws: { endpoint: emu.endpoint, s3ForcePathStyle: true }, archive: { bucket: emu.org.archiveBucket, prefix }, output: { dir: path.join(out, prefix), formats: ['json', 'html'] } },
      {},
    );
  const deliver = (snapshot: Snapshot, prefix: string) => {
    const config = configFor(prefix);
    const log = (event: string, fields: Record<string, unknown> = {}, level?: string) => {
      if (level === 'warn') warnings.push({ event, fields });
    };
    return deliverSnapshot(snapshot, config, createClientFactory(config.aws, emu.credentials), new Date(snapshot.collectedAt), log);
  };
  const s3 = () => createClientFactory(configFor('x').aws, emu.credentials).s3();

  beforeAll(async () => {
    emu = await startEmulator({ seed: 8, org: { memberAccounts: 1, rolesPerAccount: 2, eventsPerAccount: 10 } });
    out = await mkdtemp(path.join(tmpdir(), 'ar-previous-'));
  }, 60_000);
  afterAll(async () => emu?.close());

  it('skips a folder holding only a rescued snapshot and compares with the newest run that has a review', async () => {
    const first = await deliver(snapshotAt(10, 'aaaaaa'), 'history');
    expect(first.review.changes).toBeUndefined();
    // What the rescue path leaves after a failed analysis: the snapshot and a manifest, no review.
    const rescued = snapshotAt(11, 'bbbbbb');
    await archiveRun(s3(), { bucket: emu.org.archiveBucket, prefix: 'history' }, {
      runId: rescued.runId,
      scopeId: SCOPE,
      at: new Date(rescued.collectedAt),
      tool: TOOL,
      artifacts: [{ name: 'snapshot.json', contentType: 'application/json', body: encodeCompactJson(rescued) }],
    });
    const third = await deliver(snapshotAt(12, 'cccccc'), 'history');
    expect(third.review.changes?.previousRunId).toBe('20261110T120000Z-aaaaaa');
    expect(third.review.changesUnavailableReason).toBeUndefined();
  });

  it('ignores an archived review of the wrong shape with a warning and a note in the report, and the run completes', async () => {
    // Archived properly (so its hash matches), but not a review: accounts is not a list.
    const bad = { kind: 'access-review/review', schemaVersion: '1.0', runId: '20261113T120000Z-dddddd', generatedAt: '2026-11-13T12:00:00.000Z', scope: { mode: 'account' }, summary: {}, coverage: [], accounts: {}, findings: [] };
    await archiveRun(s3(), { bucket: emu.org.archiveBucket, prefix: 'shape' }, {
      runId: bad.runId,
      scopeId: SCOPE,
      at: new Date(bad.generatedAt),
      tool: TOOL,
      artifacts: [{ name: 'review.json', contentType: 'application/json', body: encodeJson(bad) }],
    });
    const result = await deliver(snapshotAt(14, 'eeeeee'), 'shape');
    expect(result.review.changes).toBeUndefined();
    expect(result.review.changesUnavailableReason).toMatch(/review\.json does not match the review schema: \/accounts: must be array/);
    expect(result.deliveryErrors).toEqual([]);
    const html = await readFile(path.join(result.local!.runDir, 'report.html'), 'utf8');
    expect(html).toContain('Changes could not be computed:');
    expect(html).not.toContain('This is the first review of this scope');
    const json = JSON.parse(await readFile(path.join(result.local!.runDir, 'review.json'), 'utf8')) as { changesUnavailableReason?: string };
    expect(json.changesUnavailableReason).toBe(result.review.changesUnavailableReason);
    expect(warnings.some((w) => w.event === 'previous.review.unusable')).toBe(true);
  });

  it('ignores an archived review that no longer matches its manifest', async () => {
    const first = await deliver(snapshotAt(15, 'ffffff'), 'tampered');
    const genuine = new TextDecoder().decode(first.artifacts.find((a) => a.name === 'review.json')!.body);
    // A later folder whose review.json was changed after its manifest was written.
    const runId = '20261116T120000Z-a1a1a1';
    const prefix = runPrefix('tampered', SCOPE, runId, new Date('2026-11-16T12:00:00Z'));
    const settings = { bucket: emu.org.archiveBucket, prefix: 'tampered' };
    const original = new TextEncoder().encode(genuine.replace('20261115T120000Z-ffffff', runId));
    const edited = new TextEncoder().encode(genuine.replace('20261115T120000Z-ffffff', runId).replace('"findings": [', '"findings": [ '));
    await putObjectOnce(s3(), settings, `${prefix}/review.json`, edited, 'application/json');
    const manifest = buildManifest({ runId, scopeId: SCOPE, createdAt: '2026-11-16T12:00:00.000Z', tool: TOOL, artifacts: [{ name: 'review.json', contentType: 'application/json', body: original }] });
    await putObjectOnce(s3(), settings, `${prefix}/manifest.json`, encodeJson(manifest), 'application/json');
    const result = await deliver(snapshotAt(17, 'b2b2b2'), 'tampered');
    expect(result.review.changes).toBeUndefined();
    expect(result.review.changesUnavailableReason).toMatch(/20261116T120000Z-a1a1a1\/review\.json does not match its manifest's SHA-256/);
  });

  it('analyze --previous: a file of the wrong shape becomes a note, a genuine one a comparison', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ar-previous-file-'));
    const snapshotFile = path.join(dir, 'snapshot.json');
    await writeFile(snapshotFile, JSON.stringify(snapshotAt(20, 'c3c3c3')));
    const wrong = path.join(dir, 'wrong.json');
    await writeFile(wrong, JSON.stringify({ kind: 'access-review/review', accounts: 'none' }));
    const config = resolveConfig({ output: { dir: path.join(dir, 'out'), formats: ['json'] } }, {});
    const log = () => undefined;
    const noted = await analyzeSnapshotFile({ snapshotFile, previousFile: wrong, config, log });
    expect(noted.review.changesUnavailableReason).toMatch(/wrong\.json does not match the review schema/);

    // A run folder's review.json is checked against the manifest beside it.
    const runDir = noted.local!.runDir;
    const previousFile = path.join(runDir, 'review.json');
    const genuine = await analyzeSnapshotFile({ snapshotFile, previousFile, config, log });
    expect(genuine.review.changes?.previousRunId).toBe('20261120T120000Z-c3c3c3');
    const copy = path.join(dir, 'copy');
    await mkdir(copy);
    await writeFile(path.join(copy, 'manifest.json'), await readFile(path.join(runDir, 'manifest.json')));
    await writeFile(path.join(copy, 'review.json'), (await readFile(previousFile, 'utf8')).replace('"findings"', ' "findings"'));
    const mismatched = await analyzeSnapshotFile({ snapshotFile, previousFile: path.join(copy, 'review.json'), config, log });
    expect(mismatched.review.changes).toBeUndefined();
    expect(mismatched.review.changesUnavailableReason).toMatch(/does not match its manifest's SHA-256/);
  });

  it('accepts every review the product writes: the rich render fixture and a run\'s own', async () => {
    expect(validateAgainst('review.schema.json', fixtureReview())).toEqual([]);
    const first = await deliver(snapshotAt(25, 'd4d4d4'), 'schema');
    expect(validateAgainst('review.schema.json', JSON.parse(new TextDecoder().decode(first.artifacts.find((a) => a.name === 'review.json')!.body)))).toEqual([]);
  });

  it('names what is wrong in a review that is not one', () => {
    const bytes = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));
    expect(checkPreviousReview(bytes({ kind: 'access-review/snapshot' }), 'r.json')).toEqual({ unavailable: 'r.json is not an access-review review (kind is "access-review/snapshot")' });
    expect(checkPreviousReview(new TextEncoder().encode('{'), 'r.json')).toMatchObject({ unavailable: expect.stringMatching(/^r\.json is not valid JSON/) });
  });
});
