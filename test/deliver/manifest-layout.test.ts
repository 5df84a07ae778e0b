import { describe, expect, it } from 'vitest';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildManifest, sha256Hex, verifyManifest } from '../../src/deliver/manifest.js';
import { makeRunId, runPrefix, scopeIdOf, scopePrefix, runFolderOfKey } from '../../src/deliver/layout.js';
import { writeLocalRun, readLocalFile } from '../../src/deliver/local-folder.js';

const enc = (s: string) => new TextEncoder().encode(s);
const TOOL = { name: 'access-review', version: '0.0.0' };

describe('layout', () => {
  const at = new Date('2026-03-04T05:06:07.890Z');
  it('makes sortable run ids and dated run prefixes', () => {
    const id = makeRunId(at, 'a1b2c3');
    expect(id).toBe('20260304T050607Z-a1b2c3');
    expect(makeRunId(new Date('2026-03-04T05:06:08Z'), '000000') > id).toBe(true);
    expect(runPrefix('/reports/', 'organization-o-abc', id, at)).toBe('reports/organization-o-abc/2026/03/04/20260304T050607Z-a1b2c3');
    expect(runPrefix('', 'account-111111111111', id, at)).toBe('account-111111111111/2026/03/04/20260304T050607Z-a1b2c3');
    expect(scopePrefix('reports', 'account-1')).toBe('reports/account-1/');
    expect(runFolderOfKey('a/b/run/manifest.json')).toBe('a/b/run');
  });
  it('names the scope by organization or account', () => {
    expect(scopeIdOf({ mode: 'organization', organizationId: 'o-abc' })).toBe('organization-o-abc');
    expect(scopeIdOf({ mode: 'account', accountId: '111111111111' })).toBe('account-111111111111');
  });
});

describe('manifest', () => {
  it('lists every artifact with its SHA-256 and verifies bytes against it', async () => {
    const artifacts = [
      { name: 'review.json', contentType: 'application/json', body: enc('{"a":1}\n') },
      { name: 'findings.csv', contentType: 'text/csv', body: enc('id\n') },
    ];
    const m = buildManifest({ runId: 'r', scopeId: 's', createdAt: '2026-01-01T00:00:00.000Z', tool: TOOL, artifacts });
    expect(m.artifacts.map((a) => a.name)).toEqual(['findings.csv', 'review.json']);
    expect(m.artifacts[1]).toEqual({ name: 'review.json', contentType: 'application/json', bytes: 8, sha256: sha256Hex(enc('{"a":1}\n')) });
    expect(sha256Hex(enc('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');

    const store = new Map(artifacts.map((a) => [a.name, a.body]));
    expect((await verifyManifest(m, async (n) => store.get(n))).every((r) => r.ok)).toBe(true);
    store.set('review.json', enc('{"a":2}\n'));
    store.delete('findings.csv');
    const bad = await verifyManifest(m, async (n) => store.get(n));
    expect(bad).toEqual([
      { name: 'findings.csv', ok: false, problem: 'missing' },
      { name: 'review.json', ok: false, problem: expect.stringContaining('sha256 mismatch') },
    ]);
  });
});

describe('writeLocalRun', () => {
  it('writes a run folder plus latest copies; a second write of the same run gets its own folder', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ar-local-'));
    const run = { runId: 'run-1', scopeId: 's', at: new Date('2026-01-01T00:00:00Z'), tool: TOOL, artifacts: [{ name: 'report.html', contentType: 'text/html', body: enc('<p>1</p>') }] };
    const out = await writeLocalRun(dir, run);
    expect(out.runDir).toBe(path.join(dir, 'runs', 'run-1'));
    expect(await readFile(path.join(dir, 'report.html'), 'utf8')).toBe('<p>1</p>');
    const manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8'));
    expect(manifest.artifacts[0].sha256).toBe(sha256Hex(enc('<p>1</p>')));
    const again = await writeLocalRun(dir, { ...run, artifacts: [{ ...run.artifacts[0]!, body: enc('<p>2</p>') }] });
    expect(again.runDir).toBe(path.join(dir, 'runs', 'run-1.2'));
    expect(await readFile(path.join(out.runDir, 'report.html'), 'utf8')).toBe('<p>1</p>');
    expect(await readFile(path.join(again.runDir, 'report.html'), 'utf8')).toBe('<p>2</p>');
    expect(await readFile(path.join(dir, 'report.html'), 'utf8')).toBe('<p>2</p>');

    await writeFile(path.join(dir, 'x'), 'y');
    expect(await readLocalFile(dir, 'missing')).toBeUndefined();
  });
});
