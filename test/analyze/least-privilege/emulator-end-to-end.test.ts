/**
 * Least privilege end to end against the emulator: Access Advisor collected through the real IAM client,
 * joined with the permissions over the full action catalogue, rendered, and written as a run whose manifest
 * lists every policy draft. The emulator's ground truth says what each role used.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../../src/emulator/index.js';
import { createClientFactory } from '../../../src/collect/clients.js';
import { collectSnapshot } from '../../../src/collect/index.js';
import { resolveConfig } from '../../../src/config/load-config.js';
import { analyze } from '../../../src/analyze/index.js';
import { assumableFromOutsideAccount } from '../../../src/analyze/least-privilege/outside-account.js';
import { loadActionCatalog } from '../../../src/catalog/load-action-catalog.js';
import { loadVendors } from '../../../src/config/vendors.js';
import { renderAll } from '../../../src/render/index.js';
import { writeLocalRun } from '../../../src/deliver/local-folder.js';
import { verifyManifest } from '../../../src/deliver/manifest.js';
import { DEFAULT_ANALYSIS_SETTINGS } from '../../../src/model/settings.js';
import type { Review } from '../../../src/model/review.js';
import type { Manifest } from '../../../src/model/artifact.js';

const NOW = new Date('2026-12-06T06:00:00.000Z');
let emu: RunningEmulator;
let review: Review;

beforeAll(async () => {
  emu = await startEmulator({ seed: 42, now: NOW, lookupEventsPerSecond: 0, org: { memberAccounts: 2, rolesPerAccount: 18, eventsPerAccount: 300 } });
  const config = resolveConfig(
    { scope: { mode: 'organization' }, aws: { endpoint: emu.endpoint, s3ForcePathStyle: true }, regions: emu.org.regions, accessAnalyzer: { enabled: false } },
    {},
  );
  const clients = createClientFactory(config.aws, emu.credentials);
  const snapshot = await collectSnapshot(config, { clients, now: NOW, runId: 'lp-e2e', tool: { name: 'access-review', version: 'test' }, assumableFromOutside: assumableFromOutsideAccount, sleep: async () => undefined });
  review = analyze(snapshot, { now: NOW, settings: DEFAULT_ANALYSIS_SETTINGS, catalog: await loadActionCatalog(), vendors: loadVendors([]) });
}, 240_000);
afterAll(async () => {
  await emu.close();
});

describe('least privilege against the emulator', () => {
  it('reports, for every outside-assumable role, the services the emulator says it used', () => {
    let checked = 0;
    for (const account of review.accounts) {
      const truth = emu.org.accounts.find((a) => a.id === account.accountId);
      for (const role of account.roles) {
        const lp = role.leastPrivilege;
        if (!lp) continue;
        checked += 1;
        expect(lp.status).toBe('complete');
        const used = (truth?.roles.find((r) => r.arn === role.arn)?.serviceAccess ?? []).filter((s) => s.lastAuthenticated).map((s) => s.namespace).sort();
        expect(lp.services.filter((s) => s.status === 'used').map((s) => s.namespace).sort()).toEqual(used);
        expect(lp.usedButNotGranted).toBeUndefined();
        // Every kept action is one the role is granted; a role that used nothing keeps nothing.
        expect(lp.keptActions).toBeLessThanOrEqual(lp.grantedActions);
        if (used.length === 0) expect(lp.draft?.document.Statement.filter((s) => s.Effect === 'Allow')).toEqual([]);
      }
    }
    expect(checked).toBeGreaterThan(5);
    expect(review.leastPrivilege?.lines.length).toBe(checked);
  });

  it('writes one draft per role into the run, listed and hashed in the manifest', async () => {
    const artifacts = await renderAll(review, { pdf: false });
    const drafts = artifacts.filter((a) => a.name.startsWith('policies/'));
    const expected = review.accounts.flatMap((a) => a.roles.flatMap((r) => (r.leastPrivilege?.draft ? [r.leastPrivilege.draft.file] : [])));
    expect(drafts.map((a) => a.name).sort()).toEqual(expected.sort());
    for (const d of drafts) {
      const doc = JSON.parse(new TextDecoder().decode(d.body)) as { Version: string; Statement: { Sid: string; Effect: string }[] };
      expect(Object.keys(doc)).toEqual(['Version', 'Statement']);
      expect(doc.Version).toBe('2012-10-17');
      for (const s of doc.Statement) expect(s.Sid).toMatch(/^[A-Za-z0-9]+$/);
    }
    const html = new TextDecoder().decode(artifacts.find((a) => a.name === 'report.html')?.body);
    expect(html).toContain('Least privilege: granted vs used');
    expect(html).toContain('What it used (IAM Access Advisor)');
    expect(html).toContain('Appendix: right-sized policy draft');

    const dir = await mkdtemp(path.join(tmpdir(), 'lp-run-'));
    try {
      const run = await writeLocalRun(dir, { runId: 'lp-e2e', scopeId: 'organization-test', at: NOW, tool: { name: 'access-review', version: 'test' }, artifacts });
      const manifest = JSON.parse(await readFile(path.join(run.runDir, 'manifest.json'), 'utf8')) as Manifest;
      expect(manifest.artifacts.filter((a) => a.name.startsWith('policies/')).map((a) => a.name).sort()).toEqual(expected.sort());
      const results = await verifyManifest(manifest, async (name) => readFile(path.join(run.runDir, name)).catch(() => undefined));
      expect(results.filter((r) => !r.ok)).toEqual([]);
      const latest = await verifyManifest(manifest, async (name) => readFile(path.join(dir, name)).catch(() => undefined));
      expect(latest.filter((r) => !r.ok)).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
